//! The demo cases: invented evaluations described in `assets/demo/` with local keys — an AFT
//! evaluation in Norway (`demo-case.json`) and a coached competence-development programme in
//! Sweden (`demo-case-sv.json`) — turned into commands and applied through the store like any
//! other edit.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;

use crate::catalog;
use crate::command::Command;
use crate::domain::interview::find_char_span;
use crate::domain::{
    ActionFields, ActionId, ActionStatus, CaseFacts, DocumentReviewFields, DocumentReviewId,
    EvidenceRef, ExcerptId, FeedbackMeeting, FindingFields, FindingId, FindingKind,
    InterviewFields, InterviewId, KeyDates, Outcome, Phase, Rater, RequirementId, RequirementLink,
    Stance,
};
use crate::store::{CaseStore, StoreError};

mod network;
mod stress;

pub use network::{network_case_year, write_network, write_network_case};

/// The programme a demo case is an evaluation of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DemoProgramme {
    /// AFT at an invented Norwegian provider, in Bokmål.
    #[default]
    Aft,
    /// A coached competence-development programme at an invented Swedish training centre, in
    /// Swedish, under the Swedish catalog.
    SvKompetens,
}

impl DemoProgramme {
    fn json(self) -> &'static str {
        match self {
            DemoProgramme::Aft => include_str!("../assets/demo/demo-case.json"),
            DemoProgramme::SvKompetens => include_str!("../assets/demo/demo-case-sv.json"),
        }
    }
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCase {
    catalog: String,
    facts: CaseFacts,
    phase: Phase,
    key_dates: KeyDates,
    evaluators: Vec<String>,
    notice: DemoNotice,
    interviews: Vec<DemoInterview>,
    document_reviews: Vec<DemoDocument>,
    findings: Vec<DemoFinding>,
    feedback_meeting: FeedbackMeeting,
    actions: Vec<DemoAction>,
    outcomes: Vec<Outcome>,
    fidelity: Option<DemoFidelity>,
    /// The day the story is told from: no status is reached after it.
    #[serde(skip, default = "demo_today")]
    today: Date,
}

fn demo_today() -> Date {
    DEMO_TODAY
}

/// `date` moved by whole `years` (29 February becomes the 28th in a common year).
fn years_later(date: Date, years: i16) -> Date {
    date.checked_add(jiff::Span::new().years(years))
        .unwrap_or(date)
}

impl DemoCase {
    /// The same case told `years` later (or earlier, when negative): every date in it — the
    /// evaluation period, the key dates, interviews, documents, the feedback meeting, the
    /// actions' due dates, the outcome years and "today" of the status story — moves together.
    fn shifted(mut self, years: i16) -> DemoCase {
        if years == 0 {
            return self;
        }
        let shift = |date: Option<Date>| date.map(|d| years_later(d, years));
        self.facts.period_start = shift(self.facts.period_start);
        self.facts.period_end = shift(self.facts.period_end);
        self.key_dates.feedback_meeting = shift(self.key_dates.feedback_meeting);
        self.key_dates.plan_deadline = shift(self.key_dates.plan_deadline);
        for interview in &mut self.interviews {
            interview.fields.date = years_later(interview.fields.date, years);
        }
        for document in &mut self.document_reviews {
            document.fields.document_date = shift(document.fields.document_date);
        }
        self.feedback_meeting.date = shift(self.feedback_meeting.date);
        for action in &mut self.actions {
            action.fields.due_date = shift(action.fields.due_date);
        }
        for outcome in &mut self.outcomes {
            outcome.year += i32::from(years);
        }
        self.today = years_later(self.today, years);
        self
    }
}

/// A complete fidelity review: both evaluators' scores and the consensus for every item.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFidelity {
    catalog: String,
    scores: Vec<DemoFidelityScore>,
    /// The days the first and the second evaluator delivered their scores.
    #[serde(default)]
    delivered: Vec<Date>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFidelityScore {
    item: String,
    first: u8,
    second: u8,
    consensus: u8,
    rationale: String,
    evidence: Vec<String>,
    /// What the evaluators recommend for the item, if anything.
    #[serde(default)]
    recommendation: String,
}

