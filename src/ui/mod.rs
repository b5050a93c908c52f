//! The pages of a case. Each page draws from a `PageContext` (a read-only snapshot) and pushes the
//! `Command`s the user asked for; it never touches the store. Functions that draw end in `_ui`.

mod closing;
pub mod coverage;
mod documents;
pub mod drafts;
mod fidelity;
mod findings;
mod followup;
mod guide;
mod interviews;
mod meeting;
pub mod network;
mod notice;
mod outcomes;
mod overview;
mod plan;
mod report_versions;
mod requirements;
mod search;
pub mod widgets;

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::domain::{ActionId, CaseSnapshot, DocumentReviewId, ExcerptId, FindingId, InterviewId};
use crate::i18n::{Labelled, Lang, t};

pub use drafts::Drafts;
pub use search::{hit_text, search_focus};
pub use widgets::enum_combo;

/// What the pages keep between frames: drafts being typed, selections, where to go next.
#[derive(Default)]
pub struct PageState {
    pub drafts: Drafts,
    pub interviews: interviews::InterviewsState,
    pub documents: documents::DocumentsState,
    pub findings: findings::FindingsState,
    pub fidelity: fidelity::FidelityState,
    pub report_versions: report_versions::ReportVersionsState,
    /// Why the case is closed though the plan is not verified closed (*Avslutt saken*).
    pub close_reason: String,
    /// A document title being typed for the notice's list of documents to ask for.
    pub notice_document: String,
    /// What is typed to confirm *Slett personopplysninger*; `Some` while the dialog is open.
    pub deletion_typed: Option<String>,
    /// A page asks to show another page (e.g. the finding it just created).
    pub goto: Option<Page>,
    /// What a search hit points at: its page selects it, scrolls to it and marks it.
    pub focus: Option<Focus>,
    /// What a page needs from outside the case (a file dialog, the OS viewer).
    pub requests: Vec<Request>,
    /// The words of the search that led to `focus`, marked where they occur.
    pub search_words: Vec<String>,
}

/// Work a page cannot do itself: it involves the file system or another program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Pick a file and attach it to this document review.
    AttachFile(DocumentReviewId),
    /// Open an attached file with the system's viewer.
    OpenAttachment(crate::domain::AttachmentRef),
    /// Show who changed an entity and when: its journal target (`interview/3`) and its name.
    History { target: String, title: String },
    /// Save the interview guide for this role as a file for printing.
    ExportGuide(crate::domain::RoleId),
    /// Show what a newer version of the case's catalog would change.
    ReviewCatalogUpdate,
    /// Write the plan workbook for the provider.
    ExportPlan,
    /// Read a filled-in plan workbook back and preview its changes.
    ImportPlan,
    /// Write the plan's status report (PDF).
    ExportStatusReport,
    /// Write a copy of the case for this evaluator to score the fidelity review in, blind.
    BlindCopy(crate::domain::Rater),
    /// Render the report as this kind, keep it in the case as the next version and save it.
    KeepReportVersion {
        kind: crate::domain::ReportKind,
        answer_by: Option<jiff::civil::Date>,
    },
    /// Save a copy of the kept report version with this number.
    SaveReportVersion(usize),
    /// Save the workbook the provider fills in with their response to the draft.
    ExportResponseWorkbook,
    /// Read a filled-in response workbook into the findings' responses.
    ImportResponses,
    /// Write the notice letter to the provider in this format (PDF or DOCX).
    ExportNotice(crate::export::Format),
    /// Delete the participants' personal data (confirmed with the provider's name), and
    /// replace the case's backup copies.
    DeletePersonalData { confirmation: String },
}

/// Something in the case a page can show and mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Interview(InterviewId),
    Excerpt(ExcerptId),
    Finding(FindingId),
    Action(ActionId),
    Document(DocumentReviewId),
}

impl Focus {
    /// `interview/3` → the interview; `None` for what has no own entry (`case`, the meeting).
    pub fn from_entity(entity: &str) -> Option<Focus> {
        let (kind, id) = entity.split_once('/')?;
        let id: i64 = id.parse().ok()?;
        Some(match kind {
            "interview" => Focus::Interview(InterviewId(id)),
            "excerpt" => Focus::Excerpt(ExcerptId(id)),
            "finding" => Focus::Finding(FindingId(id)),
            "action" => Focus::Action(ActionId(id)),
            "document_review" => Focus::Document(DocumentReviewId(id)),
            _ => return None,
        })
    }

