//! Funn: a sortable list of findings beside an editor for one — kind, text, requirements, and the
//! evidence it rests on, each piece shown in context.

use super::interviews::shorten;
use super::widgets::{
    TextKind, draft_text, editor_panel, enum_combo, evidence_picker, list_panel, requirement_codes,
    requirement_combo, row_list, section_ui,
};
use super::{Focus, PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::{CaseSnapshot, Finding, FindingFields, FindingId, FindingKind};
use crate::i18n::{Labelled, Lang, Quote, evidence_reference, t, tn};

/// How the list of findings is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FindingOrder {
    #[default]
    Area,
    Kind,
    Sources,
}

impl FindingOrder {
    const ALL: [FindingOrder; 3] = [
        FindingOrder::Area,
        FindingOrder::Kind,
        FindingOrder::Sources,
    ];

    fn key(self) -> &'static str {
        match self {
            FindingOrder::Area => "findings.order_area",
            FindingOrder::Kind => "findings.order_kind",
            FindingOrder::Sources => "findings.order_sources",
        }
    }
}

/// What the findings page remembers between frames.
#[derive(Default)]
pub struct FindingsState {
    pub selected: Option<FindingId>,
    pub order: FindingOrder,
    add_requirement: Option<crate::domain::RequirementId>,
}

pub fn findings_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    if let Some(Focus::Finding(id)) = state.focus {
        state.findings.selected = Some(id);
        state.focus = None;
    }
    list_panel(ui, context.lang, "finding_list", |ui| {
        list_ui(ui, context, &mut state.findings, out);
    });
    let selected = state
        .findings
        .selected
        .and_then(|id| context.snapshot.finding(id));
    editor_panel(
        ui,
        "finding_editor",
        selected,
        t(context.lang, "findings.pick_one"),
        |ui, item| editor_ui(ui, context, item, state, out),
    );
}

