//! The rule JSON that users write, as serde types.
//!
//! These types only describe the shape; [`crate::validate`] turns a
//! [`RuleSpec`] into a checked, evaluation-ready [`crate::Rule`]. Unknown
//! fields are rejected everywhere so that a typo never silently switches a
//! setting off.
//!
//! # Format
//!
//! Minutes are integers, clock times are `"HH:MM"` in the rule's time zone,
//! dates are `"YYYY-MM-DD"`, weekdays are ISO numbers `1`..`7` (Monday = 1)
//! or names `"mon"`..`"sun"` (full English names work too).
//!
//! | field | meaning |
//! |---|---|
//! | `name` | rule name, non-empty |
//! | `system` | `"standard"`, `"flexible"`, `"odd_even_week"` or `"scheduled"` |
//! | `punch_mode` | `"fixed"` (periods with start/end) or `"flexible"` (required minutes, check-in window) |
//! | `shifts` | list of shifts, see below; names are unique |
//! | `standard` | with `system = "standard"`: `{"workdays": [1,2,3,4,5], "shift": "day"}` |
//! | `flexible` | with `system = "flexible"`: `{"days": {"mon": "day", "sat": "half", "sun": null}}`; an unlisted or `null` day is a rest day |
//! | `odd_even_week` | with `system = "odd_even_week"`: `{"odd": {..days..}, "even": {..days..}, "anchor_week": "2026-01-05"}`; without `anchor_week` the ISO week number decides (odd number = odd week); with it, the week containing that date is an odd week and weeks alternate from there |
//! | `scheduled` | with `system = "scheduled"`: `{"allow_unscheduled_punch": false, "self_select_when_unscheduled": false, "modify_history": false}` (all default `false`) |
//! | `sign_out` | `true`: a lone punch after the middle of a period is a check-out; `false` (default): a lone punch is a check-in |
//! | `tolerance` | `{"late_minutes": 0..=120, "early_minutes": 0..=120}`; not allowed with `scheduled` |
//! | `absenteeism` | `{"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"no_punch_all_day": true, "missing_check_in": true, "missing_check_out": true, "late_beyond": true, "early_beyond": true}}`. A new rule ([`crate::Rule::from_new_json`]) may set `late_over_minutes` only with `situations.late_beyond`, `early_over_minutes` only with `situations.early_beyond`, and `unit_minutes` only with one of them: otherwise they would do nothing. Stored versions that have them still load ([`crate::Rule::from_json`]) and judge as before |
//! | `flex` | only with `punch_mode = "fixed"` and not `scheduled`: `{"early_arrive_early_leave": {"mode": "fixed"\|"elastic", "minutes": 30}, "late_arrive_late_leave": {"mode": .., "minutes": ..}, "leave_late_arrive_late": {"mode": .., "tiers": [{"left_after_minutes": 30, "may_arrive_late_minutes": 30}]}}` (at most 5 tiers) |
//! | `overtime` | rule-wide overtime `{"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true, "count_before_start": false}`; when absent, each shift's own `overtime` applies. A check-out exactly `min_minutes_after_end` after the end counts (the threshold is "at least", in whole minutes, measured from the end). What counts is the time present after the end: from the end, or from the last period's check-in when it came after the end, to the check-out (in 18:00, out 20:00 on a 17:00 end is 120 minutes); in `"pairs"` mode the in/out pairs' time after the end (08:00, 17:00, 21:00, 21:30 is 30 minutes: a gap, or a last punch without a partner, is not overtime); the threshold stays measured from the end to the check-out even then. `count_before_start: true` also counts arriving before the (flex-adjusted) start, or before the earliest check-in in flexible punch mode, when the day has a check-out: from the check-in to the start, or to the first period's check-out when it came before the start (the pairs' time before the start in `"pairs"` mode); the threshold gates each side on its own by how far its punch is from the start or the end, and the sum is rounded down to the unit. `"quantity": {"day_over_minutes": 540, "week_over_minutes": 2400}` (either or both; day 1..=1440, week 1..=10080) adds Odoo's quantity rules: on a workday the minutes worked beyond `day_over_minutes` (check-in to check-out as punched, not clipped to the shift, breaks left out; the pairs in `"pairs"` mode; periods missing a punch add nothing) are overtime, rounded down to the unit but not gated by `min_minutes_after_end`; the day's overtime is the larger of that and the figure after the end, never their sum. Rest days and holidays keep `count_rest_days` / `count_holidays` alone (on, all their worked time counts, which is never less; off, none). `week_over_minutes` is not counted by the engine: the SQL view `att_weekly_overtime` reports a week's worked minutes beyond it from the stored days ([`crate::Rule::week_over_minutes`]); shifts' own overtime rules that set it must agree. `"time_off_in_lieu": {"leave_type": "TOIL", "percent": 100}` (`leave_type` non-empty, `percent` 1..=400, default 100) credits `overtime_minutes * percent / 100` minutes (rounded down) of each day's overtime to a time-off balance that leave of `leave_type` draws down; the SQL layer keeps the balance, evaluation ignores it |
//! | `make_up_punch` | `{"monthly_limit": 3, "within_days": 7}` (either or both; 0..=100 and 0..=366): at most `monthly_limit` make-up punches per employee in the attendance month of the punched day (the company's closing period; a calendar month without one), and only within `within_days` days after that day (0: the same day). Enforced by the SQL layer when a make-up punch is added, from the rule's JSON; evaluation ignores it |
//! | `locations` | `[{"name": "HQ", "lat": 31.2304, "lon": 121.4737, "radius_m": 200}]`; no locations, or a location without `radius_m`, means anywhere |
//! | `position_required_for` | `["mobile"]`: punch sources (`"device"`, `"terminal"`, `"mobile"`; each at most once) whose punches count only with a position. Default empty: a punch without coordinates counts, as a fixed terminal's does. A listed source's punch without latitude or longitude is kept, flagged in `outside_punches` and not counted, with a reason, like a punch outside every location. Needs locations that all have a `radius_m` (otherwise punches count anywhere and nothing is checked); `"make_up"` and `"appeal"` are refused: people add them, no device reports their place |
//! | `time_zone` | IANA name, e.g. `"Asia/Shanghai"` |
//! | `validity` | absent = always; `{"range": {"from": "2026-01-01", "to": "2026-06-30"}}` or `{"yearly": [{"from": "11-01", "to": "03-31"}, {"from": "04-01", "to": "10-31"}]}` |
//! | `work_time` | `"first_last"` (default): worked minutes run from a period's first punch to its last; `"pairs"`: the sum of its in/out pairs in time order (1st-2nd, 3rd-4th, ..; a last punch without a partner adds nothing, unless an excuse covers the period's end: then it runs to the excuse). Check-in and check-out stay the first and last punch either way. Applies to days off too, and to workday overtime: with pairs only the pairs' time outside the shift is overtime |
//! | `auto_check_out_minutes` | 1..=1440 (Odoo's automatic check-out): a period with a check-in and no check-out, whose end no excuse covers, is judged as if the check-out had been punched this many minutes after the check-in (late, early, work and status follow; it is not `missing_check_out`), but never later than where the period's punches end: the end of its check-out window, else the middle of the gap before the next period, else for the last period half the off-duty time after the shift. The result shows it as the period's `check_out` with source `"auto_check_out"` and a reason says so. It is not a punch: it earns no overtime of any kind on its day (a reason says so), and no leave-late-arrive-late tier. A day waits (`pending`) until its assumed check-outs have passed ([`crate::due_at`]) |
//! | `holiday_punches` | `"count"` (default): punches on a public holiday are work on a day off, holiday overtime by `count_holidays`; `"ignore"`: they are not counted at all (no work, no overtime, a reason says how many), as ERPNext's shift type without `mark_auto_attendance_on_holidays`. Rest days are unaffected; a day a scheduled rule schedules a shift on is a workday, holiday or not |
//! | `working_hours_thresholds` | `{"half_day_below_minutes": 240, "absent_below_minutes": 120}` (either or both, 1..=1440, absent below half day): a workday whose worked minutes plus excused shift minutes fall below `absent_below_minutes` is `absent` for all its required time (its late and early minutes fold into it), else below `half_day_below_minutes` it is `half_day` (unless already `absent`). Days missing a punch keep their status; periods keep their own figures |
//!
//! A shift is `{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}`
//! with `punch_mode = "fixed"` (an end at or before its start is on the next
//! day, e.g. `22:00`-`06:00`; several periods run in order within 24 hours;
//! a period may add the `breaks` and punch windows below),
//! or `{"name": "flex", "flexible": {"work_minutes": 480,
//! "earliest_check_in": "08:00", "latest_check_in": "10:00"}}` with
//! `punch_mode = "flexible"`. Either kind may add `"overtime": {..}` and
//! `"non_workday_default": true` (at most one shift: the shift worked on
//! make-up workdays by `flexible` and `odd_even_week` rules; without one,
//! 09:00-18:00).
//!
//! A period's optional fields (all `punch_mode = "fixed"`):
//!
//! | field | meaning |
//! |---|---|
//! | `breaks` | `[{"start": "12:00", "end": "13:00"}]`: unpunched breaks strictly inside the period, in order, not overlapping, at most 6 per shift (a night period's break may run past midnight). One check-in and one check-out serve the whole period; a break is not work, and nobody is late, early or absent in it: a check-in during a break is judged as made at its end (late only by the duty time before it), a check-out during a break as made at its start (early only by the duty time after it), and absence and scheduled minutes leave breaks out |
//! | `check_in_window_minutes` | 0..: a check-in is accepted from this many minutes before the start, to the second (ERPNext's "begin check-in before shift start time"). At most the gap after the previous period, or for the first period half the off-duty time before the shift |
//! | `check_out_window_minutes` | 0..: a check-out is accepted until this many minutes after the end, that last second included (ERPNext's "allow check-out after shift end time"). At most the gap before the next period, or for the last period half the off-duty time after the shift |
//!
//! Without windows, the middle of the gap between two periods splits their
//! punches. A declared window replaces the middle on its side: a punch goes
//! to the period whose window holds it, a punch that no period holds is not
//! counted (a reason says so; a check-out past the last window is not seen,
//! nor its overtime). Where two windows overlap, the earlier period takes
//! the first punch of the overlap only while it still needs its check-out
//! (it holds exactly one punch, read as a check-in), and every other punch
//! there opens the later period. See docs/rules.md for worked examples.
//!
//! The seed's "minutes or hours" unit is written as minutes here.
//!
//! # Example
//!
//! ```
//! let rule = attendance_rules::Rule::from_json(r#"{
//!   "name": "Shanghai office",
//!   "system": "standard",
//!   "punch_mode": "fixed",
//!   "shifts": [
//!     {"name": "day", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]}
//!   ],
//!   "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
//!   "sign_out": true,
//!   "tolerance": {"late_minutes": 5, "early_minutes": 5},
//!   "absenteeism": {
//!     "enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
//!     "situations": {"no_punch_all_day": true, "missing_check_in": true, "missing_check_out": true,
//!                    "late_beyond": true, "early_beyond": true}
//!   },
//!   "flex": {
//!     "early_arrive_early_leave": {"mode": "elastic", "minutes": 30},
//!     "leave_late_arrive_late": {"mode": "fixed", "tiers": [
//!       {"left_after_minutes": 60, "may_arrive_late_minutes": 30},
//!       {"left_after_minutes": 180, "may_arrive_late_minutes": 60}
//!     ]}
//!   },
//!   "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true},
//!   "locations": [{"name": "HQ", "lat": 31.2304, "lon": 121.4737, "radius_m": 300}],
//!   "time_zone": "Asia/Shanghai",
//!   "validity": {"range": {"from": "2026-01-01", "to": "2026-12-31"}}
//! }"#).unwrap();
//! assert_eq!(rule.name(), "Shanghai office");
//! ```