    /// The page that shows it.
    pub fn page(self) -> Page {
        match self {
            Focus::Interview(_) | Focus::Excerpt(_) => Page::Interviews,
            Focus::Finding(_) => Page::Findings,
            Focus::Action(_) => Page::Plan,
            Focus::Document(_) => Page::Documents,
        }
    }
}

impl PageState {
    /// A command created an entity: select it where it is shown.
    pub fn created(&mut self, command: &Command, id: i64) {
        match command {
            Command::AddInterview { .. } => self.interviews.selected = Some(InterviewId(id)),
            Command::AddFinding { .. } => self.findings.selected = Some(FindingId(id)),
            Command::AddDocumentReview { .. } | Command::StartReviewFromRequest { .. } => {
                self.documents.selected = Some(DocumentReviewId(id));
            }
            _ => {}
        }
    }
}

/// What a page needs to draw.
pub struct PageContext<'a> {
    pub snapshot: &'a CaseSnapshot,
    /// What the identity-number guard found in the case's text.
    pub privacy_hits: &'a [crate::privacy::CaseHit],
    pub lang: Lang,
    /// For overdue marks.
    pub today: jiff::civil::Date,
    /// The catalog library (for choosing a fidelity scale).
    pub catalogs: &'a [crate::catalog::Catalog],
    /// Every status each action has reached and the day (follow-up).
    pub status_changes: &'a [crate::domain::StatusChange],
    /// Views computed from the snapshot once per change, not per frame.
    pub derived: &'a Derived,
    /// The evaluator profile's name (empty when not set): offered for the evaluator list.
    pub me: &'a str,
    /// Which evaluator of the fidelity review is looking (see `Workbench::fidelity_rater`).
    pub rater: Option<crate::domain::Rater>,
}

/// What pages show that is computed from the whole case: built when the case is opened and after
/// each command (never per frame), so a big case draws as fast as a small one.
#[derive(Clone, Debug, Default)]
pub struct Derived {
    pub warnings: crate::domain::Warnings,
    pub coverage: crate::domain::coverage::Coverage,
    /// How many distinct sources back each finding (the findings list shows and sorts by it).
    pub source_counts: std::collections::HashMap<crate::domain::FindingId, usize>,
    /// The actions by status, day by day (the follow-up chart).
    pub status_timeline: Vec<(jiff::civil::Date, [usize; 5])>,
}

impl Derived {
    /// Computed once per change of what they are made from, not per frame: at 100× the demo
    /// case each takes longer than a frame may.
    pub fn of(
        snapshot: &crate::domain::CaseSnapshot,
        status_changes: &[crate::domain::StatusChange],
        today: jiff::civil::Date,
    ) -> Derived {
        let source_counts = snapshot.source_counts();
        Derived {
            warnings: snapshot.warnings_with(today, &source_counts),
            coverage: crate::domain::coverage::coverage(snapshot),
            source_counts,
            status_timeline: crate::domain::plan::status_timeline(
                status_changes,
                &snapshot.actions,
                today,
            ),
        }
    }

    /// Brought up to date after an edit of `parts` (and of the programme, when
    /// `programme_changed`): only what those parts feed is made again. A finding's edit in a
    /// 100× case would otherwise rebuild the follow-up timeline of 4 000 actions.
    pub fn update(
        &mut self,
        snapshot: &crate::domain::CaseSnapshot,
        status_changes: &[crate::domain::StatusChange],
        today: jiff::civil::Date,
        parts: crate::store::Parts,
        programme_changed: bool,
    ) {
        if parts.interviews || parts.findings {
            self.source_counts = snapshot.source_counts();
        }
        if programme_changed
            || parts.catalog
            || parts.interviews
            || parts.documents
            || parts.findings
        {
            self.coverage = crate::domain::coverage::coverage(snapshot);
        }
        if parts.actions {
            self.status_timeline =
                crate::domain::plan::status_timeline(status_changes, &snapshot.actions, today);
        }
        if programme_changed
            || parts.catalog
            || parts.interviews
            || parts.documents
            || parts.findings
            || parts.actions
        {
            self.warnings = snapshot.warnings_with(today, &self.source_counts);
        }
    }
}

impl PageContext<'_> {
    /// A provider package is open: the provider manager writes the plan; the rest is NAV's.
    pub fn provider_mode(&self) -> bool {
        self.snapshot.provider_package.is_some()
    }
}

