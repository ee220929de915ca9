//! Prepared SPI plans kept for the backend's life: a per-row call like
//! `att_can_access` must not re-parse and re-plan its queries every time.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use pgrx::prelude::*;
use pgrx::spi::{OwnedPreparedStatement, SpiClient};

use crate::errors;

thread_local! {
    // A backend is single-threaded; the map only grows by the fixed set of queries.
    static PLANS: RefCell<HashMap<&'static str, Rc<OwnedPreparedStatement>>> = RefCell::new(HashMap::new());
}

/// Runs `f` with the kept plan of `sql`, preparing it on first use. The map
/// is not borrowed while `f` runs: a query may call back into the extension
/// (att_can_view's query runs `_att_view_scope`), which uses its own plans.
pub fn with_plan<R>(
    client: &SpiClient<'_>,
    sql: &'static str,
    types: &[PgBuiltInOids],
    f: impl FnOnce(&OwnedPreparedStatement) -> R,
) -> R {
    let plan = PLANS.with(|plans| plans.borrow().get(sql).cloned());
    let plan = plan.unwrap_or_else(|| {
        let oids: Vec<PgOid> = types.iter().map(|t| PgOid::BuiltIn(*t)).collect();
        let plan = Rc::new(client.prepare(sql, &oids).unwrap_or_else(|e| errors::spi(e)).keep());
        PLANS.with(|plans| plans.borrow_mut().insert(sql, plan.clone()));
        plan
    });
    f(&plan)
}
