//! The status report: the provider's steering document for the deviation-closing plan, one page
//! per deviation with its actions, owners, due dates, status and NAV's comments. Laid out as PDF
//! (Typst, `assets/report/status.typ`) and DOCX like the evaluation report.

use serde::Serialize;

use crate::domain::plan::verified_on;
use crate::domain::{ActionStatus, CaseSnapshot, FindingKind, StatusChange};
use crate::i18n::{Labelled, Lang, date, t, tn};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusReport {
    pub lang: &'static str,
    pub title: String,
    pub provider: String,
    pub evaluators: String,
    pub date: String,
    pub plan_deadline: String,
    pub labels: StatusLabels,
    /// (status, number of actions) over the whole plan.
    pub totals: Vec<(String, usize)>,
    pub overdue: String,
    pub deviations: Vec<DeviationPage>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusLabels {
    pub summary: String,
    pub deviation: String,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub closure_evidence: String,
    pub nav_comment: String,
    pub no_actions: String,
    pub page: String,
    pub plan_deadline: String,
    pub progress: String,
    pub count: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviationPage {
    pub codes: String,
    pub title: String,
    pub description: String,
    /// "2 av 3 tiltak lukket".
    pub progress: String,
    pub actions: Vec<ActionLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionLine {
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
    pub closure_evidence: String,
    pub nav_comment: String,
}

impl StatusReport {
    pub fn new(
        snapshot: &CaseSnapshot,
        changes: &[StatusChange],
        lang: Lang,
        today: jiff::civil::Date,
    ) -> StatusReport {
        let deviations = snapshot
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Deviation)
            .map(|finding| {
                let actions: Vec<_> = snapshot
                    .actions
                    .iter()
                    .filter(|a| a.finding_id == finding.id)
                    .collect();
                let closed = actions
                    .iter()
                    .filter(|a| !a.fields.status.is_open())
                    .count();
                DeviationPage {
                    codes: snapshot.requirement_codes(&finding.requirement_ids),
                    title: finding.fields.title.clone(),
                    description: finding.fields.description.clone(),
                    progress: tn(lang, "plan.progress", actions.len(), &[("closed", &closed)]),
                    actions: actions
                        .iter()
                        .map(|a| {
                            let mut status = a.fields.status.label(lang).into_owned();
                            if let Some(on) = verified_on(changes, a) {
                                status = format!("{status} {}", date(lang, Some(on)));
                            }
                            ActionLine {
                                description: a.fields.description.clone(),
                                owner: a.fields.owner.clone(),
                                due: date(lang, a.fields.due_date),
                                status,
                                overdue: a.fields.is_overdue(today),
                                closure_evidence: a.fields.closure_evidence.clone(),
                                nav_comment: a.fields.nav_comment.clone(),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let overdue = snapshot
            .actions
            .iter()
            .filter(|a| a.fields.is_overdue(today))
            .count();
        StatusReport {
            lang: lang.code(),
            title: t(lang, "status_report.title").to_owned(),
            provider: snapshot.facts.provider_name.clone(),
            evaluators: snapshot.evaluators.join(", "),
            date: date(lang, Some(today)),
            plan_deadline: date(lang, snapshot.key_dates.plan_deadline),
            labels: StatusLabels {
                summary: t(lang, "report.summary").to_owned(),
                deviation: t(lang, "status_report.deviation").to_owned(),
                action: t(lang, "plan.action").to_owned(),
                owner: t(lang, "plan.owner").to_owned(),
                due: t(lang, "plan.due").to_owned(),
                status: t(lang, "plan.status").to_owned(),
                closure_evidence: t(lang, "plan.closure_evidence").to_owned(),
                nav_comment: t(lang, "plan.nav_comment").to_owned(),
                no_actions: t(lang, "plan.no_actions").to_owned(),
                page: t(lang, "report.page").to_owned(),
                plan_deadline: t(lang, "facts.plan_deadline").to_owned(),
                progress: t(lang, "status_report.progress").to_owned(),
                count: t(lang, "report.count").to_owned(),
            },
            totals: ActionStatus::ALL
                .iter()
                .map(|status| {
                    (
                        status.label(lang).into_owned(),
                        snapshot
                            .actions
                            .iter()
                            .filter(|a| a.fields.status == *status)
                            .count(),
                    )
                })
                .collect(),
            overdue: tn(lang, "plan.overdue_count", overdue, &[]),
            deviations,
        }
    }
}
