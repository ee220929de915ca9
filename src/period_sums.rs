//! `_att_period_sums(employees bigint[], periods date[]) RETURNS SETOF
//! period_record`: the sums of the (employee, period start) pairs given,
//! from their stored days (sql/summary.sql). The same rows as the SQL
//! aggregate `_att_period_rows`, which the tests hold this to; summed in
//! Rust (`attendance_rules::summary`) because the SQL form spent most of
//! a refresh's period upkeep comparing text (a day's code and a dozen
//! FILTER conditions per stored day).

use std::cell::RefCell;

use attendance_rules::summary::{code_named, period_end, PeriodChange, PeriodSums, Shown, ShownDay, StoredDay, COUNTS};
use pgrx::datum::Date;
use pgrx::fcinfo::pg_getarg;
use pgrx::pg_sys::{self, Datum, FunctionCallInfo};
use pgrx::prelude::*;
use pgrx::{Array, FromDatum, IntoDatum, PgMemoryContexts};

use crate::dates;
use crate::ids::IdMap;
use crate::plans;
use crate::probe::{Key, Kind, Probe, Within};
use crate::rows::{array, TEXT};

finfo_v1!(pg_finfo_att_period_sums);

/// The stored days of some (employee, period start) pairs: per pair through
/// `day_record_period_idx` (read with sequential scans off, so a plan kept
/// from a nearly empty table still reads the index).
const PERIOD_DAYS: &str = "
SELECT k.e, k.p, d.day - k.p + 1, d.org_id, d.company_id, d.day_kind, d.status, d.scheduled_minutes,
       d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes,
       d.overtime_category, d.leave_minutes, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.due_at, d.shown
  FROM (SELECT DISTINCT u.e, u.p FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.date[])) AS u(e, p)) k
  JOIN attendance.day_record d ON d.period_start OPERATOR(pg_catalog.=) k.p AND d.employee_id OPERATOR(pg_catalog.=) k.e";
const COLUMNS: usize = 20;
/// `PERIOD_DAYS` under the SQL of a release before 0.25.0 (no due_at, shown).
const PERIOD_DAYS_BEFORE_DUE: &str = "
SELECT k.e, k.p, d.day - k.p + 1, d.org_id, d.company_id, d.day_kind, d.status, d.scheduled_minutes,
       d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes,
       d.overtime_category, d.leave_minutes, d.trip_minutes, d.outing_minutes, d.appeal_minutes, NULL::pg_catalog.timestamptz, NULL
  FROM (SELECT DISTINCT u.e, u.p FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.date[])) AS u(e, p)) k
  JOIN attendance.day_record d ON d.period_start OPERATOR(pg_catalog.=) k.p AND d.employee_id OPERATOR(pg_catalog.=) k.e";

/// The closing days of the companies of the periods' last days.
const CLOSING_DAYS: &str = "
SELECT o.org_id, o.closing_day::pg_catalog.int4 FROM attendance.org o
 WHERE o.org_id OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.int8[])";

/// Pairs summed per query: the days of a whole company's refresh are read
/// a slice at a time, not all into memory at once.
const CHUNK: usize = 1024;

/// The columns of `period_record`, in order.
const OUT: usize = 39;

/// Where `period_record`'s columns of its days not over yet begin:
/// shown_due, shown_day, shown_delta, shown_code (after day_codes).
const SHOWN_AT: usize = 35;

unsafe fn text<'a>(d: Datum) -> &'a str {
    std::str::from_utf8(crate::varlena::contents(d)).unwrap_or("")
}

