//! Digests of results pinned before a change, for the fuzz tests that prove
//! rules without the change's options keep every figure, status and reason.

use attendance_rules::DayResult;

/// Reason lines later options add to days they did not change: a flex rule
/// that was considered but did not apply, and a capped figure.
fn is_new_reason(line: &str) -> bool {
    line.contains(" does not apply: ") || line.contains(" capped at ")
}

/// A day's JSON without `attended_minutes`, a figure added after the pins:
/// every figure that was there is still compared.
fn without_attended(json: String) -> String {
    let Some(at) = json.find(",\"attended_minutes\":") else { return json };
    let end = json[at + 1..].find(',').map_or(json.len(), |n| at + 1 + n);
    format!("{}{}", &json[..at], &json[end..])
}

/// FNV-1a over the days as JSON, new reason lines and figures left out.
pub fn digest(days: &[DayResult], hash: &mut u64) {
    for d in days {
        let mut d = d.clone();
        d.reasons.retain(|r| !is_new_reason(r));
        for b in without_attended(serde_json::to_string(&d).expect("a result serializes")).bytes() {
            *hash ^= b as u64;
            *hash = hash.wrapping_mul(0x0100_0000_01B3);
        }
    }
}
