//! Every command applied through the store and read back; refusals change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use evalbench::command::Command;
use evalbench::domain::*;
use evalbench::store::{CaseStore, Parts, StoreError};
use jiff::civil::date;

fn requirement_id(store: &CaseStore, code: &str) -> RequirementId {
    store
        .snapshot()
        .unwrap()
        .requirements
        .iter()
        .find(|r| r.code == code)
        .map(|r| r.id)
        .unwrap()
}

fn interview_fields() -> InterviewFields {
    InterviewFields {
        date: date(2026, 2, 12),
        role: RoleId::new("measure_coordinator"),
        interviewees: vec!["Tiltakskoordinator".into()],
        stage: None,
        setting: InterviewSetting::Individual,
        channel: InterviewChannel::Video,
    }
}

const NOTES: &str = "Planen kommer ofte for sent. Kompetansematrisen mangler to områder. Ærlig talt går det bedre nå.";

#[test]
fn new_case_holds_facts_and_catalog_copy() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "new.evalcase");
    let store = common::new_case(&path);
    let snapshot = store.snapshot().unwrap();
    assert_eq!(snapshot.facts, common::facts());
    assert_eq!(snapshot.phase, Phase::Planning);
    assert_eq!(snapshot.areas.len(), 2);
    let codes: Vec<_> = snapshot
        .requirements
        .iter()
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(codes, ["IP-1", "IP-2", "KOMP-1"]);
    let catalog = snapshot.catalog.unwrap();
    assert_eq!(
        (catalog.id.as_str(), catalog.version.as_str()),
        ("test", "1")
    );
    assert_eq!(snapshot.case_id.len(), 36, "a UUID");
    assert_eq!(store.journal_len().unwrap(), 2);
}

#[test]
fn case_commands_round_trip() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "c.evalcase"));
    let key_dates = KeyDates {
        feedback_meeting: Some(date(2026, 3, 5)),
        plan_deadline: Some(date(2026, 4, 15)),
    };
    store
        .apply(&Command::SetPhase {
            phase: Phase::Analysis,
        })
        .unwrap();
    store.apply(&Command::SetKeyDates { key_dates }).unwrap();
    store
        .apply(&Command::SetEvaluators {
            evaluators: vec!["Evaluerer A".into(), "  ".into(), " Evaluerer B ".into()],
        })
        .unwrap();
    let mut facts = common::facts();
    facts.agreed_places = Some(24);
    facts.measure = Measure::Vta;
    store
        .apply(&Command::UpdateCaseFacts {
            facts: facts.clone(),
        })
        .unwrap();

    let snapshot = store.snapshot().unwrap();
    assert_eq!(snapshot.phase, Phase::Analysis);
    assert_eq!(snapshot.key_dates, key_dates);
    assert_eq!(snapshot.evaluators, ["Evaluerer A", "Evaluerer B"]);
    assert_eq!(snapshot.facts, facts);
}

