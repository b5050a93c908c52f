//! Two evaluators, one case, two copies: merged both ways with nothing lost, every real conflict
//! shown once, refusals that change neither file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;

use evalbench::command::Command;
use evalbench::domain::{
    FindingFields, FindingId, FindingKind, InterviewChannel, InterviewFields, InterviewId,
    InterviewSetting, RoleId,
};
use evalbench::merge::{Choice, ConflictKind, Resolutions, RowChange};
use evalbench::store::{CaseStore, MergeRefusal, StoreError};
use jiff::civil::date;

/// What a refusal must be.
type Expect = fn(&StoreError) -> bool;

fn interview(role: RoleId) -> InterviewFields {
    InterviewFields {
        date: date(2026, 2, 12),
        role,
        interviewees: vec!["Veileder".into()],
        stage: None,
        setting: InterviewSetting::Individual,
        channel: InterviewChannel::InPerson,
    }
}

fn finding(title: &str, description: &str) -> FindingFields {
    FindingFields {
        title: title.into(),
        description: description.into(),
    }
}

fn apply(store: &mut CaseStore, command: Command) -> i64 {
    let applied = store.apply(&command).expect("the command is applied");
    applied.created_id.unwrap_or_default()
}

/// A case with one interview (with notes and an excerpt) and one finding, and a plain `cp` of it.
fn forked(dir: &tempfile::TempDir) -> (std::path::PathBuf, std::path::PathBuf, i64, i64) {
    let mine = common::case_path(dir, "anne.evalcase");
    let theirs = common::case_path(dir, "bjorn.evalcase");
    let mut store = common::new_case(&mine);
    let interview_id = apply(
        &mut store,
        Command::AddInterview {
            interview: interview(RoleId::new("provider_adviser")),
            notes: "Første avsnitt om planer.\nAndre avsnitt om oppfølging.\nTredje avsnitt om kompetanse.\n".into(),
        },
    );
    apply(
        &mut store,
        Command::AddExcerpt {
            interview_id: InterviewId(interview_id),
            start_char: 0,
            end_char: 14,
            links: vec![],
            shareable: false,
        },
    );
    let finding_id = apply(
        &mut store,
        Command::AddFinding {
            kind: FindingKind::Deviation,
            finding: finding("Planer kommer sent", "Planene sendes etter fristen."),
            requirement_ids: vec![],
            evidence: vec![],
        },
    );
    store.close().expect("closed");
    std::fs::copy(&mine, &theirs).expect("a plain file copy");
    (mine, theirs, interview_id, finding_id)
}

fn open_as(path: &Path, author: &str) -> CaseStore {
    let mut store = CaseStore::open(path).expect("opens");
    store.set_author(author);
    store
}

