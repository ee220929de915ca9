//! `attendance`: the PostgreSQL adapter. It loads rows with SPI and calls the
//! pure crates (`attendance-scope`, `attendance-rules`), which decide.
//! The extension's tables, types and SQL-level functions live in `sql/`.

use pgrx::prelude::*;

/// The version-1 call records of the functions written against fcinfo
/// directly (set-returning calls and C triggers), which pgrx does not wrap.
macro_rules! finfo_v1 {
    ($($finfo:ident),*) => {$(
        #[no_mangle]
        #[doc(hidden)]
        pub extern "C" fn $finfo() -> &'static pgrx::pg_sys::Pg_finfo_record {
            const V1: pgrx::pg_sys::Pg_finfo_record = pgrx::pg_sys::Pg_finfo_record { api_version: 1 };
            &V1
        }
    )*};
}

mod access;
mod ahead;
mod arena;
mod calls;
mod citus;
mod clock;
mod dates;
mod direct;
mod errors;
mod evaluate;
mod ids;
mod integrity;
mod kept_scope;
mod load;
mod locks;
mod own_change;
mod period_sums;
mod plans;
mod probe;
mod refresh_trigger;
mod release;
mod roles;
mod rows;
mod rules;
mod scan;
mod scope;
mod scope_estimate;
mod stored;
mod summary;
mod transition;
mod varlena;

pgrx::pg_module_magic!();

extension_sql_file!("../sql/schema.sql", name = "schema", bootstrap);
extension_sql_file!("../sql/clock.sql", name = "clock", requires = ["schema", clock::att_clock]);
extension_sql_file!("../sql/tree.sql", name = "tree", requires = ["schema", "clock"]);
extension_sql_file!("../sql/rules.sql", name = "rules", requires = ["schema"]);
extension_sql_file!(
    "../sql/evaluate.sql",
    name = "evaluate",
    requires = ["rules", rules::att_rule_for, rules::att_check_schedule, rules::att_local_day]
);
extension_sql_file!(
    "../sql/scope.sql",
    name = "scope",
    requires = [
        "schema",
        "clock",
        "tree",
        scope::att_can_access_label,
        scope::att_has_permission_text,
        scope::att_scope_runs,
        scope::att_closing_period_for,
        scope::att_close_period,
        scope::att_reopen_period
    ]
);
extension_sql_file!(
    "../sql/access.sql",
    name = "access",
    requires = [
        "schema",
        access::att_current_employee,
        access::att_can_view,
        access::att_view_scope,
        access::att_view_scope_value
    ]
);
extension_sql_file!("../sql/scope_version.sql", name = "scope_version", requires = ["schema", "tree"]);
extension_sql_file!("../sql/results.sql", name = "results", requires = ["access", "evaluate", "scope"]);
extension_sql_file!("../sql/closed_pending.sql", name = "closed_pending", requires = ["results"]);
extension_sql_file!("../sql/refresh.sql", name = "refresh", requires = ["results", "closed_pending"]);
extension_sql_file!(
    "../sql/day_employees.sql",
    name = "day_employees",
    requires = ["results", integrity::employee_with_days]
);
extension_sql_file!("../sql/corrections.sql", name = "corrections", requires = ["refresh"]);
extension_sql_file!("../sql/finalize.sql", name = "finalize", requires = ["refresh"]);
extension_sql_file!("../sql/sync.sql", name = "sync", requires = ["corrections", "finalize"]);
extension_sql_file!("../sql/summary.sql", name = "summary", requires = ["results"]);
extension_sql_file!(
    "../sql/reporting.sql",
    name = "reporting",
    requires = ["corrections", "finalize", "sync", "summary", access::att_visible_org_ids]
);
extension_sql_file!("../sql/overtime.sql", name = "overtime", requires = ["reporting"]);
// Before workflow.sql (which runs last): its tables are registered for pg_dump there.
extension_sql_file!("../sql/citus.sql", name = "citus", requires = ["reporting", "overtime"]);
extension_sql_file!("../sql/workflow.sql", name = "workflow", finalize);