use crate::punch::PunchSource;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole attendance rule as written by a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Rule name shown in reports.
    pub name: String,
    /// Attendance system (考勤制度).
    pub system: SystemKind,
    /// Punch mode (打卡模式).
    pub punch_mode: PunchMode,
    /// Shifts the system parts refer to by name.
    pub shifts: Vec<ShiftSpec>,
    /// Standard system: workdays and their shift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<StandardSpec>,
    /// Flexible system: a shift or rest per weekday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexible: Option<FlexibleSpec>,
    /// Odd/even week system: two weekly patterns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub odd_even_week: Option<OddEvenWeekSpec>,
    /// Scheduled system options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<ScheduledSpec>,
    /// Sign-out setting (签退设置).
    #[serde(default)]
    pub sign_out: bool,
    /// Allowed late / early-leave minutes (人性化规则).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<ToleranceSpec>,
    /// Absenteeism settings (旷工设置).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absenteeism: Option<AbsenteeismSpec>,
    /// Early-arrive-early-leave, late-arrive-late-leave, leave-late-arrive-late.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex: Option<FlexSpec>,
    /// Rule-wide overtime; absent means each shift's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overtime: Option<OvertimeSpec>,
    /// Attendance locations (考勤地点).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<LocationSpec>,
    /// IANA time zone name (考勤时区).
    pub time_zone: String,
    /// Validity (有效期); absent means always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<ValiditySpec>,
    /// How worked minutes are counted; first check-in to last check-out by
    /// default.
    #[serde(default, skip_serializing_if = "WorkTime::is_first_last")]
    pub work_time: WorkTime,
    /// Half day and absent by worked minutes (ERPNext's working hours
    /// thresholds); absent means off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_hours_thresholds: Option<ThresholdsSpec>,
    /// Whether a public holiday's punches count (as holiday work and
    /// overtime) or are ignored; they count by default.
    #[serde(default, skip_serializing_if = "HolidayPunches::is_count")]
    pub holiday_punches: HolidayPunches,
    /// Minutes after a check-in at which a forgotten check-out is assumed
    /// (1..=1440); absent means a missing check-out stays missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_check_out_minutes: Option<i64>,
    /// Punch sources whose punches must carry a position when the rule has
    /// locations; empty means none (a punch without a position counts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub position_required_for: Vec<PunchSource>,
    /// Limits on make-up punches, enforced by the SQL layer when one is
    /// added; the engine only validates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make_up_punch: Option<MakeUpPunchSpec>,
}

