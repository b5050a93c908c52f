//! The rules every stored text follows, whichever way it arrives (the app, `apply`, a plan
//! workbook, a catalog): no control characters but tab and newline, and a length limit per field.
//! Clean text is also valid in every format we write (XML 1.0 of DOCX and XLSX, PDF, JSON).

use std::borrow::Cow;

/// Whether `c` is kept in stored text: tab, newline and every printable character. Carriage
/// returns become newlines (see `clean`); other C0 and C1 controls, DEL, and the non-characters
/// U+FFFE/U+FFFF (invalid in XML) are dropped.
fn is_kept(c: char) -> bool {
    match c {
        '\t' | '\n' => true,
        '\u{FFFE}' | '\u{FFFF}' => false,
        c => !c.is_control(),
    }
}

/// `text` with Windows and old Mac line ends as `\n` and every other control character removed.
/// Borrowed when there is nothing to change, which is nearly always.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_kept) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else if is_kept(c) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Interview notes: a long group interview is some 100 000 characters; this leaves room.
pub const NOTES_MAX_CHARS: usize = 500_000;
/// Descriptions, assessments, rationales, comments and other running text.
pub const LONG_TEXT_MAX_CHARS: usize = 50_000;
/// Titles, names, owners, labels and codes.
pub const SHORT_TEXT_MAX_CHARS: usize = 500;

/// Fields (by their name in the command's JSON form) that hold one line, not running text.
const SHORT_FIELDS: &[&str] = &[
    "title",
    "owner",
    "provider_name",
    "nav_unit",
    "interviewees",
    "evaluators",
    "file_name",
    "version_label",
    "name",
    "code",
    "id",
    "version",
    "label",
];

/// The most characters field `name` may hold.
pub fn max_chars(name: &str) -> usize {
    if name == "notes" {
        NOTES_MAX_CHARS
    } else if SHORT_FIELDS.contains(&name) {
        SHORT_TEXT_MAX_CHARS
    } else {
        LONG_TEXT_MAX_CHARS
    }
}

/// A text over its field's limit: the field's path, its length and the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLong {
    pub path: String,
    pub length_chars: usize,
    pub max_chars: usize,
}

/// Cleans every string in a JSON value in place (see `clean`) and checks its length against its
/// field's limit. Returns whether anything was cleaned; the first text over its limit is an error
/// naming its path (`action.description`, `interview.interviewees[0]`).
pub fn clean_json(value: &mut serde_json::Value, path: &str) -> Result<bool, TooLong> {
    /// `areas[0].requirements[2].title` → `title`; `interview.interviewees[1]` → `interviewees`.
    fn field_name(path: &str) -> &str {
        let last = path.rsplit('.').next().unwrap_or(path);
        last.split('[').next().unwrap_or(last)
    }
    match value {
        serde_json::Value::String(text) => {
            let cleaned = match clean(text) {
                Cow::Borrowed(_) => None,
                Cow::Owned(cleaned) => Some(cleaned),
            };
            let changed = cleaned.is_some();
            if let Some(cleaned) = cleaned {
                *text = cleaned;
            }
            let max_chars = max_chars(field_name(path));
            // Bytes bound characters from above: count only where it could matter.
            if text.len() > max_chars {
                let length_chars = text.chars().count();
                if length_chars > max_chars {
                    return Err(TooLong {
                        path: path.to_owned(),
                        length_chars,
                        max_chars,
                    });
                }
            }
            Ok(changed)
        }
        serde_json::Value::Array(items) => {
            let mut changed = false;
            for (index, item) in items.iter_mut().enumerate() {
                changed |= clean_json(item, &format!("{path}[{index}]"))?;
            }
            Ok(changed)
        }
        serde_json::Value::Object(fields) => {
            let mut changed = false;
            for (name, item) in fields.iter_mut() {
                let inner = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                changed |= clean_json(item, &inner)?;
            }
            Ok(changed)
        }
        _ => Ok(false),
    }
}

/// Cleans every string in a JSON value (see `clean`), with no length limit: for outputs.
pub fn strip_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => {
            if let Cow::Owned(cleaned) = clean(text) {
                *text = cleaned;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_json),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(strip_json),
        _ => {}
    }
}

/// What is wrong with a text in a file that is checked, not cleaned (a catalog).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// A control character other than tab and newline, e.g. U+0000.
    ControlCharacter {
        path: String,
        code_point: u32,
    },
    TooLong(TooLong),
}

impl std::fmt::Display for TextProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextProblem::ControlCharacter { code_point, .. } => write!(
                f,
                "contains the control character U+{code_point:04X}; only tab and newline are allowed"
            ),
            TextProblem::TooLong(too_long) => write!(
                f,
                "is {} characters long; at most {} are allowed",
                too_long.length_chars, too_long.max_chars
            ),
        }
    }
}

impl TextProblem {
    pub fn path(&self) -> &str {
        match self {
            TextProblem::ControlCharacter { path, .. } => path,
            TextProblem::TooLong(too_long) => &too_long.path,
        }
    }
}

/// Checks every string in a JSON value: the first control character or over-long text, by path.
pub fn check_json(value: &serde_json::Value, path: &str) -> Result<(), TextProblem> {
    let mut copy = value.clone();
    if let Some((inner, c)) = first_control(value, path) {
        return Err(TextProblem::ControlCharacter {
            path: inner,
            code_point: u32::from(c),
        });
    }
    clean_json(&mut copy, path)
        .map(|_| ())
        .map_err(TextProblem::TooLong)
}

fn first_control(value: &serde_json::Value, path: &str) -> Option<(String, char)> {
    match value {
        serde_json::Value::String(text) => text
            .chars()
            .find(|c| !is_kept(*c))
            .map(|c| (path.to_owned(), c)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| first_control(item, &format!("{path}[{index}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, item)| {
            let inner = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            first_control(item, &inner)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_line_ends_become_newlines() {
        assert_eq!(clean("a\u{0}b\u{7}c"), "abc");
        assert_eq!(
            clean("one\r\ntwo\rthree\n\tfour"),
            "one\ntwo\nthree\n\tfour"
        );
        assert_eq!(clean("æøå – «»"), "æøå – «»");
        assert!(matches!(clean("plain text\n"), Cow::Borrowed(_)));
        assert_eq!(clean("x\u{85}y\u{FFFF}\u{7F}"), "xy");
    }

    #[test]
    fn json_strings_are_cleaned_and_limited_by_field() {
        let mut value = serde_json::json!({
            "action": {"description": "ok\u{0}", "owner": "Leder"},
            "interview": {"interviewees": ["a", "b"]}
        });
        assert_eq!(clean_json(&mut value, ""), Ok(true));
        assert_eq!(value["action"]["description"], "ok");
        let mut long = serde_json::json!({"interview": {"interviewees": ["a", "x".repeat(501)]}});
        assert_eq!(
            clean_json(&mut long, ""),
            Err(TooLong {
                path: "interview.interviewees[1]".into(),
                length_chars: 501,
                max_chars: SHORT_TEXT_MAX_CHARS,
            })
        );
        let mut nested =
            serde_json::json!({"areas": [{"requirements": [{"title": "T".repeat(501)}]}]});
        assert_eq!(
            clean_json(&mut nested, "").map_err(|e| e.path),
            Err("areas[0].requirements[0].title".to_owned())
        );
        // Multi-byte letters count as one character each.
        let mut notes = serde_json::json!({"notes": "ø".repeat(NOTES_MAX_CHARS)});
        assert_eq!(clean_json(&mut notes, ""), Ok(false));
    }
}
