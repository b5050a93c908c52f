//! Exports from the app: the report (PDF, DOCX, Markdown) and the whole case as JSON. The
//! privacy scan runs first; the file is laid out and written on a worker thread, so the window
//! keeps drawing (with a spinner in the status bar) while Typst works.

use std::path::PathBuf;
use std::sync::mpsc;

use super::{Notice, Workbench};
use crate::domain::ReportKind;
use crate::export::{self, Format};
use crate::i18n::{Lang, t, tf, tn};

/// What is exported: a view of the case (report, JSON) or the plan's status report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Case(Format),
    StatusReport(Format),
    /// The plan workbook for the provider (written at once; it is small).
    PlanWorkbook,
    /// A report version to keep in the case as sent (always PDF): laid out on the worker, kept
    /// and written when it is back (`keep_report_version`).
    ReportVersion(ReportKind, Option<jiff::civil::Date>),
    /// The archive package as one zip (`export::archive`): the versions as kept, the status
    /// report, the plan, the provider's response, the summary and the checksums.
    Archive,
    /// The notice letter to the provider (PDF or DOCX).
    Notice(Format),
}

impl ExportKind {
    fn format(self) -> Format {
        match self {
            ExportKind::Case(format)
            | ExportKind::StatusReport(format)
            | ExportKind::Notice(format) => format,
            ExportKind::PlanWorkbook => Format::Json,
            ExportKind::ReportVersion(..) | ExportKind::Archive => Format::Pdf,
        }
    }

    /// The file name's extension (`format`'s, but a zip for the archive package).
    fn extension(self) -> &'static str {
        match self {
            ExportKind::Archive => "zip",
            other => other.format().extension(),
        }
    }

    fn key(self) -> &'static str {
        match self {
            ExportKind::Case(format) => format_key(format),
            ExportKind::StatusReport(Format::Docx) => "export.status_docx",
            ExportKind::StatusReport(_) => "export.status_pdf",
            ExportKind::PlanWorkbook => "plan.file_kind",
            ExportKind::ReportVersion(ReportKind::Draft, _) => "export.report_draft",
            ExportKind::ReportVersion(ReportKind::Final, _) => "export.report_final",
            ExportKind::Archive => "export.archive",
            ExportKind::Notice(Format::Docx) => "export.notice_docx",
            ExportKind::Notice(_) => "export.notice_pdf",
        }
    }
}

/// An export being laid out and written on its worker thread.
pub(super) struct ExportJob {
    kind: ExportKind,
    path: PathBuf,
    /// Written (`None`), or the bytes of a report version still to keep and write.
    done: mpsc::Receiver<Result<Option<Vec<u8>>, String>>,
}

/// An export held back because the case's text holds identity numbers or contact details.
pub(super) struct PrivacyStop {
    kind: ExportKind,
    lines: Vec<String>,
}

pub(super) fn format_key(format: Format) -> &'static str {
    match format {
        Format::Pdf => "export.pdf",
        Format::Docx => "export.docx",
        Format::Markdown => "export.markdown",
        Format::Json => "export.json",
    }
}

