//! Loading the rows that day evaluation needs, for a batch of employees at
//! once: one query per table for the whole batch (punches in one ordered
//! scan by employee and time), however many employees and days it holds.
//! A batch is bounded by the caller (see `sql/evaluate.sql`), so memory stays
//! bounded however large the company is.

use crate::ids::IdMap;
use std::cell::Cell;
use std::rc::Rc;

use attendance_rules::applicability::{choose_rule, Candidate, Entry};
use attendance_rules::{
    days_read_before, days_seeing, CalendarMark, Excuse, ExcuseKind, Punch, PunchSource, Rule, Validity,
};
use attendance_scope::{ClosingDay, Period};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use pgrx::datum::{Date, TimestampWithTimeZone};
use pgrx::prelude::*;
use pgrx::spi::{SpiClient, SpiHeapTupleData};

use crate::dates::{self, period};
use crate::errors::raise;
use crate::plans::each_row;
use crate::rules::parsed_rule;

const DATEOID: PgBuiltInOids = PgBuiltInOids::DATEOID;
const INT8ARRAYOID: PgBuiltInOids = PgBuiltInOids::INT8ARRAYOID;
const INT8OID: PgBuiltInOids = PgBuiltInOids::INT8OID;
const TIMESTAMPTZOID: PgBuiltInOids = PgBuiltInOids::TIMESTAMPTZOID;

// Per-employee tables are read once per id of the batch, each read one
// index probe: a LATERAL subquery kept apart by OFFSET 0, which no plan can
// turn into a hash join over a scan of the table. The plans are generic and
// kept, and may be made while a table is empty or before it was ever
// analyzed: a plain join to the ids, or `= ANY ($1)` (an array of unknown
// size), was planned as such a scan more than once. Memberships
// are probed through their primary key: `IS TRUE` keeps the period test off
// the GiST index, which is far slower for one employee.
const PERSON_ENTRIES: &str = "
SELECT r.employee_id, r.rule_id, lower(r.validity), upper(r.validity), r.validity IS NULL
  FROM unnest($1::int8[]) AS e(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.rule_person r WHERE r.employee_id = e.id OFFSET 0) r";
// Every primary membership, not only those of the range: an employee with
// memberships, none of them on a day, is not employed that day, while one
// with none at all has no employment data and is judged on every day. A
// membership comes in pieces, one per place its org held in the tree
// (ORG_PLACES, read once per org of the batch, not once per member), so
// that each day inherits rules and calendars through the tree of that day.
// A batch of consecutive ids, as a company-wide run makes them, reads its
// memberships in one range of the primary key (a few pages, where a probe
// per id costs a descent each); a scattered batch probes per id.
const PRIMARY_MEMBERSHIPS: &str = "
SELECT m.employee_id, lower(m.period), upper(m.period), m.org_id
  FROM unnest($1::int8[]) AS e(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.membership m
                      WHERE m.employee_id = e.id AND (m.kind = 'primary') IS TRUE OFFSET 0) m";
const PRIMARY_MEMBERSHIPS_RANGE: &str = "
SELECT m.employee_id, lower(m.period), upper(m.period), m.org_id
  FROM attendance.membership m
 WHERE m.employee_id >= $2 AND m.employee_id <= $3 AND (m.employee_id = ANY ($1)) IS TRUE
   AND (m.kind = 'primary') IS TRUE";
const ORG_PLACES: &str = "
SELECT t.org_id, lower(t.period), upper(t.period), t.path
  FROM unnest($1::int8[]) AS o(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.org_tree t WHERE t.org_id = o.id OFFSET 0) t";
// The same under a release before 0.4.0 (see `release`): the tree after the latest move.
const PRIMARY_MEMBERSHIPS_UNDATED: &str = "
SELECT m.employee_id, lower(m.period), upper(m.period), o.path
  FROM unnest($1::int8[]) AS e(id)
  JOIN attendance.membership m ON m.employee_id = e.id
  JOIN attendance.org o ON o.org_id = m.org_id
 WHERE m.kind = 'primary'";
const ORG_RULES: &str = "SELECT org_id, rule_id FROM attendance.rule_org WHERE org_id = ANY ($1)";
const VERSIONS: &str = "
SELECT rule_id, valid_from, config::text FROM attendance.rule_version
 WHERE rule_id = ANY ($1) ORDER BY rule_id, valid_from";
const HOLIDAYS: &str = "
SELECT company_id, day, mark = 'holiday' FROM attendance.holiday
 WHERE company_id = ANY ($1) AND day BETWEEN $2 AND $3";
const SCHEDULES: &str = "
SELECT s.employee_id, s.day, s.shift
  FROM unnest($1::int8[]) AS e(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.schedule s
                      WHERE s.employee_id = e.id AND s.day BETWEEN $2 AND $3 OFFSET 0) s";
