//! Memory for the varlena values of one result row (its texts and small
//! arrays), written in Rust rather than palloc'd one by one: each palloc
//! through pgrx's FFI guard costs a `sigsetjmp`, and a day's row has about
//! ten such values, a tenth of the row's cost. The values are copied into
//! the tuple that is formed from them, so the memory is reused row after row.
//!
//! The arena never grows while values point into it: a value that does not
//! fit is palloc'd instead (a very long reason), in the caller's context.

use pgrx::pg_sys::{self, Datum};
use pgrx::varlena::{set_varsize_1b, set_varsize_4b};

/// Words of the arena: 4 KiB, far more than a day's row needs.
const WORDS: usize = 512;

/// The largest total size of a varlena with a one-byte header.
const SHORT_MAX: usize = 0x7f;

pub struct Arena {
    words: Box<[u64; WORDS]>,
    used: usize,
}

impl Default for Arena {
    fn default() -> Self {
        Arena { words: Box::new([0; WORDS]), used: 0 }
    }
}

impl Arena {
    /// Forgets every value: the caller's `&mut` proves none is still in use
    /// (`rows::Values` borrows the arena it was built in).
    pub fn reset(&mut self) {
        self.used = 0;
    }

    /// `bytes` of 8-aligned memory, or None when the arena is full.
    fn take(&mut self, bytes: usize) -> Option<*mut u8> {
        let words = bytes.div_ceil(8);
        if self.used + words > WORDS {
            return None;
        }
        let at = self.words[self.used..].as_mut_ptr() as *mut u8;
        self.used += words;
        Some(at)
    }

    /// `bytes` from the arena or, when full, from palloc (zeroed either way,
    /// so padding bytes compare equal in `stored`'s images).
    fn alloc(&mut self, bytes: usize) -> *mut u8 {
        match self.take(bytes) {
            Some(at) => {
                // SAFETY: `take` returned `bytes` writable bytes.
                unsafe { std::ptr::write_bytes(at, 0, bytes) };
                at
            }
            // SAFETY: palloc0 raises an error rather than returning null.
            None => unsafe { pg_sys::palloc0(bytes) as *mut u8 },
        }
    }

    /// A `text` value, with a one-byte header when it is short enough, as
    /// PostgreSQL stores short values in a tuple.
    pub fn text(&mut self, s: &str) -> Datum {
        let bytes = s.as_bytes();
        let short = 1 + bytes.len() <= SHORT_MAX;
        let header = if short { 1 } else { pg_sys::VARHDRSZ };
        let total = header + bytes.len();
        let at = self.alloc(total);
        // SAFETY: `at` holds `total` bytes, aligned for a four-byte header.
        unsafe {
            if short {
                set_varsize_1b(at as *mut pg_sys::varlena, total as i32);
            } else {
                set_varsize_4b(at as *mut pg_sys::varlena, total as i32);
            }
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), at.add(header), bytes.len());
        }
        Datum::from(at)
    }

    /// A one-dimensional array without NULLs of an 8-byte, by-value element
    /// type (timestamptz), or the empty array of `element` when there are none.
    pub fn array_of_words(&mut self, element: pg_sys::Oid, items: &[i64]) -> Datum {
        let head = std::mem::size_of::<pg_sys::ArrayType>();
        // dimensions and lower bounds, then the data MAXALIGNed
        let data = if items.is_empty() { head } else { (head + 8).div_ceil(8) * 8 };
        let total = data + 8 * items.len();
        let at = self.alloc(total);
        // SAFETY: `at` holds `total` zeroed bytes, 8-aligned; the layout is
        // ArrayType's (ARR_DIMS, ARR_LBOUND, ARR_DATA_PTR without a null bitmap).
        unsafe {
            let array = at as *mut pg_sys::ArrayType;
            set_varsize_4b(at as *mut pg_sys::varlena, total as i32);
            (*array).ndim = if items.is_empty() { 0 } else { 1 };
            (*array).dataoffset = 0;
            (*array).elemtype = element;
            if !items.is_empty() {
                let dims = at.add(head) as *mut i32;
                *dims = items.len() as i32;
                *dims.add(1) = 1;
                std::ptr::copy_nonoverlapping(items.as_ptr(), at.add(data) as *mut i64, items.len());
            }
        }
        Datum::from(at)
    }
}
