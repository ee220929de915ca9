//! The trigger that keeps `day_record` current after a statement on
//! punch, punch_void, excuse or schedule (`refresh_changed_days`,
//! sql/refresh.sql). A punch is one row in a statement of its own; in
//! PL/pgSQL its refresh was three queries over the transition table and a
//! dozen statements, each with an executor's start, which cost more than
//! evaluating the punch's days. Here the transition tables are read in
//! Rust, and a statement that changed no stored day (most punches do not)
//! runs no query beyond the loader's reads and one check for closings.
//! Anything out of the usual, a closing in reach or a Citus node, goes to
//! `_att_refresh`, the refresh the PL/pgSQL trigger called.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pgrx::datum::{Date, DatumWithOid, Range, RangeBound, TimestampWithTimeZone};
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::spi::SpiClient;

use attendance_rules::Touch;

use crate::load::Batch;
use crate::probe::{Kind, Probe, Within};
use crate::{access, calls, citus, dates, errors, locks, plans, release, transition};

finfo_v1!(pg_finfo_att_refresh_changed_days, pg_finfo_att_days_at_instant);

/// Days refreshed before the first day a row reaches (a zone's day and a
/// night shift that started the day before).
const BEFORE: i32 = 3;
/// Days refreshed after the last day an excuse or a schedule reaches,
/// exclusive.
const AFTER: i32 = 9;
/// After a punch, exclusive: the furthest day that can see it, a
/// leave-late-arrive-late rule's next workday after a month of holidays
/// (`days_seeing`); the rules loaded cut it to the days that can, two
/// after the punch under most rules. (An excuse or a schedule reaches no
/// next workday: only a real punch earns the late start, and schedules
/// take no flex rules.)
const REACH: i32 = attendance_rules::MOST_DAYS_READ_BEFORE as i32 + 1;

const USECS_PER_DAY: i64 = 86_400_000_000;

/// Is any period in reach closed, or was it ever? Then each day is judged
/// for the acting employee (`_att_refresh`). The history only grows, and
/// nearly all of it ends before the first day: from 0.14.0 the periods
/// are found by the index of their ends (closing's exclusion index, which
/// leads with the org, is kept out by IS TRUE). While the tables are small
/// the planner scans them instead; their statistics change its plan.
const CLOSING_IN_REACH: &str = "
SELECT EXISTS (SELECT 1 FROM attendance.closing_event c
                WHERE COALESCE(pg_catalog.upper(c.period), 'infinity'::pg_catalog.date) OPERATOR(pg_catalog.>=) $1
                  AND c.period OPERATOR(pg_catalog.&&) pg_catalog.daterange($1, $2)
                  AND c.action OPERATOR(pg_catalog.=) 'close')
    OR EXISTS (SELECT 1 FROM attendance.closing c
                WHERE COALESCE(pg_catalog.upper(c.period), 'infinity'::pg_catalog.date) OPERATOR(pg_catalog.>=) $1
                  AND (c.period OPERATOR(pg_catalog.&&) pg_catalog.daterange($1, $2)) IS TRUE)";
const REFRESH: &str = "SELECT attendance._att_refresh(ARRAY[$1], pg_catalog.daterange($2, $3), $4, true)";
/// The same, refusing only the statement's own changes to closed days
/// (since 0.23.0, `own_change`).
const REFRESH_OWN: &str = "SELECT attendance._att_refresh(ARRAY[$1], pg_catalog.daterange($2, $3), $4, true, $5)";
const OWN_ARGS: [pg_sys::Oid; 5] =
    [pg_sys::INT8ARRAYOID, pg_sys::DATERANGEOID, pg_sys::INT8OID, pg_sys::BOOLOID, pg_sys::DATEARRAYOID];
const STORE: &str = "SELECT attendance._att_store_days(ARRAY[$1], pg_catalog.daterange($2, $3), $4)";
/// The write from 0.13.0 on, told whether a standing approval is in reach.
const STORE_FEW: &str = "SELECT attendance._att_store_few($1, $2)";
const LOCK: &str = "SELECT attendance._att_lock_employees($1)";
/// Refuses punches stored before their own time whose days are closed
/// (sql/refresh.sql; since 0.19.0).
const REFUSE_AHEAD: &str = "SELECT attendance._att_refuse_ahead_closed($1, $2, $3, $4)";
const AHEAD_ARGS: [pg_sys::Oid; 4] = [pg_sys::INT8OID, pg_sys::DATEOID, pg_sys::DATEOID, pg_sys::INT8OID];

