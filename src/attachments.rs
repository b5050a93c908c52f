//! Files attached to document reviews, on their way in (read from disk, size-checked) and out
//! (a copy handed to the system's viewer). The content itself lives in the case file.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::domain::AttachmentRef;

/// Larger files are refused: a case file is mailed and backed up whole.
pub const MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;

/// The file's content, or why it cannot be attached (missing, unreadable, too large).
pub fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    if size > MAX_ATTACHMENT_BYTES {
        return Err(format!(
            "{} MB, more than the {} MB a case can hold per file",
            size / 1024 / 1024,
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        ));
    }
    let mut content = Vec::new();
    file.take(MAX_ATTACHMENT_BYTES + 1)
        .read_to_end(&mut content)
        .map_err(|e| e.to_string())?;
    if content.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err("the file grew while it was read".into());
    }
    Ok(content)
}

/// Where a copy of `attachment` is written for viewing: a folder per content hash in the temp
/// dir, under the attachment's own name (stripped of any folders it claims).
pub fn viewing_path(attachment: &AttachmentRef) -> PathBuf {
    let name = Path::new(&attachment.file_name)
        .file_name()
        .map_or_else(|| "vedlegg".into(), |n| n.to_string_lossy().into_owned());
    let hash: String = attachment.sha256.chars().take(16).collect();
    std::env::temp_dir()
        .join("evalbench-attachments")
        .join(hash)
        .join(name)
}

/// Writes a copy of the content and opens it with the system's viewer.
pub fn open_copy(attachment: &AttachmentRef, content: &[u8]) -> Result<(), String> {
    let path = viewing_path(attachment);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    }
    std::fs::write(&path, content).map_err(|e| e.to_string())?;
    open::that_detached(&path).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewing_copy_never_escapes_its_folder() {
        let attachment = AttachmentRef {
            sha256: "ab".repeat(32),
            file_name: "../../etc/passwd".into(),
            size_bytes: 1,
        };
        let path = viewing_path(&attachment);
        assert!(path.starts_with(std::env::temp_dir().join("evalbench-attachments")));
        assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("passwd"));
    }

    #[test]
    fn missing_files_say_so() {
        let error = read_limited(Path::new("/no/such/file.pdf")).unwrap_err();
        assert!(!error.is_empty());
    }
}
