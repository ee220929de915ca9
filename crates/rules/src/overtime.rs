//! Overtime (加班): minutes after the end, gated by a threshold and rounded
//! down to a unit; work on rest days and holidays counts in its own
//! category when the overtime rule says so.
//!
//! The threshold only gates, like the late allowance: with a 30-minute
//! threshold, leaving 45 minutes after the end is 45 minutes (before
//! rounding), leaving 20 minutes after is none. What counts is the time the
//! person was present outside the shift, which a check-in after the end (or
//! a check-out before the start) makes shorter than the check-out's reach:
//! the threshold stays measured from the end, as documented ("a check-out
//! at least N minutes after the end"), and only the count changes.

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

/// One side of a workday outside its shift, in whole minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Side {
    /// How far the punch reaches past the boundary: the check-out after the
    /// end, the check-in before the start. The threshold gates this.
    pub reach: i64,
    /// How many of those minutes the person was present: less than the
    /// reach when the check-in came after the end (or the check-out before
    /// the start). This is what counts.
    pub present: i64,
}

impl Side {
    /// Present all the way from the boundary to the punch.
    #[cfg(test)]
    fn whole(minutes: i64) -> Side {
        Side { reach: minutes, present: minutes }
    }

    /// The minutes this side adds: none below the threshold, else the
    /// minutes present (never more than the reach).
    fn gated(self, rule: &Overtime) -> i64 {
        if self.reach <= 0 || self.reach < rule.min_after_end {
            return 0;
        }
        self.present.clamp(0, self.reach)
    }
}

/// Workday overtime for arriving `before` the start (counted only with
/// `count_before_start`) and leaving `after` the end. The threshold gates
/// each side on its own by its reach, like the late allowance gates
/// lateness; the minutes present on the sides that pass are added and the
/// sum is rounded down once, so two half units on either side of the day
/// make a whole one.
pub(crate) fn workday(rule: &Overtime, before: Side, after: Side) -> i64 {
    let before = if rule.count_before_start { before.gated(rule) } else { 0 };
    round_down(before + after.gated(rule), rule.unit)
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
        let after = |m| workday(&OT, Side::default(), Side::whole(m));
        assert_eq!(after(20), 0);
        assert_eq!(after(30), 30);
        assert_eq!(after(59), 30);
        assert_eq!(after(70), 60);
        assert_eq!(after(-5), 0);
    }

    #[test]
    fn the_threshold_gates_the_reach_and_the_presence_counts() {
        // Left 70 after the end, present for 40 of them: 40, rounded to 30.
        assert_eq!(workday(&OT, Side::default(), Side { reach: 70, present: 40 }), 30);
        // Present 40, but the check-out only 20 after the end: none.
        assert_eq!(workday(&OT, Side::default(), Side { reach: 20, present: 40 }), 0);
        // Reach met, nobody present: none.
        assert_eq!(workday(&OT, Side::default(), Side { reach: 90, present: 0 }), 0);
        // Before the start only with count_before_start; each side gated.
        let both = Overtime { count_before_start: true, ..OT };
        let early = Side { reach: 60, present: 15 };
        assert_eq!(workday(&both, early, Side::whole(45)), 60);
        assert_eq!(workday(&both, Side { reach: 20, present: 20 }, Side::whole(45)), 30);
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
