//! Leave late, arrive late next day (晚走晚到).
//!
//! Up to five tiers "left at least L minutes after the previous workday's
//! end => may arrive A minutes late". The best matching tier (the largest
//! A among tiers whose L was reached) wins. Only a real device punch of the
//! previous workday triggers it: leave, business trips, outings, appeals
//! and make-up punches never do (the seed: 仅对打卡数据生效).

use crate::rule::Tier;
use chrono::{DateTime, Utc};

/// What the next day needs to know about the previous workday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviousWorkday {
    /// Scheduled end of its last period (before any flex move).
    pub end: DateTime<Utc>,
    /// Its last real (device) punch that served as a check-out, if any.
    pub last_real_check_out: Option<DateTime<Utc>>,
}

/// The tier earned by the previous workday, with the minutes stayed after
/// its end.
pub(crate) fn earned(tiers: &[Tier], previous: Option<&PreviousWorkday>) -> Option<(Tier, i64)> {
    let prev = previous?;
    let out = prev.last_real_check_out?;
    let stayed = crate::clock::floor_minutes(out.timestamp() - prev.end.timestamp());
    tiers
        .iter()
        .filter(|t| stayed >= t.left_after)
        .max_by_key(|t| (t.may_arrive_late, t.left_after))
        .map(|t| (*t, stayed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    const TIERS: [Tier; 3] = [
        Tier { left_after: 30, may_arrive_late: 30 },
        Tier { left_after: 120, may_arrive_late: 60 },
        Tier { left_after: 60, may_arrive_late: 45 },
    ];

    #[test]
    fn best_matching_tier_wins() {
        let p = |h, m| PreviousWorkday { end: t(10, 0), last_real_check_out: Some(t(h, m)) };
        assert_eq!(earned(&TIERS, Some(&p(10, 29))), None);
        assert_eq!(earned(&TIERS, Some(&p(10, 30))).map(|x| x.0.may_arrive_late), Some(30));
        assert_eq!(earned(&TIERS, Some(&p(11, 15))).map(|x| x.0.may_arrive_late), Some(45));
        assert_eq!(earned(&TIERS, Some(&p(12, 0))).map(|x| x.0.may_arrive_late), Some(60));
    }

    #[test]
    fn no_real_punch_no_tier() {
        let p = PreviousWorkday { end: t(10, 0), last_real_check_out: None };
        assert_eq!(earned(&TIERS, Some(&p)), None);
        assert_eq!(earned(&TIERS, None), None);
    }
}