// On Citus the per-employee tables name the batch's employees in the
// query itself: Citus routes a statement to the shards by a filter on the
// distribution column, and a join to the ids would read every shard.
const SCHEDULES_CITUS: &str = "
SELECT s.employee_id, s.day, s.shift
  FROM attendance.schedule s WHERE s.employee_id = ANY ($1) AND s.day BETWEEN $2 AND $3";
// Voided punches are few: read first and left out of the punch scan by id.
const VOIDED: &str = "
SELECT v.punch_id
  FROM unnest($1::int8[]) AS e(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.punch_void v
                      WHERE v.employee_id = e.id AND v.at >= $2 AND v.at < $3 OFFSET 0) v";
const VOIDED_CITUS: &str = "
SELECT v.punch_id
  FROM attendance.punch_void v WHERE v.employee_id = ANY ($1) AND v.at >= $2 AND v.at < $3";
// The one ordered scan of the punches: an index-only scan of
// punch_employee_at_idx (which includes every column read here), one row per
// employee with the punches as arrays in time order, so that a punch costs an
// array element rather than an SPI row. The sources every release has are
// compared as the enum (a text cast per punch was a tenth of the scan); the
// later ones as text, which parses under a release without them.
const PUNCHES: &str = "
SELECT p.employee_id, array_agg(p.at), array_agg(p.lat), array_agg(p.lon),
       array_agg(CASE WHEN p.source = 'device' THEN 0 WHEN p.source = 'make_up' THEN 1 WHEN p.source = 'appeal' THEN 2
                      ELSE CASE p.source::text WHEN 'terminal' THEN 3 WHEN 'mobile' THEN 4 ELSE 0 END END)
  FROM attendance.punch p
 WHERE p.employee_id = ANY ($1) AND p.at >= $2 AND p.at < $3 AND p.punch_id <> ALL ($4)
 GROUP BY p.employee_id";
const COMPANY_CLOSING: &str = "SELECT org_id, closing_day::int4 FROM attendance.org WHERE org_id = ANY ($1)";
const EXCUSES: &str = "
SELECT x.employee_id, x.kind::text, lower(x.during), upper(x.during), x.leave_type
  FROM unnest($1::int8[]) AS e(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.excuse x
                      WHERE x.employee_id = e.id AND x.during && tstzrange($2, $3) OFFSET 0) x";
const EXCUSES_CITUS: &str = "
SELECT x.employee_id, x.kind::text, lower(x.during), upper(x.during), x.leave_type
  FROM attendance.excuse x WHERE x.employee_id = ANY ($1) AND x.during && tstzrange($2, $3)";
// The same under a release before 0.4.0 (see `release`), some of which had no leave types.
const EXCUSES_UNTYPED: &str = "
SELECT x.employee_id, x.kind::text, lower(x.during), upper(x.during), NULL::text
  FROM unnest($1::int8[]) AS e(id)
 CROSS JOIN LATERAL (SELECT * FROM attendance.excuse x
                      WHERE x.employee_id = e.id AND x.during && tstzrange($2, $3) OFFSET 0) x";

/// The loader's reads, one per table, each handing its rows on typed:
/// by SQL ([`SqlReads`]) or by direct index reads ([`crate::direct`]).
pub(crate) trait Reads {
    /// Rule entries of employees: (employee, rule, validity; None undated).
    fn person_entries(&mut self, ids: &[i64], each: &mut dyn FnMut(i64, i64, Option<Period>));
    /// Every primary membership: (employee, period, org).
    fn primary_memberships(&mut self, ids: &[i64], each: &mut dyn FnMut(i64, Period, i64));
    /// The places of orgs in the tree: (org, period, path).
    fn org_places(&mut self, orgs: &[i64], each: &mut dyn FnMut(i64, Period, Vec<i64>));
    /// (org, rule) of the orgs with a rule.
    fn org_rules(&mut self, orgs: &[i64], each: &mut dyn FnMut(i64, i64));
    /// Versions of rules, each rule's oldest first: (rule, valid from, config).
    fn versions(&mut self, rules: &[i64], each: &mut dyn FnMut(i64, Option<NaiveDate>, &str));
    /// (company, closing day) of companies.
    fn closing_days(&mut self, companies: &[i64], each: &mut dyn FnMut(i64, Option<i32>));
    /// Calendar marks from `from` to `to`: (company, day, a holiday rather than a make-up workday).
    fn holidays(&mut self, companies: &[i64], from: Date, to: Date, each: &mut dyn FnMut(i64, Option<NaiveDate>, bool));
    /// Schedules from `from` to `to`: (employee, day, shift).
    fn schedules(
        &mut self,
        ids: &[i64],
        from: Date,
        to: Date,
        each: &mut dyn FnMut(i64, Option<NaiveDate>, Option<String>),
    );
    /// The ids of punches voided in `[from, to)`.
    fn voided(&mut self, ids: &[i64], from: TimestampWithTimeZone, to: TimestampWithTimeZone) -> Vec<i64>;
    /// Each employee's punches in `[from, to)` but the voided, in time order.
    fn punches(
        &mut self,
        ids: &[i64],
        from: TimestampWithTimeZone,
        to: TimestampWithTimeZone,
        voided: Vec<i64>,
        each: &mut dyn FnMut(i64, Vec<Punch>),
    );
    /// Excuses overlapping `[from, to)`: (employee, kind, from, to, leave type).
    #[allow(clippy::type_complexity)]
    fn excuses(
        &mut self,
        ids: &[i64],
        from: TimestampWithTimeZone,
        to: TimestampWithTimeZone,
        each: &mut dyn FnMut(i64, &str, Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<String>),
    );
}

