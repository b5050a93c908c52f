//! The subcommands of the `evalbench` binary. No subcommand starts the app.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::catalog_library::{CatalogLibrary, Origin};
use crate::command::Command;
use crate::domain::{CaseFacts, CaseSnapshot, Measure, OrgNumber, Role};
use crate::export;
use crate::i18n::{Lang, counted, t, tf, tn};
use crate::privacy;
use crate::store::{self, CaseStore, Passphrase, StoreError};

/// `println!` that returns the write error instead of panicking: `evalbench check FILE | head -1`
/// closes the pipe early, and `main` then exits quietly, the way `rg` does.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout(), $($arg)*)?
    };
}

#[derive(Parser, Debug)]
#[command(
    name = "evalbench",
    version,
    about = "Quality evaluations of labour-market measures"
)]
pub struct Cli {
    /// A case file to open in the app; without one the app opens the demo case.
    pub file: Option<PathBuf>,
    /// Open the app on the Nettverk page, comparing the cases in DIR.
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    pub network: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Subcommand, Debug)]
pub enum CliCommand {
    /// Write the invented demo case to FILE; `--scale N` writes it N times over with long notes
    /// (for measuring: N=25 is about ten real cases).
    Demo {
        file: PathBuf,
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        scale: u32,
        /// Write N different invented cases into the folder FILE instead (for the network view).
        #[arg(long, value_name = "N", conflicts_with = "scale", value_parser = clap::value_parser!(u32).range(1..=10000))]
        cases: Option<u32>,
    },
    /// Compare many cases: per requirement area how many providers had deviations, improvement
    /// areas and good practice; outcomes per provider and year; plan closure; the good practice
    /// itself. Reads folders (with subfolders) of *.evalcase and files, read-only and in parallel.
    Aggregate {
        #[arg(required = true, value_name = "DIR_OR_FILE")]
        inputs: Vec<PathBuf>,
        /// overview.xlsx, overview.json or overview.parquet
        #[arg(long)]
        out: PathBuf,
        /// Replace providers by stable codes (P-XXXXXXXX) and leave out organisation numbers.
        #[arg(long)]
        anonymise: bool,
        /// A secret mixed into the codes, so they cannot be computed from organisation numbers.
        #[arg(long, requires = "anonymise")]
        salt: Option<String>,
        /// The language of the output; the environment's (LC_ALL, LC_MESSAGES, LANG) by default.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Create an empty case from the catalog for its measure.
    New {
        file: PathBuf,
        #[arg(long)]
        provider: String,
        #[arg(long, value_enum)]
        measure: MeasureArg,
        #[arg(long)]
        org_number: Option<String>,
        /// Use this catalog (its newest version) instead of the shipped one for the measure.
        #[arg(long, value_name = "ID")]
        catalog: Option<String>,
        /// The provider evaluates itself: same workflow, marked as a self-evaluation.
        #[arg(long)]
        self_evaluation: bool,
        /// Encrypt the case with a passphrase (asked for, or EVALBENCH_PASSPHRASE).
        #[arg(long)]
        encrypt: bool,
    },
    /// Encrypt a plain case in place with a passphrase (asked for twice, or
    /// EVALBENCH_PASSPHRASE); its backup copies are encrypted too.
    Encrypt { file: PathBuf },
    /// Write a plain (unencrypted) copy of an encrypted case to OUT; the case stays encrypted.
    Decrypt {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Give an encrypted case a new passphrase (the old one from EVALBENCH_PASSPHRASE or asked
    /// for, the new one from EVALBENCH_NEW_PASSPHRASE or asked for twice); its backups follow.
    Rekey { file: PathBuf },
    /// Write an interview guide for one role from the case's catalog, for printing: DOCX when
    /// --out ends in .docx, otherwise Markdown.
    Guide {
        file: PathBuf,
        /// nav_manager, nav_department_leader, measure_coordinator, nav_adviser, provider_ceo,
        /// measure_leader, job_specialist, provider_adviser or participant.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Output file, or `-` for standard output.
        #[arg(long, default_value = "-")]
        out: PathBuf,
        /// The language of the output; the environment's (LC_ALL, LC_MESSAGES, LANG) by default.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// The provider's deviation-closing plan: out to a workbook or JSON, and back.
    Plan {
        #[command(subcommand)]
        action: PlanAction,
    },
    /// Check a case: integrity, schema version, counts. Exit code 0 only if healthy.
    Check { file: PathBuf },
    /// Export the evaluation report (PDF/A, DOCX, Markdown) or the whole case as JSON.
    Export {
        file: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// Apply commands from a JSONL file (or `-` for standard input), one per line.
    Apply { file: PathBuf, commands: PathBuf },
    /// Requirement catalogs: the shipped ones and those imported.
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// Print the audit trail: every command, undo and redo applied to the case, with time and
    /// author. `--verify` checks the hash chain; exit code 1 if it is broken.
    Audit {
        file: PathBuf,
        #[arg(long)]
        verify: bool,
    },
    /// List the automatic backup copies of a case, newest first; `--restore N` puts copy N back
    /// (after taking a copy of the case as it is).
    Backups {
        file: PathBuf,
        #[arg(long, value_name = "N")]
        restore: Option<usize>,
    },
    /// Find identity numbers, e-mail addresses and phone numbers in a case file, a UTF-8 text
    /// file or standard input (`-`). Exit code 1 if there are any, 0 if none.
    Scan { path: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum CatalogAction {
    /// One line per catalog: id, version, requirements, title, where it comes from.
    List,
    /// The areas and requirements of a catalog (its newest version unless --version is given).
    Show {
        id: String,
        #[arg(long)]
        version: Option<String>,
    },
    /// Validate a catalog file and add it to the catalogs; a file with errors changes nothing.
    Import { file: PathBuf },
    /// An interview guide for one role from a catalog: DOCX when --out ends in .docx, otherwise
    /// Markdown.
    Guide {
        id: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long, default_value = "-")]
        out: PathBuf,
        /// The language of the output; the environment's (LC_ALL, LC_MESSAGES, LANG) by default.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Show what moving a case to another version of its catalog changes (the newest unless
    /// --to is given); apply it only with --accept.
    Update {
        file: PathBuf,
        #[arg(long, value_name = "VERSION")]
        to: Option<String>,
        #[arg(long)]
        accept: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum PlanAction {
    /// Write the deviations and their actions for the provider to fill in.
    Export {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "xlsx")]
        format: PlanFormat,
        /// The language of the output; the environment's (LC_ALL, LC_MESSAGES, LANG) by default.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Read a filled-in plan back: every row is checked (one message per problem with sheet,
    /// row and column) and the differences are shown; applied only with --accept, all at once.
    Import {
        file: PathBuf,
        plan: PathBuf,
        #[arg(long)]
        accept: bool,
        /// The language of the output; the environment's (LC_ALL, LC_MESSAGES, LANG) by default.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// The status report: the provider's steering document, one page per deviation.
    Status {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "pdf")]
        format: StatusFormat,
        #[command(flatten)]
        output: ReportOutput,
    },
}

/// Where a report goes, in which language, and what to do with identity numbers in it.
#[derive(Args, Debug)]
pub struct ReportOutput {
    /// Output file, or `-` for standard output.
    #[arg(long)]
    out: PathBuf,
    /// The language of the output; the environment's (LC_ALL, LC_MESSAGES, LANG) by default.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Mask identity numbers, e-mail addresses and phone numbers in the output instead of
    /// refusing to export a case that holds them.
    #[arg(long)]
    redact: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatusFormat {
    Pdf,
    Docx,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PlanFormat {
    Xlsx,
    Json,
    /// A small case file for the provider manager to open in Evalbench (`.evalplan`).
    Package,
}

fn parse_role(text: &str) -> Result<Role, String> {
    let code = text.trim().replace('-', "_");
    serde_json::from_value(serde_json::Value::String(code)).map_err(|_| {
        let all: Vec<String> = Role::ALL
            .iter()
            .filter_map(|r| serde_json::to_value(r).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        format!("unknown role «{text}»; one of: {}", all.join(", "))
    })
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MeasureArg {
    Aft,
    Vta,
    Other,
}

impl From<MeasureArg> for Measure {
    fn from(value: MeasureArg) -> Self {
        match value {
            MeasureArg::Aft => Measure::Aft,
            MeasureArg::Vta => Measure::Vta,
            MeasureArg::Other => Measure::Other,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    Json,
    Md,
    Pdf,
    Docx,
}

impl From<ExportFormat> for export::Format {
    fn from(value: ExportFormat) -> Self {
        match value {
            ExportFormat::Json => export::Format::Json,
            ExportFormat::Md => export::Format::Markdown,
            ExportFormat::Pdf => export::Format::Pdf,
            ExportFormat::Docx => export::Format::Docx,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Nb,
    En,
}

impl From<LangArg> for Lang {
    fn from(value: LangArg) -> Self {
        match value {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
        }
    }
}

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

/// `--lang` when given, else the language of the user's environment.
fn lang_or_env(arg: Option<LangArg>) -> Lang {
    arg.map_or_else(Lang::from_env, Lang::from)
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
        CliCommand::Demo { file, scale, .. } => {
            crate::demo::write_demo_scaled(&file, scale)?;
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
        } => {
            // Read-only: an export never changes the case, and works while the app has it open.
            let snapshot = store::read_case_keyed(&file, key_for(&file)?.as_ref())?;
            let snapshot = guard_export(&file, snapshot, output.redact)?;
            let today = jiff::Zoned::now().date();
            let bytes = export::render(&snapshot, format.into(), lang_or_env(output.lang), today)?;
            write_output(&output.out, &bytes)?;
        }
        CliCommand::Apply { file, commands } => return apply(&file, &commands),
        CliCommand::Scan { path } => return scan(&path),
        CliCommand::Backups { file, restore } => return backups(&file, restore),
        CliCommand::Audit { file, verify } => return audit(&file, verify),
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

fn catalog(action: CatalogAction) -> anyhow::Result<()> {
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

fn plan(action: PlanAction) -> anyhow::Result<ExitCode> {
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
                            ("date", &crate::i18n::date(Some(row.imported_on))),
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
fn describe_change(
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
        crate::i18n::date(before.due_date),
        crate::i18n::date(after.due_date),
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

/// Prints the differences; applies them only when the user said `--accept`.
fn update_catalog(
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

/// One line per journal row ("12  2026-11-24 21:13:02  kari  edit  set_action_status  action/3
/// action/3 status: «agreed» -> «done»"),
/// then, with `verify`, whether the chain holds.
fn audit(file: &Path, verify: bool) -> anyhow::Result<ExitCode> {
    let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
    let mut out = std::io::stdout().lock();
    for entry in store.journal()? {
        let at = entry
            .applied_at
            .parse::<jiff::Timestamp>()
            .map_or_else(|_| entry.applied_at.clone(), local_time);
        let reverts = entry
            .reverts
            .map(|seq| format!(" of {seq}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}\t{at}\t{}\t{}{reverts}\t{}\t{}\t{}",
            entry.seq,
            entry.author,
            entry.kind,
            entry.op(),
            entry.target,
            entry.summary
        )?;
    }
    if !verify {
        return Ok(ExitCode::SUCCESS);
    }
    match store.verify_journal()? {
        store::ChainCheck::Intact { entries } => {
            writeln!(out, "chain intact: {entries} entries")?;
            Ok(ExitCode::SUCCESS)
        }
        store::ChainCheck::Unchained => {
            writeln!(
                out,
                "no chain yet: written by an older version; open the case once to add it"
            )?;
            Ok(ExitCode::FAILURE)
        }
        store::ChainCheck::BrokenAt { seq } => {
            writeln!(
                out,
                "chain broken at entry {seq}: the journal was changed after it was written"
            )?;
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Lists a case's backups ("1  2026-11-24 21:13  daily  84 KB"), or restores one of them.
fn backups(file: &Path, restore: Option<usize>) -> anyhow::Result<ExitCode> {
    let key = key_for(file)?;
    let case_id = store::read_case_keyed(file, key.as_ref())?.case_id;
    let backups = crate::backups::Backups::default();
    let list = backups.list(&case_id);
    if let Some(number) = restore {
        let Some(chosen) = number.checked_sub(1).and_then(|index| list.get(index)) else {
            bail!(
                "--restore {number}: «{}» has {}; pick a number from `evalbench backups`.",
                file.display(),
                counted(Lang::En, "backups", list.len())
            );
        };
        backups.restore(&chosen.path, file, key.as_ref())?;
        outln!(
            "restored {} from the backup of {}",
            file.display(),
            local_time(chosen.taken_at)
        );
        return Ok(ExitCode::SUCCESS);
    }
    if list.is_empty() {
        outln!("no backups of {} yet", file.display());
    }
    for (index, backup) in list.iter().enumerate() {
        outln!(
            "{}\t{}\t{}\t{}",
            index + 1,
            local_time(backup.taken_at),
            backup.reason.code(),
            backup.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn local_time(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Nothing leaves the program with an identity number in it: the case is scanned first, and the
/// export refused with the list of hits unless `redact` masks them.
fn guard_export(file: &Path, snapshot: CaseSnapshot, redact: bool) -> anyhow::Result<CaseSnapshot> {
    let hits = privacy::scan_case(&snapshot);
    if hits.is_empty() {
        return Ok(snapshot);
    }
    if redact {
        return Ok(privacy::redact_case(&snapshot));
    }
    let list: Vec<String> = hits
        .iter()
        .map(|found| format!("  {}", case_hit_line(found)))
        .collect();
    bail!(
        "«{}» holds {} (identity numbers, e-mail addresses or phone numbers) in its text; nothing was exported. Replace them (e.g. with participant codes) or export with --redact:\n{}",
        file.display(),
        counted(Lang::En, "personal_identifiers", hits.len()),
        list.join("\n")
    )
}

/// Prints one line per hit (kind, where, masked value) and exits 1 if there are any.
fn scan(path: &Path) -> anyhow::Result<ExitCode> {
    let text_lines = |text: &str| -> Vec<String> {
        privacy::scan(text)
            .into_iter()
            .map(|hit| {
                format!(
                    "{}\t{}:{}\t{}",
                    hit.kind.code(),
                    hit.line,
                    hit.column,
                    hit.masked
                )
            })
            .collect()
    };
    let lines = if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("Standard input is not UTF-8 text")?;
        text_lines(&text)
    } else if is_sqlite(path)? || store::needs_passphrase(path) {
        let snapshot = store::read_case_keyed(path, key_for(path)?.as_ref())?;
        privacy::scan_case(&snapshot)
            .iter()
            .map(case_hit_line)
            .collect()
    } else {
        let bytes =
            std::fs::read(path).with_context(|| format!("Cannot read «{}»", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!(
                "«{}» is neither a case file nor UTF-8 text (invalid byte at offset {}).",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })?;
        text_lines(&text)
    };
    let mut out = std::io::stdout().lock();
    for line in &lines {
        writeln!(out, "{line}")?;
    }
    Ok(if lines.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// "fodselsnummer<TAB>interview/3 notes 2:15<TAB>****** ***97": kind, where, masked value.
fn case_hit_line(found: &privacy::CaseHit) -> String {
    format!(
        "{}\t{} {} {}:{}\t{}",
        found.hit.kind.code(),
        found.entity,
        found.field,
        found.hit.line,
        found.hit.column,
        found.hit.masked
    )
}

/// True when the file starts like a SQLite database (then it must be a case).
fn is_sqlite(path: &Path) -> anyhow::Result<bool> {
    let mut header = [0u8; 16];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("Cannot read «{}»", path.display()))?;
    let read = std::io::Read::read(&mut file, &mut header)
        .with_context(|| format!("Cannot read «{}»", path.display()))?;
    Ok(read == header.len() && &header == b"SQLite format 3\0")
}

fn check(file: &Path) -> anyhow::Result<ExitCode> {
    // Read-only: checking never upgrades or otherwise writes to the file.
    let store = CaseStore::open_read_only_keyed(file, key_for(file)?.as_ref())?;
    let report = store.check()?;
    let snapshot = store.snapshot()?;
    store.close()?;
    let c = &report.counts;
    outln!("file: {}", file.display());
    outln!("provider: {}", snapshot.facts.provider_name);
    outln!("schema version: {}", report.schema_version);
    outln!("integrity: {}", report.integrity);
    outln!("foreign key violations: {}", report.foreign_key_violations);
    match report.journal {
        store::ChainCheck::Intact { entries } => outln!("journal: intact ({entries} entries)"),
        store::ChainCheck::Unchained => outln!("journal: not chained (an older file)"),
        store::ChainCheck::BrokenAt { seq } => {
            outln!("journal: broken at entry {seq} (edited outside Evalbench)");
        }
    }
    outln!(
        "requirements: {}\ninterviews: {}\nexcerpts: {}\ndocument reviews: {}\nfindings: {}\nactions: {}\noutcome years: {}\njournal entries: {}",
        c.requirements,
        c.interviews,
        c.excerpts,
        c.document_reviews,
        c.findings,
        c.actions,
        c.outcome_years,
        c.journal_entries
    );
    if report.is_healthy() {
        outln!("healthy");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} is not healthy", file.display());
        Ok(ExitCode::FAILURE)
    }
}

/// Applies commands line by line; each line is durable when its `ok` line is printed.
fn apply(file: &Path, commands: &Path) -> anyhow::Result<ExitCode> {
    let mut store = CaseStore::open_keyed(file, key_for(file)?.as_ref())?;
    let input: Box<dyn BufRead> = if commands == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let opened = std::fs::File::open(commands)
            .with_context(|| format!("cannot read {}", commands.display()))?;
        Box::new(std::io::BufReader::new(opened))
    };
    let source = commands.display().to_string();
    let mut stdout = std::io::stdout().lock();
    for (index, line) in input.lines().enumerate() {
        let number = index + 1;
        let line = line.with_context(|| format!("{source}, line {number}: cannot be read"))?;
        if line.trim().is_empty() {
            continue;
        }
        let command: Command = match serde_json::from_str(&line) {
            Ok(command) => command,
            Err(e) => bail!(
                "{source}, line {number}: not a valid command: {}",
                crate::json_errors::describe(&line, &e)
            ),
        };
        let applied = store
            .apply(&command)
            .with_context(|| format!("{source}, line {number}"))?;
        writeln!(stdout, "ok {number} {}", applied.target)?;
        stdout.flush()?;
    }
    store.close()?;
    Ok(ExitCode::SUCCESS)
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

/// The passphrase `file` needs, if it is encrypted: `EVALBENCH_PASSPHRASE`, or asked for on the
/// terminal without echo. `None` for a plain file.
fn key_for(file: &Path) -> anyhow::Result<Option<Passphrase>> {
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
fn new_passphrase(env: &str) -> anyhow::Result<Passphrase> {
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

fn ask_hidden(prompt: &str) -> std::io::Result<String> {
    rpassword::prompt_password(prompt)
}

fn encrypt(file: &Path) -> anyhow::Result<()> {
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

fn rekey(file: &Path) -> anyhow::Result<()> {
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
fn convert_backups(case_id: &str, old: Option<&Passphrase>, key: &Passphrase) -> String {
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

/// `evalbench aggregate`: reads the cases, prints what was read and skipped, writes the overview.
fn aggregate(
    inputs: &[PathBuf],
    out: &Path,
    anonymise: Option<String>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    use crate::network::{self, OutputFormat, Overview, Progress};
    let Some(format) = OutputFormat::from_path(out) else {
        bail!(
            "--out {}: the name must end in .xlsx, .json or .parquet.",
            out.display()
        );
    };
    let started = std::time::Instant::now();
    let files = network::case_files(inputs).map_err(anyhow::Error::msg)?;
    if files.is_empty() {
        bail!("No case files (*.evalcase) found in what was given.");
    }
    // One passphrase for the encrypted ones (from the environment, or asked once); without it
    // they are skipped and listed.
    let key = if files.iter().any(|f| store::needs_passphrase(f)) {
        Passphrase::from_env().or_else(|| {
            ask_hidden("Passphrase for the encrypted cases (Enter to skip them): ")
                .ok()
                .and_then(|text| Passphrase::new(text).ok())
        })
    } else {
        None
    };
    let (mut summaries, skipped) = network::read_cases(&files, key.as_ref(), &Progress::default());
    if summaries.is_empty() {
        for skip in &skipped {
            eprintln!("{}: {}", skip.path.display(), skip.reason);
        }
        bail!(
            "None of the {} files could be read; nothing was written.",
            files.len()
        );
    }
    if let Some(salt) = &anonymise {
        summaries = summaries
            .into_iter()
            .map(|summary| summary.anonymised(salt))
            .collect();
    }
    let overview = Overview::of(summaries, skipped);
    network::write(&overview, format, lang, out).map_err(anyhow::Error::msg)?;
    let summary = tf(
        lang,
        "network.summary",
        &[
            ("cases", &counted(lang, "cases", overview.cases)),
            ("providers", &counted(lang, "providers", overview.providers)),
            ("skipped", &overview.skipped.len()),
            (
                "seconds",
                &format!("{:.2}", started.elapsed().as_secs_f64()),
            ),
        ],
    );
    outln!("{summary} → {}", out.display());
    for skip in &overview.skipped {
        outln!("skipped {}: {}", skip.path.display(), skip.reason);
    }
    Ok(ExitCode::SUCCESS)
}
