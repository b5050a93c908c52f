//! Automatic backup copies of cases, kept in a rotating set per case under the user's data
//! folder: one on the first open of each day, and one before a restore. Each is a whole,
//! consistent case file (`VACUUM INTO` from the open case), so it opens like any other.

use std::path::{Path, PathBuf};

use crate::store::{CaseStore, StoreError};

/// How many copies are kept per case; the oldest go first.
pub const KEEP: usize = 10;

/// Why a copy was taken; part of its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Daily,
    BeforeRestore,
    BeforePlanImport,
    BeforeMerge,
    /// The first copy after the participants' personal data was deleted (the older ones held it).
    AfterDeletion,
}

impl Reason {
    /// The name in the backup's file name and in `evalbench backups`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Daily => "daily",
            Reason::BeforeRestore => "before-restore",
            Reason::BeforePlanImport => "before-plan-import",
            Reason::BeforeMerge => "before-merge",
            Reason::AfterDeletion => "after-deletion",
        }
    }

    fn from_code(code: &str) -> Option<Reason> {
        [
            Reason::Daily,
            Reason::BeforeRestore,
            Reason::BeforePlanImport,
            Reason::BeforeMerge,
            Reason::AfterDeletion,
        ]
        .into_iter()
        .find(|reason| reason.code() == code)
    }
}

/// One backup copy on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub path: PathBuf,
    pub taken_at: jiff::Timestamp,
    pub reason: Reason,
    pub size_bytes: u64,
}

/// The program's data folder: `EVALBENCH_DATA_DIR` if set (scripts, tests), else the platform's
/// (`~/.local/share/evalbench` on Linux).
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("EVALBENCH_DATA_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("no", "Evalbench", "Evalbench")
        .map_or_else(std::env::temp_dir, |dirs| dirs.data_dir().to_owned())
}

/// Where the copies of each case live: a folder per case id under `root`.
#[derive(Clone, Debug)]
pub struct Backups {
    root: PathBuf,
}

impl Default for Backups {
    fn default() -> Self {
        Backups::at(data_dir().join("backups"))
    }
}

/// `20261124T201300.123Z-daily.evalcase`: sorts by time, says why.
const STAMP_FORMAT: &str = "%Y%m%dT%H%M%S%.3fZ";

/// The UTC time in a backup's name.
fn parse_stamp(stamp: &str) -> Option<jiff::Timestamp> {
    let datetime = jiff::fmt::strtime::parse(STAMP_FORMAT, stamp)
        .ok()?
        .to_datetime()
        .ok()?;
    Some(datetime.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp())
}

impl Backups {
    pub fn at(root: impl Into<PathBuf>) -> Backups {
        Backups { root: root.into() }
    }