/// Limits on make-up punches (补签), per employee. The SQL layer enforces
/// them when a make-up punch is added, reading the rule's JSON; evaluation
/// ignores them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakeUpPunchSpec {
    /// At most this many make-up punches in the attendance month of the
    /// punched day: the company's closing period, a calendar month without
    /// one (0..=100; 0 forbids them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_limit: Option<i64>,
    /// A make-up punch only within this many days after the punched day
    /// (0..=366; 0: on that day only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<i64>,
}

/// Overtime credited as time off: a balance the SQL layer keeps and leave
/// of `leave_type` draws down; evaluation ignores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeOffInLieuSpec {
    /// The ERP's leave type drawn from the balance (non-empty).
    pub leave_type: String,
    /// Percent of a day's overtime minutes credited (1..=400, default 100);
    /// the credit is `overtime_minutes * percent / 100`, rounded down.
    #[serde(default = "hundred")]
    pub percent: i64,
}

fn hundred() -> i64 {
    100
}

/// What a public holiday's punches are worth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayPunches {
    /// Worked time on a holiday, holiday overtime by the overtime rule.
    #[default]
    Count,
    /// Not counted at all: no work, no overtime (ERPNext's shift type
    /// without `mark_auto_attendance_on_holidays`). Rest days are unaffected.
    Ignore,
}

