//! The `evalbench` command line: what each subcommand does, split by role (one case file, the
//! plan, catalogs, many cases, passphrases); the flags themselves are in `args`. No subcommand
//! starts the app.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::catalog_library::CatalogLibrary;
use crate::domain::{CaseFacts, OrgNumber};
use crate::export;
use crate::store::{self, CaseStore, StoreError};

/// `println!` that returns the write error instead of panicking: `evalbench check FILE | head -1`
/// closes the pipe early, and `main` then exits quietly, the way `rg` does.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout(), $($arg)*)?
    };
}

mod args;
mod case;
mod catalog;
mod network;
mod passphrase;
mod plan;
mod report;
mod team;

pub use args::*;
use case::{apply, audit, backups, check, guard_export, scan};
use catalog::catalog;
use network::aggregate;
use passphrase::{encrypt, key_for, new_passphrase, rekey};
use plan::plan;

/// Whether `error` is a write to a closed pipe (the reader of our output stopped early).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error as one line for stderr: each context once, and an OS error in plain words
/// («it is a folder, not a file», not «Is a directory (os error 21)»).
pub fn error_message(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause_text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => crate::store::FileProblem::of_io(io).to_string(),
            None => cause.to_string(),
        };
        if text.is_empty() {
            text = cause_text;
        } else if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
    }
    text
}

