//! The history window: the journal rows about one entity, before → after.

use crate::domain::{FidelityPhase, FidelityReview, Rater};
use crate::i18n::{t, tf};
use crate::store::JournalEntry;

use super::{Workbench, op_text};

impl Workbench {
    /// Who changed an entity and when, newest first, from the journal.
    pub(super) fn history_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some((title, entries)) = &self.history else {
            return;
        };
        let mut open = true;
        egui::Window::new(tf(lang, "history.title", &[("what", title)]))
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(520.0)
            .show(ctx, |ui| {
                if entries.is_empty() {
                    ui.weak(t(lang, "history.none"));
                }
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        egui::Grid::new("history_grid")
                            .num_columns(3)
                            .striped(true)
                            .spacing([16.0, 4.0])
                            .show(ui, |ui| {
                                for entry in entries.iter().rev() {
                                    let at =
                                        entry.applied_at.parse::<jiff::Timestamp>().map_or_else(
                                            |_| entry.applied_at.clone(),
                                            |at| {
                                                at.to_zoned(jiff::tz::TimeZone::system())
                                                    .strftime("%d.%m.%Y %H:%M")
                                                    .to_string()
                                            },
                                        );
                                    ui.label(at);
                                    ui.label(&entry.author);
                                    let what = op_text(lang, &entry.op());
                                    let label = ui.label(match entry.kind.as_str() {
                                        "undo" => tf(lang, "history.undone", &[("what", &what)]),
                                        "redo" => tf(lang, "history.redone", &[("what", &what)]),
                                        _ => what,
                                    });
                                    // What changed, before → after (rows before schema 7 have
                                    // none).
                                    if !entry.summary.is_empty() {
                                        label.on_hover_text(&entry.summary);
                                    }
                                    ui.end_row();
                                    if !entry.summary.is_empty() {
                                        ui.label("");
                                        ui.label("");
                                        ui.add(
                                            egui::Label::new(
                                                egui::RichText::new(&entry.summary).small().weak(),
                                            )
                                            .truncate(),
                                        );
                                        ui.end_row();
                                    }
                                }
                            });
                    });
            });
        if !open {
            self.history = None;
        }
    }
}

/// Whether a journal row tells `viewer` a score they may not see yet: while the review is
/// blind, another evaluator's score (or a consensus) is kept out of the history as it is kept
/// off the page.
pub(super) fn hidden_from(
    review: &FidelityReview,
    viewer: Option<Rater>,
    entry: &JournalEntry,
) -> bool {
    if review.phase() == FidelityPhase::Reconciliation {
        return false;
    }
    let Ok(command) = serde_json::from_str::<serde_json::Value>(&entry.command) else {
        // A row we cannot read says nothing we can vouch for: keep it out while blind.
        return true;
    };
    let op = command.get("op").and_then(serde_json::Value::as_str);
    if !matches!(op, Some("set_fidelity_score" | "clear_fidelity_score")) {
        return false;
    }
    let rater = command
        .get("rater")
        .and_then(serde_json::Value::as_str)
        .and_then(Rater::from_code);
    rater.is_none() || rater != viewer
}
