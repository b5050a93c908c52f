//! Tilbakemeldingsmøte: the record of the feedback meeting, edited in place. Every edit stores the
//! whole meeting (`SetFeedbackMeeting`), so each command is built from what is stored plus what
//! is still being typed in the other fields: a command must never overwrite a draft that is
//! committed in the same batch.

use super::drafts::Drafts;
use super::widgets::{TextKind, draft_text, section_ui};
use super::{PageContext, PageState};
use crate::command::Command;
use crate::domain::FeedbackMeeting;
use crate::i18n::{date, t, tf};

/// The ids of the meeting's text fields, known before any is drawn.
struct FieldIds {
    participants: egui::Id,
    summary: egui::Id,
    provider_comments: egui::Id,
}

impl FieldIds {
    fn new() -> Self {
        // Global ids: they must match whichever child `Ui` draws the field.
        Self {
            participants: egui::Id::unique("meeting_participants"),
            summary: egui::Id::unique("meeting_summary"),
            provider_comments: egui::Id::unique("meeting_provider_comments"),
        }
    }

    /// The meeting as the user sees it: the stored record with the drafts laid over it.
    fn current(&self, stored: &FeedbackMeeting, drafts: &Drafts) -> FeedbackMeeting {
        FeedbackMeeting {
            date: stored.date,
            participants: drafts
                .text(self.participants)
                .map_or_else(|| stored.participants.clone(), parse_roles),
            summary: drafts
                .text(self.summary)
                .map_or_else(|| stored.summary.clone(), str::to_owned),
            provider_comments: drafts
                .text(self.provider_comments)
                .map_or_else(|| stored.provider_comments.clone(), str::to_owned),
        }
    }
}

/// "NAV-leder, Daglig leder" → the roles, trimmed, empty parts dropped.
fn parse_roles(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|role| !role.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn meeting_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let stored = &context.snapshot.feedback_meeting;
    let lang = context.lang;
    let ids = FieldIds::new();
    let set = |meeting: FeedbackMeeting| Command::SetFeedbackMeeting { meeting };
    section_ui(ui, t(lang, "page.meeting"));
    ui.weak(t(lang, "meeting.intro"));

    ui.add_space(8.0);
    let label = ui.strong(t(lang, "meeting.date"));
    let key_date = context.snapshot.key_dates.feedback_meeting;
    ui.horizontal_wrapped(|ui| {
        date_ui(ui, context, stored.date, key_date, &label, |new_date| {
            out.push(set(FeedbackMeeting {
                date: new_date,
                ..ids.current(stored, &state.drafts)
            }));
        });
        if let Some(key) = key_date.filter(|key| stored.date != Some(*key)) {
            ui.add_space(12.0);
            ui.weak(tf(
                lang,
                "meeting.key_date",
                &[("date", &date(lang, Some(key)))],
            ));
            if stored.date.is_some() && ui.button(t(lang, "meeting.use_key_date")).clicked() {
                out.push(set(FeedbackMeeting {
                    date: Some(key),
                    ..ids.current(stored, &state.drafts)
                }));
            }
        }
    });

    ui.add_space(8.0);
    let label = ui.strong(t(lang, "meeting.participants"));
    ui.weak(t(lang, "meeting.participants_hint"));
    participants_ui(ui, &ids, stored, state, &label);

    ui.add_space(8.0);
    let label = ui.strong(t(lang, "meeting.summary"));
    let base = ids.current(stored, &state.drafts);
    draft_text(
        ui,
        &mut state.drafts,
        ids.summary,
        &stored.summary,
        TextKind::Multi { rows: 8 },
        Some(&label),
        |summary| set(FeedbackMeeting { summary, ..base }),
    );

    ui.add_space(8.0);
    let label = ui.strong(t(lang, "meeting.provider_comments"));
    let base = ids.current(stored, &state.drafts);
    draft_text(
        ui,
        &mut state.drafts,
        ids.provider_comments,
        &stored.provider_comments,
        TextKind::Multi { rows: 5 },
        Some(&label),
        |provider_comments| {
            set(FeedbackMeeting {
                provider_comments,
                ..base
            })
        },
    );

    ui.add_space(12.0);
    super::report_versions::report_versions_ui(ui, context, state);
}

/// The meeting's date: a picker and a clear button, or "Sett dato" (the case's key date for the
/// meeting if there is one, else today). Calls `changed` with the new value when the user changes it.
fn date_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    value: Option<jiff::civil::Date>,
    key_date: Option<jiff::civil::Date>,
    label: &egui::Response,
    changed: impl FnOnce(Option<jiff::civil::Date>),
) {
    let lang = context.lang;
    match value {
        Some(stored) => {
            let mut picked = stored;
            ui.add(
                egui_extras::DatePickerButton::new(&mut picked)
                    .id_salt("meeting_date")
                    .format(crate::i18n::date_format(lang))
                    .show_icon(false),
            )
            .labelled_by(label.id);
            let clear = ui
                .small_button("×")
                .accessible_name(t(lang, "meeting.clear_date"))
                .on_hover_text(t(lang, "meeting.clear_date"));
            if clear.clicked() {
                changed(None);
            } else if picked != stored {
                changed(Some(picked));
            }
        }
        None => {
            if ui.button(t(lang, "meeting.set_date")).clicked() {
                changed(Some(key_date.unwrap_or(context.today)));
            }
        }
    }
}

/// The roles as one comma-separated line.
fn participants_ui(
    ui: &mut egui::Ui,
    ids: &FieldIds,
    stored: &FeedbackMeeting,
    state: &mut PageState,
    label: &egui::Response,
) {
    let base = ids.current(stored, &state.drafts);
    draft_text(
        ui,
        &mut state.drafts,
        ids.participants,
        &stored.participants.join(", "),
        TextKind::Single,
        Some(label),
        |text| Command::SetFeedbackMeeting {
            meeting: FeedbackMeeting {
                participants: parse_roles(&text),
                ..base
            },
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_split_on_commas_and_trimmed() {
        assert_eq!(
            parse_roles(" NAV-leder ,Daglig leder, , "),
            ["NAV-leder", "Daglig leder"]
        );
        assert!(parse_roles("").is_empty());
    }

    #[test]
    fn the_current_meeting_includes_other_fields_drafts() {
        let ids = FieldIds::new();
        let stored = FeedbackMeeting {
            summary: "gammel".into(),
            ..FeedbackMeeting::default()
        };
        let mut drafts = Drafts::default();
        let command = Command::SetFeedbackMeeting {
            meeting: stored.clone(),
        };
        drafts.set(ids.summary, "ny".into(), Ok(command.clone()), 0.0);
        drafts.set(ids.participants, "A, B,".into(), Ok(command), 0.0);
        let current = ids.current(&stored, &drafts);
        assert_eq!(current.summary, "ny");
        assert_eq!(current.participants, ["A", "B"]);
    }
}
