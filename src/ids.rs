//! Hash maps keyed by database ids. The standard hasher (SipHash) resists
//! keys chosen to collide, which ids read from our own tables are not; it
//! was most of the cost of looking up an org's rule once per day and a
//! row's scope once per row.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiply-rotate hasher over the integers of a key.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_i32(&mut self, n: i32) {
        self.add(n as u32 as u64);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map from ids (or tuples of them) to `V`.
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_apart() {
        let mut map: IdMap<(i64, i32), i64> = IdMap::default();
        for e in -50..50i64 {
            for d in 0..40 {
                map.insert((e, d), e * 100 + i64::from(d));
            }
        }
        assert_eq!(map.len(), 4000);
        assert_eq!(map.get(&(-7, 3)), Some(&-697));
        assert_eq!(map.get(&(3, -7)), None);
    }
}
