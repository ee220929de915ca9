//! The loader's reads, made directly through each
//! table's index (see `probe`): the same rows the SQL reads of `load` give,
//! one index probe per employee, org, rule or company.

use chrono::{DateTime, NaiveDate, Utc};
use pgrx::datum::{Date, TimestampWithTimeZone};
use pgrx::pg_sys;

use attendance_rules::{Punch, PunchSource};
use attendance_scope::Period;

use crate::dates::{self, period};
use crate::load::{from_pg_ts, punch_source_named, Reads};
use crate::probe::{Kind, Probe, Row, Within};

/// The tables the loader reads, each opened for direct reads.
pub struct Direct {
    person: Probe,
    membership: Probe,
    tree: Probe,
    org_rule: Probe,
    version: Probe,
    org: Probe,
    holiday: Probe,
    schedule: Probe,
    void: Probe,
    punch: Probe,
    excuse: Probe,
}

impl Direct {
    /// Every table opened, or None when any of them must be read by SQL.
    pub fn open() -> Option<Direct> {
        use Kind::*;
        Some(Direct {
            person: Probe::open(
                c"rule_person",
                c"rule_person_pkey",
                c"employee_id",
                &[(c"rule_id", Int8), (c"validity", DateRange)],
            )?,
            membership: Probe::open(
                c"membership",
                c"membership_pkey",
                c"employee_id",
                &[(c"period", DateRange), (c"org_id", Int8), (c"kind", Enum)],
            )?,
            tree: Probe::open(
                c"org_tree",
                c"org_tree_pkey",
                c"org_id",
                &[(c"period", DateRange), (c"path", Int8Array)],
            )?,
            org_rule: Probe::open(c"rule_org", c"rule_org_pkey", c"org_id", &[(c"rule_id", Int8)])?,
            version: Probe::open(
                c"rule_version",
                c"rule_version_pkey",
                c"rule_id",
                &[(c"valid_from", Date), (c"config", Jsonb)],
            )?,
            org: Probe::open(c"org", c"org_pkey", c"org_id", &[(c"closing_day", Int2)])?,
            holiday: Probe::open(c"holiday", c"holiday_pkey", c"company_id", &[(c"day", Date), (c"mark", Enum)])?,
            schedule: Probe::open(c"schedule", c"schedule_pkey", c"employee_id", &[(c"day", Date), (c"shift", Text)])?,
            void: Probe::open(
                c"punch_void",
                c"punch_void_pkey",
                c"employee_id",
                &[(c"punch_id", Int8), (c"at", Timestamptz)],
            )?,
            punch: Probe::open(
                c"punch",
                c"punch_employee_at_idx",
                c"employee_id",
                &[(c"at", Timestamptz), (c"lat", Float8), (c"lon", Float8), (c"source", Enum), (c"punch_id", Int8)],
            )?,
            excuse: Probe::open(
                c"excuse",
                c"excuse_pkey",
                c"employee_id",
                &[(c"kind", Enum), (c"during", TstzRange), (c"leave_type", Text)],
            )?,
        })
    }
}

/// A daterange column's days, as `period(lower(p), upper(p))` reads them.
fn days_of(row: &Row<'_>, i: usize) -> Period {
    let (lower, upper) = row.bounds(i);
    // SAFETY: the bounds of a daterange are dates.
    let date = |d: Option<pg_sys::Datum>| d.and_then(|d| unsafe { <Date as pgrx::FromDatum>::from_datum(d, false) });
    period(date(lower), date(upper))
}

fn micros(t: TimestampWithTimeZone) -> i64 {
    pg_sys::TimestampTz::from(t)
}

