//! *Rapporten*: the report's versions as sent, on the meeting page where the final report is
//! presented. *Send utkast til kommentar…* keeps a draft (with the day the provider's comments
//! are due), *Ferdigstill rapport…* the final report; each kept version can be saved again as it
//! was sent. The rendering, keeping and saving are the app's (`Request::KeepReportVersion`).

use super::widgets::section_ui;
use super::{PageContext, PageState, Request};
use crate::domain::report_version::check_may_keep;
use crate::domain::{ReportKind, ReportVersion};
use crate::i18n::{Lang, date, t, tf};

#[derive(Default)]
pub struct ReportVersionsState {
    /// The answer-by day chosen for the next draft; two weeks from today until changed.
    pub answer_by: Option<jiff::civil::Date>,
}

pub fn report_versions_ui(ui: &mut egui::Ui, context: &PageContext<'_>, state: &mut PageState) {
    let lang = context.lang;
    let versions = &context.snapshot.report_versions;
    section_ui(ui, t(lang, "report_versions.title"));
    ui.weak(t(lang, "report_versions.intro"));
    ui.add_space(4.0);
    if versions.is_empty() {
        ui.label(t(lang, "report_versions.none"));
    }
    for version in versions {
        version_row(ui, lang, version, state);
    }
    ui.add_space(6.0);
    if let Some(last) = versions.iter().find(|v| v.kind == ReportKind::Final) {
        ui.label(tf(
            lang,
            "report_versions.final_done",
            &[("date", &date(lang, Some(last.made_on)))],
        ));
        return;
    }
    if !versions.is_empty() {
        let changes = crate::export::report::change_lines(context.snapshot, lang);
        if changes.is_empty() {
            ui.weak(t(lang, "report_versions.no_changes"));
        } else {
            ui.label(t(lang, "report.changes"));
            for change in changes {
                ui.label(format!("• {change}"));
            }
        }
        ui.add_space(4.0);
    }
    let answer_by = *state
        .report_versions
        .answer_by
        .get_or_insert_with(|| crate::domain::report_version::default_answer_by(context.today));
    ui.horizontal_wrapped(|ui| {
        let name = t(lang, "report_versions.answer_by");
        ui.label(name);
        let mut picked = answer_by;
        ui.add(
            egui_extras::DatePickerButton::new(&mut picked)
                .id_salt("report_answer_by")
                .format(crate::i18n::date_format(lang))
                .show_icon(false),
        )
        .accessible_name(format!("{name}: {}", date(lang, Some(answer_by))));
        if picked != answer_by {
            state.report_versions.answer_by = Some(picked.max(context.today));
        }
        if ui
            .add_enabled(
                !context.provider_mode(),
                egui::Button::new(t(lang, "report_versions.send_draft")),
            )
            .clicked()
        {
            state.requests.push(Request::KeepReportVersion {
                kind: ReportKind::Draft,
                answer_by: Some(answer_by),
            });
        }
        let may_finish = check_may_keep(versions, ReportKind::Final).is_ok();
        let finish = ui.add_enabled(
            may_finish && !context.provider_mode(),
            egui::Button::new(t(lang, "report_versions.make_final")),
        );
        let finish = if may_finish {
            finish
        } else {
            finish.on_disabled_hover_text(t(lang, "rejection.report_no_draft"))
        };
        if finish.clicked() {
            state.requests.push(Request::KeepReportVersion {
                kind: ReportKind::Final,
                answer_by: None,
            });
        }
    });
    // The provider's response to the draft comes back in a workbook, or is typed on Funn.
    if !context.provider_mode() && versions.iter().any(|v| v.kind == ReportKind::Draft) {
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, "responses.row"));
            if ui.button(t(lang, "responses.export")).clicked() {
                state.requests.push(Request::ExportResponseWorkbook);
            }
            if ui.button(t(lang, "responses.import")).clicked() {
                state.requests.push(Request::ImportResponses);
            }
        });
    }
}

fn version_row(ui: &mut egui::Ui, lang: Lang, version: &ReportVersion, state: &mut PageState) {
    ui.horizontal_wrapped(|ui| {
        let kind = t(
            lang,
            &format!("report_versions.kind.{}", version.kind.code()),
        )
        .to_owned();
        let mut line = tf(
            lang,
            "report_versions.line",
            &[
                ("number", &version.number),
                ("kind", &kind),
                ("date", &date(lang, Some(version.made_on))),
            ],
        );
        // Who kept it, when the journal knew a name.
        if !version.made_by.trim().is_empty() {
            line.push_str(", ");
            line.push_str(&version.made_by);
        }
        if let Some(day) = version.answer_by {
            line.push_str(" · ");
            line.push_str(&tf(
                lang,
                "report_versions.answer_by_line",
                &[("date", &date(lang, Some(day)))],
            ));
        }
        ui.label(line);
        ui.weak(format!(
            "{} · {}",
            version.file_name,
            short_hash(&version.sha256)
        ))
        .on_hover_text(format!("SHA-256 {}", version.sha256));
        let save = t(lang, "report_versions.save_copy");
        if ui
            .button(save)
            .accessible_name(format!("{save}: {} {}", kind, version.number))
            .clicked()
        {
            state
                .requests
                .push(Request::SaveReportVersion(version.number));
        }
    });
}

/// The first 12 hex digits: enough to compare by eye with `evalbench versions`.
fn short_hash(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}