/// The columns of a stored day the sums read, after the pair and the
/// day's offset in the period: as `PERIOD_DAYS` selects them from 3 on,
/// the day last. The period trigger (summary.rs) compares these before and
/// after an update to know whether a period needs summing again.
pub const DAY_COLUMNS: [(&std::ffi::CStr, Kind); 18] = {
    const INT4: Kind = Kind::Exactly(pg_sys::INT4OID);
    [
        (c"org_id", Kind::Int8),
        (c"company_id", Kind::Int8),
        (c"day_kind", Kind::Text),
        (c"status", Kind::Text),
        (c"scheduled_minutes", INT4),
        (c"late_minutes", INT4),
        (c"early_minutes", INT4),
        (c"absent_minutes", INT4),
        (c"work_minutes", INT4),
        (c"overtime_minutes", INT4),
        (c"overtime_category", Kind::Text),
        (c"leave_minutes", INT4),
        (c"trip_minutes", INT4),
        (c"outing_minutes", INT4),
        (c"appeal_minutes", INT4),
        (c"due_at", Kind::Timestamptz),
        (c"shown", Kind::Composite),
        (c"day", Kind::Date),
    ]
};

/// One stored day from the values of `PERIOD_DAYS`' columns 3 on (the
/// day's offset first, then `DAY_COLUMNS` but the day).
///
/// # Safety
/// The values are of those columns' types and live while the day is used.
pub unsafe fn stored_day<'a>(offset: i32, v: &[Datum], null: &[bool]) -> StoredDay<'a> {
    let int = |i: usize| if null[i] { 0 } else { v[i].value() as i32 };
    let id = |i: usize| (!null[i]).then(|| v[i].value() as i64);
    let opt_text = |i: usize| (!null[i]).then(|| text(v[i]));
    StoredDay {
        offset,
        org: id(0),
        company: id(1),
        day_kind: opt_text(2),
        status: opt_text(3).unwrap_or(""),
        scheduled_minutes: int(4),
        late_minutes: int(5),
        early_minutes: int(6),
        absent_minutes: int(7),
        work_minutes: int(8),
        overtime_minutes: int(9),
        overtime_category: opt_text(10),
        leave_minutes: int(11),
        trip_minutes: int(12),
        outing_minutes: int(13),
        appeal_minutes: int(14),
        shown: if null[15] || null[16] { None } else { shown(v[15].value() as i64, v[16]) },
    }
}

/// What a day not over yet shows (its `day_shown` value) until `due`.
///
/// # Safety
/// `value` is a `day_shown` value that lives while the result is used.
unsafe fn shown<'a>(due: i64, value: Datum) -> Option<Shown<'a>> {
    let tuple = pg_sys::pg_detoast_datum(value.cast_mut_ptr()) as pg_sys::HeapTupleHeader;
    let field = |name: &std::ffi::CStr| {
        let mut null = false;
        let d = pg_sys::GetAttributeByName(tuple, name.as_ptr(), &mut null);
        (!null).then_some(d)
    };
    let int = |name| field(name).map_or(0, |d| d.value() as i32);
    Some(Shown {
        due,
        status: text(field(c"status")?),
        late_minutes: int(c"late_minutes"),
        early_minutes: int(c"early_minutes"),
        absent_minutes: int(c"absent_minutes"),
        work_minutes: int(c"work_minutes"),
        overtime_minutes: int(c"overtime_minutes"),
        overtime_category: field(c"overtime_category").map(|d| text(d)),
    })
}

