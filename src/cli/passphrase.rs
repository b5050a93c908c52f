//! Passphrases on the command line: asked for without echo or read from the environment, and the
//! commands that encrypt a case or change its passphrase.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::store::{self, CaseStore, Passphrase};

/// The passphrase `file` needs, if it is encrypted: `EVALBENCH_PASSPHRASE`, or asked for on the
/// terminal without echo. `None` for a plain file.
pub(super) fn key_for(file: &Path) -> anyhow::Result<Option<Passphrase>> {
    if !store::needs_passphrase(file) {
        return Ok(None);
    }
    if let Some(key) = Passphrase::from_env() {
        return Ok(Some(key));
    }
    let text =
        ask_hidden(&format!("Passphrase for «{}»: ", file.display())).with_context(|| {
            format!(
                "«{}» is encrypted and no passphrase could be asked for; set EVALBENCH_PASSPHRASE",
                file.display()
            )
        })?;
    Ok(Some(Passphrase::new(text)?))
}

/// A new passphrase: from `env` (for scripts), or typed twice on the terminal.
pub(super) fn new_passphrase(env: &str) -> anyhow::Result<Passphrase> {
    if let Ok(text) = std::env::var(env)
        && !text.is_empty()
    {
        return Passphrase::new_chosen(text).with_context(|| env.to_owned());
    }
    let first = ask_hidden("New passphrase: ")
        .with_context(|| format!("no passphrase could be asked for; set {env}"))?;
    let key = Passphrase::new_chosen(first.clone())?;
    let second = ask_hidden("The same passphrase again: ")
        .with_context(|| format!("no passphrase could be asked for; set {env}"))?;
    if first != second {
        bail!("The two passphrases differ; nothing was changed.");
    }
    Ok(key)
}

pub(super) fn ask_hidden(prompt: &str) -> std::io::Result<String> {
    rpassword::prompt_password(prompt)
}

pub(super) fn encrypt(file: &Path) -> anyhow::Result<()> {
    if store::needs_passphrase(file) {
        bail!(
            "«{}» is already encrypted; `evalbench rekey` changes its passphrase.",
            file.display()
        );
    }
    let mut store = CaseStore::open(file)?;
    let key = new_passphrase("EVALBENCH_PASSPHRASE")?;
    store.set_passphrase(&key)?;
    let case_id = store.snapshot()?.case_id;
    store.close()?;
    let converted = convert_backups(&case_id, None, &key);
    outln!(
        "encrypted {}{converted}; keep the passphrase safe: without it the case cannot be opened",
        file.display()
    );
    Ok(())
}

pub(super) fn rekey(file: &Path) -> anyhow::Result<()> {
    let Some(old) = key_for(file)? else {
        bail!(
            "«{}» is not encrypted; `evalbench encrypt` encrypts it.",
            file.display()
        );
    };
    let mut store = CaseStore::open_keyed(file, Some(&old))?;
    let key = new_passphrase("EVALBENCH_NEW_PASSPHRASE")?;
    store.set_passphrase(&key)?;
    let case_id = store.snapshot()?.case_id;
    store.close()?;
    let converted = convert_backups(&case_id, Some(&old), &key);
    outln!("changed the passphrase of {}{converted}", file.display());
    Ok(())
}

/// Gives the case's backup copies the new passphrase too, so none is left readable with the old
/// one (or with none); says how many.
pub(super) fn convert_backups(case_id: &str, old: Option<&Passphrase>, key: &Passphrase) -> String {
    let backups = crate::backups::Backups::default();
    let paths: Vec<PathBuf> = backups
        .list(case_id)
        .into_iter()
        .map(|backup| backup.path)
        .collect();
    let failed = store::convert_copies(&paths, old, key);
    for (path, error) in &failed {
        eprintln!("backup {}: {error}", path.display());
    }
    if paths.is_empty() {
        String::new()
    } else {
        format!(
            " and {} of its {} backup copies",
            paths.len() - failed.len(),
            paths.len()
        )
    }
}
