//! Outputs of a case: the JSON export (the whole case, stable field names) and the evaluation
//! report as Markdown, PDF/A (Typst) and DOCX. Each output is a pure function of a
//! `CaseSnapshot`; writing files is the caller's business, and the privacy guard runs before.

pub mod archive;
pub mod docx;
mod docx_styles;
pub mod json;
pub mod markdown;
pub mod notice;
pub mod pdf;
pub mod report;
pub mod status_report;
pub mod xml_package;

use crate::domain::CaseSnapshot;
use crate::i18n::Lang;

/// What an export can be written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Markdown,
    Pdf,
    Docx,
}

impl Format {
    pub const REPORTS: [Format; 3] = [Format::Pdf, Format::Docx, Format::Markdown];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
    #[error("The JSON export could not be written: {0}")]
    Json(#[from] serde_json::Error),
}

/// The plan's status report as PDF or DOCX; `changes` dates NAV's verifications.
pub fn render_status_report(
    snapshot: &CaseSnapshot,
    changes: &[crate::domain::StatusChange],
    format: Format,
    lang: Lang,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, ExportError> {
    let report = status_report::StatusReport::new(snapshot, changes, lang, today);
    Ok(match format {
        Format::Docx => docx::status_report_docx(&report)?,
        _ => pdf::status_report_pdf(&report, today)?,
    })
}

/// The notice letter to the provider as PDF or DOCX; `today` is the letter's date.
pub fn render_notice(
    snapshot: &CaseSnapshot,
    format: Format,
    lang: Lang,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, ExportError> {
    let letter = notice::NoticeLetter::new(snapshot, lang, today);
    Ok(match format {
        Format::Docx => docx::notice_docx(&letter)?,
        _ => pdf::notice_pdf(&letter, today)?,
    })
}

/// The bytes of one export of the case; `today` is the report's date.
pub fn render(
    snapshot: &CaseSnapshot,
    format: Format,
    lang: Lang,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, ExportError> {
    Ok(match format {
        Format::Json => json::to_json(snapshot)?.into_bytes(),
        Format::Markdown => markdown::report(snapshot, lang).into_bytes(),
        Format::Pdf => pdf::report_pdf(report::Report::new(snapshot, lang, today), today)?,
        Format::Docx => docx::report_docx(&report::Report::new(snapshot, lang, today))?,
    })
}

/// Like `render`, for a caller that has no more use for the snapshot (the command line): it is
/// let go before the layout, the peak of a big report's memory.
pub fn render_owned(
    snapshot: CaseSnapshot,
    format: Format,
    lang: Lang,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, ExportError> {
    if format != Format::Pdf {
        return render(&snapshot, format, lang, today);
    }
    let report = report::Report::new(&snapshot, lang, today);
    drop(snapshot);
    Ok(pdf::report_pdf(report, today)?)
}

/// The PDF of a report version to keep (`CaseStore::keep_report_version`): a draft is marked
/// *UTKAST* on every page with the date the provider's answer is due; the final report is the
/// report as it is.
pub fn render_report_version(
    snapshot: &CaseSnapshot,
    kind: crate::domain::ReportKind,
    answer_by: Option<jiff::civil::Date>,
    lang: Lang,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, ExportError> {
    let report = report::Report::new(snapshot, lang, today);
    let report = match kind {
        crate::domain::ReportKind::Draft => report.as_draft(lang, answer_by),
        crate::domain::ReportKind::Final => report::Report {
            changes: report::change_lines(snapshot, lang),
            ..report
        },
    };
    Ok(pdf::report_pdf(report, today)?)
}