/// The sums of the pairs in `chunk`, keyed by pair: read through
/// `day_record_period_idx` directly where the SQL read would read the
/// table whole (a punch's period upkeep: a query's executor start and
/// SPI's rows cost more than summing its thirty days), else by SQL.
fn sums(chunk: &[(i64, i32)]) -> IdMap<(i64, i32), PeriodSums> {
    let mut out: IdMap<(i64, i32), PeriodSums> = IdMap::default();
    // under an older release's SQL, without the columns of days not over yet
    let due = crate::probe::has_column(c"day_record", c"due_at");
    let mut before_due = DAY_COLUMNS;
    before_due[15] = (c"appeal_minutes", Kind::Exactly(pg_sys::INT4OID));
    before_due[16] = (c"appeal_minutes", Kind::Exactly(pg_sys::INT4OID));
    if let Some(mut probe) = Probe::open_keyed(
        c"day_record",
        c"day_record_period_idx",
        (c"period_start", Kind::Date),
        if due { &DAY_COLUMNS } else { &before_due },
    ) {
        for &(employee, start) in chunk {
            let period = Date::saturating_from_raw(start);
            probe.rows_at(Key::Day(period), Some(Within::Id(employee)), |row| {
                let (v, null) = row.values();
                let Some(day) = row.get::<Date>(DAY_COLUMNS.len() - 1) else { return };
                let mut null = <[bool; DAY_COLUMNS.len()]>::try_from(null).unwrap_or([true; DAY_COLUMNS.len()]);
                if !due {
                    // the stand-ins read for due_at and shown
                    (null[15], null[16]) = (true, true);
                }
                // SAFETY: the probe's values, of the checked column types,
                // read while the row lives.
                let day = unsafe { stored_day(day.to_pg_epoch_days() - start + 1, v, &null) };
                out.entry((employee, start)).or_default().add(&day);
            });
        }
        return out;
    }
    let employees: Vec<i64> = chunk.iter().map(|p| p.0).collect();
    let periods: Vec<Date> = chunk.iter().map(|p| Date::saturating_from_raw(p.1)).collect();
    Spi::connect(|_| {
        plans::probing(|| {
            plans::each_tuple(
                if due { PERIOD_DAYS } else { PERIOD_DAYS_BEFORE_DUE },
                &[PgBuiltInOids::INT8ARRAYOID, PgBuiltInOids::DATEARRAYOID],
                &[employees.into(), periods.into()],
                |desc, tuple| {
                    let mut v = [Datum::from(0usize); COLUMNS];
                    let mut null = [false; COLUMNS];
                    // SAFETY: the tuple and its descriptor are the query's; the
                    // columns are the query's, by position; text values are read
                    // while the tuple lives.
                    unsafe {
                        pg_sys::heap_deform_tuple(tuple, desc, v.as_mut_ptr(), null.as_mut_ptr());
                        let offset = if null[2] { 0 } else { v[2].value() as i32 };
                        let day = stored_day(offset, &v[3..], &null[3..]);
                        out.entry((v[0].value() as i64, v[1].value() as i32)).or_default().add(&day);
                    }
                },
            )
        })
    });
    out
}

/// Stored days replaced in place by the statement being kept, by pair
/// (see `offer_changes`).
type Changes = IdMap<(i64, i32), PeriodChange>;

thread_local! {
    static CHANGES: RefCell<Option<Changes>> = const { RefCell::new(None) };
}

/// While the guard lives, `_att_period_sums_array` takes `changes` for
/// the pairs in it: the period trigger (summary.rs) offers what its
/// statement changed in place and then calls `_att_period_keep`, whose
/// query, not the trigger, has the snapshot that sees the periods as
/// earlier statements and triggers left them. The first call takes them;
/// a pair it cannot keep by difference is summed from its days.
pub fn offer_changes(changes: Changes) -> impl Drop {
    struct Offered;
    impl Drop for Offered {
        fn drop(&mut self) {
            CHANGES.with(|c| c.borrow_mut().take());
        }
    }
    CHANGES.with(|c| *c.borrow_mut() = Some(changes));
    Offered
}

/// The columns of `period_record` a stored period is read back from:
/// the last day's place, the counts (`PeriodSums::counts`), the codes.
const STORED: [(&std::ffi::CStr, Kind); 7 + COUNTS] = {
    let mut columns = [(c"org_id", Kind::Int8); 7 + COUNTS];
    columns[1] = (c"company_id", Kind::Int8);
    let names = [
        c"stored_days",
        c"workdays",
        c"days_attended",
        c"late_count",
        c"late_minutes",
        c"early_count",
        c"early_minutes",
        c"absence_count",
        c"absence_minutes",
        c"missing_punches",
        c"work_minutes",
        c"overtime_workday_minutes",
        c"overtime_rest_day_minutes",
        c"overtime_holiday_minutes",
        c"leave_minutes",
        c"trip_minutes",
        c"outing_minutes",
        c"appeal_minutes",
        c"full_leave_days",
        c"half_day_days",
        c"half_day_leaves",
        c"present_days",
        c"absent_days",
        c"on_duty_days",
        c"missing_punch_days",
        c"holidays",
        c"rest_days",
        c"pending_days",
        c"unjudged_days",
    ];
    let mut i = 0;
    while i < COUNTS {
        columns[2 + i] = (names[i], Kind::Int8);
        i += 1;
    }
    columns[2 + COUNTS] = (c"day_codes", Kind::Exactly(pg_sys::TEXTARRAYOID));
    columns[3 + COUNTS] = (c"shown_due", Kind::Exactly(pg_sys::TIMESTAMPTZARRAYOID));
    columns[4 + COUNTS] = (c"shown_day", Kind::Exactly(pg_sys::INT4ARRAYOID));
    columns[5 + COUNTS] = (c"shown_delta", Kind::Int8Array);
    columns[6 + COUNTS] = (c"shown_code", Kind::Exactly(pg_sys::TEXTARRAYOID));
    columns
};

