//! The days already in `day_record`, kept as byte images of their figures,
//! so that a refresh hands on only the days whose figures changed. The
//! stored rows of a batch are read with one probe per employee (a probe per
//! employee-day, as a join to the evaluation would make, costs a descent of
//! the index each), and an unchanged day is neither returned nor rewritten.
//!
//! Equal images mean equal values for these column types (integers, dates,
//! timestamps, text and their arrays under deterministic collations), so a
//! day is never skipped wrongly; a value written in another binary form
//! only costs a rewrite, which the upsert's own comparison then skips.

use crate::ids::IdMap;

use pgrx::pg_sys::{self, Datum};
use pgrx::prelude::*;
use pgrx::spi::SpiClient;
use pgrx::PgTupleDesc;

use crate::plans::each_tuple;
use crate::probe::{Kind, Probe, Within};
use crate::rows::COLUMNS;

const DATEOID: PgBuiltInOids = PgBuiltInOids::DATEOID;
const INT8ARRAYOID: PgBuiltInOids = PgBuiltInOids::INT8ARRAYOID;

/// The columns after the key (employee, day): what the refresh compares.
const FIGURES: std::ops::Range<usize> = 2..COLUMNS;

// The columns of day_result, in its order, as day_record stores them.
macro_rules! stored_columns {
    () => {
        "
SELECT d.employee_id, d.day, d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out,
       d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes,
       d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start,
       d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes,
       d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes, d.due_at, d.shown"
    };
}
const STORED: &str = concat!(
    stored_columns!(),
    "
  FROM unnest($1::int8[]) AS e(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.day_record d
                      WHERE d.employee_id = e.id AND d.day >= $2 AND d.day <= $3 OFFSET 0) d"
);
// On Citus the employees are named in the query itself, so that it is
// routed to their shards (see load.rs).
const STORED_CITUS: &str = concat!(
    stored_columns!(),
    "
  FROM attendance.day_record d WHERE d.employee_id = ANY ($1) AND d.day >= $2 AND d.day <= $3"
);

/// How each column is laid out: `attlen` and `attbyval` of `day_result`.
type Layout = Vec<(i16, bool)>;

/// The stored days of a batch, by employee and day (PostgreSQL's date number).
pub struct Stored {
    images: IdMap<(i64, i32), Vec<u8>>,
    layout: Layout,
    scratch: Vec<u8>,
}

