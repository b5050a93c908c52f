//! The interview guide beside an interview's notes: the catalog's questions for the
//! interviewee's role, ticked off as they are covered.

use super::{PageContext, Request};
use crate::command::Command;
use crate::domain::Interview;
use crate::guide;
use crate::i18n::{t, tf, tn};

pub fn guide_ui(
    ui: &mut egui::Ui,
    context: &PageContext<'_>,
    interview: &Interview,
    requests: &mut Vec<Request>,
    out: &mut Vec<Command>,
) {
    let lang = context.lang;
    let role = interview.fields.role.clone();
    let guide = guide::for_case(context.snapshot, role.clone());
    ui.add_space(6.0);
    ui.heading(tf(
        lang,
        "guide.heading",
        &[("role", &guide.role_name(lang))],
    ));
    let covered = guide
        .questions()
        .filter(|q| {
            q.question
                .is_some_and(|q| interview.covered_questions.contains(&q))
        })
        .count();
    ui.horizontal(|ui| {
        ui.weak(tn(
            lang,
            "guide.covered",
            guide.question_count(),
            &[("covered", &covered)],
        ));
        if ui
            .small_button(t(lang, "guide.export"))
            .on_hover_text(t(lang, "guide.export_hint"))
            .clicked()
        {
            requests.push(Request::ExportGuide(role));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("interview_guide_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if guide.areas.is_empty() {
                ui.weak(t(lang, "guide.none"));
            }
            for area in &guide.areas {
                ui.add_space(4.0);
                ui.strong(&area.title);
                for question in &area.questions {
                    let Some(reference) = question.question else {
                        continue;
                    };
                    let was = interview.covered_questions.contains(&reference);
                    let mut ticked = was;
                    let requirement = context.snapshot.requirement(reference.requirement_id);
                    ui.checkbox(&mut ticked, &question.text).on_hover_text(
                        requirement.map_or_else(String::new, |r| format!("{} {}", r.code, r.title)),
                    );
                    if ticked != was {
                        out.push(Command::SetQuestionCovered {
                            interview_id: interview.id,
                            requirement_id: reference.requirement_id,
                            question: reference.question,
                            covered: ticked,
                        });
                    }
                }
            }
        });
}
