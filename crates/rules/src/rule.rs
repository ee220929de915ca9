//! The checked, evaluation-ready form of a rule.
//!
//! Built only by [`crate::validate`], so every value here is already in
//! range: shift references are indices, clock times are minutes from the
//! local midnight of the day a shift belongs to, and the time zone is
//! parsed. Evaluation never re-reads JSON.

use crate::geo::Location;
use crate::model::{FlexMode, HolidayPunches, PunchMode, SystemKind, WorkTime};
use crate::validity::Validity;
use crate::RuleError;
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::sync::Arc;

/// Index of a shift within its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShiftId(pub(crate) u16);

/// A period in minutes from the local midnight of the shift's day.
/// `end > start`; either may exceed 1440 (after midnight).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Period {
    pub(crate) start: i64,
    pub(crate) end: i64,
    /// Breaks `(start, end)` on the same scale, in order, strictly inside
    /// `start..end`.
    pub(crate) breaks: Vec<(i64, i64)>,
    /// Minutes before the start from which a check-in is accepted.
    pub(crate) check_in_window: Option<i64>,
    /// Minutes after the end until which a check-out is accepted.
    pub(crate) check_out_window: Option<i64>,
}

/// How a shift is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ShiftKind {
    /// Fixed periods, in order, all within 24 hours of the first start.
    Fixed(Vec<Period>),
    /// Required minutes after a check-in between `earliest` and `latest`.
    Flexible { work: i64, earliest: i64, latest: i64 },
}

/// A checked shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shift {
    /// Shared with every day result that names it (no copy per day).
    pub(crate) name: Arc<str>,
    pub(crate) kind: ShiftKind,
    pub(crate) overtime: Option<Overtime>,
    /// Minutes before the first start and after the last end in which
    /// punches still belong to this shift's day: half the off-duty gap on
    /// each side, so consecutive days of the same shift never share a punch.
    pub(crate) margin: i64,
}

impl Shift {
    /// First and last minute of the shift's duty span.
    pub(crate) fn span(&self) -> (i64, i64) {
        match &self.kind {
            ShiftKind::Fixed(p) => (p.first().map_or(0, |p| p.start), p.last().map_or(0, |p| p.end)),
            ShiftKind::Flexible { work, earliest, latest } => (*earliest, latest + work),
        }
    }
}

/// Allowed late / early-leave minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tolerance {
    pub(crate) late: i64,
    pub(crate) early: i64,
}

/// Enabled absenteeism settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Absenteeism {
    pub(crate) late_over: Option<i64>,
    pub(crate) early_over: Option<i64>,
    pub(crate) unit: i64,
    pub(crate) no_punch_all_day: bool,
    pub(crate) missing_check_in: bool,
    pub(crate) missing_check_out: bool,
    pub(crate) late_beyond: bool,
    pub(crate) early_beyond: bool,
}

/// One flex allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Allowance {
    pub(crate) mode: FlexMode,
    pub(crate) minutes: i64,
}

/// One leave-late-arrive-late tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tier {
    pub(crate) left_after: i64,
    pub(crate) may_arrive_late: i64,
}

/// Flex settings; all `None` for scheduled rules and flexible punch mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Flex {
    pub(crate) early_early: Option<Allowance>,
    pub(crate) late_late: Option<Allowance>,
    pub(crate) leave_late: Option<(FlexMode, Vec<Tier>)>,
}

/// An overtime rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overtime {
    pub(crate) min_after_end: i64,
    pub(crate) unit: i64,
    pub(crate) count_rest_days: bool,
    pub(crate) count_holidays: bool,
    pub(crate) count_before_start: bool,
    /// Worked minutes of a workday beyond this are overtime.
    pub(crate) day_over: Option<i64>,
    /// Worked minutes of a week beyond this are overtime (counted in SQL).
    pub(crate) week_over: Option<i64>,
}

/// Half day and absent by credited minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Thresholds {
    pub(crate) half_day_below: Option<i64>,
    pub(crate) absent_below: Option<i64>,
}

/// Weekday (Monday = 0) to shift.
pub(crate) type Week = [Option<ShiftId>; 7];

/// The system with its resolved parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum System {
    Standard { workdays: [bool; 7], shift: ShiftId },
    Flexible { week: Week },
    OddEven { odd: Week, even: Week, anchor: Option<NaiveDate> },
    Scheduled { allow_unscheduled_punch: bool, self_select: bool, modify_history: bool },
}

/// A validated attendance rule, ready to evaluate employee-days.
///
/// Parse it once (e.g. per backend, keyed by the rule text) and reuse it:
/// evaluation only reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Shared with every day result that names it (no copy per day).
    pub(crate) name: Arc<str>,
    pub(crate) system: System,
    pub(crate) punch_mode: PunchMode,
    /// User shifts, then possibly the built-in 09:00-18:00 default.
    pub(crate) shifts: Vec<Shift>,
    /// Number of user-defined shifts at the front of `shifts`.
    pub(crate) user_shifts: usize,
    /// Shift of make-up workdays for flexible / odd-even rules, and the
    /// shift whose punch window frames rest days.
    pub(crate) non_workday_shift: ShiftId,
    pub(crate) sign_out: bool,
    pub(crate) tolerance: Tolerance,
    pub(crate) absenteeism: Option<Absenteeism>,
    pub(crate) flex: Flex,
    pub(crate) overtime: Option<Overtime>,
    pub(crate) locations: Vec<Location>,
    pub(crate) tz: Tz,
    pub(crate) validity: Validity,
    pub(crate) work_time: WorkTime,
    pub(crate) thresholds: Option<Thresholds>,
    pub(crate) holiday_punches: HolidayPunches,
    /// Minutes after a lone check-in at which its check-out is assumed.
    pub(crate) auto_check_out: Option<i64>,
    /// Sources whose punches count only with a position (rules with
    /// located places only).
    pub(crate) position_required_for: Vec<crate::punch::PunchSource>,
    /// Wall-clock conversions already made for this rule's zone.
    pub(crate) zone_cache: crate::zone_cache::ZoneCache,
}

