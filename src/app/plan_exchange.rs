//! The plan round-trip in the app: export the workbook for the provider, read a filled-in one
//! back, show every problem or the preview of changes, and apply them only when accepted (after
//! a backup copy), as one undoable step.

use super::{Notice, Workbench};
use crate::i18n::{Labelled, Lang, counted, t, tf, tn};
use crate::plan_exchange::{self, PlanChanges, PlanFile, Problem};

/// What reading a workbook gave: its problems, or the changes awaiting a decision.
pub(super) enum PlanReview {
    Problems {
        file: String,
        problems: Vec<Problem>,
    },
    Changes {
        file: String,
        changes: PlanChanges,
    },
}

impl Workbench {
    /// Writes the plan workbook; held back by the privacy scan like every export, unless
    /// `redact` masks what it found.
    pub(super) fn export_plan_with_dialog(&mut self, redact: bool) {
        let lang = self.settings.lang;
        self.commit_drafts();
        self.apply_pending();
        if !redact && self.hold_back_for_privacy(super::export::ExportKind::PlanWorkbook) {
            return;
        }
        let Some(case) = &self.case else { return };
        let suggested = format!(
            "{} – {}.xlsx",
            t(lang, "page.plan"),
            case.snapshot.facts.provider_name
        );
        let plan = if redact {
            PlanFile::from_case(&crate::privacy::redact_case(&case.snapshot))
        } else {
            PlanFile::from_case(&case.snapshot)
        };
        let Some(path) =
            self.dialogs
                .pick_file_to_save(&suggested, t(lang, "plan.file_kind"), &["xlsx"])
        else {
            return;
        };
        self.notice = Some(match plan_exchange::xlsx::write(&plan, lang, &path) {
            Ok(()) => Notice::Info(tf(
                lang,
                "plan.exported",
                &[
                    ("path", &path.display()),
                    (
                        "deviations",
                        &counted(lang, "deviations", plan.deviations.len()),
                    ),
                    ("actions", &counted(lang, "actions", plan.actions.len())),
                ],
            )),
            Err(e) => Notice::Error(e.to_string()),
        });
    }

    pub(super) fn import_plan_with_dialog(&mut self) {
        let lang = self.settings.lang;
        self.commit_drafts();
        let Some(path) = self
            .dialogs
            .pick_file_to_open(t(lang, "plan.file_kind"), &["xlsx", "json", "evalplan"])
        else {
            return;
        };
        let Some(case) = &self.case else { return };
        let file = path.display().to_string();
        let raw = plan_exchange::read_any(&path, lang);
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => {
                self.notice = Some(Notice::Error(e));
                return;
            }
        };
        self.plan_review = Some(
            match plan_exchange::check(&case.snapshot, &raw, self.today, lang) {
                Ok(changes) => PlanReview::Changes { file, changes },
                Err(problems) => PlanReview::Problems { file, problems },
            },
        );
    }

    pub(super) fn plan_review_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(review) = &self.plan_review else {
            return;
        };
        let mut open = true;
        let mut accept = false;
        let mut close = false;
        egui::Window::new(t(lang, "plan.import_title"))
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(640.0)
            .show(ctx, |ui| match review {
                PlanReview::Problems { file, problems } => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        tn(
                            lang,
                            "plan.import_problems",
                            problems.len(),
                            &[("file", file)],
                        ),
                    );
                    let (listed, more) = plan_exchange::problems_to_list(problems, lang);
                    egui::ScrollArea::vertical()
                        .max_height(380.0)
                        .show(ui, |ui| {
                            for problem in listed {
                                ui.label(problem.text(lang));
                            }
                            if let Some(more) = more {
                                ui.strong(more);
                            }
                        });
                    if ui.button(t(lang, "plan.close")).clicked() {
                        close = true;
                    }
                }
                PlanReview::Changes { file, changes } => {
                    ui.label(file);
                    changes_ui(ui, lang, self.case.as_ref().map(|c| &*c.snapshot), changes);
                    ui.separator();
                    ui.horizontal(|ui| {
                        if changes.is_empty() {
                            if ui.button(t(lang, "plan.close")).clicked() {
                                close = true;
                            }
                        } else {
                            if ui.button(t(lang, "plan.accept")).clicked() {
                                accept = true;
                            }
                            if ui.button(t(lang, "catalog_update.reject")).clicked() {
                                close = true;
                            }
                        }
                    });
                }
            });
        if accept && let Some(PlanReview::Changes { changes, .. }) = self.plan_review.take() {
            self.backup_before_plan_import();
            self.pending.push(changes.command());
        } else if close || !open {
            self.plan_review = None;
        }
    }

    fn backup_before_plan_import(&mut self) {
        let (Some(backups), Some(case)) = (&self.backups, &self.case) else {
            return;
        };
        if let Err(e) = backups.take(
            &case.store,
            &case.snapshot.case_id,
            crate::backups::Reason::BeforePlanImport,
        ) {
            log::warn!("backup before plan import: {e}");
        }
    }
}

