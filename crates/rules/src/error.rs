//! Errors of the rule engine.
//!
//! Every error names the JSON field path it is about (for example
//! `tolerance.late_minutes` or `shifts[1].periods[0].end`) so that a person
//! editing a rule can find the culprit without reading Rust. The SQL adapter
//! maps each error once to a SQLSTATE through [`RuleError::sqlstate`].

use thiserror::Error;

/// Why a rule (or an evaluation request) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    /// The text is not JSON, a field has the wrong type, a required field is
    /// missing or an unknown field is present.
    #[error("{path}: malformed JSON: {message}")]
    Malformed {
        /// JSON path of the offending field (`(root)` for the document).
        path: String,
        /// What the parser said.
        message: String,
    },
    /// A value is outside its allowed range or contradicts another setting.
    #[error("{path}: {message}")]
    OutOfRange {
        /// JSON path of the offending field.
        path: String,
        /// Which range was expected.
        message: String,
    },
    /// A date (`YYYY-MM-DD`, `MM-DD`) or clock time (`HH:MM`) does not exist
    /// or is not written in the expected form.
    #[error("{path}: invalid date or time {value:?}: {message}")]
    InvalidDateTime {
        /// JSON path of the offending field.
        path: String,
        /// The text as written.
        value: String,
        /// The expected form.
        message: String,
    },
    /// Two validity periods or yearly cycles (or shift periods) overlap.
    #[error("{path}: {message}")]
    Overlap {
        /// JSON path of the later of the two overlapping items.
        path: String,
        /// Which items overlap.
        message: String,
    },
    /// A shift is referenced by a name no shift of the rule has.
    #[error("{path}: unknown shift {name:?}")]
    UnknownShift {
        /// JSON path of the reference.
        path: String,
        /// The name referenced.
        name: String,
    },
    /// Two shifts share one name.
    #[error("{path}: duplicate shift name {name:?}")]
    DuplicateShift {
        /// JSON path of the second shift.
        path: String,
        /// The duplicated name.
        name: String,
    },
    /// The time zone is not an IANA time zone name.
    #[error("{path}: unknown time zone {name:?} (expected an IANA name such as \"Asia/Shanghai\")")]
    UnknownTimeZone {
        /// JSON path of the time zone field.
        path: String,
        /// The name as written.
        name: String,
    },
    /// A setting is present that the rule's system or punch mode does not
    /// allow (for example flex settings on a `scheduled` rule).
    #[error("{path}: {message}")]
    NotAllowed {
        /// JSON path of the setting.
        path: String,
        /// Why it is not allowed.
        message: String,
    },
}

impl RuleError {
    /// The PostgreSQL SQLSTATE this error should be raised with.
    ///
    /// `22P02` invalid_text_representation, `22023` invalid_parameter_value,
    /// `22007` invalid_datetime_format, `23P01` exclusion_violation (the
    /// code PostgreSQL itself uses for overlapping ranges), `42704`
    /// undefined_object, `42710` duplicate_object.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            RuleError::Malformed { .. } => "22P02",
            RuleError::OutOfRange { .. } => "22023",
            RuleError::InvalidDateTime { .. } => "22007",
            RuleError::Overlap { .. } => "23P01",
            RuleError::UnknownShift { .. } => "42704",
            RuleError::DuplicateShift { .. } => "42710",
            RuleError::UnknownTimeZone { .. } => "22023",
            RuleError::NotAllowed { .. } => "22023",
        }
    }

    /// The JSON field path the error is about.
    pub fn path(&self) -> &str {
        match self {
            RuleError::Malformed { path, .. }
            | RuleError::OutOfRange { path, .. }
            | RuleError::InvalidDateTime { path, .. }
            | RuleError::Overlap { path, .. }
            | RuleError::UnknownShift { path, .. }
            | RuleError::DuplicateShift { path, .. }
            | RuleError::UnknownTimeZone { path, .. }
            | RuleError::NotAllowed { path, .. } => path,
        }
    }

    pub(crate) fn range(path: impl Into<String>, message: impl Into<String>) -> Self {
        RuleError::OutOfRange { path: path.into(), message: message.into() }
    }

    pub(crate) fn not_allowed(path: impl Into<String>, message: impl Into<String>) -> Self {
        RuleError::NotAllowed { path: path.into(), message: message.into() }
    }

    pub(crate) fn datetime(path: impl Into<String>, value: impl Into<String>, message: impl Into<String>) -> Self {
        RuleError::InvalidDateTime { path: path.into(), value: value.into(), message: message.into() }
    }

    /// Turns a serde_json error on `text` into a [`RuleError::Malformed`]
    /// whose path is recovered from the error position, so that even
    /// type errors and unknown fields name their field.
    pub(crate) fn from_json(text: &str, err: &serde_json::Error) -> Self {
        let message = strip_position(&err.to_string());
        let mut path = if err.line() == 0 {
            String::new()
        } else {
            crate::json_path::path_at(text, crate::json_path::offset_of(text, err.line(), err.column()))
        };
        // serde reports a missing field at the end of its object; naming the
        // field itself is what the reader needs.
        if let Some(field) = backticked(&message, "missing field `") {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(field);
        }
        RuleError::Malformed { path: if path.is_empty() { "(root)".to_string() } else { path }, message }
    }
}

/// Drops serde_json's " at line L column C" suffix: the path replaces it.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn backticked<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    let end = rest.find('`')?;
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlstates_are_distinct_where_it_matters() {
        assert_eq!(RuleError::range("a", "b").sqlstate(), "22023");
        assert_eq!(RuleError::datetime("a", "b", "c").sqlstate(), "22007");
        let e = RuleError::Overlap { path: "validity.yearly[1]".into(), message: "x".into() };
        assert_eq!(e.sqlstate(), "23P01");
        assert_eq!(e.path(), "validity.yearly[1]");
    }

    #[test]
    fn display_starts_with_path() {
        let e = RuleError::range("tolerance.late_minutes", "must be 0..=120, got 121");
        assert_eq!(e.to_string(), "tolerance.late_minutes: must be 0..=120, got 121");
    }
}