impl Workbench {
    /// Asks for a file name and starts the export; held back first if the privacy scan finds
    /// anything, unless `redact` masks it.
    pub(super) fn start_export(&mut self, kind: ExportKind, redact: bool) {
        let format = kind.format();
        let lang = self.settings.lang;
        if self.export_job.is_some() {
            self.notice = Some(Notice::Info(t(lang, "export.busy").to_owned()));
            return;
        }
        if kind == ExportKind::PlanWorkbook {
            self.export_plan_with_dialog(redact);
            return;
        }
        self.commit_drafts();
        self.apply_pending();
        if !redact && self.hold_back_for_privacy(kind) {
            return;
        }
        let Some(case) = &self.case else { return };
        let base = match kind {
            ExportKind::Case(Format::Json) => t(lang, "export.case_file_name"),
            ExportKind::Case(_) | ExportKind::ReportVersion(ReportKind::Final, _) => {
                t(lang, "report.title")
            }
            ExportKind::StatusReport(_) => t(lang, "status_report.title"),
            ExportKind::PlanWorkbook => t(lang, "page.plan"),
            ExportKind::Archive => t(lang, "export.archive_file_name"),
            ExportKind::Notice(_) => t(lang, "notice.file_name"),
            ExportKind::ReportVersion(ReportKind::Draft, _) => {
                t(lang, "report_versions.file_draft")
            }
        };
        let suggested = format!(
            "{base} – {}.{}",
            case.snapshot.facts.provider_name,
            kind.extension()
        );
        let Some(path) =
            self.dialogs
                .pick_file_to_save(&suggested, t(lang, kind.key()), &[kind.extension()])
        else {
            return;
        };
        // The kept versions go into the package as they are (read here: the store is not
        // the worker's); a version whose hash no longer checks out stops the export.
        let mut versions = Vec::new();
        if kind == ExportKind::Archive {
            for version in &case.snapshot.report_versions {
                match case.store.report_version_bytes(version.number) {
                    Ok(Some(kept)) => versions.push(kept),
                    Ok(None) => {}
                    Err(e) => {
                        self.notice = Some(Notice::Error(super::error_text(lang, &e)));
                        return;
                    }
                }
            }
        }
        // Shared with the writer thread, not copied; an edit meanwhile changes a copy.
        let snapshot = if redact {
            std::sync::Arc::new(crate::privacy::redact_case(&case.snapshot))
        } else {
            std::sync::Arc::clone(&case.snapshot)
        };
        let changes = case.status_changes.clone();
        let today = self.today;
        let target = path.clone();
        let (sender, done) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let rendered = match kind {
                    ExportKind::StatusReport(format) => {
                        export::render_status_report(&snapshot, &changes, format, lang, today)
                    }
                    ExportKind::Notice(format) => {
                        export::render_notice(&snapshot, format, lang, today)
                    }
                    // Kept in the case before it is written: back to the app with the bytes.
                    ExportKind::ReportVersion(report, answer_by) => {
                        let result = export::render_report_version(
                            &snapshot, report, answer_by, lang, today,
                        )
                        .map(Some)
                        .map_err(|e| e.to_string());
                        let _ = sender.send(result);
                        return;
                    }
                    ExportKind::Archive => {
                        let result =
                            export::archive::package(&snapshot, &versions, &changes, lang, today)
                                .and_then(|files| export::archive::to_zip(&files))
                                .map_err(|e| e.to_string())
                                .and_then(|bytes| {
                                    crate::files::write_whole(&target, &bytes).map_err(|e| {
                                        tf(
                                            lang,
                                            "error.write_file",
                                            &[
                                                ("path", &target.display()),
                                                ("reason", &crate::i18n::io_text(lang, &e)),
                                            ],
                                        )
                                    })
                                })
                                .map(|()| None);
                        let _ = sender.send(result);
                        return;
                    }
                    // The workbook never comes here (`start_export` hands it on first).
                    ExportKind::Case(_) | ExportKind::PlanWorkbook => {
                        export::render(&snapshot, format, lang, today)
                    }
                };
                let result = rendered.map_err(|e| e.to_string()).and_then(|bytes| {
                    crate::files::write_whole(&target, &bytes)
                        .map(|()| None)
                        .map_err(|e| {
                            tf(
                                lang,
                                "error.write_file",
                                &[
                                    ("path", &target.display()),
                                    ("reason", &crate::i18n::io_text(lang, &e)),
                                ],
                            )
                        })
                });
                // The app may have closed meanwhile; then nobody waits for the answer.
                let _ = sender.send(result);
            });
        match spawned {
            Ok(_) => self.export_job = Some(ExportJob { kind, path, done }),
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
    }

    /// True (and the list shown) when the case's text holds identity numbers or contact details:
    /// nothing leaves the program with them unless the user chooses masking.
    pub(super) fn hold_back_for_privacy(&mut self, kind: ExportKind) -> bool {
        let lang = self.settings.lang;
        let Some(case) = &mut self.case else {
            return false;
        };
        let hits = case.privacy.settled(&case.snapshot);
        if hits.is_empty() {
            return false;
        }
        self.export_stop = Some(PrivacyStop {
            kind,
            lines: hits
                .iter()
                .map(|found| {
                    format!(
                        "{} – {} ({}), {}",
                        t(lang, &format!("privacy.kind.{}", found.hit.kind.code())),
                        found.entity,
                        found.field,
                        found.hit.masked
                    )
                })
                .collect(),
        });
        true
    }

    /// True while an export is being written.
    pub fn is_exporting(&self) -> bool {
        self.export_job.is_some()
    }

    /// Picks up a finished export; while one runs, shows it in the status bar.
    pub(super) fn export_progress_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let Some(job) = &self.export_job else { return };
        match job.done.try_recv() {
            Ok(Ok(Some(bytes))) => {
                let (kind, path) = (job.kind, job.path.clone());
                self.export_job = None;
                if let ExportKind::ReportVersion(report, answer_by) = kind {
                    self.keep_report_version(report, answer_by, &path, &bytes);
                }
            }
            Ok(result) => {
                self.notice = Some(match result {
                    Ok(_) => Notice::Info(tf(
                        lang,
                        "export.done",
                        &[
                            ("what", &t(lang, job.kind.key())),
                            ("path", &job.path.display()),
                        ],
                    )),
                    Err(message) => Notice::Error(message),
                });
                self.export_job = None;
            }
            Err(mpsc::TryRecvError::Empty) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tf(
                        lang,
                        "export.running",
                        &[("what", &t(lang, job.kind.key()))],
                    ));
                });
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                self.notice = Some(Notice::Error(t(lang, "export.failed").to_owned()));
                self.export_job = None;
            }
        }
    }

    /// The export held back by the privacy scan: the list, and the choice to mask or cancel.
    pub(super) fn privacy_stop_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(stop) = &self.export_stop else {
            return;
        };
        let mut choice = None;
        egui::Window::new(t(lang, "export.privacy_title"))
            .collapsible(false)
            .resizable(true)
            .default_width(520.0)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                ui.label(tn(lang, "export.privacy_intro", stop.lines.len(), &[]));
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        for line in &stop.lines {
                            ui.label(line);
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button(t(lang, "export.redact")).clicked() {
                        choice = Some(true);
                    }
                    if ui.button(t(lang, "export.cancel")).clicked() {
                        choice = Some(false);
                    }
                });
            });
        match choice {
            Some(true) => {
                let kind = stop.kind;
                self.export_stop = None;
                self.start_export(kind, true);
            }
            Some(false) => self.export_stop = None,
            None => {}
        }
    }

    pub(super) fn export_menu_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let enabled = self.case.is_some() && self.export_job.is_none();
        let kinds = Format::REPORTS
            .into_iter()
            .chain([Format::Json])
            .map(ExportKind::Case)
            .chain([
                ExportKind::StatusReport(Format::Pdf),
                ExportKind::StatusReport(Format::Docx),
            ]);
        for kind in kinds.chain([ExportKind::Archive]) {
            if matches!(
                kind,
                ExportKind::StatusReport(Format::Pdf) | ExportKind::Archive
            ) {
                ui.separator();
            }
            let label = format!("{}…", t(lang, kind.key()));
            if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
                self.start_export(kind, false);
            }
        }
        ui.separator();
        let provider_mode = self
            .case
            .as_ref()
            .is_some_and(|c| c.snapshot.provider_package.is_some());
        if ui
            .add_enabled(
                self.case.is_some() && !provider_mode,
                egui::Button::new(t(lang, "plan.export")),
            )
            .clicked()
        {
            self.export_plan_with_dialog(false);
        }
    }

    /// Saves the response workbook (small: written at once) where the user chooses.
    pub(super) fn export_response_workbook_with_dialog(&mut self) {
        let lang = self.settings.lang;
        let Some(case) = &self.case else { return };
        let suggested = format!(
            "{} – {}.xlsx",
            t(lang, "responses.file_name"),
            case.snapshot.facts.provider_name
        );
        let Some(path) =
            self.dialogs
                .pick_file_to_save(&suggested, t(lang, "responses.file_kind"), &["xlsx"])
        else {
            return;
        };
        let written = crate::response_workbook::write(&case.snapshot, lang)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                crate::files::write_whole(&path, bytes).map_err(|e| crate::i18n::io_text(lang, &e))
            });
        self.notice = Some(match written {
            Ok(()) => Notice::Info(tf(lang, "responses.saved", &[("path", &path.display())])),
            Err(reason) => Notice::Error(tf(
                lang,
                "error.write_file",
                &[("path", &path.display()), ("reason", &reason)],
            )),
        });
    }

    /// Reads a filled-in response workbook: every response recorded through the command door,
    /// or — when any row is wrong — nothing, and the notice names each problem by its cell.
    pub(super) fn import_responses_with_dialog(&mut self) {
        let lang = self.settings.lang;
        self.commit_drafts();
        let Some(path) = self
            .dialogs
            .pick_file_to_open(t(lang, "responses.file_kind"), &["xlsx", "ods"])
        else {
            return;
        };
        let Some(case) = &self.case else { return };
        let name = path.display().to_string();
        let read = std::fs::read(&path)
            .map_err(|e| {
                vec![crate::response_workbook::Problem {
                    row: None,
                    column: None,
                    message: tf(
                        lang,
                        "error.file",
                        &[("path", &name), ("why", &crate::i18n::io_text(lang, &e))],
                    ),
                }]
            })
            .and_then(|bytes| crate::response_workbook::read(&name, &bytes, &case.snapshot, lang));
        match read {
            Ok(commands) => {
                let count = commands.len();
                // A refusal while applying leaves its own notice; an older one must not hide it.
                self.notice = None;
                self.pending.extend(commands);
                self.apply_pending();
                if self.notice.is_none() {
                    self.notice = Some(Notice::Info(tf(
                        lang,
                        "responses.recorded",
                        &[("count", &count), ("file", &name)],
                    )));
                }
            }
            Err(problems) => {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                self.notice = Some(Notice::Error(format!(
                    "{} {}",
                    tf(lang, "responses.not_read", &[("file", &name)]),
                    lines.join("; ")
                )));
            }
        }
    }

    /// Keeps a rendered report version in the case through the command door (the file stored
    /// by its SHA-256 first), then writes it where the user chose: what is sent is what the case
    /// holds. Nothing is written when the case refuses the version.
    fn keep_report_version(
        &mut self,
        kind: ReportKind,
        answer_by: Option<jiff::civil::Date>,
        path: &std::path::Path,
        bytes: &[u8],
    ) {
        let lang = self.settings.lang;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(case) = self.case.as_mut() else {
            return;
        };
        let before = case.snapshot.report_versions.len();
        let stored = match case.store.put_attachment(&file_name, bytes) {
            Ok(stored) => stored,
            Err(e) => {
                self.notice = Some(Notice::Error(super::error_text(lang, &e)));
                return;
            }
        };
        let made_by = case.store.author().to_owned();
        self.pending
            .push(crate::command::Command::KeepReportVersion {
                kind,
                answer_by,
                made_by,
                file_name,
                sha256: stored.sha256,
            });
        self.apply_pending();
        let Some(case) = &self.case else { return };
        let Some(version) = case
            .snapshot
            .report_versions
            .get(before..)
            .and_then(|added| added.first())
        else {
            // Refused or not written: the notice says why; the file is not written either.
            return;
        };
        let number = version.number;
        self.notice = Some(match crate::files::write_whole(path, bytes) {
            Ok(()) => Notice::Info(tf(
                lang,
                "report_versions.kept",
                &[
                    ("number", &number),
                    (
                        "kind",
                        &t(lang, &format!("report_versions.kind.{}", kind.code())),
                    ),
                    ("path", &path.display()),
                ],
            )),
            Err(e) => Notice::Error(tf(
                lang,
                "error.write_file",
                &[
                    ("path", &path.display()),
                    ("reason", &crate::i18n::io_text(lang, &e)),
                ],
            )),
        });
    }

    /// Saves a copy of kept version `number`, byte for byte (its SHA-256 checked).
    pub(super) fn save_report_version_with_dialog(&mut self, number: usize) {
        let lang = self.settings.lang;
        let Some(case) = &self.case else { return };
        let (version, bytes) = match case.store.report_version_bytes(number) {
            Ok(Some(found)) => found,
            Ok(None) => return,
            Err(e) => {
                self.notice = Some(Notice::Error(super::error_text(lang, &e)));
                return;
            }
        };
        let Some(path) =
            self.dialogs
                .pick_file_to_save(&version.file_name, t(lang, "export.pdf"), &["pdf"])
        else {
            return;
        };
        self.notice = Some(match crate::files::write_whole(&path, &bytes) {
            Ok(()) => Notice::Info(tf(
                lang,
                "report_versions.copy_saved",
                &[("number", &number), ("path", &path.display())],
            )),
            Err(e) => Notice::Error(tf(
                lang,
                "error.write_file",
                &[
                    ("path", &path.display()),
                    ("reason", &crate::i18n::io_text(lang, &e)),
                ],
            )),
        });
    }
}
