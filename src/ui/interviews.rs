//! Intervjuer: a filterable list beside an editor for one interview — its metadata, its notes,
//! and the excerpts marked in them as evidence.

use super::widgets::{
    Mark, MarkStyle, TextKind, draft_text, editor_panel, enum_combo, link_chip, list_panel,
    marked_draft_text, requirement_combo, row_list, section_ui,
};
use super::{Focus, Page, PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::{
    EvidenceRef, Excerpt, FindingFields, FindingKind, Interview, InterviewChannel, InterviewFields,
    InterviewId, InterviewSetting, Programme, RequirementId, RequirementLink, RoleId, Stance,
};
use crate::i18n::{Labelled, Lang, date, t, tf, tn};

/// What the interviews page remembers between frames.
pub struct InterviewsState {
    pub selected: Option<InterviewId>,
    /// Show only interviews with this role.
    pub role_filter: Option<RoleId>,
    /// The last text selected in the notes: (interview, start char, end char).
    selection: Option<(InterviewId, usize, usize)>,
    link_requirement: Option<RequirementId>,
    link_stance: Stance,
    /// The excerpt a link or search hit led to: marked until another interview is picked.
    highlight: Option<crate::domain::ExcerptId>,
    /// Search words to mark in the notes, from the hit that led here.
    words: Vec<String>,
    /// The interview guide is shown beside the editor (it is by default).
    pub show_guide: bool,
}

impl Default for InterviewsState {
    fn default() -> Self {
        InterviewsState {
            selected: None,
            role_filter: None,
            selection: None,
            link_requirement: None,
            link_stance: Stance::default(),
            highlight: None,
            words: Vec::new(),
            show_guide: true,
        }
    }
}

pub fn interviews_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    if let Some(focus) = state.focus {
        match focus {
            Focus::Interview(id) => {
                state.interviews.selected = Some(id);
                state.interviews.highlight = None;
                state.interviews.words.clone_from(&state.search_words);
            }
            Focus::Excerpt(id) => {
                state.interviews.selected = context.snapshot.excerpt(id).map(|(i, _)| i.id);
                state.interviews.highlight = Some(id);
            }
            _ => {}
        }
    }
    if state.interviews.selected.is_none() {
        state.interviews.selected = first_in_list(context, &state.interviews);
    }
    list_panel(ui, context.lang, "interview_list", |ui| {
        list_ui(ui, context, &mut state.interviews, out);
    });
    let selected = state
        .interviews
        .selected
        .and_then(|id| context.snapshot.interview(id));
    if let Some(interview) = selected
        && state.interviews.show_guide
    {
        egui::Panel::right("interview_guide")
            .resizable(true)
            .default_size(320.0)
            .min_size(220.0)
            .show(ui, |ui| {
                super::guide::guide_ui(ui, context, interview, &mut state.requests, out);
            });
        super::widgets::name_resize_handle(
            ui,
            "interview_guide",
            t(context.lang, "widgets.resize_guide"),
        );
    }
    editor_panel(
        ui,
        "interview_editor",
        selected,
        t(lang, "interviews.pick_one"),
        |ui, item| editor_ui(ui, context, item, state, out),
    );
}

