//! One writer per case: a lock on a small file beside the case, held while a `CaseStore` has the
//! case open for writing. The operating system releases it when the process ends, however it
//! ends, so a crash never leaves a case locked. Readers (`CaseStore::open_read_only`, `scan`,
//! `check` of a closed case) take no lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::StoreError;

/// Held for as long as the case is open for writing.
#[derive(Debug)]
pub(super) struct CaseLock {
    file: File,
    path: PathBuf,
}

/// `case.evalcase` → `case.evalcase-lock`.
pub(super) fn lock_path(case: &Path) -> PathBuf {
    let mut name = case.file_name().unwrap_or_default().to_os_string();
    name.push("-lock");
    case.with_file_name(name)
}

impl CaseLock {
    /// Takes the lock, or says that another window or program has the case open. `Ok(None)` when
    /// the folder cannot hold a lock file (read-only): SQLite will then refuse writes itself.
    pub(super) fn acquire(case: &Path) -> Result<Option<CaseLock>, StoreError> {
        let path = lock_path(case);
        let file = match OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        {
            Ok(file) => file,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                return Ok(None);
            }
            Err(source) => {
                return Err(StoreError::Io {
                    path,
                    error: source,
                });
            }
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::InUse {
                    path: case.to_owned(),
                });
            }
            Err(TryLockError::Error(source)) => {
                return Err(StoreError::Io {
                    path,
                    error: source,
                });
            }
        }
        // The previous holder deletes the file as it closes; if it did so between our open and
        // our lock, we hold a lock on a file nobody else can find. Start again on the new one.
        if !same_file(&file, &path) {
            drop(file);
            return CaseLock::acquire(case);
        }
        Ok(Some(CaseLock { file, path }))
    }
}

impl Drop for CaseLock {
    fn drop(&mut self) {
        // Removed while still locked, so no one can take a lock on a file about to vanish.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}