impl HolidayPunches {
    fn is_count(&self) -> bool {
        *self == HolidayPunches::Count
    }
}

/// How worked minutes are counted from the punches of a period (or of a day
/// off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkTime {
    /// From the first punch to the last.
    #[default]
    FirstLast,
    /// The sum of in/out pairs taken in time order (1st-2nd, 3rd-4th, ..);
    /// a last punch without a partner adds nothing (ERPNext's "Every Valid
    /// Check-in and Check-out", Odoo's attendances). Overtime before the
    /// start and after the end is the pairs' time there too: a gap between
    /// pairs outside the shift is not overtime.
    Pairs,
}

impl WorkTime {
    fn is_first_last(&self) -> bool {
        *self == WorkTime::FirstLast
    }
}

/// Half day and absent by worked minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsSpec {
    /// A day with fewer credited minutes is a half day (1..=1440).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_day_below_minutes: Option<i64>,
    /// A day with fewer credited minutes is absent (1..=1440, below
    /// `half_day_below_minutes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent_below_minutes: Option<i64>,
}

/// The four attendance systems of the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    /// Same shift on a set of weekdays (标准考勤制度).
    Standard,
    /// Own shift per weekday (灵活考勤制度).
    Flexible,
    /// Alternating odd/even week patterns (单双周轮休制度).
    OddEvenWeek,
    /// Per-person schedule (排班制度).
    Scheduled,
}

/// How punches are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PunchMode {
    /// Fixed start and end per period (固定时间打卡).
    Fixed,
    /// Required minutes within a check-in window (弹性时间打卡).
    Flexible,
}

/// One shift (班次).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftSpec {
    /// Unique name within the rule.
    pub name: String,
    /// Fixed periods (punch mode `fixed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<PeriodSpec>>,
    /// Flexible work time (punch mode `flexible`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexible: Option<FlexibleShiftSpec>,
    /// The shift's own overtime rule (used when the rule has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overtime: Option<OvertimeSpec>,
    /// Marks the shift worked on make-up workdays (非工作日默认时段).
    #[serde(default)]
    pub non_workday_default: bool,
}

