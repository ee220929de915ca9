//! Pure attendance rule engine of the `attendance` PostgreSQL extension.
//!
//! No PostgreSQL in here: the pgrx adapter parses a rule once with
//! [`Rule::from_json`] (see [`model`] for the JSON format), keeps it per
//! backend, and evaluates employee-days with [`evaluate_day`] or whole
//! ranges with [`evaluate_range`]. [`evaluate_json`] is the table-free
//! form taking JSON text for both the rule and the request. A rule being
//! saved is checked with [`Rule::from_new_json`], which also refuses
//! settings that would silently do nothing; stored versions load with
//! [`Rule::from_json`] so that they judge their days as when accepted.
//!
//! A [`Rule`] also remembers the wall-clock conversions it has made (the
//! instants of its shift times on each date), which all employees on the
//! rule share: keep one `Rule` per rule version and reuse it.
//!
//! ```
//! use attendance_rules::{evaluate_day, DayInput, Punch, Rule, Status};
//! use chrono::{NaiveDate, TimeZone, Utc};
//!
//! let rule = Rule::from_json(r#"{
//!     "name": "office", "system": "standard", "punch_mode": "fixed",
//!     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
//!     "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
//!     "tolerance": {"late_minutes": 5},
//!     "time_zone": "Asia/Shanghai"
//! }"#).unwrap();
//! // 09:12 and 18:01 in Shanghai.
//! let punches = [
//!     Punch::device(Utc.with_ymd_and_hms(2026, 3, 2, 1, 12, 0).unwrap()),
//!     Punch::device(Utc.with_ymd_and_hms(2026, 3, 2, 10, 1, 0).unwrap()),
//! ];
//! let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
//! let r = evaluate_day(&rule, &DayInput::new(day, &punches));
//! assert_eq!(r.status, Status::Late);
//! assert_eq!(r.late_minutes, 12);
//! assert_eq!(r.reasons[0], "late 12 min: in 09:12, start 09:00, allowance 5");
//! ```

pub mod absence;
pub mod applicability;
pub mod batch;
pub mod calendar;
mod clock;
mod duty;
pub mod error;
pub mod evaluate;
pub mod flex;
pub mod geo;
mod json_path;
pub mod leave_late;
pub mod leave_time;
pub mod model;
pub mod overtime;
pub mod pending;
pub mod punch;
pub mod pure;
mod reason;
pub mod result;
pub mod rule;
pub mod summary;
pub mod tolerance;
pub mod touch;
pub mod validate;
pub mod validity;
mod zone_cache;

pub use batch::{
    days_read_before, days_seeing, evaluate_range, for_each_day, previous_workday, EmployeeDays, MOST_DAYS_READ_BEFORE,
};
pub use calendar::{plan_day, CalendarMark, DayKind, DayPlan, HolidayCalendar, Schedule, ScheduleEntry};
pub use error::RuleError;
pub use evaluate::{evaluate_day, evaluate_with_carry, DayInput};
pub use leave_late::PreviousWorkday;
pub use leave_time::{excused_minutes, leave_minutes};
pub use model::{FlexMode, HolidayPunches, PunchMode, RuleSpec, SystemKind, WorkTime};
pub use overtime::OvertimeCategory;
pub use pending::{due_at, made_by, settle, shows_alike_until_due};
pub use punch::{Excuse, ExcuseKind, Punch, PunchSource};
pub use pure::{evaluate_json, Request};
pub use result::{DayResult, PeriodBreak, PeriodResult, PunchTime, Status};
pub use rule::{Rule, ShiftId};
pub use touch::Touch;
pub use validity::{Cycle, Validity};
