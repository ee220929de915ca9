//! A `DayRow` as the 32 columns of `attendance.day_result`: PostgreSQL
//! values and null flags, ready for a tuplestore or a composite datum.
//! Columns are only ever added at the end: a result type with fewer of them
//! (an older release's SQL, or the 0.1.0-shaped `_att_evaluate_days`) reads
//! the first ones and ignores the rest.

use chrono::{DateTime, Utc};
use pgrx::datum::TimestampWithTimeZone;
use pgrx::pg_sys::Datum;
use pgrx::IntoDatum;

use crate::dates;
use crate::evaluate::DayRow;
use crate::load::{to_pg_ts, Placement};

pub const COLUMNS: usize = 32;

/// The columns of one row, in `attendance.day_result` order.
pub struct Values {
    pub datums: [Datum; COLUMNS],
    pub nulls: [bool; COLUMNS],
}

impl Values {
    fn new() -> Self {
        Values { datums: [Datum::from(0usize); COLUMNS], nulls: [true; COLUMNS] }
    }

    fn set<T: IntoDatum>(&mut self, column: usize, value: T) {
        if let Some(d) = value.into_datum() {
            self.datums[column] = d;
            self.nulls[column] = false;
        }
    }

    fn set_place(&mut self, place: &Placement) {
        self.set(19, place.org);
        self.set(20, place.company);
        self.set(21, place.period_start.map(dates::to_pg));
    }
}

fn instants(punches: impl Iterator<Item = Option<DateTime<Utc>>>) -> Vec<Option<TimestampWithTimeZone>> {
    punches.map(|at| at.map(to_pg_ts)).collect()
}

/// Converts a row; the values are allocated in the current memory context.
pub fn values(row: &DayRow) -> Values {
    let mut v = Values::new();
    match row {
        DayRow::Judged { employee, rule_id, result: r, excused, place, zone, places } => {
            v.set(0, *employee);
            v.set(1, dates::to_pg(r.date));
            v.set(2, *rule_id);
            v.set(3, r.rule.as_str());
            v.set(4, r.shift.as_deref());
            v.set(5, r.kind.as_str());
            v.set(6, r.status.as_str());
            v.set(7, instants(r.periods.iter().map(|p| p.check_in.map(|c| c.at))));
            v.set(8, instants(r.periods.iter().map(|p| p.check_out.map(|c| c.at))));
            v.set(9, r.scheduled_minutes);
            v.set(10, r.late_minutes);
            v.set(11, r.early_minutes);
            v.set(12, r.absent_minutes);
            v.set(13, r.work_minutes);
            v.set(14, r.overtime_minutes);
            v.set(15, r.overtime_category.map(|c| c.as_str()));
            v.set(16, r.outside_punches.len() as i32);
            v.set(17, excused.leave);
            v.set(18, r.reasons.iter().map(String::as_str).collect::<Vec<&str>>());
            v.set_place(place);
            v.set(22, *zone);
            v.set(23, r.periods.first().map(|p| to_pg_ts(p.start)));
            v.set(24, r.periods.last().map(|p| to_pg_ts(p.end)));
            v.set(25, excused.leave_type.as_deref());
            v.set(26, excused.trip);
            v.set(27, excused.outing);
            v.set(28, excused.appeal);
            v.set(29, places[0].as_deref());
            v.set(30, places[1].as_deref());
            v.set(31, r.attended_minutes);
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
            v.set(6, if not_employed { "not_employed" } else { "no_rule" });
            v.set(7, Vec::<Option<TimestampWithTimeZone>>::new());
            v.set(8, Vec::<Option<TimestampWithTimeZone>>::new());
            for minutes in 9..=14 {
                v.set(minutes, 0i32);
            }
            v.set(16, 0i32);
            v.set(17, 0i32);
            v.set(
                18,
                vec![if not_employed {
                    format!("employee {employee} has no primary membership on {day}: not employed, not a workday")
                } else {
                    format!("no attendance rule applies to employee {employee} on {day}")
                }],
            );
        }
    }
    v
}
