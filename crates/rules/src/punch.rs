//! Punches (打卡) and excuses (请假, 出差, 公出, 申诉) as the engine sees them.
//!
//! Both are instants in UTC; the rule's time zone decides which local day and
//! clock time they mean. Appeals and make-up punches add records and never
//! erase a punch.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Where a punch came from.
///
/// The order of the variants breaks ties between punches at one instant
/// (see [`punch_order`]): new sources go at the end so that existing
/// results keep their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PunchSource {
    /// A real punch on a device or phone.
    Device,
    /// A make-up punch (补签).
    MakeUp,
    /// A punch added by an approved appeal (申诉).
    Appeal,
    /// A real punch on a fixed terminal, which reports no position.
    Terminal,
    /// A real punch in a phone app, which is expected to report its
    /// position (see the rule's `position_required_for`).
    Mobile,
    /// Never an input: the check-out the engine assumes for a forgotten one
    /// (the rule's `auto_check_out_minutes`), shown as the period's
    /// check-out. Requests cannot name it.
    #[serde(skip_deserializing)]
    AutoCheckOut,
}

impl PunchSource {
    /// Only real punches (device, terminal, mobile) trigger
    /// leave-late-arrive-late; people add make-up and appeal punches.
    pub fn is_real(self) -> bool {
        matches!(self, PunchSource::Device | PunchSource::Terminal | PunchSource::Mobile)
    }

    /// The snake_case name, as serde writes it and the SQL enum
    /// `punch_source` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            PunchSource::Device => "device",
            PunchSource::MakeUp => "make_up",
            PunchSource::Appeal => "appeal",
            PunchSource::Terminal => "terminal",
            PunchSource::Mobile => "mobile",
            PunchSource::AutoCheckOut => "auto_check_out",
        }
    }
}

/// One punch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Punch {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Latitude in degrees, if the device reported one.
    pub lat: Option<f64>,
    /// Longitude in degrees, if the device reported one.
    pub lon: Option<f64>,
    /// Where it came from.
    pub source: PunchSource,
}

impl Punch {
    /// A device punch without coordinates.
    pub fn device(at: DateTime<Utc>) -> Self {
        Punch { at, lat: None, lon: None, source: PunchSource::Device }
    }
}

/// The total order punches are evaluated in.
///
/// Ties on the instant are broken by source and coordinates so that the
/// result never depends on the order the caller passed them in.
pub fn punch_order(a: &Punch, b: &Punch) -> Ordering {
    a.at.cmp(&b.at)
        .then_with(|| a.source.cmp(&b.source))
        .then_with(|| cmp_coord(a.lat, b.lat))
        .then_with(|| cmp_coord(a.lon, b.lon))
}

fn cmp_coord(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.total_cmp(&y),
    }
}

/// Whether punches are already in [`punch_order`].
pub fn is_sorted(punches: &[Punch]) -> bool {
    punches.windows(2).all(|w| punch_order(&w[0], &w[1]) != Ordering::Greater)
}

/// What an excuse interval is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExcuseKind {
    /// Leave (请假).
    Leave,
    /// Business trip (出差).
    BusinessTrip,
    /// Outing on company business (公出).
    Outing,
    /// Approved appeal (申诉).
    Appeal,
}

impl ExcuseKind {
    /// Lower-case name used in reasons.
    pub fn label(self) -> &'static str {
        match self {
            ExcuseKind::Leave => "leave",
            ExcuseKind::BusinessTrip => "business trip",
            ExcuseKind::Outing => "outing",
            ExcuseKind::Appeal => "appeal",
        }
    }
}

/// An approved interval `[from, to)` that excuses the part of a period it
/// covers: no late, early or absence there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Excuse {
    /// What it is.
    pub kind: ExcuseKind,
    /// Start, inclusive.
    pub from: DateTime<Utc>,
    /// End, exclusive.
    pub to: DateTime<Utc>,
}

/// Moves `t` (Unix seconds) forward through excuses that cover it, up to
/// `limit`: lateness is then measured from where the excuses end.
pub(crate) fn covered_until(excuses: &[Excuse], mut t: i64, limit: i64) -> i64 {
    // Excuses may arrive unsorted and chained; repeat until no excuse
    // extends the covered stretch. Lists are a handful long.
    loop {
        let next =
            excuses.iter().filter(|e| e.from.timestamp() <= t && t < e.to.timestamp()).map(|e| e.to.timestamp()).max();
        match next {
            Some(n) if n > t && t < limit => t = n.min(limit),
            _ => return t,
        }
    }
}

