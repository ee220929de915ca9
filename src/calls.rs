//! The evaluation functions PostgreSQL calls with its own V1 calling
//! convention rather than through `#[pg_extern]`, declared in
//! `sql/rules.sql` and `sql/evaluate.sql`:
//!
//! - sets are returned in materialize mode: each row goes straight into the
//!   result tuplestore as the engine produces it (spilling to disk past
//!   work_mem), instead of one call per row and a copy per row;
//! - `_att_evaluate_day` keeps its call site's evaluations in `fn_extra`, so
//!   a query calling it for many days of an employee loads the rows once;
//! - JSON arguments are read as text, so no input can panic in a conversion.
//!
//! `att_rule_validate`, `_att_evaluate_days` and `_att_evaluate_json` keep
//! the symbols and argument types of release 0.1.0, whose install script
//! must still load against this library until `ALTER EXTENSION UPDATE`.

use std::collections::{HashMap, VecDeque};
use std::ffi::CStr;

use attendance_rules::Request;
use chrono::{Days, NaiveDate};
use pgrx::datum::Date;
use pgrx::fcinfo::{pg_arg_is_null, pg_getarg, pg_getarg_datum_raw};
use pgrx::pg_sys::{self, Datum, FunctionCallInfo};
use pgrx::prelude::*;
use pgrx::PgMemoryContexts;

use crate::arena::Arena;
use crate::dates;
use crate::errors::{self, raise};
use crate::evaluate::{evaluate_batch, evaluate_employee, DayRow, Excused};
use crate::load::{Batch, Placement};
use crate::rows::{values, Values};
use crate::rules::parsed_rule;
use crate::stored::Stored;

finfo_v1!(
    pg_finfo_att_rule_validate_wrapper,
    pg_finfo_att_rule_validate_new_wrapper,
    pg_finfo_att_evaluate_days_wrapper,
    pg_finfo_att_evaluate_json_wrapper,
    pg_finfo_att_evaluate_batch,
    pg_finfo_att_evaluate_changes,
    pg_finfo_att_changed_days,
    pg_finfo_att_evaluate_day,
    pg_finfo_att_evaluate_final
);

/// A date argument: finite, or an error naming it.
unsafe fn date_arg(fcinfo: FunctionCallInfo, n: usize, what: &str) -> NaiveDate {
    date_value(pg_getarg::<Date>(fcinfo, n), what)
}

/// A date argument's value (NULL: None): finite, or an error naming it.
fn date_value(d: Option<Date>, what: &str) -> NaiveDate {
    match d {
        Some(d) => dates::arg(d, what),
        None => raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, &format!("{what} must be a finite date")),
    }
}

