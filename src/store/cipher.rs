//! Encryption at rest: a case file may be a standard SQLCipher 4 database (AES-256, key derived
//! from a passphrase with SQLCipher's own defaults), so the `sqlcipher` tool opens it with the
//! passphrase and nothing else. Plain files stay plain SQLite and open without a passphrase.
//!
//! Encrypting, decrypting and changing the passphrase all write a new file with
//! `sqlcipher_export` and rename it into place: the case is either wholly the old file or wholly
//! the new one, whatever happens in between.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use zeroize::Zeroizing;

use super::{APPLICATION_ID, CaseStore, StoreError, partial_path, sql_err};
use crate::domain::Rejection;

/// SQLCipher 4's page size: an encrypted file is always a whole number of these.
const CIPHER_PAGE_SIZE: u64 = 4096;
/// Even an empty case holds the whole schema, some 60 pages; a shorter file is not a case.
const MIN_CIPHER_PAGES: u64 = 16;

/// SQLCipher 4's defaults for a passphrase: PBKDF2-HMAC-SHA512, this many rounds, a 32-byte key,
/// salted by the file's first 16 bytes.
const KDF_ROUNDS: usize = 256_000;
const KEY_LEN: usize = 32;
const SALT_LEN: usize = 16;

/// Keys derived from one passphrase, by the salt of the file they open.
type DerivedKeys = Vec<([u8; SALT_LEN], Zeroizing<[u8; KEY_LEN]>)>;

/// A case's passphrase. Kept out of `Debug` output and logs, and wiped from memory when the last
/// copy of it is dropped.
///
/// SQLCipher stretches a passphrase (PBKDF2, 256 000 rounds) for every connection, and opening a
/// case takes several. So the key it would derive for a file is derived here once, by the file's
/// salt, and every connection gets the raw key with that salt (SQLCipher's `x'KEY SALT'` form),
/// which it uses as it is. The file stays a standard SQLCipher 4 database that opens with the
/// passphrase. The derived keys live only in memory, shared by the clones of this passphrase.
#[derive(Clone)]
pub struct Passphrase {
    text: Zeroizing<String>,
    derived: Arc<Mutex<DerivedKeys>>,
}

impl PartialEq for Passphrase {
    fn eq(&self, other: &Self) -> bool {
        *self.text == *other.text
    }
}

impl Eq for Passphrase {}

impl Passphrase {
    /// Refuses an empty passphrase: SQLCipher would take it as "no encryption".
    pub fn new(text: impl Into<String>) -> Result<Passphrase, StoreError> {
        let text = Zeroizing::new(text.into());
        if text.is_empty() {
            return Err(StoreError::Rejected(Rejection::PassphraseEmpty));
        }
        Ok(Passphrase {
            text,
            derived: Arc::default(),
        })
    }

    /// A passphrase chosen for a case: at least `MIN_CHARS` characters, since it is all that
    /// stands between a lost laptop and the notes.
    pub fn new_chosen(text: impl Into<String>) -> Result<Passphrase, StoreError> {
        let key = Passphrase::new(text)?;
        if key.text.chars().count() < Passphrase::MIN_CHARS {
            return Err(StoreError::Rejected(Rejection::PassphraseTooShort {
                min_chars: Passphrase::MIN_CHARS,
            }));
        }
        Ok(key)
    }

    pub const MIN_CHARS: usize = 8;

    /// `EVALBENCH_PASSPHRASE`, for scripts; `None` when unset or empty.
    pub fn from_env() -> Option<Passphrase> {
        std::env::var("EVALBENCH_PASSPHRASE")
            .ok()
            .and_then(|text| Passphrase::new(text).ok())
    }
}