/// Moves `t` backward through excuses that cover the moment before it, down
/// to `limit`: early leave is then measured to where the excuses start.
pub(crate) fn covered_since(excuses: &[Excuse], mut t: i64, limit: i64) -> i64 {
    loop {
        let prev = excuses
            .iter()
            .filter(|e| e.from.timestamp() < t && t <= e.to.timestamp())
            .map(|e| e.from.timestamp())
            .min();
        match prev {
            Some(p) if p < t && t > limit => t = p.max(limit),
            _ => return t,
        }
    }
}

/// Seconds of `[a, b)` covered by the union of the excuses.
pub(crate) fn covered_secs(excuses: &[Excuse], a: i64, b: i64) -> i64 {
    // Sweep without allocating: extend through covering excuses, else jump
    // to the next excuse start.
    let mut cursor = a;
    let mut total = 0i64;
    while cursor < b {
        let covering = excuses
            .iter()
            .filter(|e| e.from.timestamp() <= cursor && cursor < e.to.timestamp())
            .map(|e| e.to.timestamp())
            .max();
        match covering {
            Some(end) => {
                let end = end.min(b);
                total += end - cursor;
                cursor = end;
            }
            None => match excuses.iter().map(|e| e.from.timestamp()).filter(|&f| f > cursor && f < b).min() {
                Some(next) => cursor = next,
                None => break,
            },
        }
    }
    total
}

/// The kind of the excuse covering `t`, for reasons.
pub(crate) fn kind_at(excuses: &[Excuse], t: i64) -> Option<ExcuseKind> {
    excuses.iter().find(|e| e.from.timestamp() <= t && t < e.to.timestamp()).map(|e| e.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    fn ex(a: DateTime<Utc>, b: DateTime<Utc>) -> Excuse {
        Excuse { kind: ExcuseKind::Leave, from: a, to: b }
    }

    fn s(h: u32, m: u32) -> i64 {
        t(h, m).timestamp()
    }

    #[test]
    fn chained_excuses_extend_coverage() {
        let e = [ex(t(10, 0), t(11, 0)), ex(t(9, 0), t(10, 0))];
        assert_eq!(covered_until(&e, s(9, 0), s(18, 0)), s(11, 0));
        assert_eq!(covered_until(&e, s(8, 0), s(18, 0)), s(8, 0));
        assert_eq!(covered_until(&e, s(9, 0), s(9, 30)), s(9, 30));
        assert_eq!(covered_since(&e, s(11, 0), s(0, 0)), s(9, 0));
        assert_eq!(covered_since(&e, s(12, 0), s(0, 0)), s(12, 0));
    }

    #[test]
    fn coverage_counts_union_once() {
        let e = [ex(t(9, 0), t(11, 0)), ex(t(10, 0), t(12, 0)), ex(t(14, 0), t(15, 0))];
        assert_eq!(covered_secs(&e, s(8, 0), s(18, 0)), 4 * 3600);
        assert_eq!(covered_secs(&e, s(10, 30), s(14, 30)), 90 * 60 + 30 * 60);
        assert_eq!(covered_secs(&[], s(8, 0), s(18, 0)), 0);
    }

    #[test]
    fn source_names_are_the_serde_names() {
        use PunchSource::*;
        for s in [Device, MakeUp, Appeal, Terminal, Mobile] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(serde_json::from_value::<PunchSource>(s.as_str().into()).unwrap(), s);
        }
        assert_eq!(serde_json::to_value(AutoCheckOut).unwrap(), AutoCheckOut.as_str());
        assert!(serde_json::from_value::<PunchSource>(AutoCheckOut.as_str().into()).is_err());
        assert!(!AutoCheckOut.is_real());
    }

    #[test]
    fn order_is_total() {
        let a = Punch { at: t(9, 0), lat: Some(1.0), lon: None, source: PunchSource::Device };
        let b = Punch { at: t(9, 0), lat: None, lon: None, source: PunchSource::Device };
        assert_eq!(punch_order(&b, &a), Ordering::Less);
        assert!(is_sorted(&[b, a]));
        assert!(!is_sorted(&[a, b]));
    }
}