/// A fixed period `start`-`end`; an end at or before the start is next day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    /// `"HH:MM"`.
    pub start: String,
    /// `"HH:MM"`.
    pub end: String,
    /// Unpunched breaks inside the period (a lunch hour): not work time,
    /// never late, early or absent. In order, inside the period, at most
    /// [`crate::validate::MAX_BREAKS`] per shift.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<BreakSpec>,
    /// A check-in is accepted from this many minutes before the start
    /// (ERPNext's "begin check-in before shift start time"); absent = up to
    /// the middle of the gap before the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in_window_minutes: Option<i64>,
    /// A check-out is accepted until this many minutes after the end
    /// (ERPNext's "allow check-out after shift end time"); absent = up to
    /// the middle of the gap after the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out_window_minutes: Option<i64>,
}

/// A break `start`-`end` inside its period, `"HH:MM"` each; it may run past
/// midnight when its period does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakSpec {
    /// `"HH:MM"`.
    pub start: String,
    /// `"HH:MM"`.
    pub end: String,
}

/// Flexible-mode shift: required minutes and the check-in window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlexibleShiftSpec {
    /// Required work minutes per day (1..=1440).
    pub work_minutes: i64,
    /// `"HH:MM"`: a check-in before it counts as made at it.
    pub earliest_check_in: String,
    /// `"HH:MM"`: a check-in after it is late.
    pub latest_check_in: String,
}

/// A weekday as an ISO number (1 = Monday) or a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WeekdayRef {
    /// 1..=7, Monday = 1.
    Number(i64),
    /// `"mon"`..`"sun"` or full names, any case.
    Name(String),
}

/// Standard system settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardSpec {
    /// Workdays of the week.
    pub workdays: Vec<WeekdayRef>,
    /// Name of the shift worked on every workday.
    pub shift: String,
}

/// Weekday (name or number as text) to shift name; unlisted or `null` = rest.
pub type WeekPatternSpec = BTreeMap<String, Option<String>>;

/// Flexible system settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlexibleSpec {
    /// Shift per weekday.
    pub days: WeekPatternSpec,
}

/// Odd/even week system settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OddEvenWeekSpec {
    /// Pattern of odd weeks.
    pub odd: WeekPatternSpec,
    /// Pattern of even weeks.
    pub even: WeekPatternSpec,
    /// A date whose week counts as odd; absent = ISO week number parity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_week: Option<String>,
}

/// Scheduled system options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledSpec {
    /// Punches on unscheduled days are recorded (as rest-day work).
    #[serde(default)]
    pub allow_unscheduled_punch: bool,
    /// On unscheduled days the employee picks a shift; the engine picks the
    /// shift starting nearest the first punch.
    #[serde(default)]
    pub self_select_when_unscheduled: bool,
    /// Past days may be rescheduled (checked by the SQL layer).
    #[serde(default)]
    pub modify_history: bool,
}

/// Allowed late and early-leave minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToleranceSpec {
    /// 0..=120.
    #[serde(default)]
    pub late_minutes: i64,
    /// 0..=120.
    #[serde(default)]
    pub early_minutes: i64,
}

/// Absenteeism settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenteeismSpec {
    /// Master switch.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Late more than this many minutes counts as absent (N).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_over_minutes: Option<i64>,
    /// Early leave more than this many minutes counts as absent (M).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_over_minutes: Option<i64>,
    /// Absent time is rounded up to a multiple of this (U); default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_minutes: Option<i64>,
    /// Which situations count as absent.
    #[serde(default)]
    pub situations: SituationsSpec,
}

fn yes() -> bool {
    true
}

/// The five situations that may count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationsSpec {
    /// No punch at all on a workday.
    #[serde(default)]
    pub no_punch_all_day: bool,
    /// A period has a check-out but no check-in.
    #[serde(default)]
    pub missing_check_in: bool,
    /// A period has a check-in but no check-out.
    #[serde(default)]
    pub missing_check_out: bool,
    /// Late more than `late_over_minutes`.
    #[serde(default)]
    pub late_beyond: bool,
    /// Early leave more than `early_over_minutes`.
    #[serde(default)]
    pub early_beyond: bool,
}

/// Fixed or elastic flex mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlexMode {
    /// All-or-nothing: the full allowance moves the end.
    Fixed,
    /// Minute for minute up to the allowance.
    Elastic,
}

