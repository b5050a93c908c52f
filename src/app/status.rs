//! The status bar: saved or not, what is happening, the latest notice; and the words for store
//! errors.

use crate::i18n::{Lang, t, tf, tn};
use crate::store::{MergeRefusal, StoreError};

use super::{Notice, UNSAVED_RETRY_SECONDS, Workbench};

impl Workbench {
    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        self.export_progress_ui(ui);
        ui.horizontal(|ui| {
            // With a case open the page stays in view; the other case's opening shows here.
            if let Some((path, _)) = &self.opening
                && self.case.is_some()
            {
                ui.spinner();
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                ui.label(tf(lang, "app.opening", &[("name", &name)]));
                ui.separator();
            }
            if self
                .case
                .as_ref()
                .is_some_and(|case| case.store.is_encrypted())
            {
                let badge = egui::RichText::new(t(lang, "status.encrypted"))
                    .strong()
                    .color(ui.visuals().selection.stroke.color);
                ui.label(badge)
                    .on_hover_text(t(lang, "status.encrypted_hint"));
                ui.separator();
            }
            match &self.notice {
                Some(Notice::Error(message)) => {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                Some(Notice::Info(message)) => {
                    ui.label(message);
                }
                None => {
                    if let Some(case) = &self.case {
                        let key = if self.pages.drafts.is_empty() {
                            "status.saved"
                        } else {
                            "status.typing"
                        };
                        ui.label(tf(lang, key, &[("path", &case.path().display())]));
                    }
                }
            }
            if !self.unsaved.is_empty() {
                let now = ui.input(|i| i.time);
                let retry = ui
                    .button(tn(lang, "unsaved.retry", self.unsaved.len(), &[]))
                    .on_hover_text(t(lang, "unsaved.retry_hint"))
                    .clicked();
                // Space may come back (files deleted, a disk remounted): try again now and then.
                if retry || now - self.unsaved_tried_at > UNSAVED_RETRY_SECONDS {
                    self.unsaved_tried_at = now;
                    self.retry_unsaved();
                }
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs_f64(
                        UNSAVED_RETRY_SECONDS,
                    ));
            } else if self.notice.is_some() && ui.small_button(t(lang, "status.dismiss")).clicked()
            {
                self.notice = None;
            }
        });
    }
}

/// A store error as the user reads it, in the UI language; the log keeps the full chain.
pub fn error_text(lang: Lang, error: &StoreError) -> String {
    match error {
        StoreError::Missing { path } => tf(lang, "error.missing", &[("path", &path.display())]),
        StoreError::NotACase { path, .. } => {
            tf(lang, "error.not_a_case", &[("path", &path.display())])
        }
        StoreError::Damaged { path, .. } => tf(lang, "error.damaged", &[("path", &path.display())]),
        StoreError::TooNew {
            path,
            found,
            supported,
        } => tf(
            lang,
            "error.too_new",
            &[
                ("path", &path.display()),
                ("found", found),
                ("supported", supported),
            ],
        ),
        StoreError::InUse { path } => tf(lang, "error.in_use", &[("path", &path.display())]),
        StoreError::AlreadyExists { path } => {
            tf(lang, "error.already_exists", &[("path", &path.display())])
        }
        StoreError::MergeRefused { mine, theirs, why } => {
            let why = match why {
                MergeRefusal::BrokenChain { path, seq }
                | MergeRefusal::HistoryTooOld { path, seq } => tf(
                    lang,
                    &format!("merge_refusal.{}", why.code()),
                    &[("path", &path.display()), ("seq", seq)],
                ),
                _ => t(lang, &format!("merge_refusal.{}", why.code())).to_owned(),
            };
            tf(
                lang,
                "error.merge_refused",
                &[
                    ("mine", &mine.display()),
                    ("theirs", &theirs.display()),
                    ("why", &why),
                ],
            )
        }
        StoreError::Rejected(rejection) => tf(
            lang,
            "error.rejected",
            &[("reason", &crate::i18n::rejection_text(lang, rejection))],
        ),
        StoreError::ForeignSchema { path, differences } => {
            const SHOWN: usize = 3;
            let mut what: Vec<String> = differences
                .iter()
                .take(SHOWN)
                .map(|d| {
                    tf(
                        lang,
                        &format!("schema_change.{}", d.change.code()),
                        &[
                            ("kind", &t(lang, &format!("sql_kind.{}", d.kind))),
                            ("name", &d.name),
                        ],
                    )
                })
                .collect();
            if differences.len() > SHOWN {
                what.push(tf(
                    lang,
                    "schema_change.more",
                    &[("n", &(differences.len() - SHOWN))],
                ));
            }
            tf(
                lang,
                "error.foreign_schema",
                &[("path", &path.display()), ("what", &what.join(", "))],
            )
        }
        StoreError::NotAPackage { path } => {
            tf(lang, "error.not_a_package", &[("path", &path.display())])
        }
        StoreError::Io { path, .. } | StoreError::Sqlite { path, .. } => {
            let why = error
                .file_problem()
                .map(|problem| t(lang, &format!("file_problem.{}", problem.code())).to_owned())
                .unwrap_or_default();
            tf(
                lang,
                "error.file",
                &[("path", &path.display()), ("why", &why)],
            )
        }
        StoreError::NotWritten { path, why } => tf(
            lang,
            "error.not_written",
            &[
                ("path", &path.display()),
                ("why", &t(lang, &format!("error.not_written.{why:?}"))),
            ],
        ),
        StoreError::Encrypted { path } => tf(lang, "error.encrypted", &[("path", &path.display())]),
        StoreError::WrongPassphrase { path } => {
            tf(lang, "error.wrong_passphrase", &[("path", &path.display())])
        }
        other @ StoreError::Migration { .. } => tf(lang, "error.other", &[("detail", other)]),
    }
}

/// A command's name for "Angre: …", e.g. `add_interview` → "nytt intervju".
pub fn op_text(lang: Lang, op: &str) -> String {
    t(lang, &format!("op.{op}")).to_owned()
}