impl Passphrase {
    /// What SQLCipher is given for the file at `path`: the raw key derived for its salt (derived
    /// now if this passphrase has not opened a file with that salt before), or the passphrase
    /// itself for a file that does not exist yet or has no salt to read.
    fn key_for(&self, path: &Path) -> Zeroizing<String> {
        let Some(salt) = salt_of(path) else {
            return self.text.clone();
        };
        let known = self.derived.lock().ok().and_then(|derived| {
            derived
                .iter()
                .find(|(s, _)| *s == salt)
                .map(|(_, key)| key.clone())
        });
        let key = if let Some(key) = known {
            key
        } else {
            // Derived without holding the lock: threads reading many cases at once (the network
            // view) each derive their own file's key in parallel.
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            let derivation = openssl::pkcs5::pbkdf2_hmac(
                self.text.as_bytes(),
                &salt,
                KDF_ROUNDS,
                openssl::hash::MessageDigest::sha512(),
                key.as_mut_slice(),
            );
            if derivation.is_err() {
                // SQLCipher then derives it itself, as it always did.
                return self.text.clone();
            }
            if let Ok(mut derived) = self.derived.lock()
                && !derived.iter().any(|(s, _)| *s == salt)
            {
                derived.push((salt, key.clone()));
            }
            key
        };
        let mut raw = Zeroizing::new(String::with_capacity(3 + 2 * (KEY_LEN + SALT_LEN)));
        raw.push_str("x'");
        for byte in key.iter().chain(salt.iter()) {
            raw.push(char::from(HEX[usize::from(byte >> 4)]));
            raw.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        raw.push('\'');
        raw
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The salt SQLCipher keeps in the first 16 bytes of an encrypted file; `None` for a missing,
/// short or plain file.
fn salt_of(path: &Path) -> Option<[u8; SALT_LEN]> {
    use std::io::Read as _;
    if !needs_passphrase(path) {
        return None;
    }
    let mut salt = [0u8; SALT_LEN];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut salt))
        .ok()?;
    Some(salt)
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// True when the file at `path` looks like an encrypted case (see `looks_encrypted`): open it
/// with its passphrase.
pub fn needs_passphrase(path: &Path) -> bool {
    use std::io::Read as _;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut header = [0u8; 16];
    let len = file.metadata().map_or(0, |m| m.len());
    file.read_exact(&mut header).is_ok() && looks_encrypted(&header, len)
}

/// True when the first bytes and the length fit an encrypted case: no SQLite header (SQLCipher
/// encrypts it too) and enough whole cipher pages. Random bytes of such a length look the same; the
/// passphrase then tells them apart.
pub(super) fn looks_encrypted(header: &[u8], len: u64) -> bool {
    header.get(..16) != Some(&super::SQLITE_HEADER[..])
        && len >= CIPHER_PAGE_SIZE * MIN_CIPHER_PAGES
        && len.is_multiple_of(CIPHER_PAGE_SIZE)
}

/// True when the file starts with the plain SQLite header.
pub(super) fn is_plain(path: &Path) -> bool {
    use std::io::Read as _;
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut header))
        .is_ok_and(|()| header == *super::SQLITE_HEADER)
}

/// Gives a fresh connection the key: for an existing file the raw key derived once for it (see
/// `Passphrase`). Must come before anything else reads the file.
pub(super) fn unlock(conn: &Connection, key: &Passphrase) -> rusqlite::Result<()> {
    // SQLCipher otherwise writes its own error lines to stderr on a wrong passphrase.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    let given = match conn.path().filter(|p| !p.is_empty()) {
        Some(path) => key.key_for(Path::new(path)),
        None => key.text.clone(),
    };
    conn.pragma_update(None, "key", given.as_str())
}

/// A wrong passphrase (or a file that is not an encrypted case) shows as SQLITE_NOTADB on the
/// first read.
pub(super) fn is_wrong_key(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase)
}

/// Writes the case at `source` (opened with `source_key`) to `target` (which must not exist),
/// encrypted with `target_key` or plain, and flushes it. A connection of its own does the writing,
/// so a read-only store can be copied too.
pub(super) fn export(
    source: &Path,
    source_key: Option<&Passphrase>,
    target: &Path,
    target_key: Option<&Passphrase>,
) -> Result<(), StoreError> {
    // ATTACH would create a missing source as an empty database.
    if !source.is_file() {
        return Err(StoreError::Missing {
            path: source.to_owned(),
        });
    }
    let conn = Connection::open(target).map_err(|source| sql_err(target, source))?;
    let written = (|| {
        if let Some(key) = target_key {
            unlock(&conn, key)?;
        }
        copy_into(&conn, source, source_key)
    })();
    let closed = conn.close().map_err(|(_, e)| e);
    written
        .and(closed)
        .map_err(|source| sql_err(target, source))?;
    std::fs::File::open(target)
        .and_then(|file| file.sync_all())
        .map_err(|source| StoreError::Io {
            path: target.to_owned(),
            error: source,
        })
}

