//! Leave hours for reports (出勤汇总): the part of a day's shift periods that
//! approved leave covers. Trips, outings and appeals excuse time too, but a
//! report counts them as worked elsewhere, not as leave.

use chrono::{DateTime, Utc};

use crate::punch::{Excuse, ExcuseKind};
use crate::result::DayResult;

/// Minutes of the day's periods covered by leave; overlapping leave counts once.
pub fn leave_minutes(day: &DayResult, excuses: &[Excuse]) -> i32 {
    excused_minutes(day, excuses, ExcuseKind::Leave)
}

/// Minutes of the day's periods covered by excuses of one kind (leave,
/// business trip, outing, appeal); overlapping excuses count once.
pub fn excused_minutes(day: &DayResult, excuses: &[Excuse], kind: ExcuseKind) -> i32 {
    let mut total: i64 = 0;
    for p in &day.periods {
        let mut covered: Vec<(DateTime<Utc>, DateTime<Utc>)> = excuses
            .iter()
            .filter(|e| e.kind == kind && e.from < p.end && p.start < e.to)
            .map(|e| (e.from.max(p.start), e.to.min(p.end)))
            .collect();
        covered.sort();
        let mut reached: Option<DateTime<Utc>> = None;
        for (from, to) in covered {
            let from = reached.map_or(from, |r| from.max(r));
            if to > from {
                total += if p.breaks.is_empty() {
                    (to - from).num_minutes()
                } else {
                    // a break is neither work nor leave
                    p.duty_secs(from, to).div_euclid(60)
                };
                reached = Some(to);
            }
        }
    }
    i32::try_from(total).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate_day, DayInput, Rule};
    use chrono::{NaiveDate, TimeZone};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    #[test]
    fn counts_leave_inside_the_shift_once() {
        let rule = Rule::from_json(
            r#"{"name": "r", "system": "standard", "punch_mode": "fixed",
                "shifts": [{"name": "d", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]}],
                "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "d"}, "time_zone": "UTC"}"#,
        )
        .unwrap();
        let day = evaluate_day(&rule, &DayInput::new(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), &[]));
        let leave = |from, to| Excuse { kind: ExcuseKind::Leave, from, to };
        // 08:00-10:00 covers 60 min of the morning; 11:00-14:00 covers 60 + 60; a duplicate adds nothing.
        let excuses = [leave(at(8, 0), at(10, 0)), leave(at(11, 0), at(14, 0)), leave(at(11, 30), at(13, 30))];
        assert_eq!(leave_minutes(&day, &excuses), 180);
        let trip = [Excuse { kind: ExcuseKind::BusinessTrip, from: at(9, 0), to: at(18, 0) }];
        assert_eq!(leave_minutes(&day, &trip), 0);
        // the trip counts as trip time instead: the whole shift, 3 h + 5 h
        assert_eq!(excused_minutes(&day, &trip, ExcuseKind::BusinessTrip), 480);
        assert_eq!(excused_minutes(&day, &trip, ExcuseKind::Outing), 0);
    }
}
