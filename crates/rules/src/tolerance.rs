//! Allowed late and early-leave minutes (人性化规则).
//!
//! The seed counts late minutes from the start; the allowance only decides
//! whether the lateness counts at all. So 12 minutes late with a 5-minute
//! allowance is 12 minutes late, not 7.

/// The minutes that count, given the raw minutes and the allowance.
pub fn counted(raw_minutes: i64, allowance_minutes: i64) -> i64 {
    if raw_minutes > allowance_minutes {
        raw_minutes
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn allowance_only_decides() {
        assert_eq!(counted(12, 5), 12);
        assert_eq!(counted(5, 5), 0);
        assert_eq!(counted(0, 0), 0);
        assert_eq!(counted(1, 0), 1);
    }
}