/// A punch's source as the loader's queries number it.
fn punch_source(n: Option<i32>) -> PunchSource {
    match n {
        Some(1) => PunchSource::MakeUp,
        Some(2) => PunchSource::Appeal,
        Some(3) => PunchSource::Terminal,
        Some(4) => PunchSource::Mobile,
        _ => PunchSource::Device,
    }
}

/// A punch's source by its label (`punch_source`'s values); a label this
/// library does not know is a device punch, as the queries read it.
pub(crate) fn punch_source_named(label: &str) -> PunchSource {
    match label {
        "make_up" => PunchSource::MakeUp,
        "appeal" => PunchSource::Appeal,
        "terminal" => PunchSource::Terminal,
        "mobile" => PunchSource::Mobile,
        _ => PunchSource::Device,
    }
}

/// The reads by SQL: one query per table for the whole batch.
struct SqlReads<'a, 'c> {
    client: &'a SpiClient<'c>,
    current: bool,
}

impl Reads for SqlReads<'_, '_> {
    fn person_entries(&mut self, ids: &[i64], each: &mut dyn FnMut(i64, i64, Option<Period>)) {
        each_row(self.client, PERSON_ENTRIES, &[INT8ARRAYOID], &[ids.to_vec().into()], |row| {
            let undated: bool = row.get(5).ok().flatten().unwrap_or(true);
            let validity = (!undated).then(|| period(row.get(3).ok().flatten(), row.get(4).ok().flatten()));
            each(int8(row, 1), int8(row, 2), validity);
        });
    }

