//! The report as PDF/A-2b, laid out by Typst: the template `assets/report/report.typ` reads the
//! report's content (`report::Report`, as JSON) and the fonts shipped inside the program, so
//! the result is the same on every machine and needs no system fonts.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::report::Report;
use super::status_report::StatusReport;

const REPORT_TEMPLATE: &str = include_str!("../../assets/report/report.typ");
const STATUS_TEMPLATE: &str = include_str!("../../assets/report/status.typ");
const NOTICE_TEMPLATE: &str = include_str!("../../assets/report/notice.typ");

/// Why no PDF came out: the template or the data could not be laid out.
#[derive(Debug, thiserror::Error)]
#[error("The report could not be laid out: {0}")]
pub struct PdfError(String);

/// The fonts shipped with Typst, parsed once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = FontBook::from_fonts(&fonts);
        (LazyHash::new(book), fonts)
    })
}

/// Typst's standard library, built (and hashed, which every compile asks for first) once per
/// process.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let library = LazyHash::new(Library::builder().build());
        std::hash::Hash::hash(
            &library,
            &mut std::collections::hash_map::DefaultHasher::new(),
        );
        library
    })
}

/// Starts making the fonts' index and Typst's library on a thread of their own, for a command
/// about to read a case and lay out a PDF: they are ready when the case is read instead of
/// after it (about 6 ms of the demo report's 65 as a whole process).
pub fn warm_up() {
    std::thread::spawn(|| {
        fonts();
        library();
    });
}

/// The world the template is compiled in: one source file, one data file, the fonts.
struct ReportWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Datetime,
}

fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|e| PdfError(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(std::path::PathBuf::from(format!(
                "{id:?}"
            ))))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::NotFound(std::path::PathBuf::from(format!(
                "{id:?}"
            ))))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// The report as the bytes of a PDF/A-2b file. The report is let go once its content is handed
/// to the layout, so a big report's texts are held once, not twice, at the layout's peak of
/// memory.
pub fn report_pdf(report: Report, today: jiff::civil::Date) -> Result<Vec<u8>, PdfError> {
    let data = content_json(&report)?;
    drop(report);
    compile_json(REPORT_TEMPLATE, data, today)
}

/// The plan's status report as the bytes of a PDF/A-2b file.
pub fn status_report_pdf(
    report: &StatusReport,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, PdfError> {
    compile(STATUS_TEMPLATE, report, today)
}

/// The notice letter to the provider as the bytes of a PDF/A-2b file.
pub fn notice_pdf(
    letter: &super::notice::NoticeLetter,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, PdfError> {
    compile(NOTICE_TEMPLATE, letter, today)
}

/// Lays out `template` with `content` as its `/report.json`.
fn compile(
    template: &str,
    content: &impl serde::Serialize,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, PdfError> {
    compile_json(template, content_json(content)?, today)
}

/// `content` as the template reads it: JSON, and, whatever an older file holds, without
/// control characters in its texts.
fn content_json(content: &impl serde::Serialize) -> Result<Vec<u8>, PdfError> {
    let mut value = serde_json::to_value(content).map_err(|e| PdfError(e.to_string()))?;
    crate::domain::text::strip_json(&mut value);
    serde_json::to_vec(&value).map_err(|e| PdfError(e.to_string()))
}

/// Lays out `template` with `data` (from `content_json`) as its `/report.json`.
fn compile_json(
    template: &str,
    data: Vec<u8>,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, PdfError> {
    let today = Datetime::from_ymd(
        i32::from(today.year()),
        today.month() as u8,
        today.day() as u8,
    )
    .ok_or_else(|| PdfError("the date is out of range".into()))?;
    let world = ReportWorld {
        main: Source::new(file_id("/report.typ")?, template.to_owned()),
        data_id: file_id("/report.json")?,
        data: Bytes::new(data),
        today,
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| PdfError(messages(&errors)));
    // Typst memoises every step of the layout for the next compile of the same document; we
    // make each document once, so that memory (as much again as the laid-out pages of a big
    // report) is given back before the PDF is written, and the world's data with it.
    drop(world);
    typst::comemo::evict(0);
    let document = document?;
    let options = PdfOptions {
        standards: PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| PdfError(format!("{e:?}")))?,
        timestamp: Some(Timestamp::new_utc(today)),
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| PdfError(messages(&errors)));
    drop(document);
    typst::comemo::evict(0);
    pdf
}

fn messages(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