fn list_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut FindingsState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    section_ui(ui, t(lang, "page.findings"));
    if ui.button(t(lang, "findings.add")).clicked() {
        out.push(Command::AddFinding {
            kind: FindingKind::Deviation,
            finding: FindingFields {
                title: t(lang, "findings.new_title").to_owned(),
                description: String::new(),
            },
            requirement_ids: Vec::new(),
            evidence: Vec::new(),
        });
    }
    ui.horizontal(|ui| {
        let label = ui.label(t(lang, "findings.order"));
        egui::ComboBox::from_id_salt("finding_order")
            .selected_text(t(lang, state.order.key()))
            .show_ui(ui, |ui| {
                for order in FindingOrder::ALL {
                    ui.selectable_value(&mut state.order, order, t(lang, order.key()));
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.separator();
    if snapshot.findings.is_empty() {
        ui.weak(t(lang, "findings.none"));
        return;
    }
    // Each requirement's area's place, looked up once a frame rather than once a comparison.
    let areas: std::collections::HashMap<_, usize> = snapshot
        .requirements
        .iter()
        .filter_map(|r| {
            let position = snapshot.areas.iter().position(|a| a.code == r.area_code)?;
            Some((r.id, position))
        })
        .collect();
    let area_position = |finding: &Finding| {
        finding
            .requirement_ids
            .first()
            .and_then(|id| areas.get(id).copied())
            .unwrap_or(usize::MAX)
    };
    let sources = &context.derived.source_counts;
    let mut rows: Vec<(&Finding, usize)> = snapshot
        .findings
        .iter()
        .map(|f| (f, sources.get(&f.id).copied().unwrap_or(0)))
        .collect();
    match state.order {
        FindingOrder::Area => rows.sort_by_key(|(f, _)| (area_position(f), f.kind, f.id)),
        FindingOrder::Kind => rows.sort_by_key(|(f, _)| (f.kind, area_position(f), f.id)),
        FindingOrder::Sources => rows.sort_by_key(|(f, sources)| (*sources, f.kind, f.id)),
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|(finding, sources)| {
            let mut line = format!(
                "{} · {} · {}",
                finding.kind.label(lang),
                requirement_codes(snapshot, &finding.requirement_ids),
                finding.fields.title,
            );
            // The weak spot shows in the list itself, not only in the editor.
            if *sources < 2 && finding.kind != FindingKind::MeetsRequirement {
                line = format!(
                    "{line} ({})",
                    tn(lang, "findings.evidence_count", *sources, &[])
                );
            }
            line
        })
        .collect();
    if state.selected.is_none() {
        state.selected = rows.first().map(|(f, _)| f.id);
    }
    let selected = rows.iter().position(|(f, _)| Some(f.id) == state.selected);
    if let Some(index) = row_list(ui, "finding_list_rows", &lines, selected) {
        state.selected = Some(rows[index].0.id);
    }
}

fn editor_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    finding: &Finding,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    let id = finding.id;
    ui.horizontal(|ui| {
        ui.heading(shorten(&finding.fields.title, 90));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(t(lang, "history.show")).clicked() {
                state.requests.push(Request::History {
                    target: id.to_string(),
                    title: finding.fields.title.clone(),
                });
            }
            if ui.button(t(lang, "findings.delete")).clicked() {
                out.push(Command::DeleteFinding { finding_id: id });
            }
        });
    });
    if let Some(code) = &finding.fidelity_item {
        // Made from a fidelity item's recommendation: say which, by its code and title.
        let title = snapshot
            .fidelity
            .as_ref()
            .and_then(|review| review.items.iter().find(|i| &i.code == code))
            .map_or_else(
                || code.clone(),
                |item| format!("{} {}", item.code, item.title),
            );
        ui.weak(crate::i18n::tf(
            lang,
            "findings.from_fidelity",
            &[("item", &title)],
        ));
    }
    ui.add_space(6.0);
    egui::Grid::new(("finding_fields", id))
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t(lang, "findings.kind"));
            let mut kind = finding.kind;
            if enum_combo(ui, &label, lang, &mut kind, &FindingKind::ALL) {
                out.push(Command::SetFindingKind {
                    finding_id: id,
                    kind,
                });
            }
            ui.end_row();

            let label = ui.label(t(lang, "findings.title"));
            let description = finding.fields.description.clone();
            draft_text(
                ui,
                &mut state.drafts,
                ui.make_persistent_id(("finding_title", id)),
                &finding.fields.title,
                TextKind::Single,
                Some(&label),
                |title| Command::UpdateFinding {
                    finding_id: id,
                    finding: FindingFields { title, description },
                },
            );
            ui.end_row();
        });
    ui.add_space(6.0);
    let label = ui.strong(t(lang, "findings.description"));
    let title = finding.fields.title.clone();
    draft_text(
        ui,
        &mut state.drafts,
        ui.make_persistent_id(("finding_description", id)),
        &finding.fields.description,
        TextKind::Multi { rows: 5 },
        Some(&label),
        |description| Command::UpdateFinding {
            finding_id: id,
            finding: FindingFields { title, description },
        },
    );

    ui.add_space(10.0);
    requirements_ui(ui, context, finding, &mut state.findings, out);
    ui.add_space(10.0);
    evidence_ui(ui, snapshot, lang, finding, out);
    ui.add_space(10.0);
    response_ui(ui, lang, finding, state, out);
}

/// The provider's response to the finding in the draft (tilsvar): agrees, corrects a fact or
/// disagrees, their text, and whether the finding was changed because of it.
fn response_ui(
    ui: &mut egui::Ui,
    lang: crate::i18n::Lang,
    finding: &Finding,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    use crate::domain::{ProviderResponse, ResponseStance};
    use crate::i18n::Labelled;

    let id = finding.id;
    let set = |response: Option<ProviderResponse>| Command::SetFindingResponse {
        finding_id: id,
        response,
    };
    ui.strong(t(lang, "findings.response"));
    ui.weak(t(lang, "findings.response_hint"));
    let stored = finding.response.clone();
    ui.horizontal(|ui| {
        let label = ui.label(t(lang, "findings.response_stance"));
        let mut stance = stored.as_ref().map(|r| r.stance);
        let shown = stance.map_or_else(|| t(lang, "response.none").into(), |s| s.label(lang));
        egui::ComboBox::from_id_salt(("finding_response", id))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut stance, None, t(lang, "response.none"));
                for option in ResponseStance::ALL {
                    ui.selectable_value(&mut stance, Some(option), option.label(lang));
                }
            })
            .response
            .labelled_by(label.id);
        if stance != stored.as_ref().map(|r| r.stance) {
            out.push(set(stance.map(|stance| ProviderResponse {
                stance,
                ..stored.clone().unwrap_or(ProviderResponse {
                    stance,
                    text: String::new(),
                    changed: false,
                })
            })));
        }
        if let Some(response) = &stored {
            let mut changed = response.changed;
            if ui
                .checkbox(&mut changed, t(lang, "findings.response_changed"))
                .changed()
            {
                out.push(set(Some(ProviderResponse {
                    changed,
                    ..response.clone()
                })));
            }
        }
    });
    if let Some(response) = stored {
        let label = ui.label(t(lang, "findings.response_text"));
        draft_text(
            ui,
            &mut state.drafts,
            ui.make_persistent_id(("finding_response_text", id)),
            &response.text,
            TextKind::Multi { rows: 3 },
            Some(&label),
            |text| set(Some(ProviderResponse { text, ..response })),
        );
    }
}