    fn primary_memberships(&mut self, ids: &[i64], each: &mut dyn FnMut(i64, Period, i64)) {
        let mut keep = |row: &SpiHeapTupleData<'_>| {
            each(int8(row, 1), period(row.get(2).ok().flatten(), row.get(3).ok().flatten()), int8(row, 4));
        };
        let (lo, hi) = (ids.first().copied().unwrap_or(0), ids.last().copied().unwrap_or(0));
        // consecutive enough that the range holds at most four times the batch
        if hi.saturating_sub(lo) < 4 * ids.len() as i64 {
            each_row(
                self.client,
                PRIMARY_MEMBERSHIPS_RANGE,
                &[INT8ARRAYOID, INT8OID, INT8OID],
                &[ids.to_vec().into(), lo.into(), hi.into()],
                &mut keep,
            );
        } else {
            each_row(self.client, PRIMARY_MEMBERSHIPS, &[INT8ARRAYOID], &[ids.to_vec().into()], &mut keep);
        }
    }

    fn org_places(&mut self, orgs: &[i64], each: &mut dyn FnMut(i64, Period, Vec<i64>)) {
        each_row(self.client, ORG_PLACES, &[INT8ARRAYOID], &[orgs.to_vec().into()], |row| {
            let path: Vec<i64> = row.get::<Vec<i64>>(4).ok().flatten().unwrap_or_default();
            each(int8(row, 1), period(row.get(2).ok().flatten(), row.get(3).ok().flatten()), path);
        });
    }

    fn org_rules(&mut self, orgs: &[i64], each: &mut dyn FnMut(i64, i64)) {
        each_row(self.client, ORG_RULES, &[INT8ARRAYOID], &[orgs.to_vec().into()], |row| {
            each(int8(row, 1), int8(row, 2));
        });
    }

    fn versions(&mut self, rules: &[i64], each: &mut dyn FnMut(i64, Option<NaiveDate>, &str)) {
        each_row(self.client, VERSIONS, &[INT8ARRAYOID], &[rules.to_vec().into()], |row| {
            let config: String = row.get(3).ok().flatten().unwrap_or_default();
            each(int8(row, 1), day(row, 2), &config);
        });
    }

    fn closing_days(&mut self, companies: &[i64], each: &mut dyn FnMut(i64, Option<i32>)) {
        each_row(self.client, COMPANY_CLOSING, &[INT8ARRAYOID], &[companies.to_vec().into()], |row| {
            each(int8(row, 1), row.get(2).ok().flatten());
        });
    }

    fn holidays(
        &mut self,
        companies: &[i64],
        from: Date,
        to: Date,
        each: &mut dyn FnMut(i64, Option<NaiveDate>, bool),
    ) {
        let args = [companies.to_vec().into(), from.into(), to.into()];
        each_row(self.client, HOLIDAYS, &[INT8ARRAYOID, DATEOID, DATEOID], &args, |row| {
            each(int8(row, 1), day(row, 2), row.get::<bool>(3).ok().flatten().unwrap_or(false));
        });
    }

    fn schedules(
        &mut self,
        ids: &[i64],
        from: Date,
        to: Date,
        each: &mut dyn FnMut(i64, Option<NaiveDate>, Option<String>),
    ) {
        let sql = if crate::citus::present() { SCHEDULES_CITUS } else { SCHEDULES };
        let args = [ids.to_vec().into(), from.into(), to.into()];
        each_row(self.client, sql, &[INT8ARRAYOID, DATEOID, DATEOID], &args, |row| {
            each(int8(row, 1), day(row, 2), row.get::<String>(3).ok().flatten());
        });
    }

    fn voided(&mut self, ids: &[i64], from: TimestampWithTimeZone, to: TimestampWithTimeZone) -> Vec<i64> {
        let sql = if crate::citus::present() { VOIDED_CITUS } else { VOIDED };
        let mut voided = Vec::new();
        let args = [ids.to_vec().into(), from.into(), to.into()];
        each_row(self.client, sql, &[INT8ARRAYOID, TIMESTAMPTZOID, TIMESTAMPTZOID], &args, |row| {
            voided.push(int8(row, 1))
        });
        voided
    }

    fn punches(
        &mut self,
        ids: &[i64],
        from: TimestampWithTimeZone,
        to: TimestampWithTimeZone,
        voided: Vec<i64>,
        each: &mut dyn FnMut(i64, Vec<Punch>),
    ) {
        let args = [ids.to_vec().into(), from.into(), to.into(), voided.into()];
        each_row(self.client, PUNCHES, &[INT8ARRAYOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8ARRAYOID], &args, |row| {
            let at: Vec<Option<TimestampWithTimeZone>> = row.get(2).ok().flatten().unwrap_or_default();
            let lat: Vec<Option<f64>> = row.get(3).ok().flatten().unwrap_or_default();
            let lon: Vec<Option<f64>> = row.get(4).ok().flatten().unwrap_or_default();
            let source: Vec<Option<i32>> = row.get(5).ok().flatten().unwrap_or_default();
            let mut punches = Vec::with_capacity(at.len());
            for (k, at) in at.into_iter().enumerate() {
                let Some(at) = at.and_then(from_pg_ts) else { continue };
                let source = punch_source(source.get(k).copied().flatten());
                let (lat, lon) = (lat.get(k).copied().flatten(), lon.get(k).copied().flatten());
                punches.push(Punch { at, lat, lon, source });
            }
            each(int8(row, 1), punches);
        });
    }

    fn excuses(
        &mut self,
        ids: &[i64],
        from: TimestampWithTimeZone,
        to: TimestampWithTimeZone,
        each: &mut dyn FnMut(i64, &str, Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<String>),
    ) {
        let sql = if crate::citus::present() {
            EXCUSES_CITUS
        } else if self.current {
            EXCUSES
        } else {
            EXCUSES_UNTYPED
        };
        let args = [ids.to_vec().into(), from.into(), to.into()];
        each_row(self.client, sql, &[INT8ARRAYOID, TIMESTAMPTZOID, TIMESTAMPTZOID], &args, |row| {
            let kind = row.get::<String>(2).ok().flatten().unwrap_or_default();
            each(int8(row, 1), &kind, instant(row, 3), instant(row, 4), row.get::<String>(5).ok().flatten());
        });
    }
}

/// A rule version: in force from `from` until the next version of its rule.
pub struct Version {
    pub rule_id: i64,
    pub from: NaiveDate,
    pub rule: Rc<Rule>,
}

/// One employee's own rows.
#[derive(Default)]
pub struct Rows {
    person: Vec<(i64, Option<Period>)>,
    /// Primary memberships: period and org path (company first).
    primary: Vec<(Period, Vec<i64>)>,
    pub schedule: Vec<(NaiveDate, Option<String>)>,
    pub punches: Vec<Punch>,
    pub excuses: Vec<Excuse>,
    /// Leave with the ERP's leave type: when and which type, for reports.
    pub leave_types: Vec<(DateTime<Utc>, DateTime<Utc>, String)>,
}

