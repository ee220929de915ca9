//! Property test: the core's scope decision against a brute-force oracle
//! written straight from SPEC.md section A, over random org trees, membership
//! histories and grants. No shortcuts are shared with the core: the oracle
//! builds the managed set top-down from children lists and finds closing
//! periods by walking days.

use std::collections::{HashMap, HashSet};

use attendance_scope::access::managed_memberships;
use attendance_scope::{
    access, scope_runs, scope_spans, AdminKind, ClosingDay, Grant, Level, Membership, OrgTree, Period,
};
use chrono::{Datelike, Duration, NaiveDate};

/// xorshift64*: deterministic, so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct World {
    parents: Vec<(i64, Option<i64>)>,
    closing: HashMap<i64, Option<u32>>,
    memberships: Vec<Membership>,
    grants: Vec<Grant>,
}

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()
}

fn day(rng: &mut Rng) -> NaiveDate {
    base() + Duration::days(rng.below(150) as i64)
}

fn period(rng: &mut Rng) -> Period {
    let start = if rng.chance(10) { None } else { Some(day(rng)) };
    let end =
        if rng.chance(20) { None } else { Some(start.unwrap_or_else(base) + Duration::days(1 + rng.below(70) as i64)) };
    Period { start, end }
}

fn world(rng: &mut Rng) -> World {
    let n = 1 + rng.below(8) as i64;
    let mut parents = Vec::new();
    let mut closing = HashMap::new();
    for org in 1..=n {
        let parent = if org == 1 || rng.chance(20) { None } else { Some(1 + rng.below((org - 1) as u64) as i64) };
        if parent.is_none() {
            closing.insert(org, if rng.chance(50) { None } else { Some(1 + rng.below(28) as u32) });
        }
        parents.push((org, parent));
    }
    let memberships =
        (0..rng.below(5)).map(|_| Membership { org: 1 + rng.below(n as u64) as i64, period: period(rng) }).collect();
    let grants = (0..rng.below(4))
        .map(|_| Grant {
            org: 1 + rng.below(n as u64) as i64,
            kind: if rng.chance(50) { AdminKind::Admin } else { AdminKind::Hr },
            period: period(rng),
        })
        .collect();
    World { parents, closing, memberships, grants }
}

impl World {
    fn tree(&self) -> OrgTree {
        let mut t = OrgTree::new();
        for (org, parent) in &self.parents {
            let c = self.closing.get(org).copied().flatten().map(|c| c as i32);
            t.insert(*org, *parent, ClosingDay::new(c).unwrap());
        }
        t
    }

    fn company(&self, org: i64) -> i64 {
        let mut o = org;
        while let Some((_, Some(p))) = self.parents.iter().find(|(x, _)| *x == o) {
            o = *p;
        }
        o
    }

    /// Orgs holding a grant (of the given kinds) valid at `t`, and all their descendants.
    fn managed(&self, t: NaiveDate, kinds: &[AdminKind]) -> HashSet<i64> {
        let mut set: HashSet<i64> =
            self.grants.iter().filter(|g| kinds.contains(&g.kind) && g.period.contains(t)).map(|g| g.org).collect();
        loop {
            let more: Vec<i64> = self
                .parents
                .iter()
                .filter(|(o, p)| p.is_some_and(|p| set.contains(&p)) && !set.contains(o))
                .map(|(o, _)| *o)
                .collect();
            if more.is_empty() {
                return set;
            }
            set.extend(more);
        }
    }

    /// Which closing period a day falls in, as a (year, month) label.
    fn period_key(closing_day: Option<u32>, x: NaiveDate) -> (i32, u32) {
        match closing_day {
            Some(c) if x.day() > c => {
                if x.month() == 12 {
                    (x.year() + 1, 1)
                } else {
                    (x.year(), x.month() + 1)
                }
            }
            _ => (x.year(), x.month()),
        }
    }

    fn same_closing_period(&self, org: i64, d: NaiveDate) -> Vec<NaiveDate> {
        let c = self.closing.get(&self.company(org)).copied().flatten();
        let key = Self::period_key(c, d);
        (-40..=40).map(|k| d + Duration::days(k)).filter(|x| Self::period_key(c, *x) == key).collect()
    }

    fn oracle(&self, d: NaiveDate, t: NaiveDate) -> (Level, bool) {
        let all = self.managed(t, &[AdminKind::Admin, AdminKind::Hr]);
        let hr = self.managed(t, &[AdminKind::Hr]);
        let ms = &self.memberships;
        let hr_full = ms.iter().any(|m| m.period.contains(d) && hr.contains(&m.org));
        if ms.iter().any(|m| m.period.contains(d) && all.contains(&m.org)) {
            return (Level::Full, hr_full);
        }
        if ms.iter().any(|m| m.period.contains(t) && all.contains(&m.org)) {
            return (Level::View, hr_full);
        }
        let touches = ms
            .iter()
            .any(|m| all.contains(&m.org) && self.same_closing_period(m.org, d).iter().any(|x| m.period.contains(*x)));
        (if touches { Level::View } else { Level::None }, hr_full)
    }
}

#[test]
fn core_agrees_with_the_oracle_on_10000_worlds() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut probes = 0;
    let mut seen = HashSet::new();
    for case in 0..10_000 {
        let w = world(&mut rng);
        let tree = w.tree();
        for _ in 0..8 {
            let (d, t) = (day(&mut rng), day(&mut rng));
            let got = access(&tree, &w.grants, &w.memberships, d, t);
            let (level, hr_full) = w.oracle(d, t);
            assert_eq!((got.level, got.hr_full), (level, hr_full), "case {case}: d={d} t={t}");
            seen.insert(level);
            probes += 1;
        }
        // The set-returning form agrees with the oracle on every day of a window.
        let t = day(&mut rng);
        let first = day(&mut rng);
        let end = first + Duration::days(45);
        let managed = managed_memberships(&tree, &w.grants, &w.memberships, t);
        let runs = scope_runs(&managed, first, end, t);
        let spans = scope_spans(&managed, t);
        for x in first.iter_days().take_while(|x| *x < end) {
            let from_runs = runs.iter().find(|r| r.start <= x && x < r.end).map(|r| r.access.level);
            let from_spans = spans.iter().find(|s| s.period.contains(x)).map(|s| s.access.level);
            let (level, _) = w.oracle(x, t);
            assert_eq!(from_runs.unwrap_or(Level::None), level, "case {case}: runs at {x}, t={t}");
            assert_eq!(from_spans.unwrap_or(Level::None), level, "case {case}: spans at {x}, t={t}");
        }
        // Spans are unbounded where scope is: probe far before and after the history.
        for x in [base() - Duration::days(400), base() + Duration::days(600)] {
            let from_spans = spans.iter().find(|s| s.period.contains(x)).map(|s| s.access.level);
            assert_eq!(from_spans.unwrap_or(Level::None), w.oracle(x, t).0, "case {case}: far span at {x}, t={t}");
        }
    }
    assert_eq!(probes, 80_000);
    assert_eq!(seen.len(), 3, "the generator reaches every level");
}