/// A flex rule with one allowance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlexAllowanceSpec {
    /// Fixed or elastic.
    pub mode: FlexMode,
    /// Allowance in minutes (1..=240).
    pub minutes: i64,
}

/// One leave-late-arrive-late tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// Left at least this many minutes after the previous workday's end (L).
    pub left_after_minutes: i64,
    /// May arrive this many minutes late (A).
    pub may_arrive_late_minutes: i64,
}

/// Leave-late-arrive-late settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveLateSpec {
    /// Fixed or elastic.
    pub mode: FlexMode,
    /// 1 to 5 tiers.
    pub tiers: Vec<TierSpec>,
}

/// Flex settings (早到早走 / 晚到晚走 / 晚走晚到).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlexSpec {
    /// Early arrival allows early leave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_arrive_early_leave: Option<FlexAllowanceSpec>,
    /// Late arrival is not late but the end moves later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_arrive_late_leave: Option<FlexAllowanceSpec>,
    /// Leaving late allows arriving late on the next workday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_late_arrive_late: Option<LeaveLateSpec>,
}

/// An overtime rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OvertimeSpec {
    /// Overtime counts only when the check-out is at least this many
    /// minutes after the end (0..=1440); it then counts the time present
    /// after the end: from the end, or from a check-in made after the end,
    /// to the check-out (with `"work_time": "pairs"`, the in/out pairs' time
    /// after the end). The threshold is measured from the end either way:
    /// it asks when the person left, not how long they stayed.
    #[serde(default)]
    pub min_minutes_after_end: i64,
    /// Overtime is rounded down to a multiple of this (1..=1440, default 1).
    #[serde(default = "one")]
    pub unit_minutes: i64,
    /// Work on rest days counts as rest-day overtime.
    #[serde(default)]
    pub count_rest_days: bool,
    /// Work on public holidays counts as holiday overtime.
    #[serde(default)]
    pub count_holidays: bool,
    /// Arriving before the (flex-adjusted) start counts as overtime too,
    /// under the same threshold (measured from the start to the check-in),
    /// before the two sides are added and rounded: from the check-in to the
    /// start, or to a check-out made before the start (with `"work_time":
    /// "pairs"`, the in/out pairs' time before the start).
    #[serde(default, skip_serializing_if = "is_false")]
    pub count_before_start: bool,
    /// Daily and weekly quantity rules (Odoo's overtime rulesets): worked
    /// time beyond a quantity a day or a week; absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<QuantitySpec>,
    /// Overtime credited to a time-off balance (SQL keeps the balance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_off_in_lieu: Option<TimeOffInLieuSpec>,
}

/// Overtime by quantity: worked minutes beyond a daily or weekly figure.
///
/// The engine counts the daily figure on workdays; the weekly one spans days
/// the engine judges one at a time, so the SQL view `att_weekly_overtime`
/// reports it from the stored days ([`crate::Rule::week_over_minutes`]
/// hands it over).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantitySpec {
    /// On a workday, worked minutes beyond this are overtime (1..=1440).
    /// Worked minutes run from each check-in to its check-out as punched
    /// (not clipped to the shift), breaks left out; in `"pairs"` mode they
    /// are the pairs. The day's overtime is the larger of this figure and the
    /// one after the end, never their sum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_over_minutes: Option<i64>,
    /// Worked minutes of a week beyond this are overtime (1..=10080);
    /// reported by the SQL view `att_weekly_overtime`, not by the engine.
    /// Shifts that set it must agree: a week holds several shifts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week_over_minutes: Option<i64>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn one() -> i64 {
    1
}

/// An attendance location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationSpec {
    /// Name shown instead of the raw address.
    pub name: String,
    /// Latitude in degrees, -90..=90.
    pub lat: f64,
    /// Longitude in degrees, -180..=180.
    pub lon: f64,
    /// Allowed radius in metres (>= 0); absent = anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_m: Option<f64>,
}

/// Validity of the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ValiditySpec {
    /// A fixed date range, both ends inclusive, `to` after `from`.
    Range(DateRangeSpec),
    /// Cycles repeating every year.
    Yearly(Vec<CycleSpec>),
}

/// `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRangeSpec {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
}

/// `{"from": "MM-DD", "to": "MM-DD"}`; `to` before `from` runs into next year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleSpec {
    /// First day of each cycle.
    pub from: String,
    /// Last day of each cycle.
    pub to: String,
}