#[test]
fn two_copies_edited_apart_merge_both_ways_into_the_same_case() {
    let dir = common::temp_dir();
    let (mine_path, theirs_path, interview_id, finding_id) = forked(&dir);

    let mut mine = open_as(&mine_path, "Anne");
    apply(
        &mut mine,
        Command::AddInterview {
            interview: interview(RoleId::new("participant")),
            notes: "Anne sitt intervju.".into(),
        },
    );
    apply(
        &mut mine,
        Command::SetInterviewNotes {
            interview_id: InterviewId(interview_id),
            notes: "Første avsnitt om planer, utdypet.\nAndre avsnitt om oppfølging.\nTredje avsnitt om kompetanse.\n".into(),
        },
    );
    // Undone on this side: must not come back with the merge.
    apply(
        &mut mine,
        Command::AddFinding {
            kind: FindingKind::GoodPractice,
            finding: finding("Angret", ""),
            requirement_ids: vec![],
            evidence: vec![],
        },
    );
    mine.undo().expect("undo").expect("a step");
    mine.close().expect("closed");

    let mut theirs = open_as(&theirs_path, "Bjørn");
    apply(
        &mut theirs,
        Command::AddInterview {
            interview: interview(RoleId::new("nav_adviser")),
            notes: "Bjørn sitt intervju.".into(),
        },
    );
    apply(
        &mut theirs,
        Command::SetInterviewNotes {
            interview_id: InterviewId(interview_id),
            notes: "Første avsnitt om planer.\nAndre avsnitt om oppfølging.\nTredje avsnitt om kompetanse, med nye funn.\n".into(),
        },
    );
    apply(
        &mut theirs,
        Command::UpdateFinding {
            finding_id: FindingId(finding_id),
            finding: finding("Planer kommer for sent", "Planene sendes etter fristen."),
        },
    );
    theirs.close().expect("closed");

    // Both ways, each from its own copy of the two files.
    let a = common::case_path(&dir, "a.evalcase");
    let b = common::case_path(&dir, "b.evalcase");
    std::fs::copy(&mine_path, &a).expect("copy");
    std::fs::copy(&theirs_path, &b).expect("copy");

    let mut into_mine = open_as(&mine_path, "Anne");
    let plan = into_mine.prepare_merge(&b, None).expect("a plan");
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    let before_merge =
        evalbench::export::json::to_json(&into_mine.snapshot().expect("read")).expect("json");
    into_mine
        .merge_copy(&plan, plan.step(merged), None)
        .expect("merged");

    let mut into_theirs = open_as(&theirs_path, "Bjørn");
    let plan = into_theirs.prepare_merge(&a, None).expect("a plan");
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    into_theirs
        .merge_copy(&plan, plan.step(merged), None)
        .expect("merged");

    let one = into_mine.merge_snapshot().expect("rows");
    let other = into_theirs.merge_snapshot().expect("rows");
    assert_eq!(one, other, "A into B and B into A give the same case");

    let case = into_mine.snapshot().expect("read");
    assert_eq!(case.interviews.len(), 3, "both new interviews, once each");
    let notes = &case
        .interviews
        .iter()
        .find(|i| i.id == InterviewId(interview_id))
        .expect("the shared interview")
        .notes;
    assert!(
        notes.contains("planer, utdypet") && notes.contains("med nye funn"),
        "{notes}"
    );
    assert!(
        case.findings
            .iter()
            .any(|f| f.fields.title == "Planer kommer for sent")
    );
    assert!(
        !case.findings.iter().any(|f| f.fields.title == "Angret"),
        "what was undone stays undone"
    );
    let excerpt = &case
        .interviews
        .iter()
        .find(|i| i.id == InterviewId(interview_id))
        .expect("the shared interview")
        .excerpts[0];
    assert!(excerpt.anchored && excerpt.quote == "Første avsnitt");

    // Merging the same copy again adds nothing.
    let again = into_mine.prepare_merge(&b, None).expect("a plan");
    assert!(again.merged(&Resolutions::new()).changes.is_empty());

    // One undo takes the whole merge back.
    into_mine.undo().expect("undo").expect("a step");
    let after_undo =
        evalbench::export::json::to_json(&into_mine.snapshot().expect("read")).expect("json");
    assert_eq!(after_undo, before_merge);
    // The other copy's journal rows arrived with the merge, and the merge names its source.
    let journal = into_theirs.journal().expect("journal");
    let merge = journal.last().expect("the merge");
    assert_eq!(merge.op(), "merge_copy");
    assert!(merge.command.contains("\"file_name\":\"a.evalcase\""));
}

#[test]
fn a_field_both_changed_is_one_conflict_and_the_chosen_side_wins() {
    let dir = common::temp_dir();
    let (mine_path, theirs_path, _, finding_id) = forked(&dir);
    for (path, title) in [
        (&mine_path, "Annes tittel"),
        (&theirs_path, "Bjørns tittel"),
    ] {
        let mut store = open_as(path, "x");
        apply(
            &mut store,
            Command::UpdateFinding {
                finding_id: FindingId(finding_id),
                finding: finding(title, "Planene sendes etter fristen."),
            },
        );
        store.close().expect("closed");
    }
    let mut mine = open_as(&mine_path, "Anne");
    let plan = mine.prepare_merge(&theirs_path, None).expect("a plan");
    let merged = plan.merged(&Resolutions::new());
    assert_eq!(merged.conflicts.len(), 1);
    let conflict = &merged.conflicts[0];
    assert!(matches!(&conflict.kind, ConflictKind::Field { field, .. } if field == "title"));
    let mut choices = Resolutions::new();
    choices.insert(conflict.key.clone(), Choice::Theirs);
    let merged = plan.merged(&choices);
    assert!(matches!(&merged.changes[..], [RowChange::Update { table, .. }] if table == "finding"));
    mine.merge_copy(&plan, plan.step(merged), None)
        .expect("merged");
    let case = mine.snapshot().expect("read");
    assert_eq!(case.findings[0].fields.title, "Bjørns tittel");
}

