//! `evalbench plan`: the deviation-closing plan out to the provider and back.

use std::io::Write;
use std::process::ExitCode;

use crate::export;
use crate::i18n::{Lang, counted, t, tf, tn};
use crate::store::{self, CaseStore};

use super::args::{PlanAction, PlanFormat, StatusFormat, lang_or_env};
use super::case::guard_export;
use super::passphrase::key_for;
use super::write_output;

pub(super) fn plan(action: PlanAction) -> anyhow::Result<ExitCode> {
    use crate::plan_exchange::{self, PlanFile};
    match action {
        PlanAction::Export {
            file,
            out,
            format,
            lang,
        } => {
            let lang = lang_or_env(lang);
            let key = key_for(&file)?;
            let snapshot = store::read_case_keyed(&file, key.as_ref())?;
            let snapshot = guard_export(&file, snapshot, false)?;
            let plan = PlanFile::from_case(&snapshot);
            match format {
                PlanFormat::Xlsx => plan_exchange::xlsx::write(&plan, lang, &out)?,
                PlanFormat::Json => {
                    write_output(&out, plan_exchange::json::to_json(&plan)?.as_bytes())?;
                }
                PlanFormat::Package => {
                    CaseStore::open_read_only_keyed(&file, key.as_ref())?
                        .write_provider_package(&out)?;
                }
            }
            outln!(
                "{}",
                tf(
                    lang,
                    "plan.exported",
                    &[
                        ("path", &out.display()),
                        (
                            "deviations",
                            &counted(lang, "deviations", plan.deviations.len()),
                        ),
                        ("actions", &counted(lang, "actions", plan.actions.len())),
                    ],
                )
            );
        }
        PlanAction::Status {
            file,
            format,
            output,
        } => {
            let (snapshot, changes) =
                store::read_case_with_status_keyed(&file, key_for(&file)?.as_ref())?;
            let snapshot = guard_export(&file, snapshot, output.redact)?;
            let format = match format {
                StatusFormat::Pdf => export::Format::Pdf,
                StatusFormat::Docx => export::Format::Docx,
            };
            let today = jiff::Zoned::now().date();
            let bytes = export::render_status_report(
                &snapshot,
                &changes,
                format,
                lang_or_env(output.lang),
                today,
            )?;
            write_output(&output.out, &bytes)?;
        }
        PlanAction::Import {
            file,
            plan,
            accept,
            lang,
        } => {
            let lang: Lang = lang_or_env(lang);
            let raw = plan_exchange::read_any(&plan, lang).map_err(anyhow::Error::msg)?;
            let key = key_for(&file)?;
            let snapshot = store::read_case_keyed(&file, key.as_ref())?;
            let today = jiff::Zoned::now().date();
            let changes = match plan_exchange::check(&snapshot, &raw, today, lang) {
                Ok(changes) => changes,
                Err(problems) => {
                    eprintln!(
                        "{}",
                        tn(
                            lang,
                            "plan.import_problems",
                            problems.len(),
                            &[("file", &plan.display())],
                        )
                    );
                    let (listed, more) = plan_exchange::problems_to_list(&problems, lang);
                    for problem in listed {
                        eprintln!("{}", problem.text(lang));
                    }
                    if let Some(more) = more {
                        eprintln!("{more}");
                    }
                    return Ok(ExitCode::from(2));
                }
            };
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{}",
                tf(
                    lang,
                    "plan.import_counts",
                    &[
                        ("added", &counted(lang, "added", changes.added.len())),
                        ("changed", &counted(lang, "changed", changes.changed.len())),
                        ("removed", &counted(lang, "removed", changes.removed.len())),
                    ],
                )
            )?;
            for (deviation, action) in &changes.added {
                writeln!(
                    out,
                    "+ {deviation}: {} ({})",
                    action.description, action.owner
                )?;
            }
            for (id, before, after) in &changes.changed {
                writeln!(out, "~ {id}: {}", describe_change(before, after, lang))?;
            }
            for id in &changes.removed {
                writeln!(out, "- {id}")?;
            }
            for row in &changes.already_imported {
                let action = format!(
                    "{}: {} ({})",
                    row.deviation,
                    row.description,
                    tf(lang, "plan.cli.row", &[("row", &row.row)])
                );
                writeln!(
                    out,
                    "= {}",
                    tf(
                        lang,
                        "plan.already_imported_row",
                        &[
                            ("action", &action),
                            ("date", &crate::i18n::date(lang, Some(row.imported_on))),
                        ],
                    )
                )?;
            }
            for edit in &changes.ignored_edits {
                writeln!(
                    out,
                    "{}",
                    tf(lang, "plan.cli.not_applied", &[("edit", &edit.text(lang))])
                )?;
            }
            if changes.is_empty() {
                writeln!(out, "{}", t(lang, "plan.cli.unchanged"))?;
                return Ok(ExitCode::SUCCESS);
            }
            if !accept {
                writeln!(out, "{}", t(lang, "plan.cli.run_accept"))?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut store = CaseStore::open_keyed(&file, key.as_ref())?;
            let backup = crate::backups::Backups::default().take(
                &store,
                &snapshot.case_id,
                crate::backups::Reason::BeforePlanImport,
            )?;
            store.apply(&changes.command())?;
            store.close()?;
            writeln!(
                out,
                "Applied in one step (undo in the app takes it back); a copy from before is at {}.",
                backup.display()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// "status: Foreslått → Pågår; owner: … → …".
pub(super) fn describe_change(
    before: &crate::domain::ActionFields,
    after: &crate::domain::ActionFields,
    lang: Lang,
) -> String {
    use crate::i18n::Labelled;
    let mut parts = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            parts.push(format!("{name}: «{a}» → «{b}»"));
        }
    };
    field(
        "action",
        before.description.clone(),
        after.description.clone(),
    );
    field("owner", before.owner.clone(), after.owner.clone());
    field(
        "due date",
        crate::i18n::date(lang, before.due_date),
        crate::i18n::date(lang, after.due_date),
    );
    field(
        "status",
        before.status.label(lang).into_owned(),
        after.status.label(lang).into_owned(),
    );
    field(
        "closure",
        before.closure_evidence.clone(),
        after.closure_evidence.clone(),
    );
    parts.join("; ")
}
