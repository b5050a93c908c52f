//! `evalbench catalog`: the library of catalogs, and a case's move to another catalog version.

use std::io::Write;
use std::path::Path;

use anyhow::bail;

use crate::catalog_library::{CatalogLibrary, Origin};
use crate::command::Command;
use crate::i18n::{Lang, counted, tf, tn};
use crate::store::{self, CaseStore};

use super::args::{CatalogAction, lang_or_env};
use super::passphrase::key_for;
use super::write_output;

pub(super) fn catalog(action: CatalogAction) -> anyhow::Result<()> {
    let library = CatalogLibrary::default();
    let mut out = std::io::stdout().lock();
    match action {
        CatalogAction::List => {
            for (catalog, origin) in library.all() {
                let origin = match origin {
                    Origin::Builtin => "built-in".to_owned(),
                    Origin::Imported(path) => format!("imported: {}", path.display()),
                };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t({origin})",
                    catalog.id,
                    catalog.version,
                    counted(
                        Lang::from_env(),
                        "requirements",
                        catalog.requirement_count()
                    ),
                    catalog.title
                )?;
            }
        }
        CatalogAction::Show { id, version } => {
            let Some((catalog, _)) = library.find(&id, version.as_deref()) else {
                bail!(
                    "No catalog {id}{}; `evalbench catalog list` shows the ones there are.",
                    version.map(|v| format!(" version {v}")).unwrap_or_default()
                );
            };
            writeln!(
                out,
                "{} {} — {}",
                catalog.id, catalog.version, catalog.title
            )?;
            writeln!(out, "source: {}", catalog.source)?;
            for area in &catalog.areas {
                writeln!(out, "\n{} {}", area.code, area.title)?;
                for requirement in &area.requirements {
                    writeln!(out, "  {} {}", requirement.code, requirement.title)?;
                }
            }
        }
        CatalogAction::Import { file } => {
            let (catalog, path) = library.import(&file)?;
            let lang = Lang::from_env();
            let imported = tn(
                lang,
                "catalog.imported",
                catalog.requirement_count(),
                &[("title", &catalog.title), ("version", &catalog.version)],
            );
            writeln!(out, "{imported} {} → {}", catalog.id, path.display())?;
        }
        CatalogAction::Guide {
            id,
            role,
            out,
            lang,
        } => {
            let Some((catalog, _)) = library.find(&id, None) else {
                bail!("No catalog {id}; `evalbench catalog list` shows the ones there are.");
            };
            let role = super::args::declared_role(&catalog.programme(), &role)?;
            let guide = crate::guide::for_catalog(&catalog, role);
            let title = format!("{} ({})", catalog.title, catalog.version);
            let format = crate::guide::GuideFormat::for_path(&out);
            write_output(
                &out,
                &crate::guide::render(&guide, &title, lang_or_env(lang), format)?,
            )?;
        }
        CatalogAction::Update { file, to, accept } => {
            return update_catalog(&library, &file, to.as_deref(), accept);
        }
    }
    Ok(())
}

/// Prints the differences; applies them only when the user said `--accept`.
pub(super) fn update_catalog(
    library: &CatalogLibrary,
    file: &Path,
    to: Option<&str>,
    accept: bool,
) -> anyhow::Result<()> {
    let key = key_for(file)?;
    let snapshot = store::read_case_keyed(file, key.as_ref())?;
    let Some(current) = snapshot.catalog.clone() else {
        bail!("{} has no catalog to update.", file.display());
    };
    let Some((catalog, _)) = library.find(&current.id, to) else {
        bail!(
            "No catalog {}{}; `evalbench catalog list` shows the ones there are.",
            current.id,
            to.map(|v| format!(" version {v}")).unwrap_or_default()
        );
    };
    if catalog.version == current.version {
        outln!(
            "{} already follows {} version {}; nothing to update.",
            file.display(),
            current.id,
            current.version
        );
        return Ok(());
    }
    let diff = crate::catalog_update::diff(&snapshot, &catalog);
    let mut out = std::io::stdout().lock();
    let lang = Lang::from_env();
    writeln!(
        out,
        "{} {} → {}: {}",
        diff.catalog_id,
        diff.from_version,
        diff.to_version,
        tf(
            lang,
            "catalog_update.counts",
            &[
                ("added", &counted(lang, "added", diff.added.len())),
                ("reworded", &counted(lang, "changed", diff.reworded.len())),
                ("removed", &counted(lang, "removed", diff.removed.len())),
            ],
        )
    )?;
    for (code, before, after) in &diff.retitled_areas {
        writeln!(out, "~ area {code}: {before} → {after}")?;
    }
    for added in &diff.added {
        writeln!(out, "+ {} {} ({})", added.code, added.title, added.area)?;
    }
    for reworded in &diff.reworded {
        let fields: Vec<String> = reworded
            .changes
            .iter()
            .filter_map(|c| serde_json::to_value(c.field).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        writeln!(
            out,
            "~ {} {}: {} changed; {}, {}",
            reworded.code,
            reworded.title,
            fields.join(", "),
            counted(Lang::En, "evidence", reworded.uses.evidence),
            counted(Lang::En, "findings", reworded.uses.findings.len())
        )?;
    }
    for removed in &diff.removed {
        writeln!(
            out,
            "- {} {}: unlinks {} and {}",
            removed.code,
            removed.title,
            counted(Lang::En, "evidence", removed.uses.evidence),
            counted(Lang::En, "findings", removed.uses.findings.len())
        )?;
    }
    if !accept {
        writeln!(
            out,
            "Nothing was changed; run again with --accept to apply."
        )?;
        return Ok(());
    }
    let mut store = CaseStore::open_keyed(file, key.as_ref())?;
    store.apply(&Command::UpdateCatalog { catalog })?;
    store.close()?;
    writeln!(
        out,
        "Applied; the case now follows version {}.",
        diff.to_version
    )?;
    Ok(())
}
