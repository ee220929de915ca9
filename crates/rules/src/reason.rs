//! Pieces of the plain-language reasons attached to every day result.
//!
//! Reasons are written on a large share of days, and going through
//! `core::fmt` for each number and clock time cost more than evaluating
//! the day. The `line!` macro in [`crate::evaluate`] concatenates
//! [`Piece`]s into one string with a single allocation instead.

use crate::clock::Hhmm;
use std::fmt;

/// Something that can be appended to a reason.
pub(crate) trait Piece {
    fn push_to(self, out: &mut String);
}

impl Piece for &str {
    fn push_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for &String {
    fn push_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for i64 {
    fn push_to(self, out: &mut String) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut v = self.unsigned_abs();
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        if self < 0 {
            out.push('-');
        }
        for &b in &buf[i..] {
            out.push(b as char);
        }
    }
}

impl Piece for i32 {
    fn push_to(self, out: &mut String) {
        (self as i64).push_to(out);
    }
}

impl Piece for usize {
    fn push_to(self, out: &mut String) {
        (self.min(i64::MAX as usize) as i64).push_to(out);
    }
}

impl Piece for Hhmm {
    fn push_to(self, out: &mut String) {
        self.push_to_string(out);
    }
}

/// "period k: " in reasons of multi-period shifts; nothing for one period.
#[derive(Clone, Copy)]
pub(crate) struct Label(pub(crate) usize);

impl Piece for Label {
    fn push_to(self, out: &mut String) {
        if self.0 > 0 {
            out.push_str("period ");
            (self.0 as i64).push_to(out);
            out.push_str(": ");
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(p: impl Piece) -> String {
        let mut s = String::new();
        p.push_to(&mut s);
        s
    }

    #[test]
    fn numbers_match_display() {
        for v in [0i64, 7, 10, 59, 120, 1440, -5, i64::MAX, i64::MIN] {
            assert_eq!(piece(v), v.to_string());
        }
        assert_eq!(piece(Label(2)), "period 2: ");
        assert_eq!(piece(Label(0)), "");
        assert_eq!(piece(3usize), "3");
    }
}
