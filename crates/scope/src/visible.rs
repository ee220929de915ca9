//! A view scope as one value: the spans of days an asker may see, per
//! employee, sorted, in the byte layout a row check reads in place.
//!
//! Why one value: a row-level policy that reads `(SELECT scope value)` gets
//! it computed once by the query's leader, and PostgreSQL hands that value
//! to every parallel worker; a policy that computed the scope itself would
//! compute it again in each worker. The check then reads the bytes as they
//! are (a binary search), with nothing to build per query or per worker.
//!
//! Layout: the 4 bytes `atv1`, the maker's tag (u64: a reader that keeps a
//! decoded copy tells values apart by it), then one 16-byte entry per span,
//! in order of employee and first day: employee (i64), first day, end day
//! (i32 each, day numbers counted from 2000-01-01 as PostgreSQL's dates
//! are, the end exclusive; an open bound is `i32::MIN` or `i32::MAX`), all
//! little-endian.

const MAGIC: &[u8; 4] = b"atv1";
const HEADER: usize = 12;
const ENTRY: usize = 16;

/// One visible span: an employee's days `from..until` (day numbers; `None`
/// is an open bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisibleSpan {
    pub employee: i64,
    pub from: Option<i32>,
    pub until: Option<i32>,
}

/// Bytes that are not a scope value made by `encode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAScope;

/// The scope value of these spans, in any order, under the maker's tag.
pub fn encode(tag: u64, spans: impl IntoIterator<Item = VisibleSpan>) -> Vec<u8> {
    let mut entries: Vec<(i64, i32, i32)> =
        spans.into_iter().map(|s| (s.employee, s.from.unwrap_or(i32::MIN), s.until.unwrap_or(i32::MAX))).collect();
    entries.sort_unstable();
    let mut bytes = Vec::with_capacity(HEADER + entries.len() * ENTRY);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&tag.to_le_bytes());
    for (employee, from, until) in entries {
        bytes.extend_from_slice(&employee.to_le_bytes());
        bytes.extend_from_slice(&from.to_le_bytes());
        bytes.extend_from_slice(&until.to_le_bytes());
    }
    bytes
}

fn entry(entries: &[u8], i: usize) -> (i64, i32, i32) {
    let e = &entries[i * ENTRY..(i + 1) * ENTRY];
    let word = |r: std::ops::Range<usize>| -> [u8; 4] { e[r].try_into().expect("4 bytes") };
    (
        i64::from_le_bytes(e[0..8].try_into().expect("8 bytes")),
        i32::from_le_bytes(word(8..12)),
        i32::from_le_bytes(word(12..16)),
    )
}

/// The tag and the entries of a scope value.
fn parts(scope: &[u8]) -> Result<(u64, &[u8]), NotAScope> {
    if scope.len() < HEADER || &scope[..4] != MAGIC || (scope.len() - HEADER) % ENTRY != 0 {
        return Err(NotAScope);
    }
    Ok((u64::from_le_bytes(scope[4..HEADER].try_into().expect("8 bytes")), &scope[HEADER..]))
}

/// The maker's tag of a scope value.
pub fn tag(scope: &[u8]) -> Result<u64, NotAScope> {
    parts(scope).map(|(tag, _)| tag)
}

/// The spans of a scope value, in order of employee and first day.
pub fn spans(scope: &[u8]) -> Result<impl Iterator<Item = VisibleSpan> + '_, NotAScope> {
    let (_, entries) = parts(scope)?;
    let open = |d: i32, bound: i32| (d != bound).then_some(d);
    Ok((0..entries.len() / ENTRY).map(move |i| {
        let (employee, from, until) = entry(entries, i);
        VisibleSpan { employee, from: open(from, i32::MIN), until: open(until, i32::MAX) }
    }))
}

/// Is this day (a day number) within one of the spans `from..until`? An
/// infinite date (`i32::MIN`, `i32::MAX`) is no day; open bounds are
/// `i32::MIN` and `i32::MAX`.
pub fn within(spans: impl IntoIterator<Item = (i32, i32)>, day: i32) -> bool {
    day != i32::MIN && day != i32::MAX && spans.into_iter().any(|(from, until)| from <= day && day < until)
}

