//! Running inside a Citus cluster (`sql/citus.sql`). The extension's queries
//! are the same on one node and on a cluster; where Citus needs another form
//! (a filter it can route by, a read it would otherwise refuse) the caller
//! asks here whether Citus is in this database.

use std::ffi::CStr;

use pgrx::prelude::*;
use pgrx::spi::SpiClient;

use crate::errors;
use crate::plans;

/// Is the citus extension created in this database? False at once on a
/// server that does not preload Citus (which Citus requires, and which only
/// a restart changes); otherwise a catalog probe of pg_extension, which
/// costs a few microseconds and was asked a dozen times per punch.
pub fn present() -> bool {
    preloaded()
        // SAFETY: a plain catalog lookup; missing_ok returns InvalidOid instead of raising.
        && unsafe { pg_sys::get_extension_oid(c"citus".as_ptr(), true) != pg_sys::InvalidOid }
}

/// Does shared_preload_libraries name Citus? Read once per backend.
fn preloaded() -> bool {
    thread_local! {
        static PRELOADED: std::cell::OnceCell<bool> = const { std::cell::OnceCell::new() };
    }
    PRELOADED.with(|p| {
        *p.get_or_init(|| {
            // SAFETY: reads a setting's value; NULL when it is not defined.
            let value = unsafe { pg_sys::GetConfigOption(c"shared_preload_libraries".as_ptr(), true, false) };
            // a name that merely contains "citus" only costs the catalog probe
            value.is_null() || unsafe { CStr::from_ptr(value) }.to_string_lossy().contains("citus")
        })
    })
}

// Every name qualified: the functions below run with the caller's search_path.
const DISTRIBUTED: &str = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
  WHERE p.logicalrelid OPERATOR(pg_catalog.=) 'attendance.day_record'::pg_catalog.regclass)";
const LOCAL_GROUP: &str = "SELECT g.groupid OPERATOR(pg_catalog.=) 0 FROM pg_catalog.pg_dist_local_group g";

/// Are the extension's tables distributed with Citus in this database
/// (att_distribute ran)? Without Citus a catalog lookup and no query.
pub fn distributed() -> bool {
    present() && first_bool(DISTRIBUTED)
}

/// Is this node the Citus coordinator of a distributed database (where
/// refreshes asked for are sent on to the workers)?
pub fn on_coordinator() -> bool {
    distributed() && first_bool(LOCAL_GROUP)
}

fn first_bool(sql: &'static str) -> bool {
    Spi::connect(|client| {
        let mut answer = false;
        plans::each_row(&client, sql, &[], &[], |row| answer = row.get::<bool>(1).ok().flatten().unwrap_or(false));
        answer
    })
}

finfo_v1!(pg_finfo_att_distributed);
finfo_v1!(pg_finfo_att_on_coordinator);

/// `_att_distributed()` (sql/citus.sql): asked several times per refresh and
/// per punch, so an entry point of its own rather than PL/pgSQL, which cost
/// a function call with a search_path setting and a query each time.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_distributed(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    pg_sys::Datum::from(distributed())
}

/// `_att_on_coordinator()` (sql/citus.sql), for the same reason.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_on_coordinator(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    pg_sys::Datum::from(on_coordinator())
}

const NESTED: &CStr = c"citus.allow_nested_distributed_execution";

/// Runs `f` with Citus's nested execution allowed for its queries. A
/// row-level policy on a distributed table runs on the workers, inside
/// Citus's own query on a shard, where Citus refuses any further query on
/// its tables; the scope a policy reads comes from reference tables only,
/// whose copy on the same node Citus reads in the same transaction, so
/// the answer is the one the coordinator would give. Without Citus, `f`
/// runs as it is.
pub fn with_nested_reads<R>(client: &SpiClient<'_>, f: impl FnOnce() -> R) -> R {
    if !present() {
        return f();
    }
    // SAFETY: missing_ok = true returns NULL when the setting is not defined.
    let before = unsafe { pg_sys::GetConfigOption(NESTED.as_ptr(), true, false) };
    let before = (!before.is_null()).then(|| unsafe { CStr::from_ptr(before) }.to_string_lossy().into_owned());
    let set = |value: &str| {
        client
            .select(
                "SELECT pg_catalog.set_config($1, $2, true)",
                Some(1),
                &[NESTED.to_str().unwrap_or_default().into(), value.into()],
            )
            .unwrap_or_else(|e| errors::spi(e));
    };
    set("on");
    let out = f();
    set(before.as_deref().unwrap_or("off"));
    out
}
