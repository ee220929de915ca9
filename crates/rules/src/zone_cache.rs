//! Memoised wall-clock → instant conversions of one rule.
//!
//! Every employee on a rule asks the same questions ("when is 09:00 on
//! 2026-03-02 in Asia/Shanghai?"), and a time zone lookup costs more than
//! the rest of a period's arithmetic. The answers are exact (the same
//! question always has the same answer), so caching them changes no result.
//! The cache lives in the [`crate::Rule`], behind a mutex so a rule stays
//! shareable between threads; contention or re-entrancy just bypasses it.

use crate::clock::local_to_ts_exact;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

/// Entries kept before the cache starts over: a few years of days for a
/// handful of shift times.
const MAX_ENTRIES: usize = 1 << 16;

/// A multiply-rotate hasher for the small integer keys used here; SipHash
/// would cost as much as the lookup it saves.
#[derive(Default, Clone, Copy)]
pub(crate) struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Most minutes converted for one day in one call: start and end of each
/// of up to six periods.
pub(crate) const MAX_TIMES: usize = 12;

/// The converted minutes of one call, in the order asked: Unix seconds,
/// whether the conversion succeeded, and whether the instant really shows
/// the minute asked for (it does not inside a spring-forward gap). Kept
/// small because it is copied out of the cache every day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Times {
    secs: [i64; MAX_TIMES],
    ok: u16,
    exact: u16,
}

impl Times {
    fn compute(tz: &Tz, date: NaiveDate, minutes: &[i64]) -> Self {
        let mut t = Times { secs: [0; MAX_TIMES], ok: 0, exact: 0 };
        for (i, &m) in minutes.iter().take(MAX_TIMES).enumerate() {
            if let Some((secs, local)) = local_to_ts_exact(tz, date, m) {
                t.secs[i] = secs;
                t.ok |= 1 << i;
                if local.is_some() {
                    t.exact |= 1 << i;
                }
            }
        }
        t
    }

    /// Unix seconds of the `i`-th minute, if it could be placed.
    pub(crate) fn get(&self, i: usize) -> Option<i64> {
        (i < MAX_TIMES && self.ok & (1 << i) != 0).then(|| self.secs[i])
    }

    /// Whether the `i`-th instant shows the wall-clock minute asked for.
    pub(crate) fn exact(&self, i: usize) -> bool {
        i < MAX_TIMES && self.exact & (1 << i) != 0
    }
}

/// The cache; cloning a rule starts an empty one.
#[derive(Default)]
pub(crate) struct ZoneCache {
    map: Mutex<HashMap<u64, Times, BuildHasherDefault<IntHasher>>>,
}

impl ZoneCache {
    /// The instants of wall-clock `minutes` (from local midnight of
    /// `date`), as [`local_to_ts_exact`] gives them. `tag` names the list
    /// of minutes (e.g. a shift) so one lookup serves the whole day.
    pub(crate) fn times(&self, tz: &Tz, date: NaiveDate, tag: u32, minutes: &[i64]) -> Times {
        let key = ((date.num_days_from_ce() as u32 as u64) << 32) | tag as u64;
        let Ok(mut map) = self.map.try_lock() else {
            return Times::compute(tz, date, minutes);
        };
        if let Some(v) = map.get(&key) {
            return *v;
        }
        let v = Times::compute(tz, date, minutes);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, v);
        v
    }
}

impl Clone for ZoneCache {
    fn clone(&self) -> Self {
        ZoneCache::default()
    }
}

impl PartialEq for ZoneCache {
    /// Caches never make two rules different.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ZoneCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ZoneCache")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_answers_equal_direct_ones() {
        let cache = ZoneCache::default();
        let tz: Tz = "America/New_York".parse().unwrap();
        let minutes = [-90, 0, 120, 150, 540, 1320, 1800];
        for day in 0..400 {
            let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(day);
            for _ in 0..2 {
                let times = cache.times(&tz, date, 7, &minutes);
                for (i, &m) in minutes.iter().enumerate() {
                    let direct = local_to_ts_exact(&tz, date, m);
                    assert_eq!(times.get(i), direct.map(|d| d.0));
                    assert_eq!(times.exact(i), direct.is_some_and(|d| d.1.is_some()));
                }
                assert_eq!(times.get(minutes.len()), None);
            }
        }
        let _ = cache.times(&tz, NaiveDate::MIN, 0, &[-5]);
    }
}