    /// The folder that holds every case's copies.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn folder(&self, case_id: &str) -> PathBuf {
        // The case id is a UUID we wrote; anything else is reduced to a safe folder name.
        let safe: String = case_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        self.root
            .join(if safe.is_empty() { "unknown" } else { &safe })
    }

    /// The copies of a case, newest first.
    pub fn list(&self, case_id: &str) -> Vec<Backup> {
        let Ok(entries) = std::fs::read_dir(self.folder(case_id)) else {
            return Vec::new();
        };
        let mut backups: Vec<Backup> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let path = entry.path();
                let name = path.file_name()?.to_str()?.strip_suffix(".evalcase")?;
                let (stamp, reason) = name.split_once('-')?;
                let taken_at = parse_stamp(stamp)?;
                Some(Backup {
                    taken_at,
                    reason: Reason::from_code(reason)?,
                    size_bytes: entry.metadata().ok()?.len(),
                    path,
                })
            })
            .collect();
        backups.sort_by_key(|backup| std::cmp::Reverse(backup.taken_at));
        backups
    }

    /// Writes a copy of the open case and drops the oldest beyond `KEEP`.
    pub fn take(
        &self,
        store: &CaseStore,
        case_id: &str,
        reason: Reason,
    ) -> Result<PathBuf, StoreError> {
        let folder = self.folder(case_id);
        std::fs::create_dir_all(&folder).map_err(|source| StoreError::Io {
            path: folder.clone(),
            error: source,
        })?;
        let mut path;
        loop {
            let stamp = jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .strftime(STAMP_FORMAT)
                .to_string();
            path = folder.join(format!("{stamp}-{}.evalcase", reason.code()));
            // Two copies in the same millisecond would share a name; wait for the next one.
            if !path.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        store.save_copy(&path)?;
        for old in self.list(case_id).into_iter().skip(KEEP) {
            let _ = std::fs::remove_file(old.path);
        }
        Ok(path)
    }

    /// After the participants' personal data was deleted from the case: every copy taken
    /// before (here, and the copies a schema upgrade left beside the file) still holds it, so
    /// each is overwritten and removed, and one copy of the case as it is now is taken in their
    /// place. Returns the copies removed.
    pub fn replace_after_deletion(
        &self,
        store: &CaseStore,
        case_id: &str,
    ) -> Result<Vec<PathBuf>, StoreError> {
        let mut old: Vec<PathBuf> = self.list(case_id).into_iter().map(|b| b.path).collect();
        old.extend(crate::store::upgrade_backups(store.path()));
        for path in &old {
            wipe(path)?;
        }
        self.take(store, case_id, Reason::AfterDeletion)?;
        Ok(old)
    }

    /// A copy if none was taken today (in local time); `Ok(None)` when there is one already.
    pub fn daily(
        &self,
        store: &CaseStore,
        case_id: &str,
        today: jiff::civil::Date,
    ) -> Result<Option<PathBuf>, StoreError> {
        let zone = jiff::tz::TimeZone::system();
        let taken_today = self
            .list(case_id)
            .iter()
            .any(|backup| backup.taken_at.to_zoned(zone.clone()).date() == today);
        if taken_today {
            return Ok(None);
        }
        self.take(store, case_id, Reason::Daily).map(Some)
    }

    /// Puts `backup` in place of the case at `target`, after taking a copy of the current case,
    /// so a restore can itself be undone. Refused while the case is open elsewhere.
    pub fn restore(
        &self,
        backup: &Path,
        target: &Path,
        key: Option<&crate::store::Passphrase>,
    ) -> Result<(), StoreError> {
        crate::store::inspect_keyed(backup, key)?;
        let current = CaseStore::open_keyed(target, key)?;
        let case_id = current.snapshot()?.case_id;
        self.take(&current, &case_id, Reason::BeforeRestore)?;
        let partial = target.with_extension("evalcase.restoring");
        std::fs::copy(backup, &partial).map_err(|source| StoreError::Io {
            path: partial.clone(),
            error: source,
        })?;
        // Closed first: Windows cannot replace a file that is open.
        current.close()?;
        let renamed = std::fs::rename(&partial, target).map_err(|source| StoreError::Io {
            path: target.to_owned(),
            error: source,
        });
        if renamed.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        renamed
    }
}

/// Overwrites a file with zeros, to disk, before removing it: its content is not left for the
/// next file to be given those blocks (as far as the file system reuses them in place).
fn wipe(path: &Path) -> Result<(), StoreError> {
    use std::io::Write as _;
    let io = |error| StoreError::Io {
        path: path.to_owned(),
        error,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(io)?;
    let zeros = vec![0_u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n]).map_err(io)?;
        left -= n as u64;
    }
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::remove_file(path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_sort_by_time_and_parse_back() {
        let now = jiff::Timestamp::now();
        let stamp = now
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime(STAMP_FORMAT)
            .to_string();
        assert_eq!(
            parse_stamp(&stamp).map(jiff::Timestamp::as_millisecond),
            Some(now.as_millisecond())
        );
        assert!(parse_stamp("not a time").is_none());
    }
}
