//! Krav: the case's catalog grouped by area; per requirement its text, the evidence linked to it
//! (with the role of each source) and its findings, each a link to where it is edited.

use super::interviews::shorten;
use super::widgets::{section_ui, stance_color};
use super::{Focus, PageContext, PageState, Request};
use crate::command::Command;
use crate::domain::Requirement;
use crate::i18n::{Labelled, date, in_sentence, t, tf};

pub fn requirements_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    state: &mut PageState,
    _out: &mut Vec<Command>,
) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.requirements"));
    match &snapshot.catalog {
        Some(catalog) => {
            ui.horizontal_wrapped(|ui| {
                ui.weak(format!("{} · {}", catalog.title, catalog.version));
                let newer = context
                    .catalogs
                    .iter()
                    .filter(|c| c.id == catalog.id && c.version > catalog.version)
                    .map(|c| c.version.as_str())
                    .max();
                if let Some(newer) = newer
                    && ui
                        .button(tf(
                            lang,
                            "requirements.update_catalog",
                            &[("version", &newer)],
                        ))
                        .clicked()
                {
                    state.requests.push(Request::ReviewCatalogUpdate);
                }
            });
            let self_evaluation = snapshot.facts.self_evaluation;
            if self_evaluation {
                ui.weak(t(lang, "report.title_self_evaluation"));
            }
        }
        None => {
            ui.weak(t(lang, "requirements.no_catalog"));
        }
    }
    for area in &snapshot.areas {
        egui::CollapsingHeader::new(format!("{} — {}", area.code, area.title))
            .id_salt(("area", &area.code))
            .default_open(true)
            .show(ui, |ui| {
                for requirement in snapshot
                    .requirements
                    .iter()
                    .filter(|r| r.area_code == area.code)
                {
                    // Only what is in view is laid out (each requirement sifts all evidence).
                    let id = egui::Id::unique(("requirement_block", requirement.id.0));
                    super::widgets::lazy_block(ui, id, false, |ui| {
                        requirement_ui(ui, context, requirement, state);
                    });
                }
            });
    }
}

fn requirement_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    requirement: &Requirement,
    state: &mut PageState,
) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    let excerpts: Vec<_> = snapshot
        .interviews
        .iter()
        .flat_map(|i| i.excerpts.iter().map(move |e| (i, e)))
        .filter_map(|(i, e)| {
            e.links
                .iter()
                .find(|l| l.requirement_id == requirement.id)
                .map(|l| (i, e, l.stance))
        })
        .collect();
    let documents: Vec<_> = snapshot
        .document_reviews
        .iter()
        .filter_map(|d| {
            d.links
                .iter()
                .find(|l| l.requirement_id == requirement.id)
                .map(|l| (d, l.stance))
        })
        .collect();
    let findings: Vec<_> = snapshot
        .findings
        .iter()
        .filter(|f| f.requirement_ids.contains(&requirement.id))
        .collect();
    let counts = tf(
        lang,
        "requirements.evidence_counts",
        &[
            ("excerpts", &excerpts.len()),
            ("documents", &documents.len()),
            ("findings", &findings.len()),
        ],
    );
    let header = egui::CollapsingHeader::new(format!(
        "{} {} — {}",
        requirement.code, requirement.title, counts
    ))
    .id_salt(("requirement", requirement.id));
    header.show(ui, |ui| {
        ui.add(egui::Label::new(&requirement.text).wrap());
        if !requirement.guidance.is_empty() {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "{}: {}",
                        t(lang, "requirements.guidance"),
                        requirement.guidance
                    ))
                    .weak()
                    .italics(),
                )
                .wrap(),
            );
        }
        if !requirement.evidence_sources.is_empty() {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "{}: {}",
                        t(lang, "requirements.evidence_sources"),
                        requirement.evidence_sources.join(", ")
                    ))
                    .weak(),
                )
                .wrap(),
            );
        }
        if !requirement.questions.is_empty() {
            egui::CollapsingHeader::new(tf(
                lang,
                "requirements.questions",
                &[("count", &requirement.questions.len())],
            ))
            .id_salt(("requirement_questions", requirement.id))
            .show(ui, |ui| {
                for question in &requirement.questions {
                    let roles: Vec<String> = question
                        .roles
                        .iter()
                        .map(|r| snapshot.programme.role_name(r, lang.code()))
                        .collect();
                    ui.add(
                        egui::Label::new(format!("• {} ({})", question.text, roles.join(", ")))
                            .wrap(),
                    );
                }
            });
        }
        if excerpts.is_empty() && documents.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                t(lang, "requirements.no_evidence"),
            );
        }
        for (interview, excerpt, stance) in excerpts {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    stance_color(ui.visuals(), stance),
                    in_sentence(&stance.label(lang)),
                );
                ui.label(format!(
                    "{} {} ({}): «{}»",
                    snapshot
                        .programme
                        .role_name(&interview.fields.role, lang.code()),
                    date(lang, Some(interview.fields.date)),
                    snapshot
                        .programme
                        .role(&interview.fields.role)
                        .map(|r| snapshot.programme.group_name(&r.group, lang.code()))
                        .unwrap_or_default(),
                    shorten(&excerpt.quote, 140)
                ));
                if ui.small_button(t(lang, "requirements.show")).clicked() {
                    state.focus = Some(Focus::Excerpt(excerpt.id));
                    state.goto = Some(Focus::Excerpt(excerpt.id).page());
                }
            });
        }
        for (review, stance) in documents {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    stance_color(ui.visuals(), stance),
                    in_sentence(&stance.label(lang)),
                );
                ui.label(format!(
                    "{}: {}",
                    review.fields.kind.label(lang),
                    review.fields.title
                ));
                if ui.small_button(t(lang, "requirements.show")).clicked() {
                    state.focus = Some(Focus::Document(review.id));
                    state.goto = Some(Focus::Document(review.id).page());
                }
            });
        }
        for finding in findings {
            ui.horizontal_wrapped(|ui| {
                ui.strong(finding.kind.label(lang));
                ui.label(&finding.fields.title);
                if ui.small_button(t(lang, "requirements.show")).clicked() {
                    state.focus = Some(Focus::Finding(finding.id));
                    state.goto = Some(Focus::Finding(finding.id).page());
                }
            });
        }
        ui.add_space(4.0);
    });
}
