//! Overtime (加班): minutes after the end, gated by a threshold and rounded
//! down to a unit; work on rest days and holidays counts in its own
//! category when the overtime rule says so.
//!
//! The threshold only gates, like the late allowance: with a 30-minute
//! threshold, leaving 45 minutes after the end is 45 minutes (before
//! rounding), leaving 20 minutes after is none.

use crate::rule::Overtime;
use serde::{Deserialize, Serialize};

/// Which kind of day overtime was worked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OvertimeCategory {
    /// After the end of a workday's shift.
    Workday,
    /// On a rest day.
    RestDay,
    /// On a public holiday.
    Holiday,
}

impl OvertimeCategory {
    /// The snake_case name, as serde writes it and the SQL columns show it.
    pub fn as_str(self) -> &'static str {
        match self {
            OvertimeCategory::Workday => "workday",
            OvertimeCategory::RestDay => "rest_day",
            OvertimeCategory::Holiday => "holiday",
        }
    }
}

/// Rounds down to a multiple of `unit` (a unit below 1 counts as 1).
pub fn round_down(minutes: i64, unit: i64) -> i64 {
    let unit = unit.max(1);
    minutes.max(0).div_euclid(unit) * unit
}

/// Workday overtime for leaving `minutes_after_end` after the (adjusted) end.
pub(crate) fn after_end(rule: &Overtime, minutes_after_end: i64) -> i64 {
    if minutes_after_end <= 0 || minutes_after_end < rule.min_after_end {
        return 0;
    }
    round_down(minutes_after_end, rule.unit)
}

/// Workday overtime for arriving `before_start` minutes before the start
/// (counted only with `count_before_start`) and leaving `after_end` minutes
/// after the end. The threshold gates each side on its own, like the late
/// allowance gates lateness; the sum is then rounded down once, so two
/// half units on either side of the day make a whole one.
pub(crate) fn workday(rule: &Overtime, before_start: i64, after_end: i64) -> i64 {
    if !rule.count_before_start {
        return self::after_end(rule, after_end);
    }
    let gate = |m: i64| if m <= 0 || m < rule.min_after_end { 0 } else { m };
    round_down(gate(before_start) + gate(after_end), rule.unit)
}

/// Workday overtime by quantity: `worked` minutes beyond the daily
/// quantity, rounded down to the unit; none without a daily quantity.
pub(crate) fn quantity(rule: &Overtime, worked: i64) -> i64 {
    match rule.day_over {
        Some(limit) if worked > limit => round_down(worked - limit, rule.unit),
        _ => 0,
    }
}

/// Rest-day or holiday overtime for `worked` minutes, if the category counts.
pub(crate) fn off_duty(rule: &Overtime, category: OvertimeCategory, worked: i64) -> i64 {
    let counts = match category {
        OvertimeCategory::Workday => true,
        OvertimeCategory::RestDay => rule.count_rest_days,
        OvertimeCategory::Holiday => rule.count_holidays,
    };
    if counts {
        round_down(worked, rule.unit)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OT: Overtime = Overtime {
        min_after_end: 30,
        unit: 30,
        count_rest_days: true,
        count_holidays: false,
        count_before_start: false,
        day_over: Some(480),
        week_over: None,
    };

    #[test]
    fn threshold_then_round_down() {
        assert_eq!(after_end(&OT, 20), 0);
        assert_eq!(after_end(&OT, 30), 30);
        assert_eq!(after_end(&OT, 59), 30);
        assert_eq!(after_end(&OT, 70), 60);
        assert_eq!(after_end(&OT, -5), 0);
    }

    #[test]
    fn quantity_beyond_the_day_rounded_down() {
        assert_eq!(quantity(&OT, 480), 0);
        assert_eq!(quantity(&OT, 509), 0);
        assert_eq!(quantity(&OT, 545), 60);
        assert_eq!(quantity(&Overtime { day_over: None, ..OT }, 900), 0);
    }

    #[test]
    fn categories() {
        assert_eq!(off_duty(&OT, OvertimeCategory::RestDay, 125), 120);
        assert_eq!(off_duty(&OT, OvertimeCategory::Holiday, 125), 0);
    }
}
