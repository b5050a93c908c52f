//! The last guard of the DOCX and XLSX writers: an Office document is a zip of XML parts, and XML
//! 1.0 forbids most control characters, raw or as character references (`&#0;`). The store never
//! holds them, but an older file or another program's may; whatever the data, no part we write
//! carries one (Word and LibreOffice refuse the whole file for a single NUL).

use std::io::{Read, Write};

/// `package` with every forbidden character removed from its XML parts; the bytes as they were
/// when there is none (nearly always).
pub fn clean(package: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(&package)).map_err(|e| e.to_string())?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::with_capacity(archive.len());
    let mut dirty = false;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).map_err(|e| e.to_string())?;
        if is_xml(&name)
            && let Some(cleaned) = clean_xml(&content)
        {
            dirty = true;
            content = cleaned;
        }
        parts.push((name, content));
    }
    if !dirty {
        return Ok(package);
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        out.start_file(name, options).map_err(|e| e.to_string())?;
        out.write_all(&content).map_err(|e| e.to_string())?;
    }
    out.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| e.to_string())
}

fn is_xml(name: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("rels"))
}

/// Whether `c` may appear in an XML 1.0 document (tab, newline and carriage return are the only
/// controls allowed).
fn allowed(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10_FFFF)
}

/// The part without forbidden raw characters and without character references to them; `None`
/// when it has none.
fn clean_xml(content: &[u8]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(content);
    let needs = text.chars().any(|c| !allowed(u32::from(c))) || text.contains("&#");
    if !needs {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    let mut changed = false;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (after, 10),
        };
        let end = digits.find(';');
        let code = end.and_then(|end| u32::from_str_radix(&digits[..end], radix).ok());
        match (code, end) {
            (Some(code), Some(end)) if !allowed(code) => {
                changed = true;
                let consumed = (after.len() - digits.len()) + end + 1;
                rest = &after[consumed..];
            }
            _ => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let cleaned: String = out.chars().filter(|c| allowed(u32::from(*c))).collect();
    changed |= cleaned.len() != out.len();
    changed.then(|| cleaned.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_and_references_go() {
        let part = "<w:t>a\u{0}b&#0;c&#x1F;d&#10;e&#x9;&amp;f\u{1}</w:t>".as_bytes();
        let cleaned = clean_xml(part).map(String::from_utf8);
        assert_eq!(
            cleaned,
            Some(Ok("<w:t>abcd&#10;e&#x9;&amp;f</w:t>".to_owned()))
        );
        assert_eq!(clean_xml(b"<w:t>plain &#10; text</w:t>"), None);
    }
}