/// The sums of the pairs of `chunk` that `changes` names, from their
/// stored periods and the change (one probe per pair, not its thirty
/// days); the pairs left, to be summed from their days, in `rest`: those
/// not named, not stored, or stored otherwise than the change found them.
fn kept(
    chunk: &[(i64, i32)],
    changes: &Changes,
    found: &mut IdMap<(i64, i32), PeriodSums>,
    rest: &mut Vec<(i64, i32)>,
) {
    let named = chunk.iter().any(|pair| changes.contains_key(pair));
    let probe = named.then(|| Probe::open(c"period_record", c"period_record_pkey", c"employee_id", &STORED)).flatten();
    let Some(mut probe) = probe else {
        rest.extend_from_slice(chunk);
        return;
    };
    for &pair in chunk {
        let Some(change) = changes.get(&pair) else {
            rest.push(pair);
            continue;
        };
        let start = Date::saturating_from_raw(pair.1);
        // A period row this transaction wrote may already hold the days
        // the change replaced (an earlier trigger of the same query, as in
        // a MERGE or a writable CTE, summed it again with them): only a
        // row another transaction left is kept by difference; one this
        // transaction wrote is summed from its days.
        let mut stored = None;
        probe.rows(pair.0, Some(Within::Dates(start, start)), |row| {
            stored = if row.written_here() == Some(false) { stored_period(row) } else { None };
        });
        if let Some(mut sums) = stored {
            if sums.apply(change) {
                found.insert(pair, sums);
                continue;
            }
        }
        rest.push(pair);
    }
}

/// A stored period read back; None when its codes are not the codes
/// this library writes.
fn stored_period(row: &crate::probe::Row<'_>) -> Option<PeriodSums> {
    let mut counts = [0i64; COUNTS];
    for (i, n) in counts.iter_mut().enumerate() {
        *n = row.get::<i64>(2 + i)?;
    }
    let (values, nulls) = row.values();
    if nulls[2 + COUNTS] {
        return None;
    }
    // SAFETY: a text[] value of the row being read, read while it lives.
    let codes = unsafe { Array::<&str>::from_polymorphic_datum(values[2 + COUNTS], false, pg_sys::TEXTARRAYOID)? };
    let codes = codes
        .iter()
        .map(|c| match c {
            None => Some(None),
            Some(text) => code_named(text).map(Some),
        })
        .collect::<Option<Vec<_>>>()?;
    let mut sums = PeriodSums::stored((row.get::<i64>(0), row.get::<i64>(1)), counts, &codes)?;
    sums.shown = stored_shown(
        row.get::<Vec<Option<i64>>>(3 + COUNTS).unwrap_or_default(),
        row.get::<Vec<Option<i32>>>(4 + COUNTS).unwrap_or_default(),
        row.get::<Vec<Option<i64>>>(5 + COUNTS).unwrap_or_default(),
        row.get::<Vec<Option<String>>>(6 + COUNTS).unwrap_or_default(),
    )?;
    Some(sums)
}