fn list_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut InterviewsState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    section_ui(ui, t(lang, "page.interviews"));
    let programme = &context.snapshot.programme;
    // A new interview starts with the role of the one shown (the next is often alike), else
    // the catalog's first role.
    let start_role = state
        .selected
        .and_then(|id| context.snapshot.interview(id))
        .map(|i| i.fields.role.clone())
        .or_else(|| programme.role_ids().next().cloned());
    if let Some(role) = start_role
        && ui.button(t(lang, "interviews.add")).clicked()
    {
        out.push(Command::AddInterview {
            interview: InterviewFields {
                date: context.today,
                role,
                interviewees: Vec::new(),
                stage: None,
                setting: InterviewSetting::Individual,
                channel: InterviewChannel::InPerson,
            },
            notes: String::new(),
        });
    }
    ui.add_space(4.0);
    let label = ui.label(t(lang, "interviews.filter_role"));
    let all = t(lang, "interviews.all_roles");
    egui::ComboBox::from_id_salt("interview_role_filter")
        .selected_text(
            state
                .role_filter
                .as_ref()
                .map_or_else(|| all.into(), |r| programme.role_name(r, lang.code())),
        )
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut state.role_filter, None, all);
            for role in &programme.roles {
                ui.selectable_value(
                    &mut state.role_filter,
                    Some(role.id.clone()),
                    programme.role_name(&role.id, lang.code()),
                );
            }
        })
        .response
        .labelled_by(label.id);
    ui.separator();
    let snapshot = context.snapshot;
    if snapshot.interviews.is_empty() {
        ui.weak(t(lang, "interviews.none"));
        return;
    }
    let shown = listed(context, state);
    let lines: Vec<String> = shown
        .iter()
        .map(|i| list_line(&snapshot.programme, i, lang))
        .collect();
    let selected = shown.iter().position(|i| Some(i.id) == state.selected);
    if let Some(index) = row_list(ui, "interview_list_rows", &lines, selected) {
        state.selected = Some(shown[index].id);
        state.highlight = None;
        state.words.clear();
    }
}

/// The interviews the list shows, in date order.
fn listed<'a>(context: &PageContext<'a>, state: &InterviewsState) -> Vec<&'a Interview> {
    let mut shown: Vec<&Interview> = context
        .snapshot
        .interviews
        .iter()
        .filter(|i| {
            state
                .role_filter
                .as_ref()
                .is_none_or(|role| &i.fields.role == role)
        })
        .collect();
    shown.sort_by_key(|i| (i.fields.date, i.id));
    shown
}

fn first_in_list(context: &PageContext<'_>, state: &InterviewsState) -> Option<InterviewId> {
    listed(context, state).first().map(|i| i.id)
}

/// "12.02.2026 · Deltaker · D-03 (midtveis)".
fn list_line(programme: &Programme, interview: &Interview, lang: Lang) -> String {
    let fields = &interview.fields;
    let role = programme.role_name(&fields.role, lang.code());
    let mut line = format!("{} · {}", date(lang, Some(fields.date)), role);
    // "NAV-leder · NAV-leder" says nothing twice.
    if !fields.interviewees.is_empty() && fields.interviewees != [role.as_str()] {
        line.push_str(" · ");
        line.push_str(&fields.interviewees.join(", "));
    }
    if let Some(stage) = &fields.stage {
        line.push_str(" (");
        line.push_str(&programme.stage_name(stage, lang.code()).to_lowercase());
        line.push(')');
    }
    line
}