fn changes_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    snapshot: Option<&crate::domain::CaseSnapshot>,
    changes: &PlanChanges,
) {
    ui.strong(tf(
        lang,
        "plan.import_counts",
        &[
            ("added", &counted(lang, "added", changes.added.len())),
            ("changed", &counted(lang, "changed", changes.changed.len())),
            ("removed", &counted(lang, "removed", changes.removed.len())),
        ],
    ));
    if changes.is_empty() {
        ui.weak(t(lang, "plan.import_same"));
    }
    let action_text = |id: crate::domain::ActionId| {
        snapshot
            .and_then(|s| s.actions.iter().find(|a| a.id == id))
            .map_or_else(|| id.to_string(), |a| a.fields.description.clone())
    };
    egui::ScrollArea::vertical()
        .max_height(380.0)
        .show(ui, |ui| {
            for (_, action) in &changes.added {
                ui.label(format!("+ {} ({})", action.description, action.owner));
            }
            for (id, before, after) in &changes.changed {
                ui.label(format!("~ {}", action_text(*id)));
                ui.indent(("plan_change", id.0), |ui| {
                    let mut row = |label: &str, a: String, b: String| {
                        if a != b {
                            ui.label(format!("{label}: «{a}» – «{b}»"));
                        }
                    };
                    row(
                        t(lang, "plan.column.description"),
                        before.description.clone(),
                        after.description.clone(),
                    );
                    row(
                        t(lang, "plan.column.owner"),
                        before.owner.clone(),
                        after.owner.clone(),
                    );
                    row(
                        t(lang, "plan.column.due_date"),
                        crate::i18n::date(lang, before.due_date),
                        crate::i18n::date(lang, after.due_date),
                    );
                    row(
                        t(lang, "plan.column.status"),
                        before.status.label(lang).into_owned(),
                        after.status.label(lang).into_owned(),
                    );
                    row(
                        t(lang, "plan.column.closure_evidence"),
                        before.closure_evidence.clone(),
                        after.closure_evidence.clone(),
                    );
                });
            }
            for id in &changes.removed {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("– {}", action_text(*id)),
                );
            }
            if !changes.already_imported.is_empty() {
                ui.add_space(6.0);
                ui.strong(t(lang, "plan.already_imported"));
                for row in &changes.already_imported {
                    ui.weak(tf(
                        lang,
                        "plan.already_imported_row",
                        &[
                            ("action", &row.description),
                            ("date", &crate::i18n::date(lang, Some(row.imported_on))),
                        ],
                    ));
                }
            }
            if !changes.ignored_edits.is_empty() {
                ui.add_space(6.0);
                ui.strong(t(lang, "plan.ignored_edits"));
                for edit in &changes.ignored_edits {
                    ui.weak(edit.text(lang));
                }
            }
        });
}
