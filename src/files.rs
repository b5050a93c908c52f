//! Writing a whole output file (a report, a plan workbook, an export): a failed write never
//! leaves half a file under the chosen name, and a device or pipe named as the target stays
//! what it is.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary neighbour that is flushed and renamed into
/// place. A symbolic link is followed (the file it points to is replaced, not the link). A
/// device or named pipe, such as `/dev/null`, is written to directly: a rename would put a plain
/// file in its place, and for root that would replace the system's `/dev/null` itself.
pub fn write_whole(path: &Path, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    let bytes = bytes.as_ref();
    let path = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_owned(),
    };
    if let Ok(meta) = std::fs::metadata(&path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(&path)?
            .write_all(bytes);
    }
    let partial = partial_path(&path);
    let written = (|| {
        let mut file = std::fs::File::create(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// `report.pdf` → `report.pdf.partial`.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a panic is a failed test

    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_replaced_whole_and_no_partial_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rapport.md");
        write_whole(&path, b"first").unwrap();
        write_whole(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        assert_eq!(names(dir.path()), ["rapport.md"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a folder");
        std::fs::create_dir(&target).unwrap();
        assert!(write_whole(&target, b"text").is_err());
        assert!(target.is_dir(), "the folder is still there");
        assert_eq!(names(dir.path()), ["a folder"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        std::fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_whole(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["link.md", "real.md"]);
    }

    /// A named pipe stands in for `/dev/null` (replacing that, as root, would break the machine
    /// if this test failed): it is written to and stays a pipe.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_to_not_replaced() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;

        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap();
        assert!(made.success());
        let reader_path = pipe.clone();
        let reader = std::thread::spawn(move || {
            let mut text = Vec::new();
            std::fs::File::open(reader_path)
                .unwrap()
                .read_to_end(&mut text)
                .unwrap();
            text
        });
        write_whole(&pipe, b"through the pipe").unwrap();
        // Checked before waiting for the reader, which would wait forever on a replaced pipe.
        assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert_eq!(names(dir.path()), ["pipe"]);
    }
}