fn editor_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    interview: &Interview,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let id = interview.id;
    ui.horizontal(|ui| {
        ui.heading(list_line(&context.snapshot.programme, interview, lang));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(t(lang, "history.show")).clicked() {
                state.requests.push(Request::History {
                    target: id.to_string(),
                    title: list_line(&context.snapshot.programme, interview, lang),
                });
            }
            ui.toggle_value(&mut state.interviews.show_guide, t(lang, "guide.toggle"));
            if ui.button(t(lang, "interviews.delete")).clicked() {
                out.push(Command::DeleteInterview { interview_id: id });
                state.interviews.selected = None;
            }
        });
    });
    ui.add_space(6.0);
    metadata_ui(ui, lang, &context.snapshot.programme, interview, state, out);

    ui.add_space(10.0);
    let notes_label = ui.strong(t(lang, "interviews.notes"));
    ui.weak(t(lang, "interviews.notes_hint"));
    let notes_id = ui.make_persistent_id(("notes", id));
    let mut marks: Vec<Mark> = interview
        .excerpts
        .iter()
        .filter(|e| e.anchored)
        .map(|e| Mark {
            start_char: e.start_char,
            end_char: e.end_char,
            style: if state.interviews.highlight == Some(e.id) {
                MarkStyle::Strong
            } else {
                MarkStyle::Soft
            },
        })
        .collect();
    marks.extend(
        word_spans(&interview.notes, &state.interviews.words)
            .into_iter()
            .map(|(start_char, end_char)| Mark {
                start_char,
                end_char,
                style: MarkStyle::Strong,
            }),
    );
    let entity = id.to_string();
    let privacy: Vec<&crate::privacy::Hit> = context
        .privacy_hits
        .iter()
        .filter(|found| found.entity == entity && found.field == "notes")
        .map(|found| &found.hit)
        .collect();
    marks.extend(privacy.iter().map(|hit| Mark {
        start_char: hit.start_char,
        end_char: hit.end_char,
        style: MarkStyle::Warning,
    }));
    let output = marked_draft_text(
        ui,
        &mut state.drafts,
        notes_id,
        &interview.notes,
        14,
        Some(&notes_label),
        &marks,
        |notes| Command::SetInterviewNotes {
            interview_id: id,
            notes,
        },
    );
    if let Some(range) = output.cursor_range
        && !range.is_empty()
    {
        let chars = range.as_sorted_char_range();
        state.interviews.selection = Some((id, chars.start.0, chars.end.0));
    }
    let notes = state
        .drafts
        .text(notes_id)
        .unwrap_or(&interview.notes)
        .to_owned();
    if state.drafts.text(notes_id).is_none() {
        privacy_ui(ui, lang, interview, &privacy, out);
    }
    link_ui(ui, context, id, &notes, &mut state.interviews, out);

    ui.add_space(10.0);
    ui.strong(tn(
        lang,
        "interviews.excerpt_count",
        interview.excerpts.len(),
        &[],
    ));
    if interview.excerpts.is_empty() {
        ui.weak(t(lang, "interviews.no_excerpts"));
    }
    for excerpt in &interview.excerpts {
        let marked = state.interviews.highlight == Some(excerpt.id);
        let response = excerpt_ui(ui, context, excerpt, marked, state, out);
        if state.focus == Some(Focus::Excerpt(excerpt.id)) {
            response.scroll_to_me(Some(egui::Align::Center));
            state.focus = None;
        }
    }
    if state.focus == Some(Focus::Interview(id)) {
        state.focus = None;
    }
}

fn metadata_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    programme: &Programme,
    interview: &Interview,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let id = interview.id;
    let mut fields = interview.fields.clone();
    let before = fields.clone();
    egui::Grid::new(("interview_meta", id))
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            ui.label(t(lang, "interviews.date"));
            let salt = format!("interview_date_{id}");
            let shown = crate::i18n::date(lang, Some(fields.date));
            ui.add(
                egui_extras::DatePickerButton::new(&mut fields.date)
                    .id_salt(&salt)
                    .format(crate::i18n::date_format(lang))
                    .show_icon(false),
            )
            .accessible_name(format!("{}: {shown}", t(lang, "interviews.date")));
            ui.end_row();

            let label = ui.label(t(lang, "interviews.role"));
            super::widgets::role_combo(ui, &label, programme, lang, &mut fields.role);
            ui.end_row();

            let label = ui.label(t(lang, "interviews.interviewees"));
            let stored = interview.fields.interviewees.join(", ");
            let base = interview.fields.clone();
            draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("interviewees", id)),
                &stored,
                TextKind::Single,
                Some(&label),
                move |text| Command::UpdateInterview {
                    interview_id: id,
                    interview: InterviewFields {
                        interviewees: text
                            .split(',')
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect(),
                        ..base
                    },
                },
            );
            ui.end_row();

            if programme.is_participant(&fields.role) && !programme.stages.is_empty() {
                let label = ui.label(t(lang, "interviews.stage"));
                let none = t(lang, "interviews.no_stage");
                egui::ComboBox::from_id_salt(("stage", id))
                    .selected_text(
                        fields.stage.as_ref().map_or_else(
                            || none.to_owned(),
                            |s| programme.stage_name(s, lang.code()),
                        ),
                    )
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut fields.stage, None, none);
                        for stage in &programme.stages {
                            ui.selectable_value(
                                &mut fields.stage,
                                Some(stage.id.clone()),
                                programme.stage_name(&stage.id, lang.code()),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            }

            let label = ui.label(t(lang, "interviews.setting"));
            enum_combo(
                ui,
                &label,
                lang,
                &mut fields.setting,
                &InterviewSetting::ALL,
            );
            ui.end_row();
            let label = ui.label(t(lang, "interviews.channel"));
            enum_combo(
                ui,
                &label,
                lang,
                &mut fields.channel,
                &InterviewChannel::ALL,
            );
            ui.end_row();
        });
    if !programme.is_participant(&fields.role) {
        fields.stage = None;
    }
    if fields != before {
        out.push(Command::UpdateInterview {
            interview_id: id,
            interview: fields,
        });
    }
}