impl Stored {
    /// Reads the stored days of `employees` from `first` to `last`. `desc` is
    /// the result's descriptor (`day_result`), whose layout both sides use.
    ///
    /// # Safety
    /// `desc` must be a valid tuple descriptor of `day_result`.
    pub unsafe fn load(
        _client: &SpiClient<'_>,
        desc: pg_sys::TupleDesc,
        employees: &[i64],
        first: pgrx::datum::Date,
        last: pgrx::datum::Date,
    ) -> Stored {
        let layout = layout(desc);
        let now = crate::clock::micros(crate::clock::now(_client));
        let mut images = IdMap::default();
        if layout.len() < COLUMNS {
            // an older release's result type: nothing compared, every day handed on
            return Stored { images, layout, scratch: Vec::new() };
        }
        if let Some(images) = read_directly(desc, employees, first, last, &layout, now) {
            return Stored { images, layout, scratch: Vec::new() };
        }
        let sql = if crate::citus::present() { STORED_CITUS } else { STORED };
        let args: [pgrx::datum::DatumWithOid<'_>; 3] = [employees.to_vec().into(), first.into(), last.into()];
        let wanted = PgTupleDesc::from_pg_unchecked(desc);
        let types = |d: &PgTupleDesc| (0..COLUMNS).map(|i| d.get(i).map(|a| a.atttypid)).collect::<Vec<_>>();
        let mut same_types = None;
        let mut datums = [Datum::from(0usize); COLUMNS];
        let mut nulls = [true; COLUMNS];
        each_tuple(sql, &[INT8ARRAYOID, DATEOID, DATEOID], &args, |read, tuple| {
            // the same types as the result's, or nothing is compared
            let same = *same_types.get_or_insert_with(|| {
                let read = PgTupleDesc::from_pg_unchecked(read);
                read.len() == COLUMNS && types(&read) == types(&wanted)
            });
            if !same {
                return;
            }
            // each tuple deformed once: fetching its 32 columns one by one
            // walks the varlena columns before each again
            pg_sys::heap_deform_tuple(tuple, read, datums.as_mut_ptr(), nulls.as_mut_ptr());
            if nulls[0] || nulls[1] {
                return;
            }
            fallen_due(&mut nulls, &datums, now);
            let mut image = Vec::new();
            encode(&mut image, &layout, &datums, &nulls);
            images.insert(key(&datums), image);
        });
        Stored { images, layout, scratch: Vec::new() }
    }

    /// Is the row, as the result's values, the day already stored?
    ///
    /// # Safety
    /// The datums must be valid values of `day_result`'s columns.
    pub unsafe fn holds(&mut self, datums: &[Datum; COLUMNS], nulls: &[bool; COLUMNS]) -> bool {
        if self.layout.len() < COLUMNS || nulls[0] || nulls[1] {
            return false;
        }
        let Some(image) = self.images.get(&key(datums)) else { return false };
        self.scratch.clear();
        encode(&mut self.scratch, &self.layout, datums, nulls);
        *image == self.scratch
    }
}

/// The stored days of a batch read through day_record's primary key
/// (see `probe`), with `day_result`'s columns by name and type; None when
/// they must be read by SQL.
unsafe fn read_directly(
    desc: pg_sys::TupleDesc,
    employees: &[i64],
    first: pgrx::datum::Date,
    last: pgrx::datum::Date,
    layout: &Layout,
    now: i64,
) -> Option<IdMap<(i64, i32), Vec<u8>>> {
    let wanted = PgTupleDesc::from_pg_unchecked(desc);
    let names: Vec<(std::ffi::CString, Kind)> = (0..COLUMNS)
        .map(|i| wanted.get(i).map(|a| (std::ffi::CString::new(a.name()).ok(), Kind::Exactly(a.atttypid))))
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .map(|(name, kind)| name.map(|n| (n, kind)))
        .collect::<Option<Vec<_>>>()?;
    let columns: Vec<(&std::ffi::CStr, Kind)> = names.iter().map(|(n, k)| (n.as_c_str(), *k)).collect();
    let mut probe = Probe::open(c"day_record", c"day_record_pkey", c"employee_id", &columns)?;
    let mut images = IdMap::default();
    let mut datums = [Datum::from(0usize); COLUMNS];
    let mut nulls = [true; COLUMNS];
    for &employee in employees {
        probe.rows(employee, Some(Within::Dates(first, last)), |row| {
            let (values, flags) = row.values();
            datums.copy_from_slice(values);
            nulls.copy_from_slice(flags);
            if nulls[0] || nulls[1] {
                return;
            }
            fallen_due(&mut nulls, &datums, now);
            let mut image = Vec::new();
            encode(&mut image, layout, &datums, &nulls);
            images.insert(key(&datums), image);
        });
    }
    Some(images)
}

/// A day stored with the instant it falls due, compared once that instant
/// has passed: its figures hold, as a fresh evaluation gives them (without
/// due_at and shown), so it is the same day and is not written again (nor
/// its approval withdrawn).
fn fallen_due(nulls: &mut [bool; COLUMNS], datums: &[Datum; COLUMNS], now: i64) {
    const DUE: usize = COLUMNS - 2;
    if !nulls[DUE] && datums[DUE].value() as i64 <= now {
        (nulls[DUE], nulls[DUE + 1]) = (true, true);
    }
}

fn key(datums: &[Datum; COLUMNS]) -> (i64, i32) {
    (datums[0].value() as i64, datums[1].value() as i32)
}

unsafe fn layout(desc: pg_sys::TupleDesc) -> Layout {
    let desc = PgTupleDesc::from_pg_unchecked(desc);
    (0..desc.len()).filter_map(|i| desc.get(i)).map(|a| (a.attlen, a.attbyval)).collect()
}

/// Appends the figures' image: per column a null flag, then the value's
/// bytes (by-value types at their length; varlena without its header,
/// detoasted, so a short stored header equals a long built one).
unsafe fn encode(out: &mut Vec<u8>, layout: &Layout, datums: &[Datum; COLUMNS], nulls: &[bool; COLUMNS]) {
    for c in FIGURES {
        if nulls[c] {
            out.push(0);
            continue;
        }
        out.push(1);
        let raw = datums[c].value();
        match layout[c] {
            (1, true) => out.push(raw as u8),
            (2, true) => out.extend_from_slice(&(raw as u16).to_ne_bytes()),
            (4, true) => out.extend_from_slice(&(raw as u32).to_ne_bytes()),
            (_, true) => out.extend_from_slice(&(raw as u64).to_ne_bytes()),
            (-1, false) => {
                let bytes = crate::varlena::contents(datums[c]);
                out.extend_from_slice(&(bytes.len() as u64).to_ne_bytes());
                out.extend_from_slice(bytes);
            }
            (len, false) if len > 0 => {
                out.extend_from_slice(std::slice::from_raw_parts(datums[c].cast_mut_ptr::<u8>(), len as usize))
            }
            _ => {
                let s = std::ffi::CStr::from_ptr(datums[c].cast_mut_ptr());
                out.extend_from_slice(s.to_bytes_with_nul());
            }
        }
    }
}