/// May the scope's asker see this employee's day (a day number)? Read in
/// place: a binary search over the entries.
pub fn allows(scope: &[u8], employee: i64, day: i32) -> Result<bool, NotAScope> {
    let (_, entries) = parts(scope)?;
    let n = entries.len() / ENTRY;
    // the first entry of the employee: entries are sorted by employee
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if entry(entries, mid).0 < employee {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(within((lo..n).map(|i| entry(entries, i)).take_while(|e| e.0 == employee).map(|(_, f, u)| (f, u)), day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(employee: i64, from: Option<i32>, until: Option<i32>) -> VisibleSpan {
        VisibleSpan { employee, from, until }
    }

    #[test]
    fn finds_each_employees_spans_in_any_order() {
        let scope = encode(
            42,
            [
                span(7, Some(100), Some(110)),
                span(-3, None, None),
                span(7, Some(200), None),
                span(5, None, Some(50)),
                span(9, Some(10), Some(10)),
            ],
        );
        assert_eq!(scope.len(), 12 + 5 * 16);
        assert_eq!(tag(&scope), Ok(42));
        let ask = |e, d| allows(&scope, e, d).unwrap();
        assert!(ask(7, 100) && ask(7, 109) && !ask(7, 110) && !ask(7, 99));
        assert!(ask(7, 200) && ask(7, 1_000_000) && !ask(7, 150));
        assert!(ask(-3, -5_000_000) && ask(-3, 0));
        assert!(ask(5, -100_000) && ask(5, 49) && !ask(5, 50));
        // an empty span shows nothing; someone without spans is not seen
        assert!(!ask(9, 10) && !ask(6, 100) && !ask(8, 100) && !ask(i64::MAX, 0) && !ask(i64::MIN, 0));
    }

    #[test]
    fn infinite_dates_are_no_day() {
        let scope = encode(0, [span(1, None, None)]);
        assert_eq!(allows(&scope, 1, i32::MIN), Ok(false));
        assert_eq!(allows(&scope, 1, i32::MAX), Ok(false));
        assert_eq!(allows(&scope, 1, i32::MAX - 1), Ok(true));
    }

    #[test]
    fn an_empty_scope_sees_nothing() {
        let scope = encode(7, []);
        assert_eq!(scope, b"atv1\x07\0\0\0\0\0\0\0");
        assert_eq!(spans(&scope).map(|s| s.count()), Ok(0));
        assert_eq!(allows(&scope, 1, 0), Ok(false));
    }

    #[test]
    fn refuses_bytes_it_did_not_make() {
        assert_eq!(allows(b"", 1, 0), Err(NotAScope));
        assert_eq!(allows(b"atv1", 1, 0), Err(NotAScope));
        assert_eq!(allows(b"atv2\0\0\0\0\0\0\0\0", 1, 0), Err(NotAScope));
        assert!(spans(b"atv2\0\0\0\0\0\0\0\0").is_err() && tag(b"atv").is_err());
        let mut scope = encode(0, [span(1, None, None)]);
        scope.pop();
        assert_eq!(allows(&scope, 1, 0), Err(NotAScope));
    }

    #[test]
    fn agrees_with_a_linear_scan() {
        // spans of 50 employees with ids spread over negatives and positives
        let spans: Vec<VisibleSpan> = (0..200)
            .map(|i: i64| {
                let employee = (i * 7919 % 50) * 1_000_003 - 20_000_000;
                let from = (i % 3 != 0).then_some((i * 37 % 400) as i32);
                let until = (i % 5 != 0).then_some((i * 37 % 400 + i % 30) as i32);
                span(employee, from, until)
            })
            .collect();
        let scope = encode(3, spans.clone());
        // read back: the same spans, sorted
        let mut sorted: Vec<(i64, i32, i32)> =
            spans.iter().map(|s| (s.employee, s.from.unwrap_or(i32::MIN), s.until.unwrap_or(i32::MAX))).collect();
        sorted.sort_unstable();
        let read: Vec<(i64, i32, i32)> = super::spans(&scope)
            .unwrap()
            .map(|s| (s.employee, s.from.unwrap_or(i32::MIN), s.until.unwrap_or(i32::MAX)))
            .collect();
        assert_eq!(read, sorted);
        for e in (0..52).map(|k| (k * 1_000_003) - 20_000_000) {
            for d in -2..420 {
                let expected = spans
                    .iter()
                    .any(|s| s.employee == e && s.from.is_none_or(|f| f <= d) && s.until.is_none_or(|u| d < u));
                assert_eq!(allows(&scope, e, d), Ok(expected), "employee {e} day {d}");
            }
        }
    }
}
