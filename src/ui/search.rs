//! How search hits are shown and where they lead.

use super::Focus;
use crate::domain::{ActionId, CaseSnapshot, DocumentReviewId, ExcerptId, FindingId, InterviewId};
use crate::i18n::{Lang, t};
use crate::store::{Field, HIT_END, HIT_START, SearchHit};

/// Where a hit is shown, if the entity still exists.
pub fn search_focus(snapshot: &CaseSnapshot, hit: &SearchHit) -> Option<Focus> {
    let id = hit.entity_id;
    let focus = match hit.field {
        Field::InterviewNotes => Focus::Interview(InterviewId(id)),
        Field::ExcerptQuote => Focus::Excerpt(ExcerptId(id)),
        Field::FindingTitle | Field::FindingDescription => Focus::Finding(FindingId(id)),
        Field::ActionDescription | Field::ActionClosureEvidence | Field::ActionNavComment => {
            Focus::Action(ActionId(id))
        }
        Field::DocumentTitle | Field::DocumentAssessment => Focus::Document(DocumentReviewId(id)),
    };
    let exists = match focus {
        Focus::Interview(id) => snapshot.interview(id).is_some(),
        Focus::Excerpt(id) => snapshot.excerpt(id).is_some(),
        Focus::Finding(id) => snapshot.finding(id).is_some(),
        Focus::Action(id) => snapshot.actions.iter().any(|a| a.id == id),
        Focus::Document(id) => snapshot.document_reviews.iter().any(|d| d.id == id),
    };
    exists.then_some(focus)
}

fn field_key(field: Field) -> &'static str {
    match field {
        Field::InterviewNotes => "search.field.interview_notes",
        Field::ExcerptQuote => "search.field.excerpt",
        Field::FindingTitle => "search.field.finding_title",
        Field::FindingDescription => "search.field.finding_description",
        Field::ActionDescription => "search.field.action",
        Field::ActionClosureEvidence => "search.field.closure_evidence",
        Field::ActionNavComment => "search.field.nav_comment",
        Field::DocumentTitle => "search.field.document_title",
        Field::DocumentAssessment => "search.field.document_assessment",
    }
}

/// "Notater: … kommer ofte for **sent** …" with the matched words marked.
pub fn hit_text(hit: &SearchHit, lang: Lang, style: &egui::Style) -> egui::text::LayoutJob {
    let body = egui::TextStyle::Body.resolve(style);
    let plain = egui::TextFormat {
        font_id: body.clone(),
        color: style.visuals.text_color(),
        ..Default::default()
    };
    let weak = egui::TextFormat {
        color: style.visuals.weak_text_color(),
        ..plain.clone()
    };
    let marked = egui::TextFormat {
        background: style.visuals.selection.bg_fill,
        color: style.visuals.strong_text_color(),
        ..plain.clone()
    };
    let mut job = egui::text::LayoutJob::default();
    job.append(&format!("{}: ", t(lang, field_key(hit.field))), 0.0, weak);
    let mut inside = false;
    for (i, part) in hit.snippet.split([HIT_START, HIT_END]).enumerate() {
        // Parts alternate outside/inside a match; a snippet may start inside one.
        if i > 0 {
            inside = !inside;
        }
        let format = if inside { &marked } else { &plain };
        job.append(&part.replace('\n', " "), 0.0, format.clone());
    }
    job.wrap.max_width = f32::INFINITY;
    job
}