fn requirements_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    finding: &Finding,
    state: &mut FindingsState,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let snapshot = context.snapshot;
    ui.strong(t(lang, "findings.requirements"));
    for requirement_id in &finding.requirement_ids {
        let Some(requirement) = snapshot.requirement(*requirement_id) else {
            continue;
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{} {}", requirement.code, requirement.title));
            let remove = t(lang, "findings.remove_requirement");
            if ui
                .small_button("×")
                .accessible_name(format!("{remove}: {}", requirement.code))
                .on_hover_text(remove)
                .clicked()
            {
                out.push(Command::SetFindingRequirements {
                    finding_id: finding.id,
                    requirement_ids: finding
                        .requirement_ids
                        .iter()
                        .copied()
                        .filter(|id| id != requirement_id)
                        .collect(),
                });
            }
        });
    }
    ui.horizontal(|ui| {
        let label = ui.label(t(lang, "findings.add_requirement"));
        if requirement_combo(
            ui,
            ("finding_add_requirement", finding.id),
            &label,
            snapshot,
            lang,
            &mut state.add_requirement,
        ) && let Some(added) = state.add_requirement.take()
            && !finding.requirement_ids.contains(&added)
        {
            let mut requirement_ids = finding.requirement_ids.clone();
            requirement_ids.push(added);
            out.push(Command::SetFindingRequirements {
                finding_id: finding.id,
                requirement_ids,
            });
        }
    });
}

fn evidence_ui(
    ui: &mut egui::Ui,
    snapshot: &CaseSnapshot,
    lang: Lang,
    finding: &Finding,
    out: &mut Vec<Command>,
) {
    let sources = snapshot.source_count(finding);
    ui.horizontal(|ui| {
        ui.strong(t(lang, "findings.evidence"));
        let text = tn(lang, "findings.evidence_count", sources, &[]);
        if sources < 2 {
            ui.colored_label(ui.visuals().warn_fg_color, text)
                .on_hover_text(t(lang, "findings.single_source_hint"));
        } else {
            ui.weak(text);
        }
    });
    if finding.evidence.is_empty() {
        ui.weak(t(lang, "findings.no_evidence"));
    }
    for evidence in &finding.evidence {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width().min(900.0));
            ui.horizontal_wrapped(|ui| {
                let reference = evidence_reference(snapshot, *evidence, lang, Quote::Always);
                ui.label(&reference);
                let remove = t(lang, "findings.remove_evidence");
                if ui
                    .small_button("×")
                    .accessible_name(format!("{remove}: {reference}"))
                    .on_hover_text(remove)
                    .clicked()
                {
                    out.push(Command::UnlinkEvidence {
                        finding_id: finding.id,
                        evidence: *evidence,
                    });
                }
            });
        });
    }
    ui.add_space(4.0);
    let label = ui.label(t(lang, "findings.add_evidence"));
    let picked = evidence_picker(
        ui,
        snapshot,
        lang,
        ("finding_add_evidence", finding.id),
        &finding.evidence,
        &label,
    );
    if let Some(evidence) = picked {
        out.push(Command::LinkEvidence {
            finding_id: finding.id,
            evidence,
        });
    }
}
