//! A `DayRow` as the 34 columns of `attendance.day_result`: PostgreSQL
//! values and null flags, ready for a tuplestore or a composite datum.
//! Columns are only ever added at the end: a result type with fewer of them
//! (an older release's SQL, or the 0.1.0-shaped `_att_evaluate_days`) reads
//! the first ones and ignores the rest.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use pgrx::pg_sys::{self, Datum};
use pgrx::IntoDatum;

use crate::arena::Arena;
use crate::dates;
use crate::evaluate::DayRow;
use crate::load::{to_pg_ts, Placement};

pub const COLUMNS: usize = 34;

/// The fields of `attendance.day_shown`: what a day not over yet shows
/// (`crate::evaluate::Due`), the figures that differ from its figures once over.
pub const SHOWN: usize = 13;

/// The columns of one row, in `attendance.day_result` order. Its texts and
/// arrays may point into the arena it was built in, which it borrows: the
/// arena cannot be reset for the next row while these are in use.
pub struct Values<'a> {
    pub datums: [Datum; COLUMNS],
    pub nulls: [bool; COLUMNS],
    /// The fields of column 33 (`shown`), formed by `finish`.
    shown: Option<Shown>,
    arena: PhantomData<&'a mut Arena>,
}

struct Shown {
    datums: [Datum; SHOWN],
    nulls: [bool; SHOWN],
}

/// Setting a row's values by position: `Values`' columns, `Shown`'s fields.
trait Slots {
    fn slot(&mut self, i: usize) -> (&mut Datum, &mut bool);

    fn set<T: IntoDatum>(&mut self, i: usize, value: T) {
        if let Some(d) = value.into_datum() {
            self.set_datum(i, d);
        }
    }

    fn set_datum(&mut self, i: usize, datum: Datum) {
        let (d, null) = self.slot(i);
        (*d, *null) = (datum, false);
    }

    fn set_text(&mut self, i: usize, value: Option<&str>, arena: &mut Arena) {
        if let Some(s) = value {
            self.set_datum(i, arena.text(s));
        }
    }
}

impl Slots for Shown {
    fn slot(&mut self, i: usize) -> (&mut Datum, &mut bool) {
        (&mut self.datums[i], &mut self.nulls[i])
    }
}

impl Slots for Values<'_> {
    fn slot(&mut self, i: usize) -> (&mut Datum, &mut bool) {
        (&mut self.datums[i], &mut self.nulls[i])
    }
}

impl Values<'_> {
    fn new() -> Self {
        Values { datums: [Datum::from(0usize); COLUMNS], nulls: [true; COLUMNS], shown: None, arena: PhantomData }
    }

    /// Forms column 33 (`shown`) as a value of type `shown_desc`
    /// ([`shown_desc`]); a result type without it (an older release's)
    /// takes the first columns only.
    ///
    /// # Safety
    /// `shown_desc` must be a valid descriptor of `day_shown`.
    pub unsafe fn finish(&mut self, shown_desc: Option<pg_sys::TupleDesc>) {
        let (Some(shown), Some(own)) = (self.shown.as_mut(), shown_desc) else { return };
        let tuple = pg_sys::heap_form_tuple(own, shown.datums.as_mut_ptr(), shown.nulls.as_mut_ptr());
        self.datums[COLUMNS - 1] = pg_sys::HeapTupleHeaderGetDatum((*tuple).t_data);
        self.nulls[COLUMNS - 1] = false;
    }

    fn set_place(&mut self, place: &Placement) {
        self.set(19, place.org);
        self.set(20, place.company);
        self.set(21, place.period_start.map(dates::to_pg));
    }
}

/// The descriptor of column 33 (`shown`, type `day_shown`) of rows of
/// type `desc`, copied into the current memory context: looked up once a
/// call, not once a row. None for a result type without it (an older
/// release's).
///
/// # Safety
/// `desc` must be a valid descriptor of the row's type.
pub unsafe fn shown_desc(desc: pg_sys::TupleDesc) -> Option<pg_sys::TupleDesc> {
    let desc = pgrx::PgTupleDesc::from_pg_unchecked(desc);
    let attribute = desc.get(COLUMNS - 1)?;
    let own = pg_sys::lookup_rowtype_tupdesc_copy(attribute.atttypid, attribute.atttypmod);
    ((*own).natts as usize == SHOWN).then_some(own)
}