/// A period's days not over yet as `period_record` stores them (`row`);
/// None when the arrays are not as this library writes them.
pub fn stored_shown(
    due: Vec<Option<i64>>,
    days: Vec<Option<i32>>,
    delta: Vec<Option<i64>>,
    codes: Vec<Option<String>>,
) -> Option<Vec<ShownDay>> {
    if days.len() != due.len() || codes.len() != due.len() || delta.len() != due.len() * COUNTS {
        return None;
    }
    let mut out = Vec::with_capacity(due.len());
    for (k, ((due, offset), code)) in due.into_iter().zip(days).zip(codes).enumerate() {
        let mut counts = [0i64; COUNTS];
        for (n, d) in counts.iter_mut().zip(&delta[k * COUNTS..(k + 1) * COUNTS]) {
            *n = (*d)?;
        }
        let code = match code {
            None => None,
            Some(text) => Some(code_named(&text)?),
        };
        out.push(ShownDay { due: due?, offset: offset?, delta: counts, code });
    }
    Some(out)
}

/// The closing days of these companies (those without one are absent),
/// read as the sums are.
fn closing_days(companies: Vec<i64>) -> IdMap<i64, i32> {
    let mut out = IdMap::default();
    if companies.is_empty() {
        return out;
    }
    if let Some(mut org) = Probe::open(c"org", c"org_pkey", c"org_id", &[(c"closing_day", Kind::Int2)]) {
        for company in companies {
            org.rows(company, None, |row| {
                if let Some(day) = row.get::<i16>(0) {
                    out.insert(company, i32::from(day));
                }
            });
        }
        return out;
    }
    Spi::connect(|_| {
        plans::probing(|| {
            plans::each_tuple(CLOSING_DAYS, &[PgBuiltInOids::INT8ARRAYOID], &[companies.into()], |desc, tuple| {
                // SAFETY: the query's own tuple and columns
                unsafe {
                    if let (Some(org), Some(day)) = (plans::column(desc, tuple, 1), plans::column(desc, tuple, 2)) {
                        out.insert(org.value() as i64, day.value() as i32);
                    }
                }
            })
        })
    });
    out
}

/// One `period_record` row; its values in the current memory context.
fn row(pair: (i64, i32), s: &PeriodSums, closing: &IdMap<i64, i32>, now: i64) -> ([Datum; OUT], [bool; OUT]) {
    let mut v = [Datum::from(0usize); OUT];
    let mut null = [true; OUT];
    let mut set = |i: usize, d: Option<Datum>| {
        if let Some(d) = d {
            v[i] = d;
            null[i] = false;
        }
    };
    let (_, org, company) = s.last.unwrap_or_default();
    let start = Date::saturating_from_raw(pair.1);
    let end = dates::from_pg(start)
        .and_then(|d| period_end(d, company.and_then(|c| closing.get(&c).copied())))
        .map(dates::to_pg);
    set(0, pair.0.into_datum());
    set(1, start.into_datum());
    set(2, end.and_then(IntoDatum::into_datum));
    set(3, org.and_then(IntoDatum::into_datum));
    set(4, company.and_then(IntoDatum::into_datum));
    let counts = s.counts();
    for (i, n) in counts.into_iter().enumerate() {
        set(5 + i, n.into_datum());
    }
    set(
        SHOWN_AT - 1,
        s.day_codes().map(|codes| {
            let (mut elements, mut nulls): (Vec<Datum>, Vec<bool>) = codes
                .into_iter()
                .map(|c| match c.and_then(IntoDatum::into_datum) {
                    Some(d) => (d, false),
                    None => (Datum::from(0usize), true),
                })
                .unzip();
            array(&mut elements, &mut nulls, TEXT)
        }),
    );
    // the days not over at `now`, the instant of the write: those due by
    // then show what the counts hold
    let shown: Vec<&ShownDay> = s.shown.iter().filter(|d| d.due > now).collect();
    if !shown.is_empty() {
        let mut shown = shown;
        shown.sort_unstable_by_key(|d| d.offset);
        set(SHOWN_AT, Some(words(shown.iter().map(|d| d.due), TIMESTAMPTZ_ARRAY)));
        set(SHOWN_AT + 1, Some(words(shown.iter().map(|d| i64::from(d.offset)), INT4_ARRAY)));
        set(SHOWN_AT + 2, Some(words(shown.iter().flat_map(|d| d.delta), INT8_ARRAY)));
        let (mut codes, mut nulls): (Vec<Datum>, Vec<bool>) = shown
            .iter()
            .map(|d| match d.code.and_then(IntoDatum::into_datum) {
                Some(c) => (c, false),
                None => (Datum::from(0usize), true),
            })
            .unzip();
        set(SHOWN_AT + 3, Some(array(&mut codes, &mut nulls, TEXT)));
    }
    (v, null)
}