/// The most days before a day that any of these rule versions reads.
fn most_read_before(versions: &IdMap<i64, Vec<Version>>) -> u64 {
    versions.values().flatten().map(|v| days_read_before(&v.rule)).max().unwrap_or(2)
}

/// Everything the evaluation of a batch of employees' days needs.
pub struct Batch {
    /// The employees, sorted and without repeats; `rows` follows this order.
    pub employees: Vec<i64>,
    pub rows: Vec<Rows>,
    org_rules: IdMap<i64, i64>,
    /// Versions of each rule, oldest first.
    versions: IdMap<i64, Vec<Version>>,
    holidays: IdMap<i64, Vec<(NaiveDate, CalendarMark)>>,
    /// Each company's closing day, for the closing period a day belongs to.
    closing: IdMap<i64, ClosingDay>,
    /// The extension's now ([`crate::clock::now`]): shift periods not ended by then are pending.
    pub now: DateTime<Utc>,
    /// The last day loaded: the one asked for, or an earlier one
    /// ([`Batch::load_seeing`]).
    pub last: NaiveDate,
    /// Days are evaluated to be stored: a day not over yet carries what it
    /// will be once over ([`crate::evaluate::Due`]).
    pub keep_due: bool,
}

/// The org, company and closing period of an employee's day (all None
/// without employment data).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Placement {
    pub org: Option<i64>,
    pub company: Option<i64>,
    pub period_start: Option<NaiveDate>,
}

/// One employee of a batch, with the shared rows.
pub struct Employee<'a> {
    pub id: i64,
    pub rows: &'a Rows,
    batch: &'a Batch,
    /// The closing period last found for a company: the days of a range
    /// ask for theirs one after another, mostly inside the same period.
    period_seen: Cell<Option<(i64, Period)>>,
}

pub fn utc_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

fn int8(row: &SpiHeapTupleData<'_>, i: usize) -> i64 {
    row.get::<i64>(i).ok().flatten().unwrap_or_default()
}

fn day(row: &SpiHeapTupleData<'_>, i: usize) -> Option<NaiveDate> {
    row.get::<Date>(i).ok().flatten().and_then(dates::from_pg)
}

fn instant(row: &SpiHeapTupleData<'_>, i: usize) -> Option<DateTime<Utc>> {
    row.get::<TimestampWithTimeZone>(i).ok().flatten().and_then(from_pg_ts)
}

impl Batch {
    /// Loads the rows of `employees` for evaluating days `first..=last`:
    /// read through the indexes directly (see `probe`) where the SQL read
    /// would read each table whole, otherwise by SQL, every read a probe by
    /// key (see `plans::probing`).
    pub fn load(client: &SpiClient<'_>, employees: &[i64], first: NaiveDate, last: NaiveDate) -> Batch {
        Self::load_seeing(client, employees, first, last, None)
    }

    /// [`Batch::load`] for the days from `first` to `last` that can see an
    /// instant of UTC day `seen` or before (a refresh after punches whose
    /// last is on that day): the rules loaded tell how far a punch reaches
    /// ([`days_seeing`]), and no later day is loaded or evaluated. The
    /// days loaded end at the batch's `last`.
    pub fn load_seeing(
        client: &SpiClient<'_>,
        employees: &[i64],
        first: NaiveDate,
        last: NaiveDate,
        seen: Option<NaiveDate>,
    ) -> Batch {
        Self::with_reads(client, employees, |reads, ids, current| {
            Self::read(client, reads, ids, current, first, last, seen)
        })
    }

    /// The last day up to `last` that can see an instant of UTC day `seen`
    /// under the employees' rules: the last day [`Batch::load_seeing`]
    /// would load, found from the rules alone (a refresh handed on to
    /// `_att_refresh`).
    pub fn reach(client: &SpiClient<'_>, employees: &[i64], last: NaiveDate, seen: NaiveDate) -> NaiveDate {
        Self::with_reads(client, employees, |reads, ids, current| {
            let (_, _, versions) = Self::rules(client, reads, &ids, current);
            last.min(days_seeing(most_read_before(&versions), seen).1)
        })
    }

    /// `read` over the employees sorted and without repeats, through the
    /// indexes directly where it can, otherwise by SQL.
    fn with_reads<T>(
        client: &SpiClient<'_>,
        employees: &[i64],
        read: impl FnOnce(&mut dyn Reads, Vec<i64>, bool) -> T,
    ) -> T {
        let mut ids = employees.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let current = crate::release::is_current(client);
        // Direct reads at every batch size: one index probe per employee costs
        // what the SQL read's `= ANY` descent costs, without its executor,
        // its arrays and its SPI rows (a month's evaluation took 0.56-0.88
        // of the time with SQL reads, measured side by side).
        let direct = current.then(crate::direct::Direct::open).flatten();
        match direct {
            Some(mut direct) => read(&mut direct, ids, current),
            None => {
                crate::probe::refuse_unreadable_inputs();
                crate::plans::probing(|| read(&mut SqlReads { client, current }, ids, current))
            }
        }
    }

