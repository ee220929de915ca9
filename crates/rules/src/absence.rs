//! Stepped absenteeism (旷工): lateness or early leave beyond a threshold
//! counts as absence instead, rounded up to a minimum unit.
//!
//! The seed: N = 60, U = 30: 61..90 minutes late is 90 minutes absent,
//! 91..120 is 120, and so on; exactly 60 is late, not absent.

/// Absent minutes for `minutes` of lateness (or early leave) when more than
/// `over` counts as absent, rounded up to a multiple of `unit`; `None` when
/// the threshold is not passed.
pub fn stepped(minutes: i64, over: i64, unit: i64) -> Option<i64> {
    (minutes > over).then(|| round_up(minutes, unit))
}

/// `minutes` rounded up to a multiple of `unit` (a unit below 1 counts as 1).
pub fn round_up(minutes: i64, unit: i64) -> i64 {
    let unit = unit.max(1);
    let m = minutes.max(0);
    m.div_euclid(unit) * unit + if m % unit == 0 { 0 } else { unit }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_steps() {
        assert_eq!(stepped(60, 60, 30), None);
        assert_eq!(stepped(61, 60, 30), Some(90));
        assert_eq!(stepped(90, 60, 30), Some(90));
        assert_eq!(stepped(91, 60, 30), Some(120));
        assert_eq!(stepped(120, 60, 30), Some(120));
        assert_eq!(stepped(121, 60, 30), Some(150));
        assert_eq!(stepped(7, 0, 1), Some(7));
    }
}
