//! The whole scope of an admin over one employee as periods, unbounded where
//! it is: what a row-level policy checks each row against, computed once.

use chrono::NaiveDate;

use crate::{Access, Level, ManagedMembership, Period};

/// A period of days with one access decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub period: Period,
    pub access: Access,
}

/// Every period in which access is not `none`, in day order.
///
/// Access can only change where a managed membership starts or ends, or
/// where the closing period holding such a bound starts or ends; between
/// two of these boundaries every day has the same decision, so one
/// representative day per segment, decided by [`Access::from_managed`] (the
/// per-day function), decides the segment.
pub fn scope_spans(managed: &[ManagedMembership], t: NaiveDate) -> Vec<Span> {
    let mut bounds: Vec<NaiveDate> = Vec::new();
    for m in managed {
        for b in [m.period.start, m.period.end].into_iter().flatten() {
            bounds.push(b);
            // The closing period holding the bound (and the day before it)
            // starts and ends where rule 3 of the scope can switch.
            for day in [Some(b), b.pred_opt()].into_iter().flatten() {
                let p = m.closing.period_containing(day);
                bounds.extend([p.start, p.end].into_iter().flatten());
            }
        }
    }
    bounds.sort_unstable();
    bounds.dedup();

    let mut spans: Vec<Span> = Vec::new();
    let mut push = |period: Period, access: Access| {
        if access.level == Level::None {
            return;
        }
        match spans.last_mut() {
            Some(last) if last.access == access && last.period.end == period.start => last.period.end = period.end,
            _ => spans.push(Span { period, access }),
        }
    };
    match bounds.first() {
        None => push(Period { start: None, end: None }, Access::from_managed(managed, t, t)),
        Some(&first) => {
            if let Some(before) = first.pred_opt() {
                push(Period { start: None, end: Some(first) }, Access::from_managed(managed, before, t));
            }
            for (i, &start) in bounds.iter().enumerate() {
                let end = bounds.get(i + 1).copied();
                push(Period { start: Some(start), end }, Access::from_managed(managed, start, t));
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClosingDay;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, m, day).unwrap()
    }

    #[test]
    fn member_at_t_views_everything_else() {
        let managed = [ManagedMembership {
            period: Period::inclusive(d(1, 1), d(2, 20)).unwrap(),
            closing: ClosingDay::MONTH_END,
            via_hr: false,
        }];
        let spans = scope_spans(&managed, d(1, 15));
        let got: Vec<_> = spans.iter().map(|s| (s.period.start, s.period.end, s.access.level)).collect();
        assert_eq!(
            got,
            vec![
                (None, Some(d(1, 1)), Level::View),
                (Some(d(1, 1)), Some(d(2, 21)), Level::Full),
                (Some(d(2, 21)), None, Level::View),
            ]
        );
        // As of after the membership: only the closing periods it touches.
        let spans = scope_spans(&managed, d(3, 15));
        let got: Vec<_> = spans.iter().map(|s| (s.period.start, s.period.end, s.access.level)).collect();
        assert_eq!(
            got,
            vec![(Some(d(1, 1)), Some(d(2, 21)), Level::Full), (Some(d(2, 21)), Some(d(3, 1)), Level::View)]
        );
    }
}
