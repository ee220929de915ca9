//! Who is asking, for the extension's own triggers: answered by the backend
//! rather than by a query of `pg_roles` (a view over two catalogs), since a
//! trigger on punch asks once per punch.

use pgrx::prelude::*;

finfo_v1!(pg_finfo_att_current_user_is_superuser);

/// `_att_current_user_is_superuser()`: whether the role the statement runs
/// as (`current_user`: the login, or the owner inside a definer function)
/// is a superuser.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_current_user_is_superuser(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    pg_sys::Datum::from(pg_sys::superuser())
}
