//! Early arrive, early leave (早到早走) and late arrive, late leave (晚到晚走),
//! plus applying an earned leave-late-arrive-late tier (see
//! [`crate::leave_late`]).
//!
//! Each flex rule moves the day's duty window, start and end together, so
//! the required work time is kept ("在保证上班时长的前提下"):
//!
//! - early-arrive-early-leave, fixed X: arriving X or more before the start
//!   moves the window X earlier; elastic: arriving k <= X early moves it k.
//! - late-arrive-late-leave (and an earned tier with A instead of X), fixed:
//!   arriving up to X late moves the window X later (not late, but the end
//!   is X later); elastic: arriving k <= X late moves it k. Arriving more
//!   than X late is plain lateness counted from the start.
//!
//! When both a late-arrive rule and an earned tier cover the arrival, the
//! one moving the end least applies: the employee is not late either way,
//! and the smaller move asks the least of them.

use crate::model::FlexMode;
use crate::rule::{Flex, Tier};

/// Which flex rule moved the window, for reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applied {
    EarlyEarly { mode: FlexMode, allowance: i64 },
    LateLate { mode: FlexMode, allowance: i64 },
    LeaveLate { mode: FlexMode, tier: Tier, stayed: i64 },
}

/// The duty window after flex (Unix seconds), and the move in seconds
/// (negative = earlier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moved {
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) by_secs: i64,
    pub(crate) applied: Option<Applied>,
}

fn shift_by(mode: FlexMode, allowance_min: i64, actual_secs: i64) -> Option<i64> {
    let limit = allowance_min * 60;
    match mode {
        FlexMode::Fixed => (actual_secs <= limit).then_some(limit),
        FlexMode::Elastic => (actual_secs <= limit).then_some(actual_secs),
    }
}

/// Moves the duty window `[start, end]` for a check-in at `check_in`.
pub(crate) fn adjust(flex: &Flex, start: i64, end: i64, check_in: Option<i64>, earned: Option<(Tier, i64)>) -> Moved {
    let unmoved = Moved { start, end, by_secs: 0, applied: None };
    let Some(check_in) = check_in else {
        return unmoved;
    };
    let offset = check_in.saturating_sub(start);
    let (by, applied) = if offset < 0 {
        let early = -offset;
        let Some(a) = flex.early_early else {
            return unmoved;
        };
        match a.mode {
            FlexMode::Fixed if early >= a.minutes * 60 => {
                (-a.minutes * 60, Applied::EarlyEarly { mode: a.mode, allowance: a.minutes })
            }
            FlexMode::Elastic => {
                (-early.min(a.minutes * 60), Applied::EarlyEarly { mode: a.mode, allowance: a.minutes })
            }
            _ => return unmoved,
        }
    } else if offset > 0 {
        let late_late = flex.late_late.and_then(|a| {
            shift_by(a.mode, a.minutes, offset).map(|s| (s, Applied::LateLate { mode: a.mode, allowance: a.minutes }))
        });
        let leave_late = match (&flex.leave_late, earned) {
            (Some((mode, _)), Some((tier, stayed))) => shift_by(*mode, tier.may_arrive_late, offset)
                .map(|s| (s, Applied::LeaveLate { mode: *mode, tier, stayed })),
            _ => None,
        };
        match [late_late, leave_late].into_iter().flatten().min_by_key(|c| c.0) {
            Some(c) => c,
            None => return unmoved,
        }
    } else {
        return unmoved;
    };
    Moved { start: start.saturating_add(by), end: end.saturating_add(by), by_secs: by, applied: Some(applied) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Allowance;
    fn t(h: i64, m: i64) -> i64 {
        h * 3600 + m * 60
    }

    fn flex(early: Option<(FlexMode, i64)>, late: Option<(FlexMode, i64)>) -> Flex {
        Flex {
            early_early: early.map(|(mode, minutes)| Allowance { mode, minutes }),
            late_late: late.map(|(mode, minutes)| Allowance { mode, minutes }),
            leave_late: None,
        }
    }

    #[test]
    fn early_fixed_is_all_or_nothing() {
        let f = flex(Some((FlexMode::Fixed, 30)), None);
        assert_eq!(adjust(&f, t(9, 0), t(18, 0), Some(t(8, 29)), None).end, t(17, 30));
        assert_eq!(adjust(&f, t(9, 0), t(18, 0), Some(t(8, 30)), None).end, t(17, 30));
        assert_eq!(adjust(&f, t(9, 0), t(18, 0), Some(t(8, 31)), None).end, t(18, 0));
    }

    #[test]
    fn late_elastic_moves_minute_for_minute() {
        let f = flex(None, Some((FlexMode::Elastic, 30)));
        let m = adjust(&f, t(9, 0), t(18, 0), Some(t(9, 20)), None);
        assert_eq!((m.start, m.end), (t(9, 20), t(18, 20)));
        assert_eq!(adjust(&f, t(9, 0), t(18, 0), Some(t(9, 31)), None).applied, None);
    }

    #[test]
    fn smaller_move_wins() {
        let mut f = flex(None, Some((FlexMode::Fixed, 30)));
        f.leave_late = Some((FlexMode::Fixed, vec![Tier { left_after: 30, may_arrive_late: 60 }]));
        let earned = Some((Tier { left_after: 30, may_arrive_late: 60 }, 45));
        assert_eq!(adjust(&f, t(9, 0), t(18, 0), Some(t(9, 20)), earned).end, t(18, 30));
        assert_eq!(adjust(&f, t(9, 0), t(18, 0), Some(t(9, 40)), earned).end, t(19, 0));
    }
}