/// Refuses the days these punches stored ahead will change (from 0.20.0,
/// `_att_refuse_closed_days`, which raises when one is closed).
const REFUSE_CLOSED: &str = "SELECT attendance._att_refuse_closed_days($1, $2, $3)";
const CLOSED_ARGS: [pg_sys::Oid; 3] = [pg_sys::INT8OID, pg_sys::DATEARRAYOID, pg_sys::INT8OID];
/// Whether an actor may correct every one of an employee's days.
const MAY_CORRECT: &str = "
SELECT COALESCE(pg_catalog.bool_and(attendance.att_has_permission($1, $2, d, 'correct', attendance.att_today()) IS TRUE), false)
  FROM pg_catalog.unnest($3) AS d";

/// Is a period of the days `[bounds[0], bounds[1])` closed, or was it ever
/// (`CLOSING_IN_REACH`)?
unsafe fn closing_in_reach(bounds: [Date; 2]) -> bool {
    let mut closing = false;
    plans::each_tuple(
        CLOSING_IN_REACH,
        &[PgBuiltInOids::DATEOID; 2],
        &[bounds[0].into(), bounds[1].into()],
        |desc, tuple| {
            // SAFETY: the tuple and its descriptor are the query's, read in the callback
            closing = unsafe { plans::column(desc, tuple, 1) }.is_some_and(|d| d.value() != 0);
        },
    );
    closing
}

/// An employee's punches stored ahead in a statement: the UTC day each
/// reaches and its instant (PostgreSQL's microseconds).
type Ahead = Vec<(i32, i64)>;

/// Days between two rows of an employee's statement beyond which their
/// days are refreshed apart (more than the days either reaches): a loader's
/// row a century off, among this month's, refreshed every day between.
const APART: i32 = BEFORE + REACH;

/// Refuses each employee's punches stored ahead that will change a closed
/// day once their time comes: the days they will change are judged here
/// (`ahead::days_changed`, since 0.20.0) and handed to
/// `_att_refuse_closed_days`, which raises when one is closed. Under SQL
/// before 0.20.0 and on Citus, `_att_refuse_ahead_closed` refuses them
/// when any UTC day around them is closed. Called under the employees'
/// refresh locks, after their refreshes, whose writes the error takes back.
unsafe fn refuse_ahead(
    client: &SpiClient<'_>,
    ahead: &BTreeMap<i64, Ahead>,
    actor: Option<i64>,
    distributed: bool,
    statement: Option<pg_sys::CommandId>,
) {
    let precise = !distributed && release::has_function(c"_att_refuse_closed_days", &CLOSED_ARGS);
    for (&employee, punches) in ahead {
        for group in apart(punches, |&(day, _)| (day, day)) {
            refuse_group(client, employee, group, actor, precise.then_some(statement));
        }
    }
}

/// May `actor` correct every one of the employee's `days`?
unsafe fn may_correct(employee: i64, days: &[chrono::NaiveDate], actor: Option<i64>) -> bool {
    let Some(actor) = actor else { return false };
    let days: Vec<Date> = days.iter().copied().map(dates::to_pg).collect();
    let mut all = false;
    plans::each_tuple(
        MAY_CORRECT,
        &[PgBuiltInOids::INT8OID, PgBuiltInOids::INT8OID, PgBuiltInOids::DATEARRAYOID],
        &[actor.into(), employee.into(), days.into()],
        |desc, tuple| {
            // SAFETY: the tuple and its descriptor are the query's, read in the callback
            all = unsafe { plans::column(desc, tuple, 1) }.is_some_and(|d| d.value() != 0);
        },
    );
    all
}

/// `_att_refuse_closed_days` for the days given, when there are any.
unsafe fn refuse_closed(employee: i64, days: Vec<chrono::NaiveDate>, actor: Option<i64>) {
    if days.is_empty() {
        return;
    }
    let days: Vec<Date> = days.into_iter().map(dates::to_pg).collect();
    plans::each_tuple_writing(
        REFUSE_CLOSED,
        &[PgBuiltInOids::INT8OID, PgBuiltInOids::DATEARRAYOID, PgBuiltInOids::INT8OID],
        &[employee.into(), days.into(), actor.into()],
        |_, _| {},
    );
}