/// The parts of a case, in the side navigation's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    #[default]
    Overview,
    Requirements,
    Interviews,
    Documents,
    Findings,
    Coverage,
    Meeting,
    Plan,
    Outcomes,
    Fidelity,
    /// Many cases compared; not a page of the open case (drawn by the app, also with no case).
    Network,
}

impl Page {
    pub const ALL: [Page; 10] = [
        Page::Overview,
        Page::Requirements,
        Page::Interviews,
        Page::Documents,
        Page::Findings,
        Page::Coverage,
        Page::Meeting,
        Page::Plan,
        Page::Outcomes,
        Page::Fidelity,
    ];
}

impl Labelled for Page {
    const PREFIX: &'static str = "page";
}

/// Ctrl+1 … Ctrl+9, Ctrl+0 go to the pages in order.
pub const PAGE_KEYS: [egui::Key; 10] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
    egui::Key::Num0,
];

impl Page {
    /// The pages a provider package shows: what the provider may see.
    pub const PROVIDER: [Page; 4] = [
        Page::Overview,
        Page::Requirements,
        Page::Findings,
        Page::Plan,
    ];
}

/// The page list: the open case's pages (none without a case; a provider package's few), then
/// the network view, which needs no case.
pub fn navigation_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    page: &mut Page,
    has_case: bool,
    provider_mode: bool,
) {
    ui.add_space(6.0);
    let pages: &[Page] = match (has_case, provider_mode) {
        (false, _) => &[],
        (true, true) => &Page::PROVIDER,
        (true, false) => &Page::ALL,
    };
    let network_allowed = *page == Page::Network && !provider_mode;
    if !pages.contains(page) && !network_allowed {
        *page = if provider_mode {
            Page::Plan
        } else {
            Page::Network
        };
    }
    if has_case {
        ui.strong(t(lang, "nav.heading"));
        ui.add_space(4.0);
    }
    for option in pages {
        ui.selectable_value(page, *option, option.label(lang));
    }
    if !provider_mode {
        ui.add_space(10.0);
        ui.strong(t(lang, "nav.across_cases"));
        ui.add_space(4.0);
        ui.selectable_value(page, Page::Network, Page::Network.label(lang));
    }
    if provider_mode {
        ui.add_space(12.0);
        ui.add(egui::Label::new(egui::RichText::new(t(lang, "provider.banner")).weak()).wrap());
    }
}

pub fn page_ui(
    ui: &mut egui::Ui,
    page: Page,
    context: &PageContext<'_>,
    state: &mut PageState,
    out: &mut Vec<Command>,
) {
    // In a provider package only the plan is the provider's to write; the rest is shown, not
    // editable (the store refuses such edits too).
    if context.provider_mode() && page != Page::Plan {
        ui.disable();
    }
    // Pages with a list beside an editor scroll each part themselves.
    match page {
        Page::Interviews => return interviews::interviews_ui(ui, context, state, out),
        Page::Findings => return findings::findings_ui(ui, context, state, out),
        Page::Coverage => return coverage::coverage_ui(ui, context, state, out),
        Page::Documents => return documents::documents_ui(ui, context, state, out),
        Page::Fidelity => return fidelity::fidelity_ui(ui, context, state, out),
        _ => {}
    }
    egui::ScrollArea::vertical()
        .id_salt(page)
        .auto_shrink([false, false])
        .show(ui, |ui| match page {
            Page::Overview => overview::overview_ui(ui, context, state, out),
            Page::Requirements => requirements::requirements_ui(ui, context, state, out),
            Page::Meeting => meeting::meeting_ui(ui, context, state, out),
            Page::Plan => plan::plan_ui(ui, context, state, out),
            Page::Outcomes => outcomes::outcomes_ui(ui, context, state, out),
            Page::Interviews
            | Page::Findings
            | Page::Coverage
            | Page::Documents
            | Page::Fidelity
            | Page::Network => {}
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_lead_to_their_page() {
        assert_eq!(
            Focus::from_entity("interview/3"),
            Some(Focus::Interview(InterviewId(3)))
        );
        assert_eq!(
            Focus::from_entity(&ActionId(7).to_string()).map(Focus::page),
            Some(Page::Plan)
        );
        assert_eq!(Focus::from_entity("case"), None);
        assert_eq!(Focus::from_entity("finding/x"), None);
    }

    #[test]
    fn every_page_has_a_name() {
        for lang in Lang::ALL {
            for page in Page::ALL {
                assert!(!page.label(lang).starts_with("page."), "{page:?}");
            }
        }
    }
}
