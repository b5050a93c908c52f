//! *Eksporter arkivpakke*: what the archive keeps of a case, in one folder or zip — the report
//! versions exactly as sent (or, with no final version kept, the report as it is now), the
//! plan's status report, the plan workbook, the provider's response, a machine-readable
//! summary (the JSON export without the participants' personal data) and `SHA256SUMS`, which
//! `sha256sum -c` checks.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::domain::{CaseSnapshot, ReportKind, ReportVersion, StatusChange};
use crate::i18n::{Lang, t};

/// One file of the package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The name of the checksum list inside the package.
pub const CHECKSUMS: &str = "SHA256SUMS";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Export(#[from] super::ExportError),
    #[error("The plan workbook could not be made: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("«{path}» is a folder that holds files already; choose a new or empty folder")]
    FolderNotEmpty { path: String },
    #[error("Cannot write «{path}»: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The files of the package, the checksum list last. `versions`: the kept report versions
/// with their bytes (hash-checked by the store); `changes`: the plan's status changes.
pub fn package(
    snapshot: &CaseSnapshot,
    versions: &[(ReportVersion, Vec<u8>)],
    changes: &[StatusChange],
    lang: Lang,
    today: jiff::civil::Date,
) -> Result<Vec<ArchiveFile>, ArchiveError> {
    let mut files = Vec::new();
    for (version, bytes) in versions {
        files.push(ArchiveFile {
            name: format!(
                "{}-{}-{}.pdf",
                t(lang, "archive.report_file"),
                version.number,
                t(lang, &format!("archive.kind.{}", version.kind.code()))
            ),
            bytes: bytes.clone(),
        });
    }
    if !versions.iter().any(|(v, _)| v.kind == ReportKind::Final) {
        files.push(ArchiveFile {
            name: format!("{}.pdf", t(lang, "archive.report_file")),
            bytes: super::render(snapshot, super::Format::Pdf, lang, today)?,
        });
    }
    files.push(ArchiveFile {
        name: format!("{}.pdf", t(lang, "archive.status_file")),
        bytes: super::render_status_report(snapshot, changes, super::Format::Pdf, lang, today)?,
    });
    let plan = crate::plan_exchange::PlanFile::from_case(snapshot);
    files.push(ArchiveFile {
        name: format!("{}.xlsx", t(lang, "archive.plan_file")),
        bytes: crate::plan_exchange::xlsx::to_bytes(&plan, lang)?,
    });
    let responses = super::report::response_lines(snapshot, lang);
    if !responses.is_empty() {
        let mut text = format!("# {}\n\n", t(lang, "archive.response_title"));
        for line in responses {
            let _ = write!(text, "## {}\n\n*{}*", line.finding, line.stance);
            if let Some(changed) = line.changed {
                let _ = write!(text, " — {changed}");
            }
            text.push_str("\n\n");
            if !line.text.is_empty() {
                let _ = write!(text, "{}\n\n", line.text);
            }
        }
        files.push(ArchiveFile {
            name: format!("{}.md", t(lang, "archive.response_file")),
            bytes: text.into_bytes(),
        });
    }
    let mut summary = snapshot.clone();
    crate::domain::personal_data::remove_from(&mut summary);
    files.push(ArchiveFile {
        name: format!("{}.json", t(lang, "archive.summary_file")),
        bytes: super::json::to_json(&summary)
            .map_err(super::ExportError::from)?
            .into_bytes(),
    });
    files.push(ArchiveFile {
        name: CHECKSUMS.to_owned(),
        bytes: checksums(&files).into_bytes(),
    });
    Ok(files)
}

/// `sha256sum`'s format: the hash, two spaces, the name; one line per file.
pub fn checksums(files: &[ArchiveFile]) -> String {
    let mut list = String::new();
    for file in files {
        let _ = writeln!(list, "{:x}  {}", Sha256::digest(&file.bytes), file.name);
    }
    list
}

/// The package as one zip file's bytes.
pub fn to_zip(files: &[ArchiveFile]) -> Result<Vec<u8>, ArchiveError> {
    let zip_error = |e: zip::result::ZipError| ArchiveError::Write {
        path: "zip".to_owned(),
        source: std::io::Error::other(e),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        zip.start_file(file.name.as_str(), options)
            .map_err(zip_error)?;
        zip.write_all(&file.bytes)
            .map_err(|source| ArchiveError::Write {
                path: file.name.clone(),
                source,
            })?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

/// Writes the package: as a zip when `out` ends in `.zip`, else as a folder of its own (which
/// must not hold files yet). Each file is written whole or not at all.
pub fn write(out: &Path, files: &[ArchiveFile]) -> Result<(), ArchiveError> {
    let failed = |path: &Path, source| ArchiveError::Write {
        path: path.display().to_string(),
        source,
    };
    if out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let bytes = to_zip(files)?;
        return crate::files::write_whole(out, bytes).map_err(|e| failed(out, e));
    }
    std::fs::create_dir_all(out).map_err(|e| failed(out, e))?;
    let occupied = std::fs::read_dir(out)
        .map_err(|e| failed(out, e))?
        .next()
        .is_some();
    if occupied {
        return Err(ArchiveError::FolderNotEmpty {
            path: out.display().to_string(),
        });
    }
    for file in files {
        let path = out.join(&file.name);
        crate::files::write_whole(&path, &file.bytes).map_err(|e| failed(&path, e))?;
    }
    Ok(())
}