/// `items`, sorted by their first day, in runs whose days are refreshed
/// together: a run ends where the next item starts more than `APART` days
/// after every day the run reaches.
fn apart<T>(items: &[T], days: impl Fn(&T) -> (i32, i32)) -> Vec<&[T]> {
    let mut out = Vec::new();
    let (mut start, mut reach) = (0, i32::MIN);
    for (i, item) in items.iter().enumerate() {
        let (first, last) = days(item);
        if i > start && first.saturating_sub(reach) > APART {
            out.push(&items[start..i]);
            start = i;
        }
        reach = if i == start { last } else { reach.max(last) };
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

/// `refuse_ahead` for one group of an employee's punches, sorted by day;
/// `precise` with the statement's command id when known.
unsafe fn refuse_group(
    client: &SpiClient<'_>,
    employee: i64,
    group: &[(i32, i64)],
    actor: Option<i64>,
    precise: Option<Option<pg_sys::CommandId>>,
) {
    let (Some(&(first, _)), Some(&(last, _))) = (group.first(), group.last()) else { return };
    // None where an instant has no engine time (the refresh raised first)
    let added: Option<Vec<_>> = precise
        .is_some()
        .then(|| {
            group
                .iter()
                .map(|&(_, at)| TimestampWithTimeZone::try_from(at).ok().and_then(crate::load::from_pg_ts))
                .collect()
        })
        .flatten();
    let Some(added) = added else {
        plans::each_tuple_writing(
            REFUSE_AHEAD,
            &[PgBuiltInOids::INT8OID, PgBuiltInOids::DATEOID, PgBuiltInOids::DATEOID, PgBuiltInOids::INT8OID],
            &[
                employee.into(),
                Date::saturating_from_raw(first).into(),
                Date::saturating_from_raw(last).into(),
                actor.into(),
            ],
            |_, _| {},
        );
        return;
    };
    // read as the refresh reads: with this statement's writes in view
    pg_sys::CommandCounterIncrement();
    pg_sys::PushActiveSnapshot(pg_sys::GetTransactionSnapshot());
    let (from, to, seen) = (engine_day(first, -BEFORE), engine_day(last, REACH - 1), engine_day(last, 0));
    let mut days = crate::ahead::days_changed(client, employee, from, to, seen, &added);
    // and what the statement changes against the snapshot before it: a void
    // of a punch stored ahead (a row of punch_void at the punch's instant)
    // changes nothing that leaving out the instant shows. Only someone who
    // may not correct the days is refused there: hr's void is kept again
    // to become what it makes the day once over (_att_refresh).
    if let Some(Some(cid)) = precise {
        let voided: Vec<_> = crate::ahead::days_changed_by_statement(client, employee, from, to, seen, &added, cid)
            .into_iter()
            .filter(|d| !days.contains(d))
            .collect();
        if !voided.is_empty() && !may_correct(employee, &voided, actor) {
            days.extend(voided);
            days.sort_unstable();
        }
    }
    pg_sys::PopActiveSnapshot();
    refuse_closed(employee, days, actor);
}

/// `_att_days_at_instant(employee bigint, at timestamptz) RETURNS date[]`
/// (since 0.26.0): the employee's days that the punches stored at `at`
/// change, judged with and without them as they show now and once every
/// punch stored has happened (as `refuse_group` judges them), each day
/// with the later start its previous workday earns. A correction is
/// checked on these (sql/corrections.sql); until 0.27.0 only an instant
/// still to come was judged here, and the stored days stood for the rest.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_days_at_instant(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    use pgrx::fcinfo::pg_getarg;
    let (Some(employee), Some(at)) = (pg_getarg::<i64>(fcinfo, 0), pg_getarg::<i64>(fcinfo, 1)) else {
        (*fcinfo).isnull = true;
        return pg_sys::Datum::from(0usize);
    };
    let Some(instant) = TimestampWithTimeZone::try_from(at).ok().and_then(crate::load::from_pg_ts) else {
        errors::raise(
            PgSqlErrorCode::ERRCODE_DATETIME_FIELD_OVERFLOW,
            "the instant of a correction must be a finite time the engine can judge",
        )
    };
    let day = at.div_euclid(USECS_PER_DAY) as i32;
    let (from, to, seen) = (engine_day(day, -BEFORE), engine_day(day, REACH - 1), engine_day(day, 0));
    let days =
        Spi::connect(|client| crate::ahead::days_changed_now_or_later(&client, employee, from, to, seen, instant));
    let days: Vec<Date> = days.into_iter().map(dates::to_pg).collect();
    days.into_datum().unwrap_or(pg_sys::Datum::from(0usize))
}

/// What a table's rows reach, named by the trigger's argument: the
/// instant of a punch, the period of an excuse, the day of a schedule.
#[derive(Clone, Copy)]
enum Span {
    Instant,
    Period,
    Day,
}

impl Span {
    unsafe fn of(data: *mut pg_sys::TriggerData) -> (Span, &'static std::ffi::CStr) {
        let trigger = (*data).tg_trigger;
        let argument = ((*trigger).tgnargs == 1).then(|| std::ffi::CStr::from_ptr(*(*trigger).tgargs));
        match argument.map(|a| a.to_bytes()) {
            Some(b"at::date AS f, at::date AS l") => (Span::Instant, c"at"),
            Some(b"lower(during)::date AS f, upper(during)::date AS l") => (Span::Period, c"during"),
            Some(b"day AS f, day AS l") => (Span::Day, c"day"),
            _ => {
                let table = std::ffi::CStr::from_ptr((*(*(*data).tg_relation).rd_rel).relname.data.as_ptr());
                errors::raise(
                    PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED,
                    &format!("refresh_changed_days is not meant for table {}", table.to_string_lossy()),
                )
            }
        }
    }

    /// What a row's value reaches (None: beyond the engine's calendar, where
    /// the refresh raises first).
    unsafe fn touch(self, value: pg_sys::Datum) -> Option<Touch> {
        let instant = |t: &TimestampWithTimeZone| crate::load::from_pg_ts(*t);
        match self {
            Span::Instant => {
                TimestampWithTimeZone::try_from(value.value() as i64).ok().and_then(|t| instant(&t)).map(Touch::Instant)
            }
            Span::Period => {
                let range: Range<TimestampWithTimeZone> = Range::from_datum(value, false)?;
                let from = range.lower()?.get().and_then(instant)?;
                let to = range.upper()?.get().and_then(instant)?;
                Some(Touch::Period(from, to))
            }
            Span::Day => Date::from_datum(value, false).and_then(dates::from_pg).map(Touch::Day),
        }
    }

    /// The first and last UTC day a row's value reaches.
    unsafe fn days(self, value: pg_sys::Datum, employee: i64) -> (i32, i32) {
        match self {
            Span::Instant => {
                let day = utc_day(value.value() as i64, employee);
                (day, day)
            }
            Span::Period => {
                let range: Option<Range<TimestampWithTimeZone>> = Range::from_datum(value, false);
                let bound = |b: Option<&RangeBound<TimestampWithTimeZone>>| {
                    b.and_then(|b| b.get())
                        .map(|t| utc_day(i64::from(*t), employee))
                        .unwrap_or_else(|| unbounded(employee))
                };
                match range {
                    Some(r) => (bound(r.lower()), bound(r.upper())),
                    None => unbounded(employee),
                }
            }
            Span::Day => {
                let day =
                    Date::from_datum(value, false).filter(|d| d.is_finite()).unwrap_or_else(|| unbounded(employee));
                (day.to_pg_epoch_days(), day.to_pg_epoch_days())
            }
        }
    }
}

/// May the employee have a standing day approval on a day of `[bounds[0],
/// bounds[1])`? Read from `day_approval_current`, which holds the standing
/// ones only, under the employee's refresh lock (an approval takes it
/// too); true where it cannot be read directly, so that the write looks.
fn approvals_in_reach(employee: i64, bounds: [Date; 2]) -> bool {
    let Some(mut probe) =
        Probe::open(c"day_approval", c"day_approval_current", c"employee_id", &[(c"day", Kind::Date)])
    else {
        return true;
    };
    let mut found = false;
    let last = Date::saturating_from_raw(bounds[1].to_pg_epoch_days().saturating_sub(1));
    probe.rows(employee, Some(Within::Dates(bounds[0], last)), |_| found = true);
    found
}

/// The PostgreSQL day after an engine day: the end of a range of days
/// that ends with it.
fn days_after(last: NaiveDate) -> Date {
    Date::saturating_from_raw(dates::to_pg(last).to_pg_epoch_days().saturating_add(1))
}

/// The UTC day of a finite instant.
fn utc_day(at: i64, employee: i64) -> i32 {
    if at == i64::MAX || at == i64::MIN {
        unbounded(employee)
    }
    at.div_euclid(USECS_PER_DAY) as i32
}

fn unbounded(employee: i64) -> ! {
    errors::raise(
        PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
        &format!("a row of employee {employee} reaches no finite day: its days cannot be refreshed"),
    )
}

/// An employee's intervals of UTC days, sorted and merged where they lie
/// within `APART` days of each other.
fn merged(mut days: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    days.sort_unstable();
    apart(&days, |&d| d).into_iter().map(|run| (run[0].0, run.iter().map(|d| d.1).max().unwrap_or(run[0].1))).collect()
}

/// The intervals of UTC days each employee's rows in a transition table
/// reach, in employee order (rows far apart in intervals of their own, see
/// `APART`); with `after` (an instant, PostgreSQL's microseconds), also
/// the punches after it (`ahead`), sorted by day. What each row reaches
/// goes to `touches` (`own_change`).
unsafe fn spans(
    data: *mut pg_sys::TriggerData,
    store: *mut pg_sys::Tuplestorestate,
    span: Span,
    columns: [i32; 2],
    after: Option<i64>,
    ahead: &mut BTreeMap<i64, Ahead>,
    touches: &mut BTreeMap<i64, Vec<Touch>>,
) -> BTreeMap<i64, Vec<(i32, i32)>> {
    let mut spans: BTreeMap<i64, Vec<(i32, i32)>> = BTreeMap::new();
    transition::each_row(data, store, columns, |[employee, value]| {
        let (Some(employee), Some(value)) = (employee, value) else { return };
        let employee = employee.value() as i64;
        let days = span.days(value, employee);
        spans.entry(employee).or_default().push(days);
        if let Some(touch) = span.touch(value) {
            touches.entry(employee).or_default().push(touch);
        }
        let at = value.value() as i64;
        if after.is_some_and(|after| at > after) {
            ahead.entry(employee).or_default().push((days.0, at));
        }
    });
    for punches in ahead.values_mut() {
        punches.sort_unstable();
    }
    spans.into_iter().map(|(employee, days)| (employee, merged(days))).collect()
}

/// A day `n` days after PostgreSQL's day `day` as an engine date, or the
/// error of a day out of the engine's calendar.
fn engine_day(day: i32, n: i32) -> chrono::NaiveDate {
    dates::arg(Date::saturating_from_raw(day.saturating_add(n)), "a day the change reaches")
}

/// `refresh_changed_days()`: after a statement, each employee's days from
/// three before the first UTC day its rows reach to eight after the last
/// one refreshed, strictly (a change to a closed day needs the acting
/// employee's permission): for the rows the statement added first, then
/// for those it removed. For punches, whose rows are instants, the days
/// judged are those that can see one (`days_seeing`): to two after the
/// last under most rules, which saves a punch half its days' evaluation
/// and their comparison with those stored, and under leave-late-arrive-late
/// to the furthest next workday, 33 after (eight before 0.14.0, so a
/// departure before a long holiday left the workday after it stale).
/// Rows of an employee more than `APART` days apart are refreshed each
/// over its own days (since 0.20.0; a punch a century off among this
/// month's had every day between judged, and one 200,000 years off still
/// ran after ten minutes, holding the employee's lock).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_refresh_changed_days(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let data = transition::trigger_data(fcinfo, "refresh_changed_days");
    let (span, column) = Span::of(data);
    let (new, old) = ((*data).tg_newtable, (*data).tg_oldtable);
    if transition::empty(new) && transition::empty(old) {
        return pg_sys::Datum::from(0usize);
    }
    let columns = transition::columns(data, [c"employee_id", column]);
    // The statement's command id, from the snapshot it runs under: what
    // it changed in a closed day is told from what other inputs did
    // (`own_change`).
    let statement = pg_sys::ActiveSnapshotSet().then(|| (*pg_sys::GetActiveSnapshot()).curcid);
    // Punches added after the extension's now (stored before their own
    // time), by employee: the refresh below leaves them out, as everything
    // that has not happened yet, so what they change in a closed day is
    // not seen; they are refused there instead (`refuse_ahead`).
    Spi::connect(|client| {
        let mut ahead = BTreeMap::new();
        let after = (matches!(span, Span::Instant)
            && !transition::empty(new)
            && release::has_function(c"_att_refuse_ahead_closed", &AHEAD_ARGS))
        .then(|| i64::from(crate::load::to_pg_ts(crate::clock::now(&client))));
        let mut touches = BTreeMap::new();
        let added = spans(data, new, span, columns, after, &mut ahead, &mut touches);
        let removed = spans(data, old, span, columns, None, &mut BTreeMap::new(), &mut touches);
        let mut touched: Vec<i64> = added.keys().chain(removed.keys()).copied().collect();
        touched.sort_unstable();
        touched.dedup();
        let distributed = citus::distributed();
        // A statement that touched several employees locks them all first:
        // the locks are then taken in their own order, as every other
        // refresh takes them (one refresh after another would take them in
        // the employees' order, and a concurrent refresh of the same
        // employees in the locks' order would deadlock). So does one with
        // punches stored ahead, whose closed days are asked about under the
        // lock (a closing holds it until it commits).
        if touched.len() > 1 || !ahead.is_empty() {
            if distributed {
                plans::each_tuple_writing(LOCK, &[PgBuiltInOids::INT8ARRAYOID], &[touched.clone().into()], |_, _| {});
            } else {
                locks::lock_employees(touched.iter().copied());
            }
        }
        let mut refresh = Refresh { client: &client, distributed, actor: None, day_array: None, statement, touches };
        for (&employee, intervals) in added.iter().chain(removed.iter()) {
            for &(first, last) in intervals {
                // A punch is an instant: only the days that can see it are judged.
                let from = first.saturating_sub(BEFORE);
                match span {
                    Span::Instant => {
                        refresh.employee(employee, from, last.saturating_add(REACH), Some(engine_day(last, 0)))
                    }
                    _ => refresh.employee(employee, from, last.saturating_add(AFTER), None),
                }
            }
        }
        // after the refreshes, whose errors for days out of range come first;
        // an error here takes back what they wrote
        if !ahead.is_empty() {
            let actor = *refresh.actor.get_or_insert_with(|| access::acting_employee(&client));
            refuse_ahead(&client, &ahead, actor, distributed, refresh.statement);
        }
    });
    pg_sys::Datum::from(0usize)
}