    /// The employees' rule entries and primary memberships (in `ids`'
    /// order), the rules of their orgs, and every version of those rules.
    fn rules(
        client: &SpiClient<'_>,
        reads: &mut dyn Reads,
        ids: &[i64],
        current: bool,
    ) -> (Vec<Rows>, IdMap<i64, i64>, IdMap<i64, Vec<Version>>) {
        let mut rows: Vec<Rows> = ids.iter().map(|_| Rows::default()).collect();
        let slot = |id: i64| ids.binary_search(&id).ok();

        reads.person_entries(ids, &mut |employee, rule, validity| {
            if let Some(i) = slot(employee) {
                rows[i].person.push((rule, validity));
            }
        });
        if current {
            load_primary(reads, ids, &mut rows);
        } else {
            each_row(client, PRIMARY_MEMBERSHIPS_UNDATED, &[INT8ARRAYOID], &[ids.to_vec().into()], |row| {
                let path: Vec<i64> = row.get::<Vec<i64>>(4).ok().flatten().unwrap_or_default();
                if let Some(i) = slot(int8(row, 1)) {
                    rows[i].primary.push((period(row.get(2).ok().flatten(), row.get(3).ok().flatten()), path));
                }
            });
        }

        let mut orgs: Vec<i64> =
            rows.iter().flat_map(|r| r.primary.iter().flat_map(|(_, p)| p.iter().copied())).collect();
        orgs.sort_unstable();
        orgs.dedup();
        let mut org_rules = IdMap::default();
        reads.org_rules(&orgs, &mut |org, rule| {
            org_rules.insert(org, rule);
        });

        let mut rule_ids: Vec<i64> = rows
            .iter()
            .flat_map(|r| r.person.iter().map(|(rule, _)| *rule))
            .chain(org_rules.values().copied())
            .collect();
        rule_ids.sort_unstable();
        rule_ids.dedup();
        let mut versions: IdMap<i64, Vec<Version>> = IdMap::default();
        reads.versions(&rule_ids, &mut |rule_id, from, config| {
            let from = from.unwrap_or(NaiveDate::MIN);
            versions.entry(rule_id).or_default().push(Version { rule_id, from, rule: parsed_rule(config) });
        });
        (rows, org_rules, versions)
    }

    fn read(
        client: &SpiClient<'_>,
        reads: &mut dyn Reads,
        ids: Vec<i64>,
        current: bool,
        first: NaiveDate,
        last: NaiveDate,
        seen: Option<NaiveDate>,
    ) -> Batch {
        let (mut rows, org_rules, versions) = Self::rules(client, reads, &ids, current);
        let slot = |id: i64| ids.binary_search(&id).ok();
        // Night shifts and time zones reach a day or two past either end;
        // leave-late-arrive-late looks back to the previous workday, so a
        // batch under such a rule reads a month further back. Finalising one
        // day for a company otherwise reads a month of punches per employee.
        let before = most_read_before(&versions);
        let last = seen.map_or(last, |day| last.min(days_seeing(before, day).1));
        let lookback = first.checked_sub_days(Days::new(before)).unwrap_or(first);
        let lookahead = last.checked_add_days(Days::new(3)).unwrap_or(last);
        let (pg_back, pg_ahead) = (dates::to_pg(lookback), dates::to_pg(lookahead));

        let mut companies: Vec<i64> =
            rows.iter().flat_map(|r| r.primary.iter().filter_map(|(_, p)| p.first().copied())).collect();
        companies.sort_unstable();
        companies.dedup();
        let mut closing: IdMap<i64, ClosingDay> = IdMap::default();
        reads.closing_days(&companies, &mut |company, day| {
            closing.insert(company, crate::scope::closing_day(day));
        });
        let mut holidays: IdMap<i64, Vec<(NaiveDate, CalendarMark)>> = IdMap::default();
        reads.holidays(&companies, pg_back, pg_ahead, &mut |company, day, holiday| {
            let mark = if holiday { CalendarMark::Holiday } else { CalendarMark::MakeUpWorkday };
            if let Some(d) = day {
                holidays.entry(company).or_default().push((d, mark));
            }
        });

        reads.schedules(&ids, pg_back, pg_ahead, &mut |employee, day, shift| {
            if let (Some(i), Some(d)) = (slot(employee), day) {
                rows[i].schedule.push((d, shift));
            }
        });

        let (from_ts, to_ts) = (to_pg_ts(utc_midnight(lookback)), to_pg_ts(utc_midnight(lookahead)));
        let voided = reads.voided(&ids, from_ts, to_ts);
        reads.punches(&ids, from_ts, to_ts, voided, &mut |employee, punches| {
            if let Some(i) = slot(employee) {
                rows[i].punches = punches;
            }
        });
        reads.excuses(&ids, from_ts, to_ts, &mut |employee, kind, from, to, leave_type| {
            let kind = excuse_kind(kind);
            if let (Some(i), Some(from), Some(to)) = (slot(employee), from, to) {
                rows[i].excuses.push(Excuse { kind, from, to });
                if let Some(t) = leave_type.filter(|_| kind == ExcuseKind::Leave) {
                    rows[i].leave_types.push((from, to, t));
                }
            }
        });
        for r in &mut rows {
            r.excuses.sort_by_key(|e| (e.from, e.to));
            // in time order for `evaluate::places` (the reads give them so;
            // a stable sort keeps the order of punches at the same instant)
            if !r.punches.is_sorted_by_key(|p| p.at) {
                r.punches.sort_by_key(|p| p.at);
            }
        }
        Batch {
            employees: ids,
            rows,
            org_rules,
            versions,
            holidays,
            closing,
            now: crate::clock::now(client),
            last,
            keep_due: false,
        }
    }