/// A jsonb argument as its text.
unsafe fn jsonb_text_arg(fcinfo: FunctionCallInfo, n: usize) -> String {
    let datum = pg_getarg_datum_raw(fcinfo, n);
    let text: Option<&CStr> = pgrx::direct_function_call(pg_sys::jsonb_out, &[Some(datum)]);
    text.map(|t| t.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The result tuplestore of a set-returning call in materialize mode.
struct Materialized {
    store: *mut pg_sys::Tuplestorestate,
    desc: pg_sys::TupleDesc,
    /// `day_shown`'s descriptor (`rows::shown_desc`), once a call.
    shown: Option<pg_sys::TupleDesc>,
    /// Each row's values are built here and dropped once stored.
    scratch: PgMemoryContexts,
    arena: Arena,
}

impl Materialized {
    unsafe fn new(fcinfo: FunctionCallInfo) -> Self {
        pg_sys::InitMaterializedSRF(fcinfo, 0);
        let rsinfo = (*fcinfo).resultinfo as *mut pg_sys::ReturnSetInfo;
        Materialized {
            store: (*rsinfo).setResult,
            desc: (*rsinfo).setDesc,
            shown: crate::rows::shown_desc((*rsinfo).setDesc),
            scratch: PgMemoryContexts::new("attendance day rows"),
            arena: Arena::default(),
        }
    }

    fn put(&mut self, row: &DayRow) {
        self.put_unless_stored(row, None)
    }

    /// Puts the row unless `stored` holds the same day with the same figures.
    fn put_unless_stored(&mut self, row: &DayRow, stored: Option<&mut Stored>) {
        let (store, desc, shown, arena) = (self.store, self.desc, self.shown, &mut self.arena);
        // SAFETY: the store and its descriptor live in the query's memory;
        // the values are copied into the store before the scratch is reset.
        unsafe {
            self.scratch.switch_to(|_| {
                let mut v: Values = values(row, arena);
                v.finish(shown);
                if !stored.is_some_and(|s| s.holds(&v.datums, &v.nulls)) {
                    pg_sys::tuplestore_putvalues(store, desc, v.datums.as_mut_ptr(), v.nulls.as_mut_ptr());
                }
            });
            self.scratch.reset();
        }
    }
}

/// The error of a range of days whose last comes before its first.
pub(crate) fn ordered(first: NaiveDate, last: NaiveDate) {
    if last < first {
        raise(PgSqlErrorCode::ERRCODE_DATA_EXCEPTION, &format!("last day {last} is before first day {first}"));
    }
}

/// Loads and evaluates `employees` (sorted, distinct) over `first..=last`
/// into the result set, batch by batch; with `changes`, only the days that
/// `day_record` lacks or holds with other figures.
unsafe fn materialize_days(
    fcinfo: FunctionCallInfo,
    employees: &[i64],
    first: NaiveDate,
    last: NaiveDate,
    changes: bool,
) -> Datum {
    ordered(first, last);
    let mut out = Materialized::new(fcinfo);
    let desc = out.desc;
    each_day(employees, first, last, None, None, changes.then_some(desc), &mut |row, stored| {
        out.put_unless_stored(row, stored)
    });
    Datum::from(0usize)
}

/// Loads and evaluates `employees` (sorted, distinct) over `first..=last`
/// batch by batch, handing on each day with, given `day_result`'s
/// descriptor, the stored days of its batch to compare it with. With
/// `seen`, only the days that can see an instant of that UTC day or
/// earlier ([`Batch::load_seeing`]); `proceed` is told the last day each
/// batch judges once its rows are read, and stops the evaluation by
/// answering false.
unsafe fn each_day(
    employees: &[i64],
    first: NaiveDate,
    last: NaiveDate,
    seen: Option<NaiveDate>,
    mut proceed: Option<&mut dyn FnMut(NaiveDate) -> bool>,
    compared: Option<pg_sys::TupleDesc>,
    put: &mut dyn FnMut(&DayRow, Option<&mut Stored>),
) -> bool {
    for batch in employees.chunks(BATCH) {
        let loaded = Spi::connect(|client| {
            let mut data = Batch::load_seeing(client, batch, first, last, seen);
            // what is stored falls due without being written again, once
            // the result type holds its columns (not under an older release's SQL)
            data.keep_due = compared.is_some_and(|desc| (*desc).natts as usize >= crate::rows::COLUMNS);
            if proceed.as_mut().is_some_and(|p| !p(data.last)) {
                return None;
            }
            let stored = compared
                .map(|desc| Stored::load(client, desc, &data.employees, dates::to_pg(first), dates::to_pg(data.last)));
            Some((data, stored))
        });
        let Some((data, mut stored)) = loaded else { return false };
        evaluate_batch(&data, first, data.last, &mut |row| put(&row, stored.as_mut()));
    }
    true
}

/// `_att_changed_days(employees bigint[], first date, last date) RETURNS
/// day_result[]`: the days `_att_evaluate_changes` returns, as one array,
/// which a punch's refresh takes as a PL/pgSQL expression (a query over a
/// set-returning call is a statement with an executor and a result store).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_changed_days(fcinfo: FunctionCallInfo) -> Datum {
    let (employees, first, last) = batch_args(fcinfo);
    ordered(first, last);
    let element = crate::rows::returned_element(fcinfo, "_att_changed_days", "day_result");
    changed_days(&employees, first, last, None, None, element).map_or(Datum::from(0usize), |(days, _)| days)
}

/// The evaluated days of `employees` from `first` to `last` that
/// `day_record` lacks or holds with other figures, as an array of
/// `element` (`day_result`), and how many: what a refresh writes. With
/// `seen`, only the days that can see an instant of that UTC day or
/// earlier ([`Batch::load_seeing`]); nothing (None) when `proceed`, told
/// the last day judged once the rows are read, answers false.
pub unsafe fn changed_days(
    employees: &[i64],
    first: NaiveDate,
    last: NaiveDate,
    seen: Option<NaiveDate>,
    proceed: Option<&mut dyn FnMut(NaiveDate) -> bool>,
    element: pg_sys::Oid,
) -> Option<(Datum, usize)> {
    let desc = pg_sys::lookup_rowtype_tupdesc_copy(element, -1);
    let shown = crate::rows::shown_desc(desc);
    let mut days: Vec<Datum> = Vec::new();
    let mut arena = Arena::default();
    let whole = each_day(employees, first, last, seen, proceed, Some(desc), &mut |row, stored| {
        let mut v: Values = values(row, &mut arena);
        v.finish(shown);
        if !stored.is_some_and(|s| s.holds(&v.datums, &v.nulls)) {
            let tuple = pg_sys::heap_form_tuple(desc, v.datums.as_mut_ptr(), v.nulls.as_mut_ptr());
            days.push(pg_sys::heap_copy_tuple_as_datum(tuple, desc));
        }
    });
    whole.then(|| (crate::rows::rows_array(&mut days, element), days.len()))
}

/// How many employees are loaded and evaluated together: one query per
/// table reads a batch, and memory is bounded by it, not by the company.
const BATCH: usize = 256;

/// The arguments `(employees bigint[], first date, last date)`: the
/// employees sorted, without repeats or NULLs.
unsafe fn batch_args(fcinfo: FunctionCallInfo) -> (Vec<i64>, NaiveDate, NaiveDate) {
    batch_of(pg_getarg(fcinfo, 0), pg_getarg(fcinfo, 1), pg_getarg(fcinfo, 2))
}

/// `_att_evaluate_batch`'s arguments, however they were passed (a call, or
/// the expressions `scan` evaluates): the employees sorted, without repeats
/// or NULLs, and two finite dates, or the error naming the one that is not.
pub(crate) fn batch_of(
    employees: Option<Vec<Option<i64>>>,
    first: Option<Date>,
    last: Option<Date>,
) -> (Vec<i64>, NaiveDate, NaiveDate) {
    let mut employees: Vec<i64> = employees.unwrap_or_default().into_iter().flatten().collect();
    employees.sort_unstable();
    employees.dedup();
    let first = date_value(first, "first day");
    (employees, first, date_value(last, "last day"))
}

/// Loads one batch of employees (at most `BATCH`, sorted, distinct) to
/// evaluate over `first..=last` (`data.last`), as `_att_evaluate_batch` does.
pub(crate) fn load_one_batch(batch: &[i64], first: NaiveDate, last: NaiveDate) -> Batch {
    Spi::connect(|client| Batch::load_seeing(client, batch, first, last, None))
}

/// `_att_evaluate_changes(employees bigint[], first date, last date) RETURNS SETOF day_result`:
/// the days whose figures differ from `day_record`'s, or that it lacks (the
/// refresh's input, see `_att_refresh`).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_evaluate_changes(fcinfo: FunctionCallInfo) -> Datum {
    let (employees, first, last) = batch_args(fcinfo);
    materialize_days(fcinfo, &employees, first, last, true)
}