#[test]
fn interviews_and_excerpts_round_trip() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "i.evalcase"));
    let ip1 = requirement_id(&store, "IP-1");
    let komp1 = requirement_id(&store, "KOMP-1");

    let applied = store
        .apply(&Command::AddInterview {
            interview: interview_fields(),
            notes: NOTES.into(),
        })
        .unwrap();
    let interview_id = InterviewId(applied.created_id.unwrap());
    assert_eq!(applied.target, format!("interview/{}", interview_id.0));

    let (start, end) =
        interview::find_char_span(NOTES, "Kompetansematrisen mangler to områder.").unwrap();
    let excerpt_id = ExcerptId(
        store
            .apply(&Command::AddExcerpt {
                interview_id,
                start_char: start,
                end_char: end,
                links: vec![RequirementLink {
                    requirement_id: komp1,
                    stance: Stance::Contradicts,
                }],
                shareable: false,
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::LinkExcerpt {
            excerpt_id,
            link: RequirementLink {
                requirement_id: ip1,
                stance: Stance::Supports,
            },
        })
        .unwrap();
    store
        .apply(&Command::SetExcerptShareable {
            excerpt_id,
            shareable: true,
        })
        .unwrap();

    let mut fields = interview_fields();
    fields.role = RoleId::new("participant");
    fields.stage = Some(StageId::new("sheltered_training"));
    fields.interviewees = vec!["D-03".into()];
    fields.setting = InterviewSetting::Group;
    store
        .apply(&Command::UpdateInterview {
            interview_id,
            interview: fields.clone(),
        })
        .unwrap();

    let snapshot = store.snapshot().unwrap();
    let interview = &snapshot.interviews[0];
    assert_eq!(interview.fields, fields);
    assert_eq!(interview.notes, NOTES);
    let excerpt = &interview.excerpts[0];
    assert_eq!(excerpt.quote, "Kompetansematrisen mangler to områder.");
    assert!(excerpt.shareable && excerpt.anchored);
    assert_eq!(excerpt.links.len(), 2);

    // Editing the notes around the quote moves the excerpt with it.
    let edited = format!("Innledning. {NOTES}");
    store
        .apply(&Command::SetInterviewNotes {
            interview_id,
            notes: edited.clone(),
        })
        .unwrap();
    let moved = store.snapshot().unwrap().interviews[0].excerpts[0].clone();
    assert_eq!(
        interview::char_span(&edited, moved.start_char, moved.end_char),
        Some(moved.quote.as_str())
    );
    assert!(moved.anchored);
    // Removing the quoted text keeps the excerpt but marks it unanchored.
    store
        .apply(&Command::SetInterviewNotes {
            interview_id,
            notes: "Helt ny tekst.".into(),
        })
        .unwrap();
    let lost = store.snapshot().unwrap().interviews[0].excerpts[0].clone();
    assert!(!lost.anchored);
    assert_eq!(lost.quote, "Kompetansematrisen mangler to områder.");

    store
        .apply(&Command::UnlinkExcerpt {
            excerpt_id,
            requirement_id: ip1,
        })
        .unwrap();
    assert_eq!(
        store.snapshot().unwrap().interviews[0].excerpts[0]
            .links
            .len(),
        1
    );
    store.apply(&Command::DeleteExcerpt { excerpt_id }).unwrap();
    assert!(store.snapshot().unwrap().interviews[0].excerpts.is_empty());
    store
        .apply(&Command::DeleteInterview { interview_id })
        .unwrap();
    assert!(store.snapshot().unwrap().interviews.is_empty());
}

#[test]
fn documents_findings_plan_meeting_outcomes_round_trip() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "f.evalcase"));
    let komp1 = requirement_id(&store, "KOMP-1");
    let ip1 = requirement_id(&store, "IP-1");

    let review = DocumentReviewFields {
        title: "Kompetansematrise 2025".into(),
        kind: DocumentKind::CompetenceMatrix,
        version_label: "versjon 3".into(),
        document_date: Some(date(2025, 11, 1)),
        assessment: "To av åtte områder mangler.".into(),
    };
    let document_review_id = DocumentReviewId(
        store
            .apply(&Command::AddDocumentReview {
                review: review.clone(),
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::LinkDocument {
            document_review_id,
            link: RequirementLink {
                requirement_id: komp1,
                stance: Stance::Contradicts,
            },
        })
        .unwrap();
    let attachment = store
        .put_attachment("matrise.xlsx", b"invented bytes")
        .unwrap();
    assert_eq!(attachment.sha256.len(), 64);
    store
        .apply(&Command::AttachFile {
            document_review_id,
            attachment: attachment.clone(),
        })
        .unwrap();
    assert_eq!(
        store.attachment_content(&attachment.sha256).unwrap(),
        b"invented bytes"
    );

    let finding_id = FindingId(
        store
            .apply(&Command::AddFinding {
                kind: FindingKind::ImprovementArea,
                finding: FindingFields {
                    title: "Matrisen er ufullstendig".into(),
                    description: "…".into(),
                },
                requirement_ids: vec![komp1],
                evidence: vec![],
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::LinkEvidence {
            finding_id,
            evidence: EvidenceRef::DocumentReview(document_review_id),
        })
        .unwrap();
    store
        .apply(&Command::SetFindingKind {
            finding_id,
            kind: FindingKind::Deviation,
        })
        .unwrap();
    store
        .apply(&Command::SetFindingRequirements {
            finding_id,
            requirement_ids: vec![komp1, ip1],
        })
        .unwrap();
    let fields = FindingFields {
        title: "Kompetansematrisen mangler to områder".into(),
        description: "Beskrivelse.".into(),
    };
    store
        .apply(&Command::UpdateFinding {
            finding_id,
            finding: fields.clone(),
        })
        .unwrap();

    let action = ActionFields {
        description: "Oppdatere matrisen".into(),
        owner: "Leder for AFT".into(),
        due_date: Some(date(2026, 5, 31)),
        status: ActionStatus::Agreed,
        closure_evidence: "Ny matrise sendes NAV".into(),
        nav_comment: String::new(),
    };
    let action_id = ActionId(
        store
            .apply(&Command::AddAction {
                finding_id,
                action: action.clone(),
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::SetActionStatus {
            action_id,
            status: ActionStatus::Done,
        })
        .unwrap();

    let meeting = FeedbackMeeting {
        date: Some(date(2026, 3, 5)),
        participants: vec!["NAV-leder".into(), "Daglig leder".into()],
        summary: "Funnene ble gjennomgått.".into(),
        provider_comments: "Enige i avvikene.".into(),
    };
    store
        .apply(&Command::SetFeedbackMeeting {
            meeting: meeting.clone(),
        })
        .unwrap();
    let outcome = Outcome {
        year: 2025,
        ended: 20,
        to_work: 9,
        to_education: 3,
        to_other: 8,
    };
    store.apply(&Command::SetOutcome { outcome }).unwrap();
    store
        .apply(&Command::SetOutcome {
            outcome: Outcome {
                year: 2024,
                ..outcome
            },
        })
        .unwrap();

    let snapshot = store.snapshot().unwrap();
    let document = &snapshot.document_reviews[0];
    assert_eq!(document.fields, review);
    assert_eq!(document.attachment.as_ref(), Some(&attachment));
    assert_eq!(
        document.links,
        [RequirementLink {
            requirement_id: komp1,
            stance: Stance::Contradicts
        }]
    );
    let finding = &snapshot.findings[0];
    assert_eq!(finding.kind, FindingKind::Deviation);
    assert_eq!(finding.fields, fields);
    assert_eq!(finding.requirement_ids, [komp1, ip1]);
    assert_eq!(
        finding.evidence,
        [EvidenceRef::DocumentReview(document_review_id)]
    );
    assert_eq!(
        snapshot.actions[0].fields,
        ActionFields {
            status: ActionStatus::Done,
            ..action
        }
    );
    assert_eq!(snapshot.feedback_meeting, meeting);
    assert_eq!(
        snapshot.outcomes.iter().map(|o| o.year).collect::<Vec<_>>(),
        [2024, 2025]
    );

    // The plan protects its deviation: kind change and deletion are refused while actions exist.
    let journal_before = store.journal_len().unwrap();
    let refused = store.apply(&Command::SetFindingKind {
        finding_id,
        kind: FindingKind::GoodPractice,
    });
    assert!(
        matches!(
            refused,
            Err(StoreError::Rejected(Rejection::KindHasActions {
                actions: 1,
                ..
            }))
        ),
        "{refused:?}"
    );
    assert!(matches!(
        store.apply(&Command::DeleteFinding { finding_id }),
        Err(StoreError::Rejected(Rejection::FindingHasActions {
            actions: 1,
            ..
        }))
    ));
    assert_eq!(
        store.snapshot().unwrap(),
        snapshot,
        "a refused command changes nothing"
    );
    assert_eq!(
        store.journal_len().unwrap(),
        journal_before,
        "and is not journalled"
    );

    store
        .apply(&Command::UpdateAction {
            action_id,
            action: ActionFields {
                owner: "Daglig leder".into(),
                description: "Ny matrise".into(),
                ..ActionFields::default()
            },
        })
        .unwrap();
    assert_eq!(
        store.snapshot().unwrap().actions[0].fields.owner,
        "Daglig leder"
    );
    store.apply(&Command::DeleteAction { action_id }).unwrap();
    store
        .apply(&Command::UnlinkEvidence {
            finding_id,
            evidence: EvidenceRef::DocumentReview(document_review_id),
        })
        .unwrap();
    store.apply(&Command::DeleteFinding { finding_id }).unwrap();
    store
        .apply(&Command::DetachFile { document_review_id })
        .unwrap();
    store
        .apply(&Command::UnlinkDocument {
            document_review_id,
            requirement_id: komp1,
        })
        .unwrap();
    store
        .apply(&Command::UpdateDocumentReview {
            document_review_id,
            review: DocumentReviewFields {
                title: "Rutine".into(),
                kind: DocumentKind::Routine,
                ..review
            },
        })
        .unwrap();
    assert_eq!(
        store.snapshot().unwrap().document_reviews[0].fields.kind,
        DocumentKind::Routine
    );
    store
        .apply(&Command::DeleteDocumentReview { document_review_id })
        .unwrap();
    store.apply(&Command::RemoveOutcome { year: 2024 }).unwrap();
    let after = store.snapshot().unwrap();
    assert!(
        after.findings.is_empty() && after.actions.is_empty() && after.document_reviews.is_empty()
    );
    assert_eq!(after.outcomes.len(), 1);
}

#[test]
fn invalid_commands_are_refused_with_a_reason() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "bad.evalcase"));
    let before = store.snapshot().unwrap();
    let interview_id = InterviewId(
        store
            .apply(&Command::AddInterview {
                interview: interview_fields(),
                notes: "Kort.".into(),
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    let before_with_interview = store.snapshot().unwrap();
    let cases: Vec<(Command, Rejection)> = vec![
        (
            Command::DeleteInterview {
                interview_id: InterviewId(999),
            },
            Rejection::Missing {
                entity: EntityRef::Interview(InterviewId(999)),
            },
        ),
        (
            Command::AddExcerpt {
                interview_id,
                start_char: 2,
                end_char: 50,
                links: vec![],
                shareable: false,
            },
            Rejection::ExcerptOutsideNotes {
                interview: interview_id,
                start_char: 2,
                end_char: 50,
                length_chars: 5,
            },
        ),
        (
            Command::AddExcerpt {
                interview_id,
                start_char: 0,
                end_char: 3,
                links: vec![RequirementLink {
                    requirement_id: RequirementId(999),
                    stance: Stance::Supports,
                }],
                shareable: false,
            },
            Rejection::Missing {
                entity: EntityRef::Requirement(RequirementId(999)),
            },
        ),
        (
            Command::UpdateCaseFacts {
                facts: CaseFacts {
                    provider_name: " ".into(),
                    ..common::facts()
                },
            },
            Rejection::Empty {
                field: RequiredText::ProviderName,
            },
        ),
        (
            Command::SetOutcome {
                outcome: Outcome {
                    year: 2025,
                    ended: 5,
                    to_work: 3,
                    to_education: 3,
                    to_other: 0,
                },
            },
            Rejection::OutcomeSumTooLarge {
                sum: 6,
                ended: 5,
                year: 2025,
            },
        ),
        (
            Command::AdoptCatalog {
                catalog: common::small_catalog(),
            },
            Rejection::CatalogAlreadyAdopted,
        ),
        (
            Command::AddFinding {
                kind: FindingKind::Deviation,
                finding: FindingFields {
                    title: String::new(),
                    description: String::new(),
                },
                requirement_ids: vec![],
                evidence: vec![],
            },
            Rejection::Empty {
                field: RequiredText::FindingTitle,
            },
        ),
        (
            Command::AddInterview {
                interview: InterviewFields {
                    stage: Some(StageId::new("completing")),
                    ..interview_fields()
                },
                notes: String::new(),
            },
            Rejection::StageOnlyForParticipants,
        ),
        (
            Command::AttachFile {
                document_review_id: DocumentReviewId(1),
                attachment: AttachmentRef {
                    sha256: "0".repeat(64),
                    file_name: "x".into(),
                    size_bytes: 1,
                },
            },
            Rejection::Missing {
                entity: EntityRef::DocumentReview(DocumentReviewId(1)),
            },
        ),
    ];
    for (command, expected) in cases {
        let result = store.apply(&command);
        match result {
            Err(StoreError::Rejected(rejection)) => assert_eq!(rejection, expected),
            other => panic!("{command:?} should be refused, got {other:?}"),
        }
        assert_eq!(
            store.snapshot().unwrap(),
            before_with_interview,
            "{command:?} changed the case"
        );
    }
    // A finding that is not a deviation cannot get actions.
    let finding_id = FindingId(
        store
            .apply(&Command::AddFinding {
                kind: FindingKind::GoodPractice,
                finding: FindingFields {
                    title: "Godt".into(),
                    description: String::new(),
                },
                requirement_ids: vec![],
                evidence: vec![],
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    let refused = store.apply(&Command::AddAction {
        finding_id,
        action: ActionFields {
            description: "x".into(),
            ..ActionFields::default()
        },
    });
    assert!(matches!(
        refused,
        Err(StoreError::Rejected(Rejection::NotADeviation { .. }))
    ));
    assert_ne!(before, before_with_interview);
}

#[test]
fn journal_records_every_applied_command_in_order() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "j.evalcase");
    let mut store = common::new_case(&path);
    let first = store
        .apply(&Command::SetPhase {
            phase: Phase::DataCollection,
        })
        .unwrap();
    let second = store
        .apply(&Command::SetPhase {
            phase: Phase::Analysis,
        })
        .unwrap();
    assert_eq!(second.seq, first.seq + 1);
    assert_eq!(store.journal_len().unwrap(), 4);
    store.close().unwrap();
    let reopened = CaseStore::open(&path).unwrap();
    assert_eq!(reopened.journal_len().unwrap(), 4);
    assert_eq!(reopened.snapshot().unwrap().phase, Phase::Analysis);
}

/// The app re-reads only the parts of the case a command changed; the result must be the whole
/// case as a full read gives it, after every kind of change (and after undo).
#[test]
fn a_partial_refresh_equals_a_full_read_after_each_kind_of_command() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "refresh.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    let mut kept = store.snapshot().unwrap();
    let first = kept.interviews[0].clone();
    // Moved to the last interview's day: a whole read puts it elsewhere in the list.
    let moved = kept.interviews[1].clone();
    let last_day = kept.interviews.last().unwrap().fields.date;
    let finding = kept.findings[0].clone();
    let action = kept.actions[0].clone();
    let review = kept.document_reviews[0].clone();
    let commands = vec![
        Command::SetEvaluators {
            evaluators: vec!["Ny evaluerer".into()],
        },
        Command::SetInterviewNotes {
            interview_id: first.id,
            notes: format!("{} Et tillegg.", first.notes),
        },
        Command::UpdateInterview {
            interview_id: moved.id,
            interview: InterviewFields {
                date: last_day,
                ..moved.fields.clone()
            },
        },
        Command::SetFindingKind {
            finding_id: finding.id,
            kind: FindingKind::ImprovementArea,
        },
        Command::UpdateFinding {
            finding_id: finding.id,
            finding: FindingFields {
                title: format!("{} (ny)", finding.fields.title),
                description: "Ny tekst.".into(),
            },
        },
        Command::UnlinkEvidence {
            finding_id: finding.id,
            evidence: finding.evidence[0],
        },
        Command::UpdateAction {
            action_id: action.id,
            action: ActionFields {
                description: format!("{} Presisert.", action.fields.description),
                due_date: None,
                ..action.fields.clone()
            },
        },
        Command::SetActionStatus {
            action_id: action.id,
            status: ActionStatus::Done,
        },
        Command::UpdateDocumentReview {
            document_review_id: review.id,
            review: DocumentReviewFields {
                assessment: format!("{} Vurdert på nytt.", review.fields.assessment),
                ..review.fields.clone()
            },
        },
        Command::SetOutcome {
            outcome: Outcome {
                year: 2026,
                ended: 10,
                to_work: 3,
                to_education: 2,
                to_other: 1,
            },
        },
        Command::DeleteInterview {
            interview_id: first.id,
        },
    ];
    for command in &commands {
        let applied = match store.apply(command) {
            Ok(applied) => applied,
            // A refused command changes nothing; the kept snapshot must still match.
            Err(StoreError::Rejected(_)) => continue,
            Err(e) => panic!("{}: {e}", command.op()),
        };
        assert_ne!(applied.parts, Parts::default(), "{}", command.op());
        // Only an edit of a finding's own row is read back finding by finding.
        let own_row = matches!(
            command,
            Command::SetFindingKind { .. } | Command::UpdateFinding { .. }
        );
        assert_eq!(
            applied.findings_edited,
            own_row.then(|| vec![finding.id]),
            "{}",
            command.op()
        );
        let interview_row = match command {
            Command::SetInterviewNotes { interview_id, .. }
            | Command::UpdateInterview { interview_id, .. } => Some(vec![*interview_id]),
            _ => None,
        };
        assert_eq!(applied.interviews_edited, interview_row, "{}", command.op());
        // (A status change's day is recorded by a trigger outside the case's tracked rows.)
        let action_row = matches!(
            command,
            Command::UpdateAction { .. } | Command::SetActionStatus { .. }
        )
        .then(|| vec![action.id]);
        assert_eq!(applied.actions_edited, action_row, "{}", command.op());
        let review_row =
            matches!(command, Command::UpdateDocumentReview { .. }).then(|| vec![review.id]);
        assert_eq!(applied.documents_edited, review_row, "{}", command.op());

        if let Some(ids) = &applied.findings_edited {
            store.refresh_findings(&mut kept, ids).unwrap();
        } else if let Some(ids) = &applied.interviews_edited {
            store.refresh_interviews(&mut kept, ids).unwrap();
        } else if let Some(ids) = &applied.actions_edited {
            store.refresh_actions(&mut kept, ids).unwrap();
        } else if let Some(ids) = &applied.documents_edited {
            store.refresh_document_reviews(&mut kept, ids).unwrap();
        } else {
            store.refresh(&mut kept, applied.parts).unwrap();
        }
        let full = store.snapshot().unwrap();
        // Part by part first, so a failure names the part that was not read again.
        assert_eq!(
            kept.interviews,
            full.interviews,
            "interviews after {}",
            command.op()
        );
        assert_eq!(
            kept.findings,
            full.findings,
            "findings after {}",
            command.op()
        );
        assert_eq!(
            kept.document_reviews,
            full.document_reviews,
            "documents after {}",
            command.op()
        );
        assert_eq!(kept.actions, full.actions, "actions after {}", command.op());
        assert_eq!(
            kept.fidelity,
            full.fidelity,
            "fidelity after {}",
            command.op()
        );
        assert_eq!(kept, full, "after {} ({:?})", command.op(), applied.parts);
    }
    store.undo().unwrap();
    store.refresh(&mut kept, Parts::ALL).unwrap();
    assert_eq!(kept, store.snapshot().unwrap());
}