    pub fn employees(&self) -> impl Iterator<Item = Employee<'_>> {
        self.employees.iter().zip(&self.rows).map(move |(id, rows)| Employee {
            id: *id,
            rows,
            batch: self,
            period_seen: Cell::new(None),
        })
    }

    /// The `i`-th employee of the batch, in id order.
    pub fn employee(&self, i: usize) -> Option<Employee<'_>> {
        Some(Employee {
            id: *self.employees.get(i)?,
            rows: self.rows.get(i)?,
            batch: self,
            period_seen: Cell::new(None),
        })
    }

    /// The one employee of a batch loaded for a single employee.
    pub fn only(&self) -> Employee<'_> {
        self.employees().next().expect("a batch loaded for one employee holds it")
    }

    /// A company's calendar marks.
    pub fn holidays(&self, company: i64) -> &[(NaiveDate, CalendarMark)] {
        self.holidays.get(&company).map_or(&[], Vec::as_slice)
    }
}

impl<'a> Employee<'a> {
    /// Whether the employee has any primary membership (employment data) at all.
    pub fn has_employment(&self) -> bool {
        !self.rows.primary.is_empty()
    }

    /// The primary membership's org path on `day`, company first.
    pub fn path_on(&self, day: NaiveDate) -> Option<&'a [i64]> {
        self.rows.primary.iter().find(|(p, _)| p.contains(day)).map(|(_, path)| path.as_slice())
    }

    /// The company of the primary membership on `day`.
    pub fn company_on(&self, day: NaiveDate) -> Option<i64> {
        self.path_on(day).and_then(|p| p.first().copied())
    }

    /// Where the employee stood on `day`: the primary membership's org, its
    /// company in the tree of that day, and that company's closing period.
    pub fn placement_on(&self, day: NaiveDate) -> Placement {
        let Some(path) = self.path_on(day) else { return Placement::default() };
        let company = path.first().copied();
        let period_start = company.and_then(|c| {
            let seen = self.period_seen.get().filter(|(of, p)| *of == c && p.contains(day));
            let period = match seen {
                Some((_, p)) => p,
                None => {
                    let p = self.batch.closing.get(&c)?.period_containing(day);
                    self.period_seen.set(Some((c, p)));
                    p
                }
            };
            period.start
        });
        Placement { org: path.last().copied(), company, period_start }
    }

    /// The version of `rule_id` in force on `day`.
    fn version(&self, rule_id: i64, day: NaiveDate) -> Option<&'a Version> {
        self.batch.versions.get(&rule_id)?.iter().take_while(|v| v.from <= day).last()
    }

    /// The days on which the rule version, the employment or the company of
    /// the employee may differ from the day before, sorted: the bounds of
    /// the rule entries and of the primary memberships' places, the first
    /// day of each version of every rule that can reach the employee, and
    /// the bounds of each version's own validity. `rule_on` gives the same
    /// between them, so a segment of days need not ask it each day. None
    /// when any day may differ (a rule in force on yearly dates).
    pub fn changes(&self) -> Option<Vec<NaiveDate>> {
        let mut days = Vec::new();
        let bounds = |p: &Period, days: &mut Vec<NaiveDate>| days.extend(p.start.into_iter().chain(p.end));
        for (_, validity) in &self.rows.person {
            if let Some(p) = validity {
                bounds(p, &mut days);
            }
        }
        for (p, _) in &self.rows.primary {
            bounds(p, &mut days);
        }
        let orgs = self.rows.primary.iter().flat_map(|(_, path)| path.iter());
        let rules = self
            .rows
            .person
            .iter()
            .map(|(rule, _)| *rule)
            .chain(orgs.filter_map(|o| self.batch.org_rules.get(o).copied()));
        for rule in rules {
            for v in self.batch.versions.get(&rule).map_or(&[][..], Vec::as_slice) {
                days.push(v.from);
                match v.rule.validity() {
                    Validity::Always => {}
                    Validity::Range { from, to } => days.extend(std::iter::once(*from).chain(to.succ_opt())),
                    Validity::Yearly(_) => return None,
                }
            }
        }
        days.sort_unstable();
        days.dedup();
        Some(days)
    }

    /// The rule version that applies on `day` by scope precedence (SPEC.md B).
    pub fn rule_on(&self, day: NaiveDate) -> Option<&'a Version> {
        let mut candidates = Candidates::default();
        for (rule, validity) in &self.rows.person {
            match validity {
                Some(p) if p.contains(day) => candidates.push(Candidate { entry: Entry::PersonDated, rule: *rule }),
                Some(_) => {}
                None => candidates.push(Candidate { entry: Entry::Person, rule: *rule }),
            }
        }
        if let Some(path) = self.path_on(day) {
            for (depth, org) in path.iter().rev().enumerate() {
                if let Some(rule) = self.batch.org_rules.get(org) {
                    candidates.push(Candidate { entry: Entry::Org { depth: depth as u32 }, rule: *rule });
                }
            }
        }
        let chosen =
            choose_rule(day, candidates.as_slice(), |rule, d| self.version(rule, d).is_some_and(|v| v.rule.covers(d)))?;
        self.version(chosen, day)
    }
}

