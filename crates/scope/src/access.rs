//! The scope level of SPEC.md section A: how far admin `a`'s scope reaches
//! over employee `u`'s work day `d`, judged as of date `t`.

use chrono::NaiveDate;

use crate::{ClosingDay, OrgId, OrgTree, Period};

/// What an admin may do with a day: ordered, so `level >= Level::View` reads as "may view".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// × : nothing.
    None,
    /// △ : view the day's data.
    View,
    /// ○ : view, approve and correct the day.
    Full,
}

impl Level {
    /// The label used by the SQL enum `attendance.access_level`.
    pub fn label(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::View => "view",
            Level::Full => "full",
        }
    }
}

/// The two kinds of admin assignment (管理者権限 and 人事権限).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminKind {
    Admin,
    Hr,
}

/// An admin assignment on an org for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub org: OrgId,
    pub kind: AdminKind,
    pub period: Period,
}

/// An employee's membership of an org for a period (primary or concurrent
/// identities weigh the same for scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Membership {
    pub org: OrgId,
    pub period: Period,
}

/// A membership over a period in which its org's place in the tree stays
/// the same: the chain from the org up to its company as it stood on those
/// days, and that company's closing day. A membership whose org moves is
/// several of these, so a move acts exactly like moving each member on the
/// move's first day (SPEC.md A, reorganisations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedMembership {
    pub period: Period,
    /// The org first, then its parent, up to the company.
    pub chain: Vec<OrgId>,
    pub closing: ClosingDay,
}

impl PlacedMembership {
    /// A membership placed in a tree that does not change over time.
    pub fn in_tree(tree: &OrgTree, m: &Membership) -> PlacedMembership {
        PlacedMembership {
            period: m.period,
            chain: tree.ancestors_or_self(m.org).collect(),
            closing: tree.closing_of(m.org),
        }
    }
}

/// A membership in an org that the admin manages as of `t`: all the scope
/// rules need of it. The adapter can select these rows in one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagedMembership {
    pub period: Period,
    /// The closing day of the membership org's company.
    pub closing: ClosingDay,
    /// Managed through an `hr` assignment (at least one of them).
    pub via_hr: bool,
}

/// The decision for one (admin, employee, day, as-of date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub level: Level,
    /// `full` through an `hr` assignment: needed to correct a closed day.
    pub hr_full: bool,
}

impl Access {
    /// No access at all.
    pub const NONE: Access = Access { level: Level::None, hr_full: false };

    /// The scope decision from the memberships in managed orgs.
    ///
    /// 1. `full` if on day `d` a membership is in a managed org;
    /// 2. else `view` if at `t` a membership is in a managed org;
    /// 3. else `view` if a managed membership touches the closing period of `d`;
    /// 4. else `none`.
    pub fn from_managed(managed: &[ManagedMembership], d: NaiveDate, t: NaiveDate) -> Access {
        let mut level = Level::None;
        let mut hr_full = false;
        for m in managed {
            if m.period.contains(d) {
                level = Level::Full;
                hr_full |= m.via_hr;
            } else if level == Level::None
                && (m.period.contains(t) || m.period.overlaps(&m.closing.period_containing(d)))
            {
                level = Level::View;
            }
        }
        Access { level, hr_full }
    }

    /// An employee always views their own days (self service, not admin scope).
    pub fn with_self(self, is_self: bool) -> Access {
        if is_self && self.level < Level::View {
            Access { level: Level::View, ..self }
        } else {
            self
        }
    }
}

/// The memberships of one employee that lie in orgs the admin manages at `t`.
///
/// Managed orgs are every org holding a grant valid at `t`, and their descendants.
pub fn managed_memberships(
    tree: &OrgTree,
    grants: &[Grant],
    memberships: &[Membership],
    t: NaiveDate,
) -> Vec<ManagedMembership> {
    let placed: Vec<PlacedMembership> = memberships.iter().map(|m| PlacedMembership::in_tree(tree, m)).collect();
    managed_placed(grants, &placed, t)
}

/// The placed memberships that lie, on their own days, below an org holding
/// a grant valid at `t`.
pub fn managed_placed(grants: &[Grant], placed: &[PlacedMembership], t: NaiveDate) -> Vec<ManagedMembership> {
    let live: Vec<&Grant> = grants.iter().filter(|g| g.period.contains(t)).collect();
    placed
        .iter()
        .filter_map(|m| {
            let mut managed = false;
            let mut via_hr = false;
            for g in live.iter().filter(|g| m.chain.contains(&g.org)) {
                managed = true;
                via_hr |= g.kind == AdminKind::Hr;
            }
            managed.then_some(ManagedMembership { period: m.period, closing: m.closing, via_hr })
        })
        .collect()
}

/// The whole decision from raw rows: admin `a`'s grants, employee `u`'s memberships.
pub fn access(tree: &OrgTree, grants: &[Grant], memberships: &[Membership], d: NaiveDate, t: NaiveDate) -> Access {
    Access::from_managed(&managed_memberships(tree, grants, memberships, t), d, t)
}

/// The decision over memberships placed in a tree that changes over time.
pub fn access_placed(grants: &[Grant], placed: &[PlacedMembership], d: NaiveDate, t: NaiveDate) -> Access {
    Access::from_managed(&managed_placed(grants, placed, t), d, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, m, day).unwrap()
    }

    /// SPEC.md A: moving a department acts exactly like moving each of its
    /// members on the move's date. Department 11 moves from 10 to 20 on 02-21;
    /// its member is compared with one who moves from 11's twin under 10 (12)
    /// to a twin under 20 (21) that day, for every admin, day and as-of date.
    #[test]
    fn a_moved_department_is_like_its_members_moving() {
        let close = ClosingDay::new(Some(20)).unwrap();
        let year = Period::inclusive(d(1, 1), d(12, 31)).unwrap();
        let before = Period::inclusive(d(1, 1), d(2, 20)).unwrap();
        let after = Period::inclusive(d(2, 21), d(12, 31)).unwrap();
        let moved_dept = [
            PlacedMembership { period: before, chain: vec![11, 10, 1], closing: close },
            PlacedMembership { period: after, chain: vec![11, 20, 1], closing: close },
        ];
        let mut tree = OrgTree::new();
        tree.insert(1, None, close);
        for (org, parent) in [(10, 1), (20, 1), (12, 10), (21, 20)] {
            tree.insert(org, Some(parent), ClosingDay::MONTH_END);
        }
        let moved_people = [Membership { org: 12, period: before }, Membership { org: 21, period: after }];
        let mut compared = 0;
        for grant_org in [10, 20, 1] {
            let grants = [Grant { org: grant_org, kind: AdminKind::Admin, period: year }];
            for day in (0..120).map(|n| d(1, 1) + chrono::Days::new(n)) {
                for as_of in [d(1, 15), d(2, 20), d(2, 21), d(3, 10)] {
                    assert_eq!(
                        access_placed(&grants, &moved_dept, day, as_of),
                        access(&tree, &grants, &moved_people, day, as_of),
                        "grant on {grant_org}, day {day}, as of {as_of}"
                    );
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 3 * 120 * 4);
        // and the move is not a no-op: the old parent's admin loses the days after it
        let old = [Grant { org: 10, kind: AdminKind::Admin, period: year }];
        assert_eq!(access_placed(&old, &moved_dept, d(2, 10), d(2, 10)).level, Level::Full);
        assert_eq!(access_placed(&old, &moved_dept, d(3, 10), d(3, 10)).level, Level::None);
    }
}