struct Refresh<'a, 'c> {
    client: &'a SpiClient<'c>,
    distributed: bool,
    /// The acting employee, asked for when a closed day may be judged.
    actor: Option<Option<i64>>,
    /// The type `day_result[]`, looked up when a day changed.
    day_array: Option<pg_sys::Oid>,
    /// The command id of the statement the trigger fired for.
    statement: Option<pg_sys::CommandId>,
    /// What the statement's rows reach, by employee (`own_change`).
    touches: BTreeMap<i64, Vec<Touch>>,
}

impl Refresh<'_, '_> {
    /// Refreshes one employee's days `[from, to)` (PostgreSQL days); with
    /// `seen`, the last UTC day of the punches changed, only those that
    /// can see one ([`attendance_rules::days_seeing`]): cut by the rules
    /// the loader reads, or on Citus by the employee's rules read first.
    unsafe fn employee(&mut self, employee: i64, from: i32, to: i32, seen: Option<NaiveDate>) {
        if !self.distributed {
            let (first, last) = (engine_day(from, 0), engine_day(to, -1));
            locks::lock_employees([employee]);
            // Read after the lock, with what this statement and every
            // refresh before it wrote in view, as a PL/pgSQL statement of a
            // volatile function reads.
            pg_sys::CommandCounterIncrement();
            pg_sys::PushActiveSnapshot(pg_sys::GetTransactionSnapshot());
            self.judge_here(employee, from, first, last, seen);
            pg_sys::PopActiveSnapshot();
            return;
        }
        let last = engine_day(to, -1);
        let last = seen.map_or(last, |day| Batch::reach(self.client, &[employee], last, day));
        let bounds = [Date::saturating_from_raw(from), days_after(last)];
        // with a closing in reach, what the statement itself changes, read
        // as the refresh on the worker reads (Citus executes the shards
        // here locally, under the active snapshot)
        let own = if closing_in_reach(bounds) {
            pg_sys::CommandCounterIncrement();
            pg_sys::PushActiveSnapshot(pg_sys::GetTransactionSnapshot());
            let own = self.own(employee, engine_day(from, 0), last, seen);
            pg_sys::PopActiveSnapshot();
            own
        } else {
            None
        };
        self.hand_on(employee, bounds, own);
    }