/// `_att_evaluate_batch(employees bigint[], first date, last date) RETURNS SETOF day_result`:
/// employees loaded together in batches (see `att_evaluate(bigint[], daterange)`).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_evaluate_batch(fcinfo: FunctionCallInfo) -> Datum {
    let (employees, first, last) = batch_args(fcinfo);
    materialize_days(fcinfo, &employees, first, last, false)
}

/// Days after the last day judged by which each of them is over: the most
/// a punch reaches, and more.
const OVER_AFTER: u64 = 60;

/// `_att_evaluate_final(employees bigint[], first date, last date) RETURNS
/// SETOF day_result` (since 0.21.0): the days as they will be once every
/// one of them is over and every punch stored has happened, judged from
/// the inputs of now. What a day still pending when its period closed
/// becomes by time alone (`closed_pending`, sql/closed_pending.sql).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_evaluate_final(fcinfo: FunctionCallInfo) -> Datum {
    let (employees, first, last) = batch_args(fcinfo);
    ordered(first, last);
    let mut out = Materialized::new(fcinfo);
    for batch in employees.chunks(BATCH) {
        let mut data = Spi::connect(|client| Batch::load_seeing(client, batch, first, last, None));
        let over = data.last.checked_add_days(Days::new(OVER_AFTER)).unwrap_or(data.last);
        let latest = data.rows.iter().filter_map(|r| r.punches.last()).map(|p| p.at).max();
        data.now = latest.into_iter().fold(crate::load::utc_midnight(over), |a, b| a.max(b));
        evaluate_batch(&data, first, data.last, &mut |row| out.put(&row));
    }
    Datum::from(0usize)
}

/// `_att_evaluate_days(employee bigint, first date, last date)`: one employee (release 0.1.0's symbol).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_evaluate_days_wrapper(fcinfo: FunctionCallInfo) -> Datum {
    let employee = pg_getarg::<i64>(fcinfo, 0).unwrap_or_default();
    let (first, last) = (date_arg(fcinfo, 1, "first day"), date_arg(fcinfo, 2, "last day"));
    materialize_days(fcinfo, &[employee], first, last, false)
}

/// `_att_evaluate_json(rule jsonb, request jsonb)`: the table-free form.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_evaluate_json_wrapper(fcinfo: FunctionCallInfo) -> Datum {
    let rule = parsed_rule(&jsonb_text_arg(fcinfo, 0));
    let request = Request::from_json(&rule, &jsonb_text_arg(fcinfo, 1)).unwrap_or_else(|e| errors::rule(e));
    let mut out = Materialized::new(fcinfo);
    // `places` looks punches up in time order (a stable sort keeps the
    // request's order among punches of the same instant)
    let mut in_time_order = request.punches.clone();
    in_time_order.sort_by_key(|p| p.at);
    for result in request.evaluate(&rule) {
        let excused = Excused::of(&result, &request.excuses, &[]);
        let (place, zone) = (Placement::default(), rule.time_zone().name());
        let places = crate::evaluate::places(&rule, &result, &in_time_order);
        out.put(&DayRow::Judged { employee: None, rule_id: None, result, excused, place, zone, places, due: None });
    }
    Datum::from(0usize)
}