const TIMESTAMPTZ_ARRAY: (pg_sys::Oid, i16, bool, u8) = (pg_sys::TIMESTAMPTZOID, 8, true, pg_sys::TYPALIGN_DOUBLE);
const INT4_ARRAY: (pg_sys::Oid, i16, bool, u8) = (pg_sys::INT4OID, 4, true, pg_sys::TYPALIGN_INT);
const INT8_ARRAY: (pg_sys::Oid, i16, bool, u8) = (pg_sys::INT8OID, 8, true, pg_sys::TYPALIGN_DOUBLE);

/// An array of by-value numbers of the element type given.
fn words(values: impl Iterator<Item = i64>, element: (pg_sys::Oid, i16, bool, u8)) -> Datum {
    let mut elements: Vec<Datum> =
        values.map(|n| if element.1 == 4 { Datum::from(n as i32) } else { Datum::from(n) }).collect();
    let mut nulls = vec![false; elements.len()];
    array(&mut elements, &mut nulls, element)
}

/// The (employee, period start) pairs of the arguments `(employees
/// bigint[], periods date[])`, sorted, without repeats or NULLs.
unsafe fn pairs_arg(fcinfo: FunctionCallInfo) -> Vec<(i64, i32)> {
    let employees = pg_getarg::<Vec<Option<i64>>>(fcinfo, 0).unwrap_or_default();
    let periods = pg_getarg::<Vec<Option<Date>>>(fcinfo, 1).unwrap_or_default();
    let mut pairs: Vec<(i64, i32)> =
        employees.into_iter().zip(periods).filter_map(|(e, p)| Some((e?, p?.to_pg_epoch_days()))).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Hands `put` the `period_record` row of each pair with stored days, in
/// order; its values live in a scratch context reset after each row.
unsafe fn each_row(
    pairs: &[(i64, i32)],
    changes: Option<&Changes>,
    mut put: impl FnMut(&mut [Datum; OUT], &mut [bool; OUT]),
) {
    let mut scratch = PgMemoryContexts::new("attendance period rows");
    let now = now_micros();
    for chunk in pairs.chunks(CHUNK) {
        let mut found = IdMap::default();
        let mut rest = Vec::new();
        match changes {
            Some(changes) => kept(chunk, changes, &mut found, &mut rest),
            None => rest.extend_from_slice(chunk),
        }
        found.extend(sums(&rest));
        let mut companies: Vec<i64> = found.values().filter_map(|s| s.last.and_then(|l| l.2)).collect();
        companies.sort_unstable();
        companies.dedup();
        let closing = closing_days(companies);
        for pair in chunk {
            if let Some(s) = found.get(pair) {
                scratch.switch_to(|_| {
                    let (mut v, mut null) = row(*pair, s, &closing, now);
                    put(&mut v, &mut null);
                });
                scratch.reset();
            }
        }
    }
}

/// The extension's now ([`crate::clock::now`]) in PostgreSQL's microseconds.
fn now_micros() -> i64 {
    crate::clock::micros(Spi::connect(|client| crate::clock::now(&client)))
}

/// `_att_period_sums(employees bigint[], periods date[])`: the rows in
/// order of employee and period start, none for a pair without stored days.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_period_sums(fcinfo: FunctionCallInfo) -> Datum {
    let pairs = pairs_arg(fcinfo);
    pg_sys::InitMaterializedSRF(fcinfo, 0);
    let rsinfo = (*fcinfo).resultinfo as *mut pg_sys::ReturnSetInfo;
    let (store, desc) = ((*rsinfo).setResult, (*rsinfo).setDesc);
    each_row(&pairs, None, |v, null| pg_sys::tuplestore_putvalues(store, desc, v.as_mut_ptr(), null.as_mut_ptr()));
    Datum::from(0usize)
}

