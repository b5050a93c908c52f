//! The notice letter to the provider (varsel om kvalitetsevaluering): the evaluation's purpose,
//! period and requirement areas, the documents to send and the interviews planned by role — no
//! names. Laid out as PDF (Typst, `assets/report/notice.typ`) and DOCX, like the reports.

use serde::Serialize;

use crate::domain::CaseSnapshot;
use crate::i18n::{Labelled, Lang, date, t, tf, tn};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoticeLetter {
    pub lang: &'static str,
    pub title: String,
    pub provider: String,
    /// "Org.nr. 921 734 581", or empty.
    pub org_number: String,
    pub sender: String,
    pub date: String,
    pub intro: String,
    pub purpose_heading: String,
    pub purpose: String,
    pub period_heading: String,
    pub period: String,
    pub areas_heading: String,
    pub areas: Vec<String>,
    pub documents_heading: String,
    pub documents_intro: String,
    pub documents: Vec<String>,
    pub interviews_heading: String,
    pub interviews_intro: String,
    /// (role, "2 intervjuer").
    pub interviews: Vec<(String, String)>,
    pub privacy: String,
    pub greeting: String,
    pub evaluators: String,
    pub page: String,
}

impl NoticeLetter {
    /// The letter for the case as it is. With no documents requested yet, the catalog's
    /// document sources are asked for; with no interviews planned, the letter names the
    /// groups that will be interviewed.
    pub fn new(snapshot: &CaseSnapshot, lang: Lang, today: jiff::civil::Date) -> NoticeLetter {
        let facts = &snapshot.facts;
        let measure = facts.measure.label(lang).into_owned();
        let documents: Vec<String> = if snapshot.requested_documents.is_empty() {
            crate::domain::notice::document_sources(&snapshot.requirements)
        } else {
            snapshot
                .requested_documents
                .iter()
                .map(|d| d.title.clone())
                .collect()
        };
        let programme = &snapshot.programme;
        let interviews: Vec<(String, String)> = programme
            .role_ids()
            .filter_map(|role| {
                let count = *snapshot.planned_interviews.get(role)?;
                Some((
                    programme.role_name(role, lang.code()),
                    tn(lang, "notice.interview_count", count as usize, &[]),
                ))
            })
            .collect();
        let mut period = tf(
            lang,
            "notice.period_text",
            &[
                ("from", &date(lang, facts.period_start)),
                ("to", &date(lang, facts.period_end)),
            ],
        );
        if let Some(meeting) = snapshot.key_dates.feedback_meeting {
            period.push(' ');
            period.push_str(&tf(
                lang,
                "notice.meeting_text",
                &[("date", &date(lang, Some(meeting)))],
            ));
        }
        let catalog = snapshot
            .catalog
            .as_ref()
            .map(|c| c.title.clone())
            .unwrap_or_default();
        NoticeLetter {
            lang: lang.code(),
            title: tf(lang, "notice.title", &[("measure", &measure)]),
            provider: facts.provider_name.clone(),
            org_number: facts
                .org_number
                .as_ref()
                .map(|o| tf(lang, "notice.org_number", &[("number", &o.grouped())]))
                .unwrap_or_default(),
            sender: facts.nav_unit.clone(),
            date: date(lang, Some(today)),
            intro: tf(
                lang,
                "notice.intro",
                &[
                    ("unit", &facts.nav_unit),
                    ("measure", &measure),
                    ("provider", &facts.provider_name),
                ],
            ),
            purpose_heading: t(lang, "notice.purpose_heading").to_owned(),
            purpose: if catalog.is_empty() {
                t(lang, "notice.purpose").to_owned()
            } else {
                tf(lang, "notice.purpose_catalog", &[("catalog", &catalog)])
            },
            period_heading: t(lang, "notice.period_heading").to_owned(),
            period,
            areas_heading: t(lang, "notice.areas_heading").to_owned(),
            areas: snapshot.areas.iter().map(|a| a.title.clone()).collect(),
            documents_heading: t(lang, "notice.documents_heading").to_owned(),
            documents_intro: t(lang, "notice.documents_intro").to_owned(),
            documents,
            interviews_heading: t(lang, "notice.interviews_heading").to_owned(),
            interviews_intro: if interviews.is_empty() {
                let sides: Vec<String> = programme
                    .source_groups
                    .iter()
                    .map(|g| crate::i18n::in_sentence(&programme.group_name(&g.id, lang.code())))
                    .collect();
                tf(
                    lang,
                    "notice.interviews_unplanned",
                    &[("sides", &crate::i18n::listed(lang, &sides))],
                )
            } else {
                t(lang, "notice.interviews_intro").to_owned()
            },
            interviews,
            privacy: t(lang, "notice.privacy").to_owned(),
            greeting: t(lang, "notice.greeting").to_owned(),
            evaluators: snapshot.evaluators.join(", "),
            page: t(lang, "report.page").to_owned(),
        }
    }
}