/// Copies the case at `path` into the empty database behind `conn`. SQLCipher's export copies
/// tables, indexes, triggers and full-text tables, but not the header fields, set here. SQLite's
/// own backup cannot copy between an encrypted and a plain database; this can.
pub(super) fn copy_into(
    conn: &Connection,
    path: &Path,
    key: Option<&Passphrase>,
) -> rusqlite::Result<()> {
    let given = key.map_or_else(Zeroizing::default, |k| k.key_for(path));
    conn.execute(
        "ATTACH DATABASE ?1 AS source KEY ?2",
        (path.to_string_lossy(), given.as_str()),
    )?;
    let copied = (|| {
        conn.query_row("SELECT sqlcipher_export('main', 'source')", [], |_| Ok(()))?;
        let version: i64 =
            conn.pragma_query_value(Some("source"), "user_version", |row| row.get(0))?;
        conn.pragma_update(None, "user_version", version)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)
    })();
    let detached = conn.execute_batch("DETACH DATABASE source");
    copied.and(detached)
}

/// Replaces the file at `path` (opened with `old`) with a copy encrypted with `new` (or plain).
/// The copy is written beside it and renamed into place; on failure the old file is left as it
/// was. Nothing else may have the file open.
fn rewrite(
    path: &Path,
    old: Option<&Passphrase>,
    new: Option<&Passphrase>,
) -> Result<(), StoreError> {
    let partial = partial_path(path);
    let _ = std::fs::remove_file(&partial);
    let result = export(path, old, &partial, new).and_then(|()| rename_over(&partial, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Renames `partial` over `path`, then overwrites the bytes of the file it replaced with zeros:
/// otherwise the old content (plain text, or ciphertext under a passphrase that may have leaked)
/// stays readable in freed disk blocks. The wipe waits until the rename is durable, so a crash
/// never leaves the case as zeros; it is skipped where the old file still has another name (a
/// hard link is somebody's copy) and on systems that cannot replace an open file. Flash storage
/// and copy-on-write file systems may keep older blocks whatever is written here.
fn rename_over(partial: &Path, path: &Path) -> Result<(), StoreError> {
    // Opened before the rename: afterwards the old bytes have no name to open them by. Not on
    // Windows, where an open file cannot be replaced.
    let old = if cfg!(unix) {
        std::fs::OpenOptions::new().write(true).open(path).ok()
    } else {
        None
    };
    std::fs::rename(partial, path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        error: source,
    })?;
    if let Some(old) = old
        && let Err(e) = sync_parent(path).and_then(|()| wipe_unlinked(old))
    {
        // The case itself is in place; a wipe that did not happen is not worth failing over.
        log::warn!(
            "the replaced copy of {} was not overwritten: {e}",
            path.display()
        );
    }
    Ok(())
}

/// Flushes the directory entry of `path`, making a rename into it durable.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::File::open(parent)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Overwrites a file that no longer has a name with zeros and flushes it.
fn wipe_unlinked(file: std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::{Seek, Write};
        use std::os::unix::fs::MetadataExt;

        let meta = file.metadata()?;
        if meta.nlink() > 0 {
            return Ok(());
        }
        let mut file = file;
        file.seek(std::io::SeekFrom::Start(0))?;
        let zeros = vec![0u8; 64 * 1024];
        let mut left = meta.len();
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            file.write_all(&zeros[..n])?;
            left -= n as u64;
        }
        file.sync_data()
    }
    #[cfg(not(unix))]
    {
        drop(file);
        Ok(())
    }
}

impl CaseStore {
    /// True when the case file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Encrypts the open case with `key`, or gives an encrypted case a new passphrase. The file
    /// is rewritten whole and renamed into place, so a crash leaves either the old or the new
    /// file; the undo history carries on.
    pub fn set_passphrase(&mut self, key: &Passphrase) -> Result<(), StoreError> {
        self.replace_file(Some(key))
    }