/// A one-dimensional array built in one step. pgrx's `Vec` conversion goes
/// through an array build state with a memory context of its own per array,
/// which was a tenth of a month's evaluation at three arrays a row.
pub(crate) fn array(elements: &mut [Datum], nulls: &mut [bool], element: (pg_sys::Oid, i16, bool, u8)) -> Datum {
    let (oid, len, by_value, align) = element;
    // SAFETY: the slices outlive the call, which copies them into a new
    // array in the current memory context.
    unsafe {
        let array = if elements.is_empty() {
            pg_sys::construct_empty_array(oid)
        } else {
            let mut dims = [elements.len() as i32];
            let mut lower = [1];
            pg_sys::construct_md_array(
                elements.as_mut_ptr(),
                nulls.as_mut_ptr(),
                1,
                dims.as_mut_ptr(),
                lower.as_mut_ptr(),
                oid,
                len.into(),
                by_value,
                align as std::ffi::c_char,
            )
        };
        Datum::from(array)
    }
}

/// The element type of the array an array-returning C function declares
/// (`name` returns `what[]`), or the error naming both.
pub(crate) unsafe fn returned_element(fcinfo: pg_sys::FunctionCallInfo, name: &str, what: &str) -> pg_sys::Oid {
    let element = pg_sys::get_element_type(pg_sys::get_fn_expr_rettype((*fcinfo).flinfo));
    if element == pg_sys::InvalidOid {
        crate::errors::raise(
            pgrx::PgSqlErrorCode::ERRCODE_DATATYPE_MISMATCH,
            &format!("{name} must return an array of {what}"),
        );
    }
    element
}

/// An array of composite values (rows) of type `element`.
pub(crate) unsafe fn rows_array(rows: &mut [Datum], element: pg_sys::Oid) -> Datum {
    let (mut len, mut byval, mut align) = (0i16, false, 0 as std::ffi::c_char);
    pg_sys::get_typlenbyvalalign(element, &mut len, &mut byval, &mut align);
    Datum::from(pg_sys::construct_array(rows.as_mut_ptr(), rows.len() as i32, element, len.into(), byval, align))
}

const TIMESTAMPTZ: (pg_sys::Oid, i16, bool, u8) = (pg_sys::TIMESTAMPTZOID, 8, true, pg_sys::TYPALIGN_DOUBLE);
pub(crate) const TEXT: (pg_sys::Oid, i16, bool, u8) = (pg_sys::TEXTOID, -1, false, pg_sys::TYPALIGN_INT);

/// A `timestamptz[]` of the punches, NULL where one is missing (built in
/// the arena unless one is).
fn instants(punches: impl Iterator<Item = Option<DateTime<Utc>>> + Clone, arena: &mut Arena) -> Datum {
    let mut words: [i64; 8] = [0; 8];
    let mut n = 0;
    for at in punches.clone() {
        match at.map(to_pg_ts).and_then(IntoDatum::into_datum) {
            Some(d) if n < words.len() => {
                words[n] = d.value() as i64;
                n += 1;
            }
            _ => return instants_in_context(punches),
        }
    }
    arena.array_of_words(pg_sys::TIMESTAMPTZOID, &words[..n])
}

fn instants_in_context(punches: impl Iterator<Item = Option<DateTime<Utc>>>) -> Datum {
    let (mut elements, mut nulls): (Vec<Datum>, Vec<bool>) = punches
        .map(|at| match at.map(to_pg_ts).and_then(IntoDatum::into_datum) {
            Some(d) => (d, false),
            None => (Datum::from(0usize), true),
        })
        .unzip();
    array(&mut elements, &mut nulls, TIMESTAMPTZ)
}

/// A `text[]` without NULLs.
fn texts<'a>(items: impl ExactSizeIterator<Item = &'a str>, arena: &mut Arena) -> Datum {
    if items.len() == 0 {
        return arena.array_of_words(pg_sys::TEXTOID, &[]);
    }
    let mut elements: Vec<Datum> = items.filter_map(IntoDatum::into_datum).collect();
    let mut nulls = vec![false; elements.len()];
    array(&mut elements, &mut nulls, TEXT)
}

/// The fields of `day_shown` of a day as it shows before it falls due.
fn shown(r: &attendance_rules::DayResult, places: &[Option<String>; 2], arena: &mut Arena) -> Shown {
    let mut s = Shown { datums: [Datum::from(0usize); SHOWN], nulls: [true; SHOWN] };
    s.set_text(0, Some(r.status.as_str()), arena);
    s.set_datum(1, instants(r.periods.iter().map(|p| p.check_in.map(|c| c.at)), arena));
    s.set_datum(2, instants(r.periods.iter().map(|p| p.check_out.map(|c| c.at)), arena));
    s.set(3, r.late_minutes);
    s.set(4, r.early_minutes);
    s.set(5, r.absent_minutes);
    s.set(6, r.work_minutes);
    s.set(7, r.overtime_minutes);
    s.set_text(8, r.overtime_category.map(|c| c.as_str()), arena);
    s.set_datum(9, texts(r.reasons.iter().map(String::as_str), arena));
    s.set_text(10, places[0].as_deref(), arena);
    s.set_text(11, places[1].as_deref(), arena);
    s.set(12, r.attended_minutes);
    s
}