/// The rule entries that could apply on a day, on the stack while they are
/// few (always, in practice): `rule_on` is asked for every day of a
/// company's month, and a vector a day was a malloc and a free each.
struct Candidates {
    few: [Candidate<i64>; 8],
    len: usize,
    more: Vec<Candidate<i64>>,
}

impl Default for Candidates {
    fn default() -> Self {
        Candidates { few: [Candidate { entry: Entry::Person, rule: 0 }; 8], len: 0, more: Vec::new() }
    }
}

impl Candidates {
    fn push(&mut self, c: Candidate<i64>) {
        if self.more.is_empty() && self.len < self.few.len() {
            self.few[self.len] = c;
            self.len += 1;
        } else {
            if self.more.is_empty() {
                self.more.extend_from_slice(&self.few[..self.len]);
            }
            self.more.push(c);
        }
    }

    fn as_slice(&self) -> &[Candidate<i64>] {
        if self.more.is_empty() {
            &self.few[..self.len]
        } else {
            &self.more
        }
    }
}

/// The primary memberships of `ids` (sorted, distinct) cut into the places
/// their orgs held in the tree: each piece is the days the membership and
/// the org's place share, with the path of that place.
fn load_primary(reads: &mut dyn Reads, ids: &[i64], rows: &mut [Rows]) {
    let mut members: Vec<(usize, Period, i64)> = Vec::new();
    reads.primary_memberships(ids, &mut |employee, membership, org| {
        if let Ok(i) = ids.binary_search(&employee) {
            members.push((i, membership, org));
        }
    });
    let mut orgs: Vec<i64> = members.iter().map(|m| m.2).collect();
    orgs.sort_unstable();
    orgs.dedup();
    let mut places: IdMap<i64, Vec<(Period, Vec<i64>)>> = IdMap::default();
    reads.org_places(&orgs, &mut |org, place, path| places.entry(org).or_default().push((place, path)));
    for (i, membership, org) in members {
        for (place, path) in places.get(&org).map(Vec::as_slice).unwrap_or_default() {
            if let Some(piece) = membership.intersection(place) {
                rows[i].primary.push((piece, path.clone()));
            }
        }
    }
}

pub(crate) fn excuse_kind(s: &str) -> ExcuseKind {
    match s {
        "business_trip" => ExcuseKind::BusinessTrip,
        "outing" => ExcuseKind::Outing,
        "appeal" => ExcuseKind::Appeal,
        _ => ExcuseKind::Leave,
    }
}

/// PostgreSQL timestamps count microseconds from 2000-01-01 UTC.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

pub fn from_pg_ts(t: TimestampWithTimeZone) -> Option<DateTime<Utc>> {
    let micros = pg_sys::TimestampTz::from(t);
    if micros == i64::MAX || micros == i64::MIN {
        return None;
    }
    // beyond chrono's range (PostgreSQL's reaches further): treated as no instant
    DateTime::from_timestamp_micros(micros.checked_add(PG_EPOCH_MICROS)?)
}

pub fn to_pg_ts(t: DateTime<Utc>) -> TimestampWithTimeZone {
    TimestampWithTimeZone::try_from(t.timestamp_micros() - PG_EPOCH_MICROS)
        .unwrap_or_else(|_| raise(PgSqlErrorCode::ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range"))
}
