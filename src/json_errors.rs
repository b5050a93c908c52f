//! Where in a JSON document serde's complaint is. Serde names an unknown field but not where it
//! sits (the command enum is tagged by `op`, which hides the path from serde); a typo deep in
//! `action` or a catalog requirement should be reported with its path, e.g. `action.ownr`.

/// The error as a sentence with the path of the field it is about, where that can be found.
pub fn describe(text: &str, error: &serde_json::Error) -> String {
    let full = error.to_string();
    // Callers say where (file and line); the message says what.
    let message = strip_position(&full).to_owned();
    let Some(path) = unknown_field_path(text, &message) else {
        return message;
    };
    // serde's "unknown field `x`, expected one of …" is long; the path and the field say it.
    let expected = message
        .split_once(", expected")
        .map(|(_, rest)| format!(" (expected{})", strip_position(rest)))
        .unwrap_or_default();
    format!("unknown field «{path}»{expected}")
}

/// serde_json appends " at line L column C" to its messages.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |at| &message[..at])
}

/// The path of the unknown field serde named in `message`, e.g. `action.ownr`.
fn unknown_field_path(text: &str, message: &str) -> Option<String> {
    let field = message
        .strip_prefix("unknown field `")?
        .split('`')
        .next()?
        .to_owned();
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut found = Vec::new();
    find_key(&value, "", &field, &mut found);
    found.into_iter().next()
}

fn find_key(value: &serde_json::Value, path: &str, key: &str, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(fields) => {
            for (name, item) in fields {
                let inner = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                if name == key {
                    found.push(inner.clone());
                }
                find_key(item, &inner, key, found);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_key(item, &format!("{path}[{index}]"), key, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_nested_field_is_named_by_its_path() {
        let line = r#"{"op":"add_action","finding_id":1,"action":{"description":"x","ownr":"y"}}"#;
        let error = serde_json::from_str::<crate::command::Command>(line).err();
        let text = error.map(|e| describe(line, &e)).unwrap_or_default();
        assert!(
            text.starts_with("unknown field «action.ownr» (expected"),
            "{text}"
        );
        assert!(text.contains("`owner`"), "{text}");
    }
}

/// One step of a path such as `areas[0].requirements[2].code`.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (key, mut rest) = segment.split_at(segment.find('[').unwrap_or(segment.len()));
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            steps.push(Step::Index(inner[..close].parse().ok()?));
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// The line (from 1) on which the value at `path` starts in the JSON `text`, so a message
/// about a valid file's content names a place a person can go to. `None` when the path is
/// not in the text.
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, 0);
    for step in steps(path)? {
        at = match step {
            Step::Key(key) => member(bytes, at, key)?,
            Step::Index(index) => element(bytes, at, index)?,
        };
    }
    Some(1 + text.get(..at)?.matches('\n').count())
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The end of the string that starts at `at` (after its closing quote).
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The end of the value that starts at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0_usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

/// Where the value of `key` starts in the object at `at`.
fn member(bytes: &[u8], at: usize, key: &str) -> Option<usize> {
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut i = skip_space(bytes, at + 1);
    while bytes.get(i) == Some(&b'"') {
        let end = string_end(bytes, i)?;
        let name = bytes.get(i + 1..end - 1)?;
        i = skip_space(bytes, end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i = skip_space(bytes, i + 1);
        if name == key.as_bytes() {
            return Some(i);
        }
        i = skip_space(bytes, value_end(bytes, i)?);
        if bytes.get(i) != Some(&b',') {
            return None;
        }
        i = skip_space(bytes, i + 1);
    }
    None
}

/// Where element `index` starts in the array at `at`.
fn element(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let mut i = skip_space(bytes, at + 1);
    for _ in 0..index {
        i = skip_space(bytes, value_end(bytes, i)?);
        if bytes.get(i) != Some(&b',') {
            return None;
        }
        i = skip_space(bytes, i + 1);
    }
    (bytes.get(i).is_some_and(|b| *b != b']')).then_some(i)
}

#[cfg(test)]
mod line_tests {
    use super::line_of;

    #[test]
    fn finds_the_line_of_a_nested_value() {
        let text = "{\n  \"a\": \"x\\\"}\",\n  \"areas\": [\n    {\"code\": 1},\n    {\n      \"code\": [true, {\"b\": 2}],\n      \"roles\": [\"x\",\n \"y\"]\n    }\n  ]\n}\n";
        assert_eq!(line_of(text, "a"), Some(2));
        assert_eq!(line_of(text, "areas[0].code"), Some(4));
        assert_eq!(line_of(text, "areas[1].roles[1]"), Some(8));
        assert_eq!(line_of(text, "areas[1].code[1].b"), Some(6));
        assert_eq!(line_of(text, "areas[2]"), None);
        assert_eq!(line_of(text, "missing"), None);
        assert_eq!(line_of(text, "areas[x]"), None);
        assert_eq!(line_of("", "a"), None);
        assert_eq!(line_of("[1, 2", "[5]"), None);
    }
}
