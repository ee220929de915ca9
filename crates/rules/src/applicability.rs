//! Which rule applies to an employee on a day (适用范围): precedence among
//! the rule entries that name the employee or one of their orgs.

use chrono::NaiveDate;

/// How a rule reaches the employee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entry {
    /// Named individually with a validity period that covers the day.
    PersonDated,
    /// Named individually without a validity period.
    Person,
    /// Through an org entry; `depth` 0 is the employee's own org, 1 its parent, ...
    Org {
        /// Steps from the employee's org up to the org holding the entry.
        depth: u32,
    },
}

/// A rule entry that could apply on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<K> {
    /// How the rule reaches the employee.
    pub entry: Entry,
    /// The rule's key.
    pub rule: K,
}

/// The rule that applies on `day`: a dated person entry first, then an
/// undated one, then the nearest org entry, and only among rules whose own
/// validity covers the day (`covers`). Ties cannot happen in stored data
/// (the database refuses overlapping person entries and two rules on one
/// org); among equals the first candidate wins.
pub fn choose_rule<K: Copy>(
    day: NaiveDate,
    candidates: &[Candidate<K>],
    mut covers: impl FnMut(K, NaiveDate) -> bool,
) -> Option<K> {
    let mut best: Option<&Candidate<K>> = None;
    for c in candidates {
        if best.is_some_and(|b| b.entry <= c.entry) || !covers(c.rule, day) {
            continue;
        }
        best = Some(c);
    }
    best.map(|c| c.rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn person_beats_org_and_dated_beats_undated() {
        // The seed: 小A is in rule 1 personally and 项目部 is in rule 2: rule 1 applies.
        let c = [Candidate { entry: Entry::Org { depth: 0 }, rule: 2 }, Candidate { entry: Entry::Person, rule: 1 }];
        assert_eq!(choose_rule(day(), &c, |_, _| true), Some(1));
        let c = [Candidate { entry: Entry::Person, rule: 1 }, Candidate { entry: Entry::PersonDated, rule: 3 }];
        assert_eq!(choose_rule(day(), &c, |_, _| true), Some(3));
    }

    #[test]
    fn nearest_org_wins() {
        let c = [
            Candidate { entry: Entry::Org { depth: 2 }, rule: 7 },
            Candidate { entry: Entry::Org { depth: 1 }, rule: 8 },
        ];
        assert_eq!(choose_rule(day(), &c, |_, _| true), Some(8));
    }

    #[test]
    fn rules_out_of_validity_are_skipped() {
        let c = [Candidate { entry: Entry::Person, rule: 1 }, Candidate { entry: Entry::Org { depth: 0 }, rule: 2 }];
        assert_eq!(choose_rule(day(), &c, |r, _| r != 1), Some(2));
        assert_eq!(choose_rule(day(), &c, |_, _| false), None);
        assert_eq!(choose_rule::<i64>(day(), &[], |_, _| true), None);
    }
}
