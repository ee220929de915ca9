//! Prepared SPI plans kept for the backend's life: a per-row call like
//! `att_can_access` must not re-parse and re-plan its queries every time.

use std::cell::RefCell;
use std::collections::HashMap;

use pgrx::prelude::*;
use pgrx::spi::{OwnedPreparedStatement, SpiClient};

use crate::errors;

thread_local! {
    // A backend is single-threaded; the map only grows by the fixed set of queries.
    static PLANS: RefCell<HashMap<&'static str, OwnedPreparedStatement>> = RefCell::new(HashMap::new());
}

/// Runs `f` with the kept plan of `sql`, preparing it on first use.
pub fn with_plan<R>(
    client: &SpiClient<'_>,
    sql: &'static str,
    types: &[PgBuiltInOids],
    f: impl FnOnce(&OwnedPreparedStatement) -> R,
) -> R {
    PLANS.with(|plans| {
        let mut plans = plans.borrow_mut();
        if !plans.contains_key(sql) {
            let oids: Vec<PgOid> = types.iter().map(|t| PgOid::BuiltIn(*t)).collect();
            let plan = client.prepare(sql, &oids).unwrap_or_else(|e| errors::spi(e)).keep();
            plans.insert(sql, plan);
        }
        f(&plans[sql])
    })
}