#[test]
fn keeping_both_versions_of_a_finding_gives_two_findings_each_with_its_links() {
    let dir = common::temp_dir();
    let (mine_path, theirs_path, _, finding_id) = forked(&dir);
    let requirement = {
        let store = open_as(&mine_path, "x");
        let id = store.snapshot().expect("read").requirements[0].id;
        store.close().expect("closed");
        id
    };
    for (path, title) in [
        (&mine_path, "Annes tittel"),
        (&theirs_path, "Bjørns tittel"),
    ] {
        let mut store = open_as(path, "x");
        apply(
            &mut store,
            Command::UpdateFinding {
                finding_id: FindingId(finding_id),
                finding: finding(title, "Planene sendes etter fristen."),
            },
        );
        if title.starts_with("Bjørn") {
            apply(
                &mut store,
                Command::SetFindingRequirements {
                    finding_id: FindingId(finding_id),
                    requirement_ids: vec![requirement],
                },
            );
        }
        store.close().expect("closed");
    }
    let mut mine = open_as(&mine_path, "Anne");
    let before = mine.snapshot().expect("read");
    let plan = mine.prepare_merge(&theirs_path, None).expect("a plan");
    let (choices, merged) = plan.decide_all(|c| c.can_keep_both().then_some(Choice::Both));
    assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
    assert_eq!(merged.open_conflicts(&choices).count(), 0);
    mine.merge_copy(&plan, plan.step(merged), None)
        .expect("merged");
    let case = mine.snapshot().expect("read");
    let titles: Vec<(&str, &[evalbench::domain::RequirementId])> = case
        .findings
        .iter()
        .map(|f| (f.fields.title.as_str(), f.requirement_ids.as_slice()))
        .collect();
    assert_eq!(
        titles,
        [
            ("Annes tittel", &[requirement][..]),
            ("Bjørns tittel", &[requirement][..])
        ],
        "mine stays, theirs comes beside it with its requirement"
    );
    assert!(
        case.uuids
            .contains_key(&format!("finding/{}", case.findings[1].id.0))
    );
    // One undo takes it all back.
    mine.undo().expect("undone");
    assert_eq!(mine.snapshot().expect("read").findings, before.findings);
    mine.close().expect("closed");
}

#[test]
fn different_cases_broken_chains_and_strangers_are_refused_and_neither_file_changes() {
    let dir = common::temp_dir();
    let (mine_path, theirs_path, _, _) = forked(&dir);
    let other = common::case_path(&dir, "other.evalcase");
    common::new_case(&other).close().expect("closed");
    let tampered = common::case_path(&dir, "tampered.evalcase");
    std::fs::copy(&theirs_path, &tampered).expect("copy");
    {
        let conn = rusqlite::Connection::open(&tampered).expect("sqlite");
        conn.execute("UPDATE journal SET author = 'Mallory' WHERE seq = 2", [])
            .expect("tampered");
    }
    let truncated = common::case_path(&dir, "truncated.evalcase");
    let bytes = std::fs::read(&theirs_path).expect("read");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).expect("write");

    let mine_before = std::fs::read(&mine_path).expect("read");
    let store = open_as(&mine_path, "Anne");
    let cases: [(&Path, Expect); 4] = [
        (&other, |e| {
            matches!(
                e,
                StoreError::MergeRefused {
                    why: MergeRefusal::DifferentCase { .. },
                    ..
                }
            )
        }),
        (&tampered, |e| {
            matches!(
                e,
                StoreError::MergeRefused {
                    why: MergeRefusal::BrokenChain { seq: 2, .. },
                    ..
                }
            )
        }),
        (&truncated, |e| {
            matches!(e, StoreError::Damaged { .. } | StoreError::NotACase { .. })
        }),
        (&mine_path, |e| {
            matches!(
                e,
                StoreError::MergeRefused {
                    why: MergeRefusal::SameFile,
                    ..
                }
            )
        }),
    ];
    for (path, expected) in cases {
        let before = std::fs::read(path).expect("read");
        let error = store.prepare_merge(path, None).expect_err("refused");
        assert!(expected(&error), "{}: {error:?}", path.display());
        assert!(
            error
                .to_string()
                .contains(&*path.file_name().expect("name").to_string_lossy())
        );
        assert_eq!(
            std::fs::read(path).expect("read"),
            before,
            "{} unchanged",
            path.display()
        );
    }
    store.close().expect("closed");
    assert_eq!(std::fs::read(&mine_path).expect("read"), mine_before);
}

