//! Errors of the scope core, each with the SQLSTATE the adapter raises it with.

use thiserror::Error;

/// Bad input to the scope resolver.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScopeError {
    /// A period whose end is not after its start.
    #[error("period end {end} is not after its start {start}")]
    EmptyPeriod { start: chrono::NaiveDate, end: chrono::NaiveDate },
    /// A closing day outside 1..=28 (later days do not exist in every month).
    #[error("closing day {0} is out of range: use 1..28, or none for calendar months")]
    ClosingDayOutOfRange(i32),
    /// A permission name that SPEC.md section A does not define.
    #[error("unknown permission \"{0}\"")]
    UnknownPermission(String),
    /// A day range without a finite start or end where one is needed.
    #[error("the day range must have a finite start and end")]
    UnboundedRange,
}

impl ScopeError {
    /// The SQLSTATE the database layer reports this error with.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            // data_exception: the values contradict each other
            ScopeError::EmptyPeriod { .. } => "22000",
            // invalid_parameter_value
            ScopeError::ClosingDayOutOfRange(_) | ScopeError::UnboundedRange => "22023",
            // invalid_text_representation, as PostgreSQL reports an unknown enum label
            ScopeError::UnknownPermission(_) => "22P02",
        }
    }
}