finfo_v1!(pg_finfo_att_period_sums_array);

/// `_att_period_sums_array(employees bigint[], periods date[]) RETURNS
/// period_record[]`: the same rows as one array, which `_att_period_keep`
/// takes as a PL/pgSQL expression (a query over a set-returning call is a
/// statement with an executor and a result store, run twice a punch that
/// changed a day).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_period_sums_array(fcinfo: FunctionCallInfo) -> Datum {
    let pairs = pairs_arg(fcinfo);
    let element = crate::rows::returned_element(fcinfo, "_att_period_sums_array", "period_record");
    let desc = pg_sys::lookup_rowtype_tupdesc_copy(element, -1);
    let mut rows: Vec<Datum> = Vec::new();
    let context = PgMemoryContexts::CurrentMemoryContext.value();
    let changes = CHANGES.with(|c| c.borrow_mut().take());
    each_row(&pairs, changes.as_ref(), |v, null| {
        let tuple = pg_sys::heap_form_tuple(desc, v.as_mut_ptr(), null.as_mut_ptr());
        // the row outlives the scratch context its values were made in
        PgMemoryContexts::For(context).switch_to(|_| rows.push(pg_sys::heap_copy_tuple_as_datum(tuple, desc)));
    });
    crate::rows::rows_array(&mut rows, element)
}

finfo_v1!(pg_finfo_att_shown_counts, pg_finfo_att_shown_codes, pg_finfo_att_shown_delta);

/// The `shown_due` and `shown_delta` arguments at `first` and `first + 1`,
/// and the instant after them, as the days not over yet they describe
/// (their offsets and codes aside).
unsafe fn shown_args(fcinfo: FunctionCallInfo, first: usize, now: usize) -> (Vec<ShownDay>, i64) {
    let due = pg_getarg::<Vec<Option<i64>>>(fcinfo, first).unwrap_or_default();
    let n = due.len();
    let delta = pg_getarg::<Vec<Option<i64>>>(fcinfo, first + 1).unwrap_or_else(|| vec![Some(0); n * COUNTS]);
    let now = pg_getarg::<i64>(fcinfo, now).unwrap_or(i64::MIN);
    let shown = stored_shown(due, vec![Some(0); n], delta, vec![None; n]).unwrap_or_else(|| {
        crate::errors::raise(
            PgSqlErrorCode::ERRCODE_DATA_EXCEPTION,
            &format!("shown_delta must hold {COUNTS} counts for each element of shown_due, without NULLs"),
        )
    });
    (shown, now)
}

/// `_att_shown_counts(shown_due timestamptz[], shown_delta bigint[], now
/// timestamptz) RETURNS bigint[]`: what the period's days not over at
/// `now` add to its counts, in `period_record`'s order from stored_days;
/// NULL when none is.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_shown_counts(fcinfo: FunctionCallInfo) -> Datum {
    let (shown, now) = shown_args(fcinfo, 0, 2);
    if shown.iter().all(|s| s.due <= now) {
        (*fcinfo).isnull = true;
        return Datum::from(0usize);
    }
    let mut counts = [0i64; COUNTS];
    if !PeriodSums::as_of(&mut counts, &mut [], &shown, now) {
        crate::errors::raise(
            PgSqlErrorCode::ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
            "shown_delta's sums are out of range for bigint",
        );
    }
    words(counts.into_iter(), INT8_ARRAY)
}

/// Whether argument `n` is NULL or an array of at most one dimension
/// starting at 1 (as `period_record` holds them).
unsafe fn one_dimensional(fcinfo: FunctionCallInfo, n: usize) -> bool {
    if pgrx::fcinfo::pg_arg_is_null(fcinfo, n) {
        return true;
    }
    let raw = pgrx::fcinfo::pg_getarg_datum_raw(fcinfo, n);
    let array = pg_sys::pg_detoast_datum(raw.cast_mut_ptr()) as *mut pg_sys::ArrayType;
    let ndim = (*array).ndim;
    // the lower bounds follow the dimensions, after the header
    let dims = (array as *const u8).add(std::mem::size_of::<pg_sys::ArrayType>()) as *const i32;
    ndim == 0 || (ndim == 1 && *dims.add(1) == 1)
}