#[test]
fn the_journal_and_apply_name_entities_by_identity_across_copies() {
    let dir = common::temp_dir();
    let (mine_path, theirs_path, interview_id, finding_id) = forked(&dir);
    let mut theirs = open_as(&theirs_path, "Bjørn");
    apply(
        &mut theirs,
        Command::UpdateFinding {
            finding_id: FindingId(finding_id),
            finding: finding("Bjørns tittel", "Planene sendes etter fristen."),
        },
    );
    theirs.close().expect("closed");
    let mut mine = open_as(&mine_path, "Anne");
    let case = mine.snapshot().expect("read");
    let finding_uuid = case.uuids[&format!("finding/{finding_id}")].clone();
    let excerpt = case.interviews[0].excerpts[0].id;
    let excerpt_uuid = case.uuids[&format!("excerpt/{}", excerpt.0)].clone();
    // A row the command deletes is named by its identity too.
    apply(
        &mut mine,
        Command::DeleteExcerpt {
            excerpt_id: excerpt,
        },
    );
    let journal = mine.journal().expect("journal");
    assert_eq!(
        journal.last().expect("a row").target,
        format!("excerpt/{excerpt_uuid}")
    );
    let plan = mine.prepare_merge(&theirs_path, None).expect("a plan");
    let merged = plan.merged(&Resolutions::new());
    // The preview knows who changed the finding in the other copy, by its identity.
    assert_eq!(
        plan.theirs_changes
            .get(&("finding".to_owned(), finding_uuid.clone()))
            .map(|(author, _)| author.as_str()),
        Some("Bjørn")
    );
    mine.merge_copy(&plan, plan.step(merged), None)
        .expect("merged");
    // The finding's history holds the other copy's edit of it.
    let history = mine
        .journal_for(&format!("finding/{finding_id}"))
        .expect("history");
    let theirs_row = history
        .iter()
        .find(|e| e.author == "Bjørn")
        .expect("the other copy's edit");
    assert_eq!(theirs_row.target, format!("finding/{finding_uuid}"));
    assert!(theirs_row.previous.is_some(), "marked as merged in");
    assert!(history.iter().any(|e| e.op() == "add_finding"));
    mine.close().expect("closed");

    // `apply` takes the identity in place of the row id, and refuses one this case lacks.
    let interview_uuid = case.uuids[&format!("interview/{interview_id}")].clone();
    let commands = dir.path().join("commands.jsonl");
    std::fs::write(
        &commands,
        format!(
            "{{\"op\":\"update_finding\",\"finding_id\":\"{finding_uuid}\",\"finding\":{{\"title\":\"Ny tittel\",\"description\":\"D\"}}}}\n"
        ),
    )
    .expect("written");
    let mine_s = mine_path.to_string_lossy().into_owned();
    let commands_s = commands.to_string_lossy().into_owned();
    let ok = evalbench(dir.path(), &[], &["apply", &mine_s, &commands_s]);
    assert!(ok.status.success(), "{}", text(&ok));
    let store = open_as(&mine_path, "x");
    let case = store.snapshot().expect("read");
    assert_eq!(case.findings[0].fields.title, "Ny tittel");
    store.close().expect("closed");
    let unknown = uuid::Uuid::now_v7();
    std::fs::write(
        &commands,
        format!(
            "{{\"op\":\"set_interview_notes\",\"interview_id\":\"{interview_uuid}\",\"notes\":\"x\"}}\n{{\"op\":\"delete_finding\",\"finding_id\":\"{unknown}\"}}\n"
        ),
    )
    .expect("written");
    let before = std::fs::read(&mine_path).expect("read");
    let refused = evalbench(dir.path(), &[], &["apply", &mine_s, &commands_s]);
    assert!(!refused.status.success());
    let output = text(&refused);
    assert!(
        output.contains("line 2") && output.contains(&unknown.to_string()),
        "{output}"
    );
    // Line 1 was applied and durable before line 2 was read; line 2 changed nothing.
    assert_ne!(std::fs::read(&mine_path).expect("read"), before);
    let store = open_as(&mine_path, "x");
    assert_eq!(store.snapshot().expect("read").findings.len(), 1);
    store.close().expect("closed");
}