#[derive(Clone, Deserialize)]
struct DemoInterview {
    #[allow(dead_code)] // documents the file; interviews are not referred to by key
    key: String,
    #[serde(flatten)]
    fields: InterviewFields,
    notes: String,
    excerpts: Vec<DemoExcerpt>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoExcerpt {
    key: String,
    quote: String,
    links: Vec<DemoLink>,
    shareable: bool,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoLink {
    requirement: String,
    stance: Stance,
}

#[derive(Clone, Deserialize)]
struct DemoDocument {
    key: String,
    #[serde(flatten)]
    fields: DocumentReviewFields,
    links: Vec<DemoLink>,
    /// Holds participants' personal data (its file goes with *Slett personopplysninger*).
    #[serde(default)]
    personal: bool,
}

/// The notice sent before the evaluation: every reviewed document was asked for in it (and
/// came in on `received_on`), with a few more that never came; the interviews planned by role.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoNotice {
    received_on: jiff::civil::Date,
    also_requested: Vec<String>,
    planned_interviews: crate::domain::PlannedInterviews,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFinding {
    key: String,
    kind: FindingKind,
    title: String,
    description: String,
    requirements: Vec<String>,
    evidence: Vec<String>,
}

#[derive(Clone, Deserialize)]
struct DemoAction {
    finding: String,
    #[serde(flatten)]
    fields: ActionFields,
}

/// Why the demo data could not be turned into a case (a defect in `assets/demo`).
fn bad_demo(message: String) -> StoreError {
    StoreError::Damaged {
        path: "assets/demo".into(),
        detail: message,
    }
}

/// Writes the demo case to `path` (which must not exist).
pub fn write_demo(path: &Path) -> Result<(), StoreError> {
    write_demo_scaled(path, 1)
}

/// The demo case `scale` times over, for measuring: each round adds the demo's interviews (with
/// long invented notes when `scale` > 1), excerpts, documents, findings and actions again, plus
/// extra actions. Deterministic: the same `scale` always gives the same case.
pub fn write_demo_scaled(path: &Path, scale: u32) -> Result<(), StoreError> {
    write_demo_as(path, DemoProgramme::Aft, scale, 0)
}

/// The demo case of `programme`, `scale` times over.
pub fn write_programme_demo(
    path: &Path,
    programme: DemoProgramme,
    scale: u32,
) -> Result<(), StoreError> {
    write_demo_as(path, programme, scale, 0)
}

/// The demo case told `years` later than written (earlier when negative): see
/// `DemoCase::shifted`. The network demo uses it to spread its cases over several years.
pub fn write_demo_shifted(path: &Path, years: i16) -> Result<(), StoreError> {
    write_demo_as(path, DemoProgramme::Aft, 1, years)
}

fn write_demo_as(
    path: &Path,
    programme: DemoProgramme,
    scale: u32,
    years: i16,
) -> Result<(), StoreError> {
    let demo: DemoCase =
        serde_json::from_str(programme.json()).map_err(|e| bad_demo(e.to_string()))?;
    let demo = demo.shifted(years);
    let catalog = catalog::builtin_by_file(&demo.catalog).map_err(|e| bad_demo(e.to_string()))?;
    let store = CaseStore::create(path, |store| {
        // The journal names who made each change; in the demo, its invented first evaluator.
        if let Some(evaluator) = demo.evaluators.first() {
            store.set_author(evaluator.clone());
        }
        let requirement_ids = build_header(store, &demo, catalog)?;
        let mut first_round_evidence = HashMap::new();
        for round in 0..scale.max(1) {
            let evidence = build_round(store, demo.clone(), &requirement_ids, round, scale > 1)?;
            if round == 0 {
                first_round_evidence = evidence;
            }
        }
        if let Some(fidelity) = &demo.fidelity {
            build_fidelity(store, fidelity, &first_round_evidence)?;
        }
        store.apply(&Command::SetFeedbackMeeting {
            meeting: demo.feedback_meeting.clone(),
        })?;
        for outcome in &demo.outcomes {
            store.apply(&Command::SetOutcome { outcome: *outcome })?;
        }
        store.apply(&Command::SetPhase { phase: demo.phase })?;
        Ok(())
    })?;
    store.close()
}

/// The date the demo data was written for; tests use it as "today".
pub const DEMO_TODAY: Date = jiff::civil::date(2026, 11, 24);

/// The case facts and the catalog; returns the requirement ids by code.
fn build_header(
    store: &mut CaseStore,
    demo: &DemoCase,
    catalog: catalog::Catalog,
) -> Result<HashMap<String, RequirementId>, StoreError> {
    store.apply(&Command::UpdateCaseFacts {
        facts: demo.facts.clone(),
    })?;
    store.apply(&Command::AdoptCatalog { catalog })?;
    store.apply(&Command::SetEvaluators {
        evaluators: demo.evaluators.clone(),
    })?;
    store.apply(&Command::SetKeyDates {
        key_dates: demo.key_dates,
    })?;
    Ok(store
        .snapshot()?
        .requirements
        .into_iter()
        .map(|r| (r.code, r.id))
        .collect())
}

/// One copy of the demo's interviews, documents, findings and actions.
/// The scale, then the review as it is done: each evaluator scores every item blind and
/// delivers, then the consensus and the recommendations. The evaluators' own scores carry no
/// rationale; the consensus carries the agreed one.
fn build_fidelity(
    store: &mut CaseStore,
    fidelity: &DemoFidelity,
    evidence: &HashMap<String, EvidenceRef>,
) -> Result<(), StoreError> {
    let catalog =
        catalog::builtin_by_file(&fidelity.catalog).map_err(|e| bad_demo(e.to_string()))?;
    store.apply(&Command::AdoptFidelityScale { catalog })?;
    let review = store
        .snapshot()?
        .fidelity
        .ok_or_else(|| bad_demo("the fidelity scale was not adopted".into()))?;
    let mut items = Vec::new();
    for score in &fidelity.scores {
        let item = review
            .items
            .iter()
            .find(|i| i.code == score.item)
            .ok_or_else(|| bad_demo(format!("unknown fidelity item {}", score.item)))?;
        let sources = score
            .evidence
            .iter()
            .map(|key| {
                evidence
                    .get(key)
                    .copied()
                    .ok_or_else(|| bad_demo(format!("unknown evidence key {key}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        items.push((item.id, score, sources));
    }
    for rater in [Rater::First, Rater::Second, Rater::Consensus] {
        for (item_id, score, sources) in &items {
            let (value, rationale, evidence) = match rater {
                Rater::First => (score.first, "", Vec::new()),
                Rater::Second => (score.second, "", Vec::new()),
                Rater::Consensus => (score.consensus, score.rationale.as_str(), sources.clone()),
            };
            store.apply(&Command::SetFidelityScore {
                item_id: *item_id,
                rater,
                score: value,
                rationale: rationale.to_owned(),
                evidence,
            })?;
        }
        if rater != Rater::Consensus {
            let day = fidelity.delivered.get(usize::from(rater == Rater::Second));
            store.set_record_day(day.copied());
            store.apply(&Command::SealFidelityScores { rater })?;
            store.set_record_day(None);
        }
    }
    for (item_id, score, _) in &items {
        if !score.recommendation.is_empty() {
            store.apply(&Command::SetFidelityRecommendation {
                item_id: *item_id,
                recommendation: score.recommendation.clone(),
            })?;
        }
    }
    Ok(())
}

/// One copy of the demo's interviews, documents, findings and actions; returns the evidence by
/// the demo file's keys.
fn build_round(
    store: &mut CaseStore,
    demo: DemoCase,
    requirement_ids: &HashMap<String, RequirementId>,
    round: u32,
    long_notes: bool,
) -> Result<HashMap<String, EvidenceRef>, StoreError> {
    let requirement = |code: &str| {
        requirement_ids
            .get(code)
            .copied()
            .ok_or_else(|| bad_demo(format!("unknown requirement code {code}")))
    };
    let links = |links: &[DemoLink]| -> Result<Vec<RequirementLink>, StoreError> {
        links
            .iter()
            .map(|l| {
                Ok(RequirementLink {
                    requirement_id: requirement(&l.requirement)?,
                    stance: l.stance,
                })
            })
            .collect()
    };

    let mut evidence: HashMap<String, EvidenceRef> = HashMap::new();
    for (index, interview) in demo.interviews.into_iter().enumerate() {
        let notes = if long_notes {
            format!(
                "{}\n\n{}",
                interview.notes,
                stress::filler(
                    u64::from(round) * 1000 + index as u64,
                    stress::WORDS_PER_INTERVIEW
                )
            )
        } else {
            interview.notes.clone()
        };
        let applied = store.apply(&Command::AddInterview {
            interview: interview.fields,
            notes: notes.clone(),
        })?;
        let interview_id = InterviewId(created(&applied)?);
        if long_notes {
            // Excerpts cut from the invented notes too, as an evaluator marks evidence as she reads.
            let mut codes: Vec<&String> = requirement_ids.keys().collect();
            codes.sort();
            for (n, (start_char, end_char)) in
                stress::sentence_spans(&notes, interview.notes.chars().count())
                    .into_iter()
                    .step_by(stress::SENTENCES_PER_EXCERPT)
                    .enumerate()
            {
                let code = codes[(index + n * 7) % codes.len().max(1)];
                store.apply(&Command::AddExcerpt {
                    interview_id,
                    start_char,
                    end_char,
                    links: vec![RequirementLink {
                        requirement_id: requirement(code)?,
                        stance: if n % 3 == 0 {
                            Stance::Contradicts
                        } else {
                            Stance::Supports
                        },
                    }],
                    shareable: false,
                })?;
            }
        }
        for excerpt in interview.excerpts {
            let (start_char, end_char) = find_char_span(&interview.notes, &excerpt.quote)
                .ok_or_else(|| {
                    bad_demo(format!(
                        "excerpt {} is not in its interview's notes",
                        excerpt.key
                    ))
                })?;
            let applied = store.apply(&Command::AddExcerpt {
                interview_id,
                start_char,
                end_char,
                links: links(&excerpt.links)?,
                shareable: excerpt.shareable,
            })?;
            evidence.insert(
                excerpt.key,
                EvidenceRef::Excerpt(ExcerptId(created(&applied)?)),
            );
        }
    }
    // The notice is sent once; later rounds (a scaled case) add their reviews directly.
    let requested = if round == 0 {
        for (role, count) in &demo.notice.planned_interviews {
            store.apply(&Command::SetPlannedInterviews {
                role: role.clone(),
                count: *count,
            })?;
        }
        store.apply(&Command::RequestDocuments {
            titles: demo
                .document_reviews
                .iter()
                .map(|d| d.fields.title.clone())
                .chain(demo.notice.also_requested.iter().cloned())
                .collect(),
        })?;
        store.snapshot()?.requested_documents
    } else {
        Vec::new()
    };
    for document in demo.document_reviews {
        // Each review is started from the document the notice asked for, as it came in.
        let asked = requested.iter().find(|r| r.title == document.fields.title);
        let applied = match asked {
            Some(asked) => {
                let applied = store.apply(&Command::StartReviewFromRequest {
                    requested_document_id: asked.id,
                    kind: document.fields.kind,
                })?;
                store.apply(&Command::SetDocumentReceived {
                    requested_document_id: asked.id,
                    received_on: Some(demo.notice.received_on),
                })?;
                applied
            }
            None => store.apply(&Command::AddDocumentReview {
                review: document.fields.clone(),
            })?,
        };
        let document_review_id = DocumentReviewId(created(&applied)?);
        store.apply(&Command::UpdateDocumentReview {
            document_review_id,
            review: document.fields,
        })?;
        if document.personal {
            store.apply(&Command::SetDocumentPersonal {
                document_review_id,
                personal: true,
            })?;
        }
        for link in links(&document.links)? {
            store.apply(&Command::LinkDocument {
                document_review_id,
                link,
            })?;
        }
        evidence.insert(
            document.key,
            EvidenceRef::DocumentReview(document_review_id),
        );
    }

    let mut findings: HashMap<String, FindingId> = HashMap::new();
    let mut deviations: Vec<FindingId> = Vec::new();
    for finding in demo.findings {
        let is_deviation = finding.kind == FindingKind::Deviation;
        let requirement_ids = finding
            .requirements
            .iter()
            .map(|code| requirement(code))
            .collect::<Result<Vec<_>, _>>()?;
        let sources = finding
            .evidence
            .iter()
            .map(|key| {
                evidence
                    .get(key)
                    .copied()
                    .ok_or_else(|| bad_demo(format!("unknown evidence key {key}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let applied = store.apply(&Command::AddFinding {
            kind: finding.kind,
            finding: FindingFields {
                title: finding.title,
                description: finding.description,
            },
            requirement_ids,
            evidence: sources,
        })?;
        let finding_id = FindingId(created(&applied)?);
        findings.insert(finding.key, finding_id);
        if is_deviation {
            deviations.push(finding_id);
        }
    }

    let key_dates = demo.key_dates;
    let today = demo.today;
    for (n, action) in demo.actions.into_iter().enumerate() {
        let finding_id = findings
            .get(&action.finding)
            .copied()
            .ok_or_else(|| bad_demo(format!("unknown finding key {}", action.finding)))?;
        add_action_with_story(
            store,
            finding_id,
            action.fields,
            (key_dates, today),
            n as u64,
        )?;
    }
    if long_notes {
        // About forty actions a round, as a provider's plan grows over a year of follow-up.
        for n in 0..stress::EXTRA_ACTIONS_PER_ROUND {
            let Some(finding_id) = deviations.get(n % deviations.len().max(1)).copied() else {
                break;
            };
            let seed = u64::from(round) * 100 + n as u64;
            add_action_with_story(
                store,
                finding_id,
                stress::action(seed),
                (key_dates, today),
                seed,
            )?;
        }
    }
    store.set_record_day(None);
    Ok(evidence)
}

/// Adds an action as proposed and moves it, status by status, to the status in `fields`, each
/// step recorded on its day of the demo's story (see `story`).
fn add_action_with_story(
    store: &mut CaseStore,
    finding_id: FindingId,
    fields: ActionFields,
    (key_dates, today): (KeyDates, Date),
    n: u64,
) -> Result<(), StoreError> {
    let steps = story(fields.status, fields.due_date, (key_dates, today), n);
    let mut steps = steps.into_iter();
    let Some((first, day)) = steps.next() else {
        return Ok(());
    };
    store.set_record_day(Some(day));
    let applied = store.apply(&Command::AddAction {
        finding_id,
        action: ActionFields {
            status: first,
            ..fields
        },
    })?;
    let action_id = ActionId(created(&applied)?);
    for (status, day) in steps {
        store.set_record_day(Some(day));
        store.apply(&Command::SetActionStatus { action_id, status })?;
    }
    Ok(())
}

/// The days an action of the demo reached each status up to `last`: proposed in the week or two
/// after the feedback meeting, agreed by the plan deadline, started some weeks later, done by its
/// due date (or a month or so after starting) and verified closed at a follow-up meeting some
/// six weeks after that. Never after `today`; `n` varies the gaps, so the follow-up chart
/// has a shape.
fn story(
    last: ActionStatus,
    due: Option<Date>,
    (key_dates, today): (KeyDates, Date),
    n: u64,
) -> Vec<(ActionStatus, Date)> {
    let meeting = key_dates
        .feedback_meeting
        .unwrap_or(jiff::civil::date(2026, 3, 5));
    let deadline = key_dates
        .plan_deadline
        .unwrap_or(jiff::civil::date(2026, 4, 15));
    let days = |from: Date, count: u64| {
        from.checked_add(jiff::Span::new().days(count as i64))
            .unwrap_or(from)
    };
    let mut steps: Vec<(ActionStatus, Date)> = Vec::new();
    let mut day = meeting;
    for status in ActionStatus::ALL {
        let planned = match status {
            ActionStatus::Proposed => days(meeting, 3 + n % 9),
            ActionStatus::Agreed => deadline
                .checked_sub(jiff::Span::new().days((n % 4) as i64))
                .unwrap_or(deadline),
            ActionStatus::InProgress => days(deadline, 10 + 7 * (n % 8)),
            ActionStatus::Done => match due {
                Some(due) if due > day => due.min(days(day, 120)),
                _ => days(day, 30 + 5 * (n % 7)),
            },
            // Verified at NAV's next follow-up meeting, some six weeks on.
            ActionStatus::VerifiedClosed => days(day, 42 + 7 * (n % 3)),
        };
        // Each step on or after the one before, and none in the demo's future.
        day = planned.max(day).min(today);
        steps.push((status, day));
        if status == last {
            break;
        }
    }
    steps
}

fn created(applied: &crate::store::Applied) -> Result<i64, StoreError> {
    applied
        .created_id
        .ok_or_else(|| bad_demo(format!("{} created no entity", applied.target)))
}