    /// Makes the open case a plain file again (the app never does this; `evalbench decrypt`
    /// writes a plain copy instead).
    pub fn remove_passphrase(&mut self) -> Result<(), StoreError> {
        self.replace_file(None)
    }

    fn replace_file(&mut self, key: Option<&Passphrase>) -> Result<(), StoreError> {
        let path = self.path.clone();
        let partial = partial_path(&path);
        let _ = std::fs::remove_file(&partial);
        export(&path, self.key.as_ref(), &partial, key).inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })?;
        // Closed before the rename: Windows cannot replace a file that is open.
        let old = std::mem::replace(
            &mut self.conn,
            Connection::open_in_memory().map_err(|source| sql_err(&path, source))?,
        );
        let _ = old.close();
        let renamed = rename_over(&partial, &path);
        let key = if renamed.is_ok() {
            key.cloned()
        } else {
            let _ = std::fs::remove_file(&partial);
            self.key.clone()
        };
        let reopened = CaseStore::connect(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE,
            key.as_ref(),
        )?;
        // The new connection records on the day this store was set to.
        super::register_functions(&reopened.conn, &self.record_day)
            .map_err(|source| sql_err(&path, source))?;
        self.conn = reopened.conn;
        self.key = key;
        super::history::install_triggers(&self.conn).map_err(|source| sql_err(&path, source))?;
        renamed
    }

    /// True when `candidate` is the passphrase the case was opened with.
    pub fn passphrase_matches(&self, candidate: &Passphrase) -> bool {
        self.key.as_ref() == Some(candidate)
    }

    /// Writes a plain (unencrypted) copy of the case to `target`, which must not exist.
    pub fn write_plain_copy(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::AlreadyExists {
                path: target.to_owned(),
            });
        }
        export(&self.path, self.key.as_ref(), target, None)
    }
}

/// Gives every copy at `paths` the passphrase `new`: plain copies are encrypted, encrypted ones
/// are opened with `old`. Returns the copies that could not be converted.
pub fn convert_copies(
    paths: &[std::path::PathBuf],
    old: Option<&Passphrase>,
    new: &Passphrase,
) -> Vec<(std::path::PathBuf, StoreError)> {
    let mut failed = Vec::new();
    for path in paths {
        let result = if !path.is_file() {
            Err(StoreError::Missing { path: path.clone() })
        } else if is_plain(path) {
            rewrite(path, None, Some(new))
        } else if old.is_some() {
            rewrite(path, old, Some(new))
        } else {
            Err(StoreError::Encrypted { path: path.clone() })
        };
        if let Err(e) = result {
            failed.push((path.clone(), e));
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// The key derived here is the one SQLCipher derives from the passphrase: a connection given
    /// only the raw key reads the file, and a wrong passphrase's raw key does not.
    #[test]
    fn the_raw_key_opens_what_the_passphrase_opens_and_is_derived_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.evalcase");
        let key = Passphrase::new("riktig hest batteri").unwrap();
        CaseStore::create_keyed(&path, Some(&key), |_| Ok(()))
            .unwrap()
            .close()
            .unwrap();
        let raw = key.key_for(&path);
        assert!(
            raw.starts_with("x'") && raw.len() == 3 + 2 * (KEY_LEN + SALT_LEN),
            "{raw:?}"
        );
        let read = |given: &str| -> rusqlite::Result<i64> {
            let conn = Connection::open(&path)?;
            conn.pragma_update(None, "key", given)?;
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        };
        assert!(read(&raw).unwrap() > 10);
        let wrong = Passphrase::new("feil hest batteri").unwrap().key_for(&path);
        assert!(is_wrong_key(&read(&wrong).unwrap_err()));
        // Every further connection of this passphrase reuses the key: one derivation per file.
        assert_eq!(*key.key_for(&path), *raw);
        assert_eq!(key.derived.lock().unwrap().len(), 1);
        // A file that is not there yet (a new case, a copy being written) gets the passphrase.
        assert_eq!(
            *key.key_for(&dir.path().join("new.evalcase")),
            "riktig hest batteri"
        );
    }
}
