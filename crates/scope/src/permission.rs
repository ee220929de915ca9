//! The eight permissions of an org admin (seed 002, 5.1.3) and when each holds.

use std::str::FromStr;

use chrono::NaiveDate;

use crate::{Access, Grant, Level, OrgId, OrgTree, ScopeError};

/// A permission of SPEC.md section A. The names are the SQL enum's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// 勤務表照会: view the timesheet.
    ViewTimesheet,
    /// 代理設定: set a proxy.
    SetProxy,
    /// 承認者設定: set an approver.
    SetApprover,
    /// 日次承認: approve planned and actual work of a day.
    DailyApproval,
    /// 締め処理: close a period (on the company root: company closing).
    Closing,
    /// 勤務表差戻し: send a timesheet back.
    SendBack,
    /// 勤務データ訂正: correct work data before the period is closed.
    Correct,
    /// 勤務データ訂正(常時): correct work data even after closing; `hr` only.
    CorrectAfterClosing,
}

impl Permission {
    /// Every permission, in the seed's order.
    pub const ALL: [Permission; 8] = [
        Permission::ViewTimesheet,
        Permission::SetProxy,
        Permission::SetApprover,
        Permission::DailyApproval,
        Permission::Closing,
        Permission::SendBack,
        Permission::Correct,
        Permission::CorrectAfterClosing,
    ];

    /// The SQL label.
    pub fn label(self) -> &'static str {
        match self {
            Permission::ViewTimesheet => "view_timesheet",
            Permission::SetProxy => "set_proxy",
            Permission::SetApprover => "set_approver",
            Permission::DailyApproval => "daily_approval",
            Permission::Closing => "closing",
            Permission::SendBack => "send_back",
            Permission::Correct => "correct",
            Permission::CorrectAfterClosing => "correct_after_closing",
        }
    }
}

impl FromStr for Permission {
    type Err = ScopeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL.into_iter().find(|p| p.label() == s).ok_or_else(|| ScopeError::UnknownPermission(s.to_owned()))
    }
}

/// Does `access` to a day allow `permission` on it?
///
/// Viewing needs `view`; every action on a day needs `full`. Correcting a day
/// whose closing period is closed for the employee's org needs `full` through
/// an `hr` assignment, and so does the always-allowed correction (常時).
pub fn permits(permission: Permission, access: Access, day_closed: bool) -> bool {
    match permission {
        Permission::ViewTimesheet => access.level >= Level::View,
        Permission::SetProxy
        | Permission::SetApprover
        | Permission::DailyApproval
        | Permission::Closing
        | Permission::SendBack => access.level == Level::Full,
        Permission::Correct => access.level == Level::Full && (!day_closed || access.hr_full),
        Permission::CorrectAfterClosing => access.hr_full,
    }
}

/// May an admin with these grants close (or reopen) `org`'s periods as of `t`?
/// Both kinds hold the closing permission; the grant must be on the org or an ancestor.
pub fn can_close(tree: &OrgTree, grants: &[Grant], org: OrgId, t: NaiveDate) -> bool {
    tree.ancestors_or_self(org).any(|a| grants.iter().any(|g| g.org == a && g.period.contains(t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdminKind, ClosingDay, Period};

    const FULL_ADMIN: Access = Access { level: Level::Full, hr_full: false };
    const FULL_HR: Access = Access { level: Level::Full, hr_full: true };
    const VIEW: Access = Access { level: Level::View, hr_full: false };

    #[test]
    fn labels_round_trip() {
        for p in Permission::ALL {
            assert_eq!(p.label().parse::<Permission>().unwrap(), p);
        }
        let err = "approve_everything".parse::<Permission>().unwrap_err();
        assert_eq!(err.sqlstate(), "22P02");
    }

    /// The seed's permission table (5.1.3), with the closing rule for corrections.
    #[test]
    fn seed_permission_table() {
        for p in Permission::ALL {
            let admin_open = permits(p, FULL_ADMIN, false);
            let hr_open = permits(p, FULL_HR, false);
            let admin_closed = permits(p, FULL_ADMIN, true);
            let hr_closed = permits(p, FULL_HR, true);
            match p {
                Permission::CorrectAfterClosing => {
                    assert!(!admin_open && hr_open && !admin_closed && hr_closed)
                }
                Permission::Correct => assert!(admin_open && hr_open && !admin_closed && hr_closed),
                _ => assert!(admin_open && hr_open && admin_closed && hr_closed, "{p:?}"),
            }
        }
        for p in Permission::ALL {
            assert_eq!(permits(p, VIEW, false), p == Permission::ViewTimesheet);
            assert!(!permits(p, Access::NONE, false));
        }
    }

    #[test]
    fn closing_needs_a_grant_on_the_org_or_above() {
        let mut tree = OrgTree::new();
        tree.insert(1, None, ClosingDay::MONTH_END);
        tree.insert(2, Some(1), ClosingDay::MONTH_END);
        tree.insert(3, Some(1), ClosingDay::MONTH_END);
        let t = NaiveDate::from_ymd_opt(2015, 1, 10).unwrap();
        let on_two = [Grant { org: 2, kind: AdminKind::Admin, period: Period::from(t) }];
        assert!(can_close(&tree, &on_two, 2, t));
        assert!(!can_close(&tree, &on_two, 1, t));
        assert!(!can_close(&tree, &on_two, 3, t));
        assert!(!can_close(&tree, &on_two, 2, t.pred_opt().unwrap()));
        let on_root = [Grant { org: 1, kind: AdminKind::Hr, period: Period::from(t) }];
        assert!(can_close(&tree, &on_root, 3, t));
    }
}