    /// The days of the employee from `first` to `last` (those that can
    /// see an instant of UTC day `seen`) the statement itself changes,
    /// under SQL that asks for them (`own_change`).
    unsafe fn own(
        &self,
        employee: i64,
        first: NaiveDate,
        last: NaiveDate,
        seen: Option<NaiveDate>,
    ) -> Option<Vec<NaiveDate>> {
        self.statement.filter(|_| release::has_function(c"_att_refresh", &OWN_ARGS)).map(|cid| {
            let touches = self.touches.get(&employee).map_or(&[][..], Vec::as_slice);
            crate::own_change::days_changed(self.client, employee, first, last, seen, cid, touches)
        })
    }

    /// The usual case on one node: the employee's days judged (from
    /// `first` to `last`, cut to those that can see a punch of UTC day
    /// `seen`) compared with those stored and the changed ones written,
    /// or with a closing in their reach, the refresh that judges closed
    /// days over the same days.
    unsafe fn judge_here(
        &mut self,
        employee: i64,
        from: i32,
        first: NaiveDate,
        last: NaiveDate,
        seen: Option<NaiveDate>,
    ) {
        let start = Date::saturating_from_raw(from);
        // Asked once the rules are read and the days judged known.
        let (mut end, mut closed) = (days_after(last), false);
        let mut open = |last: NaiveDate| {
            end = days_after(last);
            closed = closing_in_reach([start, end]);
            !closed
        };
        let (element, array) = self.day_types();
        let judged = calls::changed_days(&[employee], first, last, seen, Some(&mut open), element);
        if closed {
            let own = self.own(employee, first, last, seen);
            return self.hand_on(employee, [start, end], own);
        }
        let Some((days, changed)) = judged else { return };
        if changed > 0 && release::has_function(c"_att_store_few", &[array, pg_sys::BOOLOID]) {
            let approvals = approvals_in_reach(employee, [start, end]);
            plans::each_tuple_writing_typed(
                STORE_FEW,
                &[array, pg_sys::BOOLOID],
                &[DatumWithOid::new(days, array), approvals.into()],
                |_, _| {},
            );
        } else if changed > 0 {
            let args = [employee.into(), start.into(), end.into(), DatumWithOid::new(days, array)];
            plans::each_tuple_writing_typed(
                STORE,
                &[pg_sys::INT8OID, pg_sys::DATEOID, pg_sys::DATEOID, array],
                &args,
                |_, _| {},
            );
        }
    }

