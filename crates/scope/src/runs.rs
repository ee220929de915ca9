//! The set-returning form: every run of days over which an admin's scope on an
//! employee stays the same, so policies and BI joins need one call per query
//! instead of one per row.

use chrono::NaiveDate;

use crate::{Access, Level, ManagedMembership};

/// Days `[start, end)` with one access decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub access: Access,
}

/// The runs of days in `[first, end)` where access is not `none`, in day order.
///
/// Every day is decided by [`Access::from_managed`], the same function as the
/// per-day form, so the two forms cannot disagree.
pub fn scope_runs(managed: &[ManagedMembership], first: NaiveDate, end: NaiveDate, t: NaiveDate) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    if managed.is_empty() {
        return runs;
    }
    for d in first.iter_days().take_while(|d| *d < end) {
        let access = Access::from_managed(managed, d, t);
        if access.level == Level::None {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.end == d && run.access == access => run.end = d.succ_opt().unwrap_or(d),
            _ => runs.push(Run { start: d, end: d.succ_opt().unwrap_or(d), access }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClosingDay, Period};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, m, day).unwrap()
    }

    #[test]
    fn runs_merge_equal_days_and_skip_none() {
        // Seed ③ for 管理者11 as of 2015-02-25: Jan..Feb20 full, Feb21..28 view, March none.
        let managed = [ManagedMembership {
            period: Period::inclusive(d(1, 1), d(2, 20)).unwrap(),
            closing: ClosingDay::MONTH_END,
            via_hr: false,
        }];
        let runs = scope_runs(&managed, d(1, 1), d(4, 1), d(2, 25));
        let got: Vec<_> = runs.iter().map(|r| (r.start, r.end, r.access.level)).collect();
        assert_eq!(got, vec![(d(1, 1), d(2, 21), Level::Full), (d(2, 21), d(3, 1), Level::View)]);
    }
}
