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