impl Rule {
    /// Parses and validates rule JSON (see [`crate::model`] for the format).
    pub fn from_json(text: &str) -> Result<Rule, RuleError> {
        let spec: crate::model::RuleSpec = serde_json::from_str(text).map_err(|e| RuleError::from_json(text, &e))?;
        crate::validate::validate(&spec)
    }

    /// Validates an already deserialized rule.
    pub fn from_spec(spec: &crate::model::RuleSpec) -> Result<Rule, RuleError> {
        crate::validate::validate(spec)
    }

    /// Parses and validates the JSON of a rule being saved: [`Rule::from_json`]
    /// plus the refusals of [`crate::validate::validate_new`] (settings that
    /// would silently do nothing). Stored versions load with
    /// [`Rule::from_json`], so a version accepted before still judges its days.
    pub fn from_new_json(text: &str) -> Result<Rule, RuleError> {
        let spec: crate::model::RuleSpec = serde_json::from_str(text).map_err(|e| RuleError::from_json(text, &e))?;
        crate::validate::validate_new(&spec)
    }

    /// [`Rule::from_new_json`] for an already deserialized rule.
    pub fn from_new_spec(spec: &crate::model::RuleSpec) -> Result<Rule, RuleError> {
        crate::validate::validate_new(spec)
    }

    /// The rule's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The rule's attendance system.
    pub fn system(&self) -> SystemKind {
        match self.system {
            System::Standard { .. } => SystemKind::Standard,
            System::Flexible { .. } => SystemKind::Flexible,
            System::OddEven { .. } => SystemKind::OddEvenWeek,
            System::Scheduled { .. } => SystemKind::Scheduled,
        }
    }

    /// The rule's punch mode.
    pub fn punch_mode(&self) -> PunchMode {
        self.punch_mode
    }

    /// The zone local days and clock times are judged in.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// The rule's validity.
    pub fn validity(&self) -> &Validity {
        &self.validity
    }

    /// Whether the rule is in force on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.validity.covers(date)
    }

    /// For scheduled rules: whether past days may be rescheduled.
    pub fn modify_history(&self) -> bool {
        matches!(self.system, System::Scheduled { modify_history: true, .. })
    }

    /// The user-defined shift with this name.
    pub fn shift_id(&self, name: &str) -> Option<ShiftId> {
        self.shifts[..self.user_shifts].iter().position(|s| &*s.name == name).map(|i| ShiftId(i as u16))
    }

    /// The name of a shift (the built-in default is `"09:00-18:00"`).
    pub fn shift_name(&self, id: ShiftId) -> Option<&str> {
        self.shifts.get(id.0 as usize).map(|s| &*s.name)
    }

    /// Names of the user-defined shifts, in rule order.
    pub fn shift_names(&self) -> impl Iterator<Item = &str> {
        self.shifts[..self.user_shifts].iter().map(|s| &*s.name)
    }

    pub(crate) fn shift(&self, id: ShiftId) -> &Shift {
        // Ids are only minted by this rule, so the index is valid; fall back
        // to the non-workday shift rather than panic on a foreign id.
        self.shifts.get(id.0 as usize).unwrap_or(&self.shifts[self.non_workday_shift.0 as usize])
    }

    /// The name of the location a punch was made at: the first location
    /// whose radius holds its position (a location without a radius holds
    /// no particular place, and a punch without coordinates has none).
    pub fn place_of(&self, lat: Option<f64>, lon: Option<f64>) -> Option<&str> {
        crate::geo::location_of(&self.locations, lat, lon)
    }

    /// Whether any location has a radius, so that a punch can be placed at
    /// it ([`Rule::place_of`] gives None for every punch otherwise).
    pub fn has_places(&self) -> bool {
        self.locations.iter().any(|l| l.radius_m.is_some())
    }

    /// Whether punches count anywhere: no locations, or one without radius.
    pub fn punches_anywhere(&self) -> bool {
        self.locations.is_empty() || self.locations.iter().any(|l| l.radius_m.is_none())
    }

    /// The weekly overtime threshold in minutes (`quantity.week_over_minutes`
    /// of the rule-wide overtime, or of the shifts' own, which agree): the
    /// SQL view `att_weekly_overtime` counts worked minutes of a week beyond
    /// it. The engine judges days and never counts it.
    pub fn week_over_minutes(&self) -> Option<i64> {
        self.overtime.and_then(|o| o.week_over).or_else(|| self.shifts.iter().find_map(|s| s.overtime?.week_over))
    }

    /// The overtime rule in force for a shift: rule-wide, else the shift's.
    pub(crate) fn overtime_for(&self, id: ShiftId) -> Option<Overtime> {
        self.overtime.or(self.shift(id).overtime)
    }

    /// The overtime rule for rest days and holidays: rule-wide, else the
    /// non-workday default shift's, else the first shift that has one.
    pub(crate) fn overtime_off_duty(&self) -> Option<Overtime> {
        self.overtime
            .or(self.shift(self.non_workday_shift).overtime)
            .or_else(|| self.shifts.iter().find_map(|s| s.overtime))
    }
}
