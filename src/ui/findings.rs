//! Funn: the findings with their kind, requirements and evidence.

use super::PageContext;
use super::widgets::{requirement_codes, section_ui};
use crate::domain::FindingKind;
use crate::i18n::{Labelled, t, tf};

pub fn findings_ui(ui: &mut egui::Ui, context: &PageContext<'_>) {
    let snapshot = context.snapshot;
    let lang = context.lang;
    section_ui(ui, t(lang, "page.findings"));
    if snapshot.findings.is_empty() {
        ui.weak(t(lang, "findings.none"));
    }
    for kind in FindingKind::ALL {
        let findings: Vec<_> = snapshot
            .findings
            .iter()
            .filter(|f| f.kind == kind)
            .collect();
        if findings.is_empty() {
            continue;
        }
        ui.add_space(6.0);
        ui.strong(format!("{} ({})", kind.label(lang), findings.len()));
        for finding in findings {
            egui::CollapsingHeader::new(format!(
                "{} · {}",
                requirement_codes(snapshot, &finding.requirement_ids),
                finding.fields.title
            ))
            .id_salt(finding.id)
            .show(ui, |ui| {
                ui.label(&finding.fields.description);
                let sources = finding.evidence.len();
                let text = tf(lang, "findings.evidence_count", &[("count", &sources)]);
                if sources < 2 {
                    ui.colored_label(ui.visuals().warn_fg_color, text);
                } else {
                    ui.weak(text);
                }
            });
        }
    }
}
