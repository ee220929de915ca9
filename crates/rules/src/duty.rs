//! Duty time: a period's time less its breaks.
//!
//! A break inside a period (a lunch hour nobody punches for) is not work,
//! and nobody is late, early or absent in it, so every measure of a period
//! that may hold breaks goes through here. Instants are Unix seconds;
//! breaks are disjoint and in order. Without breaks every function reduces
//! to the plain arithmetic the engine used before breaks existed.

use crate::punch::{covered_secs, covered_since, covered_until, Excuse};

/// Seconds of `[a, b)` outside the breaks; 0 when `b <= a`.
pub(crate) fn secs(a: i64, b: i64, breaks: &[(i64, i64)]) -> i64 {
    if b <= a {
        return 0;
    }
    let mut total = b - a;
    for &(s, e) in breaks {
        let (lo, hi) = (s.max(a), e.min(b));
        if hi > lo {
            total -= hi - lo;
        }
    }
    total
}

/// The break holding instant `t` (`start <= t < end`).
pub(crate) fn holding(t: i64, breaks: &[(i64, i64)]) -> Option<(i64, i64)> {
    breaks.iter().copied().find(|&(s, e)| s <= t && t < e)
}

/// Moves `t` forward through excuses and breaks that cover it, up to
/// `limit`: an excuse ending where a break begins excuses the time after
/// the break too, so lateness is measured from where duty really resumes.
pub(crate) fn skip_forward(excuses: &[Excuse], t: i64, limit: i64, breaks: &[(i64, i64)]) -> i64 {
    let mut t = covered_until(excuses, t, limit);
    // Each pass leaves one break behind, so this ends.
    while let Some((_, end)) = holding(t, breaks).filter(|_| t < limit) {
        t = covered_until(excuses, end.min(limit), limit);
    }
    t
}

/// Moves `t` backward through excuses and breaks that cover the moment
/// before it, down to `limit`.
pub(crate) fn skip_backward(excuses: &[Excuse], t: i64, limit: i64, breaks: &[(i64, i64)]) -> i64 {
    let mut t = covered_since(excuses, t, limit);
    while let Some(&(start, _)) = breaks.iter().find(|&&(s, e)| s < t && t <= e).filter(|_| t > limit) {
        t = covered_since(excuses, start.max(limit), limit);
    }
    t
}

/// Duty seconds of `[a, b)` that excuses cover, counted once.
pub(crate) fn excused_secs(excuses: &[Excuse], a: i64, b: i64, breaks: &[(i64, i64)]) -> i64 {
    let mut total = covered_secs(excuses, a, b);
    for &(s, e) in breaks {
        let (lo, hi) = (s.max(a), e.min(b));
        if hi > lo {
            total -= covered_secs(excuses, lo, hi);
        }
    }
    total.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::punch::ExcuseKind;
    use chrono::{TimeZone, Utc};

    const H: i64 = 3600;
    const LUNCH: [(i64, i64); 1] = [(12 * H, 13 * H)];

    fn leave(a: i64, b: i64) -> Excuse {
        Excuse { kind: ExcuseKind::Leave, from: Utc.timestamp_opt(a, 0).unwrap(), to: Utc.timestamp_opt(b, 0).unwrap() }
    }

    #[test]
    fn breaks_are_left_out() {
        assert_eq!(secs(8 * H, 17 * H, &LUNCH), 8 * H);
        assert_eq!(secs(8 * H, 12 * H + 1800, &LUNCH), 4 * H);
        assert_eq!(secs(12 * H + 600, 12 * H + 1200, &LUNCH), 0);
        assert_eq!(secs(9 * H, 8 * H, &LUNCH), 0);
        assert_eq!(secs(8 * H, 17 * H, &[]), 9 * H);
    }

    #[test]
    fn an_excuse_up_to_the_break_runs_through_it() {
        let morning = [leave(8 * H, 12 * H)];
        assert_eq!(skip_forward(&morning, 8 * H, 17 * H, &LUNCH), 13 * H);
        assert_eq!(skip_forward(&morning, 8 * H, 17 * H, &[]), 12 * H);
        let afternoon = [leave(13 * H, 17 * H)];
        assert_eq!(skip_backward(&afternoon, 17 * H, 8 * H, &LUNCH), 12 * H);
        // Both halves excused: nothing is left to be late or early for.
        let both = [leave(8 * H, 12 * H), leave(13 * H, 17 * H)];
        assert_eq!(skip_forward(&both, 8 * H, 17 * H, &LUNCH), 17 * H);
        assert_eq!(excused_secs(&[leave(7 * H, 18 * H)], 8 * H, 17 * H, &LUNCH), 8 * H);
    }
}