/// `_att_shown_codes(day_codes text[], shown_due timestamptz[], shown_day
/// integer[], shown_code text[], now timestamptz) RETURNS text[]`: the
/// period's day codes with each day not over at `now` as it shows.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_shown_codes(fcinfo: FunctionCallInfo) -> Datum {
    let codes = pg_getarg::<Vec<Option<String>>>(fcinfo, 0);
    let due = pg_getarg::<Vec<Option<i64>>>(fcinfo, 1).unwrap_or_default();
    let days = pg_getarg::<Vec<Option<i32>>>(fcinfo, 2).unwrap_or_default();
    let shown_codes = pg_getarg::<Vec<Option<String>>>(fcinfo, 3).unwrap_or_default();
    let now = pg_getarg::<i64>(fcinfo, 4).unwrap_or(i64::MIN);
    if days.len() != due.len() || shown_codes.len() != due.len() || (0..4).any(|i| !one_dimensional(fcinfo, i)) {
        crate::errors::raise(
            PgSqlErrorCode::ERRCODE_DATA_EXCEPTION,
            "shown_due, shown_day and shown_code must be as long as each other, and every array one-dimensional",
        );
    }
    let Some(mut codes) = codes else {
        (*fcinfo).isnull = true;
        return Datum::from(0usize);
    };
    for ((due, day), code) in due.iter().zip(&days).zip(&shown_codes) {
        let (Some(due), Some(day)) = (due, day) else { continue };
        if *due > now {
            if let Some(slot) = usize::try_from(*day).ok().and_then(|d| d.checked_sub(1)).and_then(|i| codes.get_mut(i))
            {
                *slot = code.clone();
            }
        }
    }
    let (mut elements, mut nulls): (Vec<Datum>, Vec<bool>) = codes
        .iter()
        .map(|c| match c.as_deref().and_then(IntoDatum::into_datum) {
            Some(d) => (d, false),
            None => (Datum::from(0usize), true),
        })
        .unzip();
    array(&mut elements, &mut nulls, TEXT)
}

/// `_att_shown_delta(org_id, company_id, day_kind, status, scheduled_minutes,
/// late_minutes, early_minutes, absent_minutes, work_minutes,
/// overtime_minutes, overtime_category, leave_minutes, trip_minutes,
/// outing_minutes, appeal_minutes, due_at, shown) RETURNS bigint[]`: what
/// showing a day not over yet changes in its period's counts (`ShownDay`);
/// NULL for a day that holds its figures now. The arguments are a stored
/// day's columns (`DAY_COLUMNS` but the day), taken one by one, not as a
/// row, so that a Citus shard's rows pass too. The SQL sums
/// (`_att_period_rows`) take it from here, so both forms count a day one way.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_shown_delta(fcinfo: FunctionCallInfo) -> Datum {
    const N: usize = DAY_COLUMNS.len() - 1;
    if (*fcinfo).nargs as usize != N {
        crate::errors::raise(
            PgSqlErrorCode::ERRCODE_DATATYPE_MISMATCH,
            &format!("_att_shown_delta takes {N} arguments"),
        );
    }
    let mut v = [Datum::from(0usize); N];
    let mut null = [true; N];
    for i in 0..N {
        null[i] = pgrx::fcinfo::pg_arg_is_null(fcinfo, i);
        if !null[i] {
            v[i] = pgrx::fcinfo::pg_getarg_datum_raw(fcinfo, i);
        }
    }
    match ShownDay::of(&stored_day(1, &v, &null)) {
        Some(s) => words(s.delta.into_iter(), INT8_ARRAY),
        None => {
            (*fcinfo).isnull = true;
            Datum::from(0usize)
        }
    }
}
