//! Seed 002 (5.1.4): every cell of the three scenarios, for every current date
//! of each table and every day of each column, against the pure core.

use attendance_scope::{access, AdminKind, ClosingDay, Grant, Level, Membership, OrgTree, Period};
use chrono::NaiveDate;

const COMPANY: i64 = 1;
const KA11: i64 = 11;
const KA12: i64 = 12;
const KA21: i64 = 21;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y/%m/%d").unwrap()
}

fn span(first: &str, last: &str) -> Period {
    Period::inclusive(d(first), d(last)).unwrap()
}

fn tree() -> OrgTree {
    // Parallel sections under one company, as the seed's sample data.
    let mut t = OrgTree::new();
    t.insert(COMPANY, None, ClosingDay::MONTH_END);
    for org in [KA11, KA12, KA21] {
        t.insert(org, Some(COMPANY), ClosingDay::MONTH_END);
    }
    t
}

fn level(c: char) -> Level {
    match c {
        '○' => Level::Full,
        '△' => Level::View,
        '×' => Level::None,
        _ => panic!("bad cell {c}"),
    }
}

/// Checks one table: rows of (admin grants, cells), for every t in `now` and
/// every d in each column.
fn check(memberships: &[Membership], columns: &[Period], now: Period, rows: &[(&[Grant], &str)]) {
    let tree = tree();
    let mut cells = 0;
    for (grants, expected) in rows {
        for (col, want) in columns.iter().zip(expected.chars()) {
            for t in days(now) {
                for day in days(*col) {
                    let got = access(&tree, grants, memberships, day, t).level;
                    assert_eq!(got, level(want), "t={t} d={day} grants={grants:?}");
                }
            }
            cells += 1;
        }
    }
    assert_eq!(cells, rows.len() * columns.len());
}

fn days(p: Period) -> impl Iterator<Item = NaiveDate> {
    let end = p.end.unwrap();
    p.start.unwrap().iter_days().take_while(move |x| *x < end)
}

fn grant(org: i64, first: &str, last: &str) -> Grant {
    Grant { org, kind: AdminKind::Admin, period: span(first, last) }
}

#[test]
fn scenario_1_staff_moving_each_month() {
    let user = [
        Membership { org: KA11, period: span("2015/01/01", "2015/01/31") },
        Membership { org: KA12, period: span("2015/02/01", "2015/02/28") },
        Membership { org: KA21, period: span("2015/03/01", "2015/03/31") },
    ];
    let jan = span("2015/01/01", "2015/01/31");
    let feb = span("2015/02/01", "2015/02/28");
    let mar = span("2015/03/01", "2015/03/31");
    let cols = [jan, feb, mar];
    let a11 = [grant(KA11, "2015/01/01", "2015/03/31")];
    let a12 = [grant(KA12, "2015/01/01", "2015/03/31")];
    let a21 = [grant(KA21, "2015/01/01", "2015/03/31")];
    check(&user, &cols, jan, &[(&a11, "○△△"), (&a12, "×○×"), (&a21, "××○")]);
    check(&user, &cols, feb, &[(&a11, "○××"), (&a12, "△○△"), (&a21, "××○")]);
    check(&user, &cols, mar, &[(&a11, "○××"), (&a12, "×○×"), (&a21, "△△○")]);
}

fn four_columns() -> [Period; 4] {
    [
        span("2015/01/01", "2015/01/31"),
        span("2015/02/01", "2015/02/20"),
        span("2015/02/21", "2015/02/28"),
        span("2015/03/01", "2015/03/31"),
    ]
}

#[test]
fn scenario_2_admin_changes_mid_month() {
    let user = [Membership { org: KA11, period: span("2015/01/01", "2015/03/31") }];
    let cols = four_columns();
    let a11 = [grant(KA11, "2015/01/01", "2015/02/20"), grant(KA12, "2015/02/21", "2015/03/31")];
    for (now, cells) in [(0, "○○○○"), (1, "○○○○"), (2, "××××"), (3, "××××")] {
        check(&user, &cols, cols[now], &[(&a11, cells)]);
    }
}

#[test]
fn scenario_3_user_moves_mid_month() {
    let user = [
        Membership { org: KA11, period: span("2015/01/01", "2015/02/20") },
        Membership { org: KA12, period: span("2015/02/21", "2015/03/31") },
    ];
    let cols = four_columns();
    let a11 = [grant(KA11, "2015/01/01", "2015/03/31")];
    for (now, cells) in [(0, "○○△△"), (1, "○○△△"), (2, "○○△×"), (3, "○○△×")] {
        check(&user, &cols, cols[now], &[(&a11, cells)]);
    }
}