/// Identity numbers, e-mail addresses and phone numbers found in the notes, each with a button
/// that replaces it by the interviewee's participant code (or a neutral mark).
fn privacy_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    interview: &Interview,
    hits: &[&crate::privacy::Hit],
    out: &mut Vec<Command>,
) {
    if hits.is_empty() {
        return;
    }
    let code = interview
        .fields
        .interviewees
        .iter()
        .find(|label| is_participant_code(label))
        .cloned()
        .unwrap_or_else(|| t(lang, "privacy.removed").to_owned());
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width().min(900.0));
        ui.colored_label(
            ui.visuals().error_fg_color,
            tn(lang, "privacy.found_in_notes", hits.len(), &[]),
        );
        for hit in hits {
            // A person's number becomes their code; an address or phone number just goes.
            let code = match hit.kind {
                crate::privacy::HitKind::Email | crate::privacy::HitKind::Phone => {
                    t(lang, "privacy.removed").to_owned()
                }
                _ => code.clone(),
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(tf(
                    lang,
                    "privacy.hit",
                    &[
                        (
                            "kind",
                            &t(lang, &format!("privacy.kind.{}", hit.kind.code())),
                        ),
                        ("line", &hit.line),
                        ("column", &hit.column),
                        ("masked", &hit.masked),
                    ],
                ));
                if ui
                    .button(tf(lang, "privacy.replace", &[("code", &code)]))
                    .clicked()
                {
                    let notes: String = interview
                        .notes
                        .chars()
                        .take(hit.start_char)
                        .chain(code.chars())
                        .chain(interview.notes.chars().skip(hit.end_char))
                        .collect();
                    out.push(Command::SetInterviewNotes {
                        interview_id: interview.id,
                        notes,
                    });
                }
            });
        }
    });
}

/// "D-03": a participant's pseudonymous code.
fn is_participant_code(label: &str) -> bool {
    let mut parts = label.splitn(2, '-');
    matches!(
        (parts.next(), parts.next()),
        (Some(prefix), Some(number))
            if !prefix.is_empty()
                && prefix.chars().all(|c| c.is_ascii_uppercase())
                && !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
    )
}

/// "Knytt til krav": the selected text becomes an excerpt linked to a requirement.
fn link_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    interview_id: InterviewId,
    notes: &str,
    state: &mut InterviewsState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let selection = state
        .selection
        .filter(|(id, _, _)| *id == interview_id)
        .and_then(|(_, start, end)| {
            crate::domain::interview::char_span(notes, start, end)
                .map(|quote| (start, end, quote.trim()))
        })
        .filter(|(_, _, quote)| !quote.is_empty());
    ui.add_space(6.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width().min(900.0));
        match selection {
            Some((_, _, quote)) => {
                ui.label(tf(
                    lang,
                    "interviews.selected",
                    &[("quote", &shorten(quote, 160))],
                ));
            }
            None => {
                ui.weak(t(lang, "interviews.select_to_link"));
            }
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t(lang, "interviews.requirement"));
            requirement_combo(
                ui,
                ("link_requirement", interview_id),
                &label,
                context.snapshot,
                lang,
                &mut state.link_requirement,
            );
            for stance in Stance::ALL {
                ui.radio_value(&mut state.link_stance, stance, stance.label(lang));
            }
            let ready = selection.is_some() && state.link_requirement.is_some();
            if ui
                .add_enabled(ready, egui::Button::new(t(lang, "interviews.link")))
                .clicked()
                && let (Some((start, end, _)), Some(requirement_id)) =
                    (selection, state.link_requirement)
            {
                out.push(Command::AddExcerpt {
                    interview_id,
                    start_char: start,
                    end_char: end,
                    links: vec![RequirementLink {
                        requirement_id,
                        stance: state.link_stance,
                    }],
                    shareable: false,
                });
                state.selection = None;
            }
        });
    });
}