    /// `_att_refresh` for the employee's days; with `own`, refusing only
    /// changes to those closed days.
    unsafe fn hand_on(&mut self, employee: i64, bounds: [Date; 2], own: Option<Vec<NaiveDate>>) {
        let actor = *self.actor.get_or_insert_with(|| access::acting_employee(self.client));
        if let Some(own) = own {
            let own: Vec<Date> = own.into_iter().map(dates::to_pg).collect();
            plans::each_tuple_writing(
                REFRESH_OWN,
                &[
                    PgBuiltInOids::INT8OID,
                    PgBuiltInOids::DATEOID,
                    PgBuiltInOids::DATEOID,
                    PgBuiltInOids::INT8OID,
                    PgBuiltInOids::DATEARRAYOID,
                ],
                &[employee.into(), bounds[0].into(), bounds[1].into(), actor.into(), own.into()],
                |_, _| {},
            );
            return;
        }
        plans::each_tuple_writing(
            REFRESH,
            &[PgBuiltInOids::INT8OID, PgBuiltInOids::DATEOID, PgBuiltInOids::DATEOID, PgBuiltInOids::INT8OID],
            &[employee.into(), bounds[0].into(), bounds[1].into(), actor.into()],
            |_, _| {},
        );
    }

    /// `day_result` and `day_result[]`.
    unsafe fn day_types(&mut self) -> (pg_sys::Oid, pg_sys::Oid) {
        let array = *self.day_array.get_or_insert_with(|| {
            let element = release::type_oid(c"day_result").unwrap_or_else(|| {
                errors::raise(PgSqlErrorCode::ERRCODE_UNDEFINED_OBJECT, "type attendance.day_result is missing")
            });
            pg_sys::get_array_type(element)
        });
        (pg_sys::get_element_type(array), array)
    }
}