/// Every row of `probe` for each of `ids` (sorted, distinct), with its id,
/// in the order of `ids` and, for each, of the index: one range read when
/// the ids lie close together (the parts of `att_evaluate_all` are ranges
/// of ids), where a read per id descended the index once for each.
fn rows_of_each(probe: &mut Probe, ids: &[i64], mut f: impl FnMut(i64, &Row<'_>)) {
    let (Some(&lo), Some(&hi)) = (ids.first(), ids.last()) else { return };
    if crate::probe::close_together(ids) {
        probe.rows_between(lo, hi, |row| {
            let id = row.id();
            if ids.binary_search(&id).is_ok() {
                f(id, row);
            }
        });
    } else {
        for &id in ids {
            probe.rows(id, None, |row| f(id, row));
        }
    }
}

impl Reads for Direct {
    fn person_entries(&mut self, ids: &[i64], each: &mut dyn FnMut(i64, i64, Option<Period>)) {
        rows_of_each(&mut self.person, ids, |id, row| {
            let validity = (!row.is_null(1)).then(|| days_of(row, 1));
            each(id, row.get(0).unwrap_or_default(), validity);
        });
    }

    fn primary_memberships(&mut self, ids: &[i64], each: &mut dyn FnMut(i64, Period, i64)) {
        rows_of_each(&mut self.membership, ids, |id, row| {
            if row.label(2).as_deref() == Some("primary") {
                each(id, days_of(row, 0), row.get(1).unwrap_or_default());
            }
        });
    }

    fn org_places(&mut self, orgs: &[i64], each: &mut dyn FnMut(i64, Period, Vec<i64>)) {
        for &org in orgs {
            self.tree.rows(org, None, |row| each(org, days_of(row, 0), row.get(1).unwrap_or_default()));
        }
    }

    fn org_rules(&mut self, orgs: &[i64], each: &mut dyn FnMut(i64, i64)) {
        for &org in orgs {
            self.org_rule.rows(org, None, |row| each(org, row.get(0).unwrap_or_default()));
        }
    }

    fn versions(&mut self, rules: &[i64], each: &mut dyn FnMut(i64, Option<NaiveDate>, &str)) {
        for &rule in rules {
            self.version.rows(rule, None, |row| {
                let config = row.jsonb_text(1).unwrap_or_default();
                each(rule, row.get::<Date>(0).and_then(dates::from_pg), &config);
            });
        }
    }

    fn closing_days(&mut self, companies: &[i64], each: &mut dyn FnMut(i64, Option<i32>)) {
        for &company in companies {
            self.org.rows(company, None, |row| each(company, row.get::<i16>(0).map(i32::from)));
        }
    }

    fn holidays(
        &mut self,
        companies: &[i64],
        from: Date,
        to: Date,
        each: &mut dyn FnMut(i64, Option<NaiveDate>, bool),
    ) {
        for &company in companies {
            self.holiday.rows(company, Some(Within::Dates(from, to)), |row| {
                let day = row.get::<Date>(0).and_then(dates::from_pg);
                each(company, day, row.label(1).as_deref() == Some("holiday"));
            });
        }
    }

    fn schedules(
        &mut self,
        ids: &[i64],
        from: Date,
        to: Date,
        each: &mut dyn FnMut(i64, Option<NaiveDate>, Option<String>),
    ) {
        // most companies keep no rota: a batch then reads nothing per employee
        let (Some(&lo), Some(&hi)) = (ids.first(), ids.last()) else { return };
        if ids.len() > 1 && !self.schedule.any_between(lo, hi) {
            return;
        }
        for &id in ids {
            self.schedule.rows(id, Some(Within::Dates(from, to)), |row| {
                each(id, row.get::<Date>(0).and_then(dates::from_pg), row.get(1));
            });
        }
    }

    fn voided(&mut self, ids: &[i64], from: TimestampWithTimeZone, to: TimestampWithTimeZone) -> Vec<i64> {
        let (from, to) = (micros(from), micros(to));
        let mut voided = Vec::new();
        rows_of_each(&mut self.void, ids, |_, row| {
            let at = row.get::<TimestampWithTimeZone>(1).map(micros);
            if at.is_some_and(|at| at >= from && at < to) {
                voided.push(row.get(0).unwrap_or_default());
            }
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
        // each label's source, by the label's OID: a punch's source is read
        // for every punch of a company's month
        let mut sources: Vec<(pg_sys::Oid, PunchSource)> = Vec::new();
        // an employee's punches come together, in time order
        let mut current: Option<(i64, Vec<Punch>)> = None;
        self.punch.rows_in_window(ids, 0, from, to, |id, row| {
            if current.as_ref().is_some_and(|(c, _)| *c != id) {
                if let Some((c, punches)) = current.take().filter(|(_, p)| !p.is_empty()) {
                    each(c, punches);
                }
            }
            // a month's punches without growing the vector step by step
            let punches = &mut current.get_or_insert_with(|| (id, Vec::with_capacity(64))).1;
            if !voided.is_empty() && row.get::<i64>(4).is_some_and(|p| voided.contains(&p)) {
                return;
            }
            let Some(at) = row.get::<TimestampWithTimeZone>(0).and_then(from_pg_ts) else { return };
            let oid = row.enum_oid(3);
            let known = sources.iter().find(|(o, _)| Some(*o) == oid).map(|(_, s)| *s);
            let source = known.unwrap_or_else(|| {
                let source = punch_source_named(row.label(3).as_deref().unwrap_or_default());
                if let Some(oid) = oid {
                    sources.push((oid, source));
                }
                source
            });
            punches.push(Punch { at, lat: row.get(1), lon: row.get(2), source });
        });
        if let Some((c, punches)) = current.filter(|(_, p)| !p.is_empty()) {
            each(c, punches);
        }
    }

    fn excuses(
        &mut self,
        ids: &[i64],
        from: TimestampWithTimeZone,
        to: TimestampWithTimeZone,
        each: &mut dyn FnMut(i64, &str, Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<String>),
    ) {
        rows_of_each(&mut self.excuse, ids, |id, row| {
            if !row.overlaps(1, from, to) {
                return;
            }
            let (lower, upper) = row.bounds(1);
            // SAFETY: the bounds of a tstzrange are instants.
            let instant = |d: Option<pg_sys::Datum>| {
                d.and_then(|d| unsafe { <TimestampWithTimeZone as pgrx::FromDatum>::from_datum(d, false) })
                    .and_then(from_pg_ts)
            };
            let kind = row.label(0).unwrap_or_else(|| "".into());
            each(id, &kind, instant(lower), instant(upper), row.get(2));
        });
    }
}