/// Converts a row; the values are written into `arena` (reset first) or,
/// past it, allocated in the current memory context.
pub fn values<'a>(row: &DayRow, arena: &'a mut Arena) -> Values<'a> {
    values_of(row, arena, ALL)
}

/// Every column, as a set of columns for [`values_of`].
pub const ALL: u64 = (1 << COLUMNS) - 1;

/// Converts the columns of a row in `wanted` (bit i: column i), leaving
/// the others NULL: a query that reads a few columns does not pay for the
/// texts and arrays of the others.
pub fn values_of<'a>(row: &DayRow, arena: &'a mut Arena, wanted: u64) -> Values<'a> {
    arena.reset();
    let mut v = Values::new();
    let want = |i: usize| wanted & (1 << i) != 0;
    match row {
        DayRow::Judged { employee, rule_id, result: r, excused, place, zone, places, due } => {
            v.set(0, *employee);
            v.set(1, dates::to_pg(r.date));
            v.set(2, *rule_id);
            if want(3) {
                v.set_text(3, Some(&*r.rule), arena);
            }
            if want(4) {
                v.set_text(4, r.shift.as_deref(), arena);
            }
            if want(5) {
                v.set_text(5, Some(r.kind.as_str()), arena);
            }
            if want(6) {
                v.set_text(6, Some(r.status.as_str()), arena);
            }
            if want(7) {
                v.set_datum(7, instants(r.periods.iter().map(|p| p.check_in.map(|c| c.at)), arena));
            }
            if want(8) {
                v.set_datum(8, instants(r.periods.iter().map(|p| p.check_out.map(|c| c.at)), arena));
            }
            v.set(9, r.scheduled_minutes);
            v.set(10, r.late_minutes);
            v.set(11, r.early_minutes);
            v.set(12, r.absent_minutes);
            v.set(13, r.work_minutes);
            v.set(14, r.overtime_minutes);
            if want(15) {
                v.set_text(15, r.overtime_category.map(|c| c.as_str()), arena);
            }
            v.set(16, r.outside_punches.len() as i32);
            v.set(17, excused.leave);
            if want(18) {
                v.set_datum(18, texts(r.reasons.iter().map(String::as_str), arena));
            }
            v.set_place(place);
            if want(22) {
                v.set_text(22, Some(zone), arena);
            }
            v.set(23, r.periods.first().map(|p| to_pg_ts(p.start)));
            v.set(24, r.periods.last().map(|p| to_pg_ts(p.end)));
            if want(25) {
                v.set_text(25, excused.leave_type.as_deref(), arena);
            }
            v.set(26, excused.trip);
            v.set(27, excused.outing);
            v.set(28, excused.appeal);
            if want(29) {
                v.set_text(29, places[0].as_deref(), arena);
            }
            if want(30) {
                v.set_text(30, places[1].as_deref(), arena);
            }
            v.set(31, r.attended_minutes);
            if let Some(due) = due {
                v.set(32, to_pg_ts(due.at));
                if want(COLUMNS - 1) {
                    v.shown = Some(shown(&due.shown, &due.places, arena));
                }
            }
        }
        DayRow::NoRule { employee, day, .. } | DayRow::NotEmployed { employee, day } => {
            let not_employed = matches!(row, DayRow::NotEmployed { .. });
            if let DayRow::NoRule { place, .. } = row {
                v.set_place(place);
            }
            for minutes in [26, 27, 28, 31] {
                v.set(minutes, 0i32);
            }
            v.set(0, *employee);
            v.set(1, dates::to_pg(*day));
            v.set_text(6, Some(if not_employed { "not_employed" } else { "no_rule" }), arena);
            v.set_datum(7, instants(std::iter::empty(), arena));
            v.set_datum(8, instants(std::iter::empty(), arena));
            for minutes in 9..=14 {
                v.set(minutes, 0i32);
            }
            v.set(16, 0i32);
            v.set(17, 0i32);
            if !want(18) {
                return v;
            }
            let reason = if not_employed {
                format!("employee {employee} has no primary membership on {day}: not employed, not a workday")
            } else {
                format!("no attendance rule applies to employee {employee} on {day}")
            };
            v.set_datum(18, texts(std::iter::once(reason.as_str()), arena));
        }
    }
    v
}