fn excerpt_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    excerpt: &Excerpt,
    marked: bool,
    state: &mut PageState,
    out: &mut Vec<Command>,
) -> egui::Response {
    let lang = context.lang;
    let snapshot = context.snapshot;
    let mut frame = egui::Frame::group(ui.style());
    if marked {
        frame = frame.stroke(egui::Stroke::new(2.0, ui.visuals().selection.stroke.color));
    }
    frame
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(900.0));
            if excerpt.quote.is_empty() && snapshot.personal_data_deleted_on.is_some() {
                // Its quote went with the participants' personal data; its links still count.
                ui.weak(t(lang, "interviews.quote_deleted"));
            } else {
                ui.label(format!("«{}»", excerpt.quote));
                if !excerpt.anchored {
                    ui.colored_label(ui.visuals().warn_fg_color, t(lang, "interviews.unanchored"));
                }
            }
            ui.horizontal_wrapped(|ui| {
                for link in &excerpt.links {
                    let Some(requirement) = snapshot.requirement(link.requirement_id) else {
                        continue;
                    };
                    if link_chip(
                        ui,
                        lang,
                        requirement,
                        link.stance,
                        false,
                        t(lang, "interviews.unlink"),
                    ) {
                        out.push(Command::UnlinkExcerpt {
                            excerpt_id: excerpt.id,
                            requirement_id: link.requirement_id,
                        });
                    }
                }
            });
            ui.horizontal_wrapped(|ui| {
                // Each excerpt's buttons say which excerpt they act on, for a screen reader.
                let which = format!("«{}»", shorten(&excerpt.quote, 60));
                let named = |key: &str| format!("{}: {which}", t(lang, key));
                let mut shareable = excerpt.shareable;
                if ui
                    .checkbox(&mut shareable, t(lang, "interviews.shareable"))
                    .accessible_name(named("interviews.shareable"))
                    .changed()
                {
                    out.push(Command::SetExcerptShareable {
                        excerpt_id: excerpt.id,
                        shareable,
                    });
                }
                if ui
                    .button(t(lang, "interviews.new_finding"))
                    .accessible_name(named("interviews.new_finding"))
                    .clicked()
                {
                    out.push(Command::AddFinding {
                        kind: if excerpt
                            .links
                            .iter()
                            .any(|l| l.stance == Stance::Contradicts)
                        {
                            FindingKind::Deviation
                        } else {
                            FindingKind::GoodPractice
                        },
                        finding: FindingFields {
                            title: shorten(&excerpt.quote, 80),
                            description: String::new(),
                        },
                        requirement_ids: excerpt.links.iter().map(|l| l.requirement_id).collect(),
                        evidence: vec![EvidenceRef::Excerpt(excerpt.id)],
                    });
                    state.goto = Some(Page::Findings);
                }
                if ui
                    .button(t(lang, "interviews.delete_excerpt"))
                    .accessible_name(named("interviews.delete_excerpt"))
                    .clicked()
                {
                    out.push(Command::DeleteExcerpt {
                        excerpt_id: excerpt.id,
                    });
                }
            });
        })
        .response
}

/// Character spans of the words in `text` that start with one of `words` (lower-case), as the
/// search index matches them.
pub fn word_spans(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    if words.is_empty() {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        if !chars[start].is_alphanumeric() {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < chars.len() && chars[end].is_alphanumeric() {
            end += 1;
        }
        let word: String = chars[start..end]
            .iter()
            .flat_map(|c| c.to_lowercase())
            .collect();
        if words.iter().any(|w| word.starts_with(w.as_str())) {
            spans.push((start, end));
        }
        start = end;
    }
    spans
}

/// At most `max` characters, cut at a word and marked with "…".
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn word_spans_match_word_prefixes_in_any_case() {
        let words = vec!["plan".to_owned(), "sen".to_owned()];
        assert_eq!(
            super::word_spans("Planen kom for sent; oppsummering.", &words),
            [(0, 6), (15, 19)]
        );
        assert!(super::word_spans("Planen", &[]).is_empty());
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("kort", 10), "kort");
        assert_eq!(
            shorten("Planen kommer ofte for sent, sier hun.", 20),
            "Planen kommer ofte…"
        );
    }
}
