//! The contents of a varlena value: read in place when it is stored inline
//! and uncompressed, as the short texts of a stored day and a rule's
//! configuration are, and detoasted by PostgreSQL only otherwise. A call
//! into the backend per value, each behind pgrx's error guard, cost more
//! than comparing the value (a punch's refresh compares two dozen days).

use pgrx::pg_sys::{self, Datum};
use pgrx::varlena::{varatt_is_1b, varatt_is_1b_e, varatt_is_4b_u, vardata_any, varsize_any_exhdr};

/// The bytes of a varlena datum without its header.
///
/// # Safety
/// `datum` is a non-null varlena value that outlives the returned slice
/// (a detoasted copy lives in the current memory context).
pub unsafe fn contents<'a>(datum: Datum) -> &'a [u8] {
    let raw = datum.cast_mut_ptr::<pg_sys::varlena>();
    let in_place = varatt_is_4b_u(raw) || (varatt_is_1b(raw) && !varatt_is_1b_e(raw));
    let value = if in_place { raw } else { pg_sys::pg_detoast_datum_packed(raw) };
    std::slice::from_raw_parts(vardata_any(value) as *const u8, varsize_any_exhdr(value))
}