#[test]
fn a_plan_workbook_from_one_copy_is_read_back_right_in_the_other() {
    use evalbench::domain::ActionFields;
    use evalbench::plan_exchange::{self, PlanFile, xlsx};
    let dir = common::temp_dir();
    let (a_path, b_path, _, _) = forked(&dir);
    // Each adds a deviation with an action: the same numbers name different rows in the two.
    for (path, who) in [(&a_path, "Anne"), (&b_path, "Bjørn")] {
        let mut store = open_as(path, who);
        let deviation = apply(
            &mut store,
            Command::AddFinding {
                kind: FindingKind::Deviation,
                finding: finding(&format!("{who}s avvik"), "Beskrivelse."),
                requirement_ids: vec![],
                evidence: vec![],
            },
        );
        apply(
            &mut store,
            Command::AddAction {
                finding_id: FindingId(deviation),
                action: ActionFields {
                    description: format!("{who}s tiltak"),
                    owner: "Leder for AFT".into(),
                    due_date: Some(date(2026, 6, 1)),
                    ..ActionFields::default()
                },
            },
        );
        store.close().expect("closed");
    }
    for (into, from) in [(&a_path, &b_path), (&b_path, &a_path)] {
        let mut store = open_as(into, "x");
        let plan = store.prepare_merge(from, None).expect("a plan");
        let merged = plan.merged(&Resolutions::new());
        assert!(merged.conflicts.is_empty());
        store
            .merge_copy(&plan, plan.step(merged), None)
            .expect("merged");
        store.close().expect("closed");
    }
    let read = |path: &Path| {
        let store = open_as(path, "x");
        let case = store.snapshot().expect("read");
        store.close().expect("closed");
        case
    };
    let (a, b) = (read(&a_path), read(&b_path));
    let number_of = |case: &evalbench::domain::CaseSnapshot, text: &str| {
        case.actions
            .iter()
            .find(|x| x.fields.description == text)
            .expect("the action")
            .id
    };
    assert_ne!(
        number_of(&a, "Bjørns tiltak"),
        number_of(&b, "Bjørns tiltak"),
        "the copies number the rows apart"
    );
    // The provider gets the workbook from Bjørn's copy and rewords Bjørn's action.
    let mut file = PlanFile::from_case(&b);
    for row in &mut file.actions {
        if row.description == "Bjørns tiltak" {
            row.description = "Bjørns tiltak, omformulert".into();
        }
    }
    let workbook = dir.path().join("plan.xlsx");
    xlsx::write(&file, evalbench::i18n::Lang::Nb, &workbook).expect("written");
    // Read back in Anne's copy: the same action changes, nothing else.
    let raw = xlsx::read(&workbook).expect("read");
    let changes = plan_exchange::check(&a, &raw, date(2026, 3, 1), evalbench::i18n::Lang::Nb)
        .expect("no problems");
    assert!(
        changes.added.is_empty() && changes.removed.is_empty(),
        "{changes:?}"
    );
    assert!(
        changes.ignored_edits.is_empty(),
        "{:?}",
        changes.ignored_edits
    );
    assert_eq!(changes.changed.len(), 1, "{changes:?}");
    let (id, _, after) = &changes.changed[0];
    assert_eq!(*id, number_of(&a, "Bjørns tiltak"));
    assert_eq!(after.description, "Bjørns tiltak, omformulert");
}

