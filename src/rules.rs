//! SQL entry points about rules (SPEC.md B): parsed rules kept per backend,
//! write-time validation, which rule applies to an employee on a day, schedule
//! checks and the local day of a punch. Day evaluation is in `evaluate.rs`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use attendance_rules::Rule;
use chrono::Days;
use pgrx::datum::{Date, TimestampWithTimeZone};
use pgrx::prelude::*;

use crate::dates;
use crate::errors::{self, raise};
use crate::load::{from_pg_ts, Batch};

/// Parsed rules kept for the backend's life, keyed by their JSON text: a
/// rule is parsed once however many days use it, and an edited version has
/// other text, so the cache needs no invalidation.
const CACHED_RULES: usize = 1024;
thread_local! {
    static RULES: RefCell<HashMap<String, Rc<Rule>>> = RefCell::new(HashMap::new());
}

/// The parsed rule for a configuration, or the validation error raised with its SQLSTATE.
pub fn parsed_rule(config: &str) -> Rc<Rule> {
    RULES.with(|cache| {
        if let Some(rule) = cache.borrow().get(config) {
            return rule.clone();
        }
        let rule = Rc::new(Rule::from_json(config).unwrap_or_else(|e| errors::rule(e)));
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHED_RULES {
            cache.clear();
        }
        cache.insert(config.to_owned(), rule.clone());
        rule
    })
}

/// Which rule applies to the employee on the day (NULL: none).
#[pg_extern(stable, strict, parallel_safe)]
fn att_rule_for(employee: i64, day: Date) -> Option<i64> {
    let d = dates::arg(day, "day");
    Spi::connect(|client| Batch::load(client, &[employee], d, d).only().rule_on(d).map(|v| v.rule_id))
}

/// Write-time checks of a schedule row (排班): the rule that applies on the
/// day is a scheduled rule whose validity covers it, the shift exists, and a
/// day up to today needs the rule's "modify history" option.
#[pg_extern(stable, parallel_safe, name = "_att_check_schedule")]
fn att_check_schedule(employee: Option<i64>, day: Option<Date>, shift: Option<&str>) -> bool {
    let (Some(employee), Some(day)) = (employee, day) else {
        raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, "a schedule needs an employee and a day");
    };
    let d = dates::arg(day, "day");
    Spi::connect(|client| {
        let data = Batch::load(client, &[employee], d, d);
        let Some(version) = data.only().rule_on(d) else {
            raise(
                PgSqlErrorCode::ERRCODE_CHECK_VIOLATION,
                &format!("employee {employee} has no attendance rule in force on {d}: schedules are only set inside a rule's validity"),
            );
        };
        let rule = &version.rule;
        if rule.system() != attendance_rules::SystemKind::Scheduled {
            raise(
                PgSqlErrorCode::ERRCODE_CHECK_VIOLATION,
                &format!("rule \"{}\" of employee {employee} on {d} is not a scheduled rule", rule.name()),
            );
        }
        if let Some(name) = shift {
            if rule.shift_id(name).is_none() {
                raise(
                    PgSqlErrorCode::ERRCODE_FOREIGN_KEY_VIOLATION,
                    &format!("rule \"{}\" has no shift \"{name}\"", rule.name()),
                );
            }
        }
        let today = crate::clock::today(client).and_then(dates::from_pg);
        if today.is_some_and(|t| d <= t) && !rule.modify_history() {
            raise(
                PgSqlErrorCode::ERRCODE_CHECK_VIOLATION,
                &format!("{d} is not after today: rule \"{}\" only schedules future days (turn on modify_history to change past days)", rule.name()),
            );
        }
        true
    })
}

/// The local calendar day of an instant for this employee: in the time zone
/// of the rule that applies to them around it (UTC when none does). Definer
/// code: row-level policies on ERP tables with a timestamptz column call it
/// for logins that cannot read the rule tables, and a day is all it tells.
#[pg_extern(stable, strict, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn att_local_day(employee: i64, at: TimestampWithTimeZone) -> Option<Date> {
    let at = from_pg_ts(at)?;
    let utc_day = at.date_naive();
    Spi::connect(|client| {
        let around = |days: u64| utc_day.checked_sub_days(Days::new(days)).unwrap_or(utc_day);
        let data = Batch::load(client, &[employee], around(1), utc_day.succ_opt().unwrap_or(utc_day));
        let tz = [utc_day, around(1), utc_day.succ_opt().unwrap_or(utc_day)]
            .into_iter()
            .find_map(|d| data.only().rule_on(d).map(|v| v.rule.time_zone()));
        Some(dates::to_pg(tz.map_or(utc_day, |tz| at.with_timezone(&tz).date_naive())))
    })
}
