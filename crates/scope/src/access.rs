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
    let live: Vec<&Grant> = grants.iter().filter(|g| g.period.contains(t)).collect();
    memberships
        .iter()
        .filter_map(|m| {
            let mut managed = false;
            let mut via_hr = false;
            for org in tree.ancestors_or_self(m.org) {
                for g in live.iter().filter(|g| g.org == org) {
                    managed = true;
                    via_hr |= g.kind == AdminKind::Hr;
                }
            }
            managed.then(|| ManagedMembership { period: m.period, closing: tree.closing_of(m.org), via_hr })
        })
        .collect()
}

/// The whole decision from raw rows: admin `a`'s grants, employee `u`'s memberships.
pub fn access(tree: &OrgTree, grants: &[Grant], memberships: &[Membership], d: NaiveDate, t: NaiveDate) -> Access {
    Access::from_managed(&managed_memberships(tree, grants, memberships, t), d, t)
}