/// Runs a subcommand; `Ok` carries the exit code for outcomes that are not errors.
pub fn run(command: CliCommand) -> anyhow::Result<ExitCode> {
    match command {
        CliCommand::Demo {
            file,
            cases: Some(count),
            ..
        } => {
            let written = crate::demo::write_network(&file, count)?;
            outln!(
                "wrote {} invented cases to {}",
                written.len(),
                file.display()
            );
        }
        CliCommand::Demo {
            file,
            scale,
            programme,
            ..
        } => {
            crate::demo::write_programme_demo(&file, programme.into(), scale)?;
            outln!("wrote the demo case to {}", file.display());
        }
        CliCommand::Aggregate {
            inputs,
            out,
            anonymise,
            salt,
            lang,
        } => {
            return aggregate(
                &inputs,
                &out,
                anonymise.then(|| salt.unwrap_or_default()),
                lang_or_env(lang),
            );
        }
        CliCommand::New {
            file,
            provider,
            measure,
            org_number,
            catalog,
            self_evaluation,
            encrypt,
        } => {
            let org_number = org_number
                .as_deref()
                .map(OrgNumber::parse)
                .transpose()
                .context("--org-number")?;
            let facts = CaseFacts {
                provider_name: provider,
                org_number,
                measure: measure.into(),
                self_evaluation,
                ..CaseFacts::default()
            };
            facts
                .validate()
                .map_err(|e| anyhow::anyhow!("--provider: {e}"))?;
            let catalog = match catalog {
                Some(id) => match CatalogLibrary::default().find(&id, None) {
                    Some((catalog, _)) if !catalog.is_fidelity_scale() => catalog,
                    Some(_) => {
                        bail!("--catalog: {id} is a fidelity scale, not a requirement catalog.")
                    }
                    None => bail!(
                        "--catalog: no catalog {id}; `evalbench catalog list` shows the ones there are."
                    ),
                },
                None => crate::catalog::builtin_for(facts.measure)?,
            };
            let key = if encrypt {
                Some(new_passphrase("EVALBENCH_PASSPHRASE")?)
            } else {
                None
            };
            crate::app::create_case(&file, facts, catalog, key.as_ref())?;
            if encrypt {
                outln!("created {} (encrypted)", file.display());
            } else {
                outln!("created {}", file.display());
            }
        }
        CliCommand::Encrypt { file } => encrypt(&file)?,
        CliCommand::Rekey { file } => rekey(&file)?,
        CliCommand::Decrypt { file, out } => {
            let key = key_for(&file)?;
            if key.is_none() {
                bail!("«{}» is not encrypted; nothing to decrypt.", file.display());
            }
            CaseStore::open_read_only_keyed(&file, key.as_ref())?.write_plain_copy(&out)?;
            outln!(
                "wrote a plain copy of {} to {}; it is not protected by the passphrase",
                file.display(),
                out.display()
            );
        }
        CliCommand::Check { file } => return check(&file),
        CliCommand::Export {
            file,
            format,
            output,
            rater,
        } => {
            if matches!(format, ExportFormat::Pdf) {
                export::pdf::warm_up();
            }
            // Read-only: an export never changes the case, and works while the app has it open.
            let mut snapshot = store::read_case_keyed(&file, key_for(&file)?.as_ref())?;
            let reader = rater.map(Into::into).or_else(|| {
                crate::domain::rater_named(&snapshot.evaluators, &store::default_author())
            });
            if let Some(review) = snapshot.fidelity.as_mut() {
                review.hide_from(reader);
            }
            let snapshot = guard_export(&file, snapshot, output.redact)?;
            let today = jiff::Zoned::now().date();
            let bytes =
                export::render_owned(snapshot, format.into(), lang_or_env(output.lang), today)?;
            write_output(&output.out, &bytes)?;
        }
        CliCommand::Report { action } => return report::report(action),
        CliCommand::Versions { file, extract, out } => {
            return report::versions(&file, extract, out.as_deref());
        }
        CliCommand::Close {
            file,
            reason,
            retention_days,
        } => case::close(&file, &reason, retention_days)?,
        CliCommand::Purge { file, confirm } => case::purge(&file, &confirm)?,
        CliCommand::Responses {
            file,
            out,
            read,
            lang,
        } => return report::responses(&file, out.as_deref(), read.as_deref(), lang_or_env(lang)),
        CliCommand::Notice { file, out, lang } => {
            report::notice(&file, &out, lang_or_env(lang))?;
        }
        CliCommand::Archive { file, out, lang } => {
            report::archive(&file, &out, lang_or_env(lang))?;
        }
        CliCommand::Apply { file, commands } => return apply(&file, &commands),
        CliCommand::Scan { path } => return scan(&path),
        CliCommand::Backups { file, restore } => return backups(&file, restore),
        CliCommand::Audit { file, verify } => return audit(&file, verify),
        CliCommand::Copy {
            file,
            out,
            new_passphrase,
            blind_for,
        } => team::copy(&file, &out, new_passphrase, blind_for.map(Into::into))?,
        CliCommand::Merge {
            file,
            theirs,
            accept,
            prefer,
            keep_both,
        } => return team::merge(&file, &theirs, accept, prefer.map(Into::into), keep_both),
        CliCommand::Catalog { action } => catalog(action)?,
        CliCommand::Plan { action } => return plan(action),
        CliCommand::Guide {
            file,
            role,
            out,
            lang,
        } => {
            let snapshot = store::read_case_keyed(&file, key_for(&file)?.as_ref())?;
            let title = snapshot
                .catalog
                .as_ref()
                .map(|c| format!("{} ({})", c.title, c.version))
                .unwrap_or_default();
            let role = args::declared_role(&snapshot.programme, &role)?;
            let guide = crate::guide::for_case(&snapshot, role);
            let format = crate::guide::GuideFormat::for_path(&out);
            write_output(
                &out,
                &crate::guide::render(&guide, &title, lang_or_env(lang), format)?,
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn local_time(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn write_output(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if out == Path::new("-") {
        std::io::stdout().write_all(bytes)?;
        return Ok(());
    }
    crate::files::write_whole(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}

/// The demo case the app opens when started without a file: a writable copy in the user's data
/// folder, created on first use and kept (with the user's edits) afterwards.
pub fn demo_copy() -> anyhow::Result<PathBuf> {
    let dir = crate::backups::data_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("demo.evalcase");
    let unreadable = matches!(
        crate::store::inspect(&path),
        Err(e) if !matches!(e, StoreError::Missing { .. } | StoreError::Encrypted { .. })
    );
    if unreadable {
        let aside = dir.join(format!(
            "demo-unreadable-{}.evalcase",
            jiff::Timestamp::now().as_second()
        ));
        std::fs::rename(&path, &aside)
            .with_context(|| format!("cannot move aside {}", path.display()))?;
        log::warn!(
            "the demo copy was unreadable; moved it to {}",
            aside.display()
        );
    }
    if !path.exists() {
        crate::demo::write_demo(&path)?;
    }
    Ok(path)
}
