//! Scope decisions per second on a 10,000-employee company with a two-year
//! history: transfers every few months, concurrent memberships, admins on
//! departments and sections, a closing day of the 25th.
//!
//! Run: `cargo bench -p attendance-benches --bench scope`

use attendance_scope::access::managed_memberships;
use attendance_scope::{access, scope_runs, AdminKind, ClosingDay, Grant, Membership, OrgTree, Period};
use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

const EMPLOYEES: usize = 10_000;
const DEPARTMENTS: i64 = 20;
const SECTIONS_PER_DEPARTMENT: i64 = 10;
const HISTORY_DAYS: i64 = 730;

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

struct Company {
    tree: OrgTree,
    sections: Vec<i64>,
    memberships: Vec<Vec<Membership>>,
    admins: Vec<Vec<Grant>>,
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

fn company() -> Company {
    let mut rng = Rng(0x5EED);
    let mut tree = OrgTree::new();
    tree.insert(1, None, ClosingDay::new(Some(25)).unwrap());
    let mut sections = Vec::new();
    for d in 0..DEPARTMENTS {
        let dept = 100 + d;
        tree.insert(dept, Some(1), ClosingDay::MONTH_END);
        for s in 0..SECTIONS_PER_DEPARTMENT {
            let section = 1000 + d * 100 + s;
            tree.insert(section, Some(dept), ClosingDay::MONTH_END);
            sections.push(section);
        }
    }
    let pick = |rng: &mut Rng, sections: &[i64]| sections[rng.below(sections.len() as u64) as usize];
    let memberships = (0..EMPLOYEES)
        .map(|_| {
            // A transfer every 2..8 months over the two years, sometimes a concurrent post.
            let mut out = Vec::new();
            let mut day = 0;
            while day < HISTORY_DAYS {
                let len = 60 + rng.below(180) as i64;
                let from = start() + Duration::days(day);
                let period = Period::new(Some(from), Some(from + Duration::days(len))).unwrap();
                out.push(Membership { org: pick(&mut rng, &sections), period });
                if rng.below(10) == 0 {
                    out.push(Membership { org: pick(&mut rng, &sections), period });
                }
                day += len;
            }
            out
        })
        .collect();
    let admins = (0..200)
        .map(|i| {
            let org = if i % 4 == 0 { 100 + rng.below(DEPARTMENTS as u64) as i64 } else { pick(&mut rng, &sections) };
            let kind = if i % 10 == 0 { AdminKind::Hr } else { AdminKind::Admin };
            let from = start() + Duration::days(rng.below(365) as i64);
            vec![
                Grant { org, kind, period: Period::from(start()) },
                Grant {
                    org: pick(&mut rng, &sections),
                    kind,
                    period: Period::new(Some(from), Some(from + Duration::days(200))).unwrap(),
                },
            ]
        })
        .collect();
    Company { tree, sections, memberships, admins }
}

fn bench_scope(c: &mut Criterion) {
    let co = company();
    assert!(!co.sections.is_empty());
    let mut rng = Rng(42);
    let probes: Vec<(usize, usize, NaiveDate, NaiveDate)> = (0..10_000)
        .map(|_| {
            (
                rng.below(co.admins.len() as u64) as usize,
                rng.below(EMPLOYEES as u64) as usize,
                start() + Duration::days(rng.below(HISTORY_DAYS as u64) as i64),
                start() + Duration::days(rng.below(HISTORY_DAYS as u64) as i64),
            )
        })
        .collect();

    let mut group = c.benchmark_group("scope");
    group.throughput(Throughput::Elements(probes.len() as u64));
    group.bench_function("att_can_access decisions (raw rows)", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|(a, e, d, t)| {
                    access(&co.tree, &co.admins[*a], &co.memberships[*e], *d, *t).level > attendance_scope::Level::None
                })
                .count()
        })
    });

    // The set-returning form: one admin's month, every employee (10,000 x 30 employee-days).
    let t = start() + Duration::days(400);
    let first = start() + Duration::days(380);
    let end = first + Duration::days(30);
    let admin = &co.admins[0];
    group.throughput(Throughput::Elements((EMPLOYEES * 30) as u64));
    group.bench_function("att_scope runs, 10k employees x 30 days", |b| {
        b.iter_batched(
            || (),
            |_| {
                let mut runs = 0;
                for m in &co.memberships {
                    let managed = managed_memberships(&co.tree, admin, m, t);
                    runs += scope_runs(&managed, first, end, t).len();
                }
                black_box(runs)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_scope);
criterion_main!(benches);
