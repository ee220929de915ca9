//! Recovers the JSON path (`shifts[0].periods[1].end`) at a byte offset.
//!
//! serde_json reports errors by line and column only. Rather than pull in a
//! path-tracking deserializer, we re-scan the text up to the error position
//! with a tiny tokenizer that only tracks the container stack: the text
//! before the error has already been accepted by serde_json, so it is
//! well-formed JSON and the scan can be simple.

enum Frame {
    Object { key: Option<String>, expecting_key: bool },
    Array { index: usize },
}

/// Byte offset of serde_json's (1-based line, byte column) position.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column).min(text.len())
}

/// The path of the innermost field being read at `offset`.
pub(crate) fn path_at(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, expecting_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    // Skip the escaped character so an escaped quote does not
                    // end the string.
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let stop = j.min(bytes.len());
                if let Some(Frame::Object { key, expecting_key: true }) = stack.last_mut() {
                    *key = Some(String::from_utf8_lossy(&bytes[start..stop]).into_owned());
                }
                i = stop;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_path() {
        let text = r#"{"shifts": [{"name": "a"}, {"periods": [{"start": "x", "end": 5"#;
        assert_eq!(path_at(text, text.len()), "shifts[1].periods[0].end");
    }

    #[test]
    fn escaped_quotes_do_not_confuse() {
        let text = r#"{"name": "a\"b", "tolerance": {"late_minutes": "#;
        assert_eq!(path_at(text, text.len()), "tolerance.late_minutes");
    }

    #[test]
    fn offsets_follow_lines() {
        let text = "{\n  \"a\": 1,\n  \"b\": x\n}";
        let off = offset_of(text, 3, 8);
        assert_eq!(&text[..off], "{\n  \"a\": 1,\n  \"b\": x");
        assert_eq!(path_at(text, off), "b");
    }
}