/// `att_rule_validate(config jsonb) RETURNS bool`: true, or the validation error.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_rule_validate_wrapper(fcinfo: FunctionCallInfo) -> Datum {
    parsed_rule(&jsonb_text_arg(fcinfo, 0));
    Datum::from(true)
}

/// `att_rule_validate_new(config jsonb) RETURNS bool`: true, or the error of
/// the checks only new rule versions must pass (see `Rule::from_new_json`).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_rule_validate_new_wrapper(fcinfo: FunctionCallInfo) -> Datum {
    if let Err(e) = attendance_rules::Rule::from_new_json(&jsonb_text_arg(fcinfo, 0)) {
        crate::errors::rule(e);
    }
    Datum::from(true)
}

/// How many days past the asked one a cache miss evaluates: queries mostly
/// walk an employee's days forward, so one load serves a month of calls.
const DAY_WINDOW: u64 = 31;
/// Days kept per call site (about half a kilobyte each): enough for every
/// employee of a department's month, so a query that walks days in the outer
/// loop and employees in the inner one (as a planner may choose) still loads
/// each employee once; past it the employees evaluated longest ago go first.
const CACHED_DAYS: usize = 65_536;

/// One call site's evaluated days, per employee: first day and the rows from
/// it, and the employees in the order they were loaded.
#[derive(Default)]
struct DayCache {
    employees: HashMap<i64, (NaiveDate, Vec<DayRow>)>,
    loaded: VecDeque<i64>,
    days: usize,
    arena: Arena,
}

impl DayCache {
    fn insert(&mut self, employee: i64, first: NaiveDate, rows: Vec<DayRow>) {
        while self.days + rows.len() > CACHED_DAYS {
            let Some(oldest) = self.loaded.pop_front() else { break };
            if let Some((_, gone)) = self.employees.remove(&oldest) {
                self.days -= gone.len();
            }
        }
        self.days += rows.len();
        if let Some((_, replaced)) = self.employees.insert(employee, (first, rows)) {
            self.days -= replaced.len();
            self.loaded.retain(|e| *e != employee);
        }
        self.loaded.push_back(employee);
    }
}

/// `_att_evaluate_day(employee bigint, day date) RETURNS day_result`, for
/// `att_evaluate_day`. The evaluations are valid for the rest of the query:
/// a STABLE function sees one snapshot throughout.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_evaluate_day(fcinfo: FunctionCallInfo) -> Datum {
    if pg_arg_is_null(fcinfo, 0) || pg_arg_is_null(fcinfo, 1) {
        (*fcinfo).isnull = true;
        return Datum::from(0usize);
    }
    let employee = pg_getarg::<i64>(fcinfo, 0).unwrap_or_default();
    let day = date_arg(fcinfo, 1, "day");
    let mut cache = pgrx::fcinfo::pg_func_extra(fcinfo, DayCache::default);
    let offset = |from: NaiveDate| usize::try_from((day - from).num_days()).ok();
    let hit = cache.employees.get(&employee).and_then(|(from, rows)| offset(*from).filter(|i| *i < rows.len()));
    let index = match hit {
        Some(i) => i,
        None => {
            let last = day.checked_add_days(Days::new(DAY_WINDOW - 1)).unwrap_or(day);
            let data = Spi::connect(|client| Batch::load(client, &[employee], day, last));
            let mut rows = Vec::with_capacity(DAY_WINDOW as usize);
            evaluate_employee(&data, &data.only(), day, last, &mut |row| rows.push(row));
            cache.insert(employee, day, rows);
            0
        }
    };
    let cache: &mut DayCache = &mut cache;
    let row = &cache.employees[&employee].1[index];
    let mut desc: pg_sys::TupleDesc = std::ptr::null_mut();
    if pg_sys::get_call_result_type(fcinfo, std::ptr::null_mut(), &mut desc)
        != pg_sys::TypeFuncClass::TYPEFUNC_COMPOSITE
    {
        raise(PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED, "_att_evaluate_day must return a composite type");
    }
    let desc = pg_sys::BlessTupleDesc(desc);
    let mut v = values(row, &mut cache.arena);
    let tuple = pg_sys::heap_form_tuple(desc, v.datums.as_mut_ptr(), v.nulls.as_mut_ptr());
    pg_sys::HeapTupleHeaderGetDatum((*tuple).t_data)
}
