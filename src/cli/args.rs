//! The command line as clap sees it: subcommands, flags and their values. Only definitions and
//! the conversions of flag values into the program's own types; what a command does is elsewhere.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::{Measure, Programme, RoleId};
use crate::export;
use crate::i18n::Lang;

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
    /// Open the app on FILE with the merge of THEIRS (another copy of the case) to preview.
    #[arg(long, value_name = "THEIRS", requires = "file")]
    pub merge: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Subcommand, Debug)]
pub enum CliCommand {
    /// Write the invented demo case to FILE; `--scale N` writes it N times over with long notes
    /// (for measuring: N=25 is about ten real cases).
    Demo {
        file: PathBuf,
        /// Which invented evaluation: AFT in Norway (the default), or a coached competence
        /// programme in Sweden, in Swedish.
        #[arg(long, value_enum, default_value = "aft")]
        programme: ProgrammeArg,
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
        /// A role the case's catalog declares, by id (AFT: nav_manager, nav_department_leader,
        /// measure_coordinator, nav_adviser, provider_ceo, measure_leader, job_specialist,
        /// provider_adviser, participant).
        #[arg(long)]
        role: String,
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
        /// While the fidelity review is blind, the export shows only this evaluator's scores
        /// (by default the one named EVALBENCH_AUTHOR on the evaluator list; nobody's otherwise).
        #[arg(long, value_enum)]
        rater: Option<RaterArg>,
    },
    /// The report as versions kept inside the case: a draft for the provider's comments (UTKAST
    /// on every page, with the date to answer by), then the final report. The exact file written
    /// to --out is kept in the case (SHA-256) and never changes.
    Report {
        #[command(subcommand)]
        action: ReportAction,
    },
    /// List the report versions kept in a case; `--extract N --out PATH` writes version N's file
    /// as it was kept (its SHA-256 checked).
    Versions {
        file: PathBuf,
        #[arg(long)]
        extract: Option<usize>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Close the case (Avslutt saken): its phase becomes closed, dated today. A plan with
    /// actions not verified closed needs --reason. Prints the day the participants' personal
    /// data must be deleted by (--retention-days after closing; 14 unless the case says).
    Close {
        file: PathBuf,
        #[arg(long, default_value = "")]
        reason: String,
        /// Days after closing to delete the participants' personal data (1–3650).
        #[arg(long)]
        retention_days: Option<u32>,
    },
    /// Delete the participants' personal data for good (Slett personopplysninger): the notes
    /// of participant interviews, participant codes, their quotes not marked shareable and the
    /// files of documents marked personal — from the tables, the search index, the journal, the
    /// undo history, the file's free pages and every backup copy. Findings, counts, the kept
    /// report versions and the plan stay. Only for a closed case; --confirm takes the
    /// provider's name as the case has it.
    Purge {
        file: PathBuf,
        #[arg(long, value_name = "PROVIDER NAME")]
        confirm: String,
    },
    /// Write the notice letter to the provider (varsel): purpose, period, requirement areas,
    /// the documents asked for (the catalog's document sources when none are chosen yet) and
    /// the interviews planned by role. PDF, or DOCX when OUT ends in .docx.
    Notice {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// The provider's response to the draft (tilsvar) as a workbook: --out writes one to fill
    /// in (a choice per finding and a text), --read records what a filled-in one (XLSX or ODS)
    /// says — all of it, or nothing when any row is wrong (each problem named by cell).
    Responses {
        file: PathBuf,
        #[arg(long, conflicts_with = "read", required_unless_present = "read")]
        out: Option<PathBuf>,
        #[arg(long)]
        read: Option<PathBuf>,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Write the archive package (Eksporter arkivpakke): the report versions as sent (or the
    /// report as it is, with no final version kept), the status report, the plan workbook, the
    /// provider's response, a JSON summary without the participants' personal data, and
    /// SHA256SUMS. OUT ending in .zip is written as one zip; else as a new (or empty) folder.
    Archive {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
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
    /// Write a copy of a case for a co-evaluator to work on apart; merge it back with `merge`.
    /// Any copy merges (a plain file copy too); this one is checked and, with
    /// `--new-passphrase`, encrypted with a passphrase of its own.
    Copy {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Give the copy its own passphrase (asked for twice, or EVALBENCH_NEW_PASSPHRASE).
        #[arg(long)]
        new_passphrase: bool,
        /// A copy for this evaluator to score the fidelity review in, blind: it holds none of
        /// the other evaluator's scores or rationales (the journal rows that carried them are
        /// redacted). The merge brings the delivered scores together.
        #[arg(long, value_enum)]
        blind_for: Option<RaterArg>,
    },
    /// Merge another copy of the same case into FILE: what only one side changed is taken, what
    /// both changed differently is a conflict. Shows the changes and conflicts; writes only with
    /// `--accept`, as one step (undo takes it back), after a backup copy. An encrypted THEIRS
    /// asks for its passphrase (or EVALBENCH_THEIRS_PASSPHRASE).
    Merge {
        file: PathBuf,
        theirs: PathBuf,
        #[arg(long)]
        accept: bool,
        /// Decide every conflict for one side.
        #[arg(long, value_enum)]
        prefer: Option<SideArg>,
        /// Where both edited the same finding, action or document review differently, keep
        /// both versions (theirs as a row of its own) instead of choosing one.
        #[arg(long)]
        keep_both: bool,
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
        /// A role the catalog declares, by id.
        #[arg(long)]
        role: String,
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
    pub out: PathBuf,
    /// The language of the output; the environment's (LC_ALL, LC_MESSAGES, LANG) by default.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Mask identity numbers, e-mail addresses and phone numbers in the output instead of
    /// refusing to export a case that holds them.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// Render the report as a draft for comment, keep it in the case as the next version and
    /// write it to --out (PDF/A).
    Draft {
        file: PathBuf,
        #[command(flatten)]
        output: ReportOutput,
        /// The day the provider's comments are due (YYYY-MM-DD); two weeks from today by default.
        #[arg(long)]
        answer_by: Option<jiff::civil::Date>,
    },
    /// Render the final report (after a draft has gone out), keep it in the case and write it to
    /// --out (PDF/A). No version is kept after the final one.
    Final {
        file: PathBuf,
        #[command(flatten)]
        output: ReportOutput,
    },
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

/// The role `text` names (its id; `-` may stand for `_`), if the programme declares it.
pub(super) fn declared_role(programme: &Programme, text: &str) -> anyhow::Result<RoleId> {
    let role = RoleId::new(text.trim().replace('-', "_"));
    if programme.role(&role).is_some() {
        return Ok(role);
    }
    let all: Vec<&str> = programme.role_ids().map(RoleId::as_str).collect();
    anyhow::bail!(
        "unknown role «{text}»; the catalog declares: {}",
        all.join(", ")
    )
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

/// One of the two copies of a merge.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SideArg {
    Mine,
    Theirs,
}

impl From<SideArg> for crate::merge::Side {
    fn from(side: SideArg) -> Self {
        match side {
            SideArg::Mine => crate::merge::Side::Mine,
            SideArg::Theirs => crate::merge::Side::Theirs,
        }
    }
}

/// One of the two evaluators of a fidelity review.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RaterArg {
    First,
    Second,
}

impl From<RaterArg> for crate::domain::Rater {
    fn from(rater: RaterArg) -> Self {
        match rater {
            RaterArg::First => crate::domain::Rater::First,
            RaterArg::Second => crate::domain::Rater::Second,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProgrammeArg {
    Aft,
    SvKompetens,
}

impl From<ProgrammeArg> for crate::demo::DemoProgramme {
    fn from(value: ProgrammeArg) -> Self {
        match value {
            ProgrammeArg::Aft => crate::demo::DemoProgramme::Aft,
            ProgrammeArg::SvKompetens => crate::demo::DemoProgramme::SvKompetens,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Nb,
    En,
    Sv,
}

impl From<LangArg> for Lang {
    fn from(value: LangArg) -> Self {
        match value {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
            LangArg::Sv => Lang::Sv,
        }
    }
}

/// `--lang` when given, else the language of the user's environment.
pub(super) fn lang_or_env(arg: Option<LangArg>) -> Lang {
    arg.map_or_else(Lang::from_env, Lang::from)
}