/// Runs the binary with `env`, its data folder in `dir` and no terminal to ask on.
fn evalbench(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(args)
        .env("EVALBENCH_DATA_DIR", dir.join("data"))
        .env_remove("EVALBENCH_PASSPHRASE")
        .env_remove("EVALBENCH_THEIRS_PASSPHRASE")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_command_line_copies_lists_conflicts_without_writing_and_merges_encrypted_copies() {
    let dir = common::temp_dir();
    let (plain, _, _, finding_id) = forked(&dir);
    let mine = dir.path().join("mine.evalcase");
    let theirs = dir.path().join("theirs.evalcase");
    let (mine_s, theirs_s) = (mine.to_string_lossy(), theirs.to_string_lossy());
    // Two encrypted copies with passphrases of their own.
    let run = evalbench(
        dir.path(),
        &[("EVALBENCH_NEW_PASSPHRASE", "annes lange passord")],
        &[
            "copy",
            &plain.to_string_lossy(),
            "--out",
            &mine_s,
            "--new-passphrase",
        ],
    );
    assert!(run.status.success(), "{}", text(&run));
    let run = evalbench(
        dir.path(),
        &[
            ("EVALBENCH_PASSPHRASE", "annes lange passord"),
            ("EVALBENCH_NEW_PASSPHRASE", "bjørns lange passord"),
        ],
        &["copy", &mine_s, "--out", &theirs_s, "--new-passphrase"],
    );
    assert!(run.status.success(), "{}", text(&run));
    assert!(evalbench::store::needs_passphrase(&theirs));

    for (path, key, title) in [
        (&mine, "annes lange passord", "Annes tittel"),
        (&theirs, "bjørns lange passord", "Bjørns tittel"),
    ] {
        let script = dir.path().join("edit.jsonl");
        std::fs::write(
            &script,
            format!(
                "{{\"op\":\"update_finding\",\"finding_id\":{finding_id},\"finding\":{{\"title\":\"{title}\",\"description\":\"\"}}}}\n"
            ),
        )
        .expect("script");
        let run = evalbench(
            dir.path(),
            &[("EVALBENCH_PASSPHRASE", key)],
            &["apply", &path.to_string_lossy(), &script.to_string_lossy()],
        );
        assert!(run.status.success(), "{}", text(&run));
    }
    let keys = [
        ("EVALBENCH_PASSPHRASE", "annes lange passord"),
        ("EVALBENCH_THEIRS_PASSPHRASE", "bjørns lange passord"),
    ];
    let before = std::fs::read(&mine).expect("read");
    let run = evalbench(
        dir.path(),
        &keys,
        &["merge", &mine_s, &theirs_s, "--accept"],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let said = text(&run);
    assert!(
        said.contains("Conflicts (1)") && said.contains("«Bjørns tittel»"),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&mine).expect("read"),
        before,
        "nothing written"
    );

    let wrong = [
        ("EVALBENCH_PASSPHRASE", "annes lange passord"),
        ("EVALBENCH_THEIRS_PASSPHRASE", "feil passord her"),
    ];
    let run = evalbench(
        dir.path(),
        &wrong,
        &["merge", &mine_s, &theirs_s, "--accept"],
    );
    assert!(!run.status.success());
    assert!(text(&run).contains("theirs.evalcase"), "{}", text(&run));
    assert_eq!(
        std::fs::read(&mine).expect("read"),
        before,
        "nothing written"
    );

    let run = evalbench(
        dir.path(),
        &keys,
        &[
            "merge", &mine_s, &theirs_s, "--prefer", "theirs", "--accept",
        ],
    );
    assert!(run.status.success(), "{}", text(&run));
    let run = evalbench(dir.path(), &keys[..1], &["audit", &mine_s, "--verify"]);
    let said = text(&run);
    assert!(run.status.success(), "{said}");
    assert!(
        said.contains("merge_copy") && said.contains("copy:"),
        "{said}"
    );
    let key = evalbench::store::Passphrase::new("annes lange passord").expect("key");
    let case = evalbench::store::read_case_keyed(&mine, Some(&key)).expect("read");
    assert_eq!(case.findings[0].fields.title, "Bjørns tittel");
}

/// Takes a current case back to schema 9, as a copy made before team work would be.
fn as_schema_9(path: &Path) {
    common::schema_back_to_10(path);
    let conn = rusqlite::Connection::open(path).unwrap();
    for table in [
        "interview",
        "excerpt",
        "document_review",
        "finding",
        "action",
        "plan_import_row",
    ] {
        conn.execute_batch(&format!(
            "DROP INDEX {table}_uuid; ALTER TABLE {table} DROP COLUMN uuid;"
        ))
        .unwrap();
    }
    conn.execute_batch("DROP TABLE merged_journal; PRAGMA user_version = 9;")
        .unwrap();
}

#[test]
fn two_copies_of_an_older_file_upgraded_apart_name_their_rows_alike_and_merge() {
    let dir = common::temp_dir();
    let (mine_path, theirs_path, interview_id, finding_id) = forked(&dir);
    as_schema_9(&mine_path);
    std::fs::copy(&mine_path, &theirs_path).unwrap();
    assert_eq!(evalbench::store::inspect(&theirs_path).unwrap(), 9);

    let mut mine = open_as(&mine_path, "Anne");
    apply(
        &mut mine,
        Command::SetInterviewNotes {
            interview_id: InterviewId(interview_id),
            notes: "Første avsnitt om planer.\nAndre avsnitt om oppfølging, nå utdypet.\nTredje avsnitt om kompetanse.\n".into(),
        },
    );
    let mut theirs = open_as(&theirs_path, "Bjørn");
    apply(
        &mut theirs,
        Command::UpdateFinding {
            finding_id: FindingId(finding_id),
            finding: finding("Planer kommer for sent", "Planene sendes etter fristen."),
        },
    );
    // The rows both had before the upgrade carry the same identities in both.
    let (a, b) = (
        mine.merge_snapshot().unwrap(),
        theirs.merge_snapshot().unwrap(),
    );
    for table in ["interview", "excerpt", "finding"] {
        let keys = |s: &evalbench::merge::Snapshot| {
            s.rows(table).unwrap().keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(keys(&a), keys(&b), "{table}");
        assert!(!keys(&a).is_empty());
    }
    theirs.close().unwrap();

    let plan = mine.prepare_merge(&theirs_path, None).unwrap();
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    mine.merge_copy(&plan, plan.step(merged), None).unwrap();
    let case = mine.snapshot().unwrap();
    assert_eq!(case.findings[0].fields.title, "Planer kommer for sent");
    assert!(case.interviews[0].notes.contains("nå utdypet"));
}

#[test]
fn a_merge_worked_out_before_a_later_edit_is_refused_and_the_edit_kept() {
    let dir = common::temp_dir();
    let (mine_path, theirs_path, _, finding_id) = forked(&dir);
    let mut theirs = open_as(&theirs_path, "Bjørn");
    apply(
        &mut theirs,
        Command::UpdateFinding {
            finding_id: FindingId(finding_id),
            finding: finding("Bjørns tittel", "Planene sendes etter fristen."),
        },
    );
    theirs.close().unwrap();
    let mut mine = open_as(&mine_path, "Anne");
    let plan = mine.prepare_merge(&theirs_path, None).unwrap();
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty());
    // An edit while the preview is open.
    apply(
        &mut mine,
        Command::UpdateFinding {
            finding_id: FindingId(finding_id),
            finding: finding("Annes nyere tittel", "Planene sendes etter fristen."),
        },
    );
    let error = mine
        .merge_copy(&plan, plan.step(merged), None)
        .expect_err("refused");
    assert!(matches!(
        error,
        StoreError::Rejected(evalbench::domain::Rejection::MergeDoesNotFit { .. })
    ));
    assert_eq!(
        mine.snapshot().unwrap().findings[0].fields.title,
        "Annes nyere tittel"
    );
    // Worked out again, the later edit and the copy's are a conflict to decide.
    let plan = mine.prepare_merge(&theirs_path, None).unwrap();
    assert_eq!(plan.merged(&Resolutions::new()).conflicts.len(), 1);
}
