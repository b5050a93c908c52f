//! The overview's warnings, computed from a small case built through the command door.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use evalbench::command::Command;
use evalbench::domain::*;
use jiff::civil::date;

#[test]
fn warnings_name_each_gap_until_it_is_closed() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "w.evalcase"));
    let today = date(2026, 5, 1);
    let ids: Vec<RequirementId> = store
        .snapshot()
        .unwrap()
        .requirements
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        store
            .snapshot()
            .unwrap()
            .warnings(today)
            .requirements_without_evidence,
        ids,
        "a new case has no evidence for anything"
    );

    let interview = |role| InterviewFields {
        date: date(2026, 2, 1),
        role,
        interviewees: vec![],
        stage: None,
        setting: InterviewSetting::Individual,
        channel: InterviewChannel::InPerson,
    };
    let mut excerpts = Vec::new();
    for role in [
        RoleId::new("measure_coordinator"),
        RoleId::new("job_specialist"),
    ] {
        let interview_id = InterviewId(
            store
                .apply(&Command::AddInterview {
                    interview: interview(role),
                    notes: "Planen kom for sent.".into(),
                })
                .unwrap()
                .created_id
                .unwrap(),
        );
        // Two excerpts from the same interview count as one source.
        for (start, end) in [(0, 5), (6, 9)] {
            excerpts.push(ExcerptId(
                store
                    .apply(&Command::AddExcerpt {
                        interview_id,
                        start_char: start,
                        end_char: end,
                        links: vec![RequirementLink {
                            requirement_id: ids[0],
                            stance: Stance::Contradicts,
                        }],
                        shareable: false,
                    })
                    .unwrap()
                    .created_id
                    .unwrap(),
            ));
        }
    }
    let finding_id = FindingId(
        store
            .apply(&Command::AddFinding {
                kind: FindingKind::Deviation,
                finding: FindingFields {
                    title: "Sen plan".into(),
                    description: String::new(),
                },
                requirement_ids: vec![ids[0]],
                evidence: vec![
                    EvidenceRef::Excerpt(excerpts[0]),
                    EvidenceRef::Excerpt(excerpts[1]),
                ],
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    let snapshot = store.snapshot().unwrap();
    let finding = snapshot.finding(finding_id).unwrap();
    assert_eq!(
        snapshot.source_count(finding),
        1,
        "one interview, two excerpts"
    );
    let warnings = snapshot.warnings(today);
    assert_eq!(warnings.requirements_without_evidence, ids[1..]);
    assert_eq!(warnings.single_source_findings, [finding_id]);
    assert_eq!(warnings.deviations_without_action, [finding_id]);
    assert!(warnings.overdue_actions.is_empty());

    store
        .apply(&Command::LinkEvidence {
            finding_id,
            evidence: EvidenceRef::Excerpt(excerpts[2]),
        })
        .unwrap();
    let action_id = ActionId(
        store
            .apply(&Command::AddAction {
                finding_id,
                action: ActionFields {
                    description: "Varsling".into(),
                    owner: String::new(),
                    due_date: Some(date(2026, 4, 30)),
                    status: ActionStatus::InProgress,
                    closure_evidence: String::new(),
                    nav_comment: String::new(),
                },
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    let warnings = store.snapshot().unwrap().warnings(today);
    assert!(
        warnings.single_source_findings.is_empty(),
        "two interviews now"
    );
    assert!(warnings.deviations_without_action.is_empty());
    assert_eq!(warnings.overdue_actions, [action_id]);
    store
        .apply(&Command::SetActionStatus {
            action_id,
            status: ActionStatus::Done,
        })
        .unwrap();
    assert!(
        store
            .snapshot()
            .unwrap()
            .warnings(today)
            .overdue_actions
            .is_empty()
    );
}

/// The findings' source counts made all at once (for the warnings and the findings list) are
/// each finding's own count, on the demo and on a case where one interview's excerpts back many
/// findings.
#[test]
fn source_counts_at_once_match_each_findings_own_count() {
    let dir = common::temp_dir();
    for scale in [1, 3] {
        let path = dir.path().join(format!("demo-{scale}.evalcase"));
        evalbench::demo::write_demo_scaled(&path, scale).unwrap();
        let snapshot = evalbench::store::read_case(&path).unwrap();
        let counts = snapshot.source_counts();
        assert_eq!(counts.len(), snapshot.findings.len());
        assert!(
            counts.values().any(|n| *n >= 2),
            "some findings are triangulated"
        );
        for finding in &snapshot.findings {
            assert_eq!(
                counts[&finding.id],
                snapshot.source_count(finding),
                "{}",
                finding.fields.title
            );
        }
        // The warning lists what counting finding by finding lists.
        let single: Vec<FindingId> = snapshot
            .findings
            .iter()
            .filter(|f| f.kind != FindingKind::MeetsRequirement && snapshot.source_count(f) < 2)
            .map(|f| f.id)
            .collect();
        let warnings = snapshot.warnings(evalbench::demo::DEMO_TODAY);
        assert_eq!(warnings.single_source_findings, single);
    }
}
