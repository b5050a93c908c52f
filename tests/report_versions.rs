//! Report versions kept as sent: a draft for comment, then the final report. The kept bytes
//! never change through later edits, undo, redo or a merge with a colleague's copy; the rules
//! (final only after a draft, nothing after final) refuse with nothing kept; the command line
//! writes exactly the file it keeps and extracts it again.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;

use evalbench::command::Command;
use evalbench::domain::{FindingFields, FindingKind, Rejection, ReportKind};
use evalbench::merge::Resolutions;
use evalbench::store::{CaseStore, StoreError};
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn demo(dir: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    let path = common::case_path(dir, name);
    evalbench::demo::write_demo(&path).unwrap();
    path
}

/// Every kept version's bytes, by number, each checked against the hash it was kept under.
fn kept(store: &CaseStore) -> Vec<(usize, ReportKind, String)> {
    store
        .report_versions()
        .unwrap()
        .iter()
        .map(|v| {
            let (version, bytes) = store.report_version_bytes(v.number).unwrap().unwrap();
            assert_eq!(sha(&bytes), version.sha256);
            (version.number, version.kind, sha(&bytes))
        })
        .collect()
}

/// Merges the copy at `theirs` into `store`, which must bring no conflict.
fn merge_into(store: &mut CaseStore, theirs: &Path) {
    let plan = store.prepare_merge(theirs, None).unwrap();
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    store.merge_copy(&plan, plan.step(merged), None).unwrap();
}

fn render(store: &CaseStore, kind: ReportKind) -> Vec<u8> {
    let snapshot = store.snapshot().unwrap();
    evalbench::export::render_report_version(
        &snapshot,
        kind,
        Some(jiff::civil::date(2026, 3, 1)),
        evalbench::i18n::Lang::Nb,
        jiff::civil::date(2026, 2, 15),
    )
    .unwrap()
}

#[test]
fn kept_versions_never_change_through_edits_undo_redo_and_merges() {
    let dir = common::temp_dir();
    let path = demo(&dir, "case.evalcase");
    let mut store = CaseStore::open(&path).unwrap();
    let draft = render(&store, ReportKind::Draft);
    let version = store
        .keep_report_version(
            ReportKind::Draft,
            Some(jiff::civil::date(2026, 3, 1)),
            "Kari Evaluator",
            "utkast.pdf",
            &draft,
        )
        .unwrap();
    assert_eq!(version.number, 1);
    assert_eq!(version.sha256, sha(&draft));
    assert_eq!(
        store.snapshot().unwrap().report_versions,
        vec![version.clone()]
    );
    let before = kept(&store);

    // A colleague's copy, taken now, goes on apart.
    let theirs = common::case_path(&dir, "theirs.evalcase");
    std::fs::copy(&path, &theirs).unwrap();

    // Later edits change the report, never the kept draft; undo and redo neither.
    store
        .apply(&Command::AddFinding {
            kind: FindingKind::ImprovementArea,
            finding: FindingFields {
                title: "Lagt til etter utkastet".into(),
                description: "Endrer rapporten, ikke utkastet.".into(),
            },
            requirement_ids: vec![],
            evidence: vec![],
        })
        .unwrap();
    assert_ne!(sha(&render(&store, ReportKind::Draft)), before[0].2);
    store.undo().unwrap().unwrap();
    store.redo().unwrap().unwrap();
    assert_eq!(kept(&store), before);

    // The final version, then a merge of the colleague's copy (which has the draft only).
    let final_bytes = render(&store, ReportKind::Final);
    store
        .keep_report_version(
            ReportKind::Final,
            None,
            "Kari Evaluator",
            "rapport.pdf",
            &final_bytes,
        )
        .unwrap();
    let both = kept(&store);
    assert_eq!(both.len(), 2);
    merge_into(&mut store, &theirs);
    assert_eq!(
        kept(&store),
        both,
        "the merge keeps both versions as they were"
    );
    store.close().unwrap();

    // And the other way: the colleague's copy receives both versions, bytes and all.
    let mut other = CaseStore::open(&theirs).unwrap();
    merge_into(&mut other, &path);
    assert_eq!(kept(&other), both, "numbered alike in both copies");

    // Nothing in SQL changes a kept version either: the schema refuses.
    other.close().unwrap();
    let conn = rusqlite::Connection::open(&theirs).unwrap();
    let refused = conn.execute("UPDATE report_version SET file_name = 'x.pdf'", []);
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("a kept report version does not change")
    );
}

#[test]
fn undoing_the_keep_removes_the_version_and_redo_brings_back_the_same_bytes() {
    let dir = common::temp_dir();
    let path = demo(&dir, "case.evalcase");
    let mut store = CaseStore::open(&path).unwrap();
    let draft = render(&store, ReportKind::Draft);
    store
        .keep_report_version(
            ReportKind::Draft,
            None,
            "Kari Evaluator",
            "utkast.pdf",
            &draft,
        )
        .unwrap();
    let before = kept(&store);
    store.undo().unwrap().unwrap();
    assert!(store.report_versions().unwrap().is_empty());
    store.redo().unwrap().unwrap();
    assert_eq!(kept(&store), before);
}

#[test]
fn final_needs_a_draft_and_nothing_follows_final_with_nothing_kept() {
    let dir = common::temp_dir();
    let path = demo(&dir, "case.evalcase");
    let mut store = CaseStore::open(&path).unwrap();
    let bytes = render(&store, ReportKind::Final);
    let journal = store.journal().unwrap().len();
    assert!(matches!(
        store.keep_report_version(ReportKind::Final, None, "K", "f.pdf", &bytes),
        Err(StoreError::Rejected(Rejection::ReportNoDraft))
    ));
    assert!(store.report_versions().unwrap().is_empty());
    assert_eq!(store.journal().unwrap().len(), journal, "nothing journaled");
    store
        .keep_report_version(
            ReportKind::Draft,
            None,
            "K",
            "d.pdf",
            &render(&store, ReportKind::Draft),
        )
        .unwrap();
    store
        .keep_report_version(ReportKind::Final, None, "K", "f.pdf", &bytes)
        .unwrap();
    let journal = store.journal().unwrap().len();
    for kind in [ReportKind::Draft, ReportKind::Final] {
        assert!(matches!(
            store.keep_report_version(kind, None, "K", "x.pdf", b"other bytes"),
            Err(StoreError::Rejected(Rejection::ReportAlreadyFinal))
        ));
    }
    assert_eq!(store.report_versions().unwrap().len(), 2);
    assert_eq!(store.journal().unwrap().len(), journal);
    // A command naming a file the case does not hold is refused too.
    assert!(matches!(
        store.apply(&Command::KeepReportVersion {
            kind: ReportKind::Draft,
            answer_by: None,
            made_by: "K".into(),
            file_name: "x.pdf".into(),
            sha256: "00".repeat(32),
        }),
        Err(StoreError::Rejected(_))
    ));
}

fn evalbench(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .current_dir(dir)
        .env("EVALBENCH_AUTHOR", "Kari Evaluator")
        .env("EVALBENCH_DATA_DIR", dir.join("data"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_command_line_keeps_what_it_writes_and_extracts_it_again() {
    let dir = common::temp_dir();
    let path = demo(&dir, "case.evalcase");
    let case = path.to_str().unwrap();
    let d = dir.path();

    // Final before a draft: refused, the case file untouched, no output written.
    let before = std::fs::read(&path).unwrap();
    let out = evalbench(
        d,
        &[
            "report",
            "final",
            case,
            "--out",
            "final.pdf",
            "--lang",
            "nb",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("before a draft"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!d.join("final.pdf").exists());

    // An answer-by day in the past, and --extract without --out: refused, nothing changed.
    let out = evalbench(
        d,
        &[
            "report",
            "draft",
            case,
            "--out",
            "past.pdf",
            "--answer-by",
            "2020-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--answer-by: 2020-01-01 is in the past")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!d.join("past.pdf").exists());
    let out = evalbench(d, &["versions", case, "--extract", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--extract needs --out"));

    let out = evalbench(
        d,
        &[
            "report",
            "draft",
            case,
            "--out",
            "utkast.pdf",
            "--lang",
            "nb",
            "--answer-by",
            "2099-03-01",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read(d.join("utkast.pdf")).unwrap();
    if let Some(text) = common::pdf_text(&d.join("utkast.pdf")) {
        assert!(
            text.contains("UTKAST") && text.contains("Svar innen 01.03.2099"),
            "{text}"
        );
    }

    let out = evalbench(
        d,
        &[
            "report",
            "final",
            case,
            "--out",
            "rapport.pdf",
            "--lang",
            "nb",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(text) = common::pdf_text(&d.join("rapport.pdf")) {
        assert!(!text.contains("UTKAST"), "{text}");
    }

    let out = evalbench(d, &["versions", case]);
    let listing = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 2, "{listing}");
    assert!(
        lines[0].starts_with("1\tdraft\t")
            && lines[0].contains("\t2099-03-01\tKari Evaluator\tutkast.pdf\t")
    );
    assert!(lines[0].ends_with(&sha(&written)));
    assert!(lines[1].starts_with("2\tfinal\t"));

    let out = evalbench(
        d,
        &["versions", case, "--extract", "1", "--out", "again.pdf"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(d.join("again.pdf")).unwrap(), written);

    let out = evalbench(
        d,
        &["versions", case, "--extract", "3", "--out", "none.pdf"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no report version 3 (it has 2)"));
    assert!(!d.join("none.pdf").exists());

    let before = std::fs::read(&path).unwrap();
    let out = evalbench(d, &["report", "draft", case, "--out", "late.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("The report is final"));
    assert_eq!(std::fs::read(&path).unwrap(), before);

    let out = evalbench(d, &["audit", case, "--verify"]);
    assert!(out.status.success());
}

/// The provider's response to a finding: stored, undone, carried by a merge (its text merged like
/// other texts), and shown in the report's appendix with whether the finding was changed.
#[test]
fn a_providers_response_is_kept_per_finding_merged_and_reported() {
    use evalbench::domain::{FindingId, ProviderResponse, ResponseStance};

    let dir = common::temp_dir();
    let path = demo(&dir, "case.evalcase");
    let theirs = common::case_path(&dir, "theirs.evalcase");
    std::fs::copy(&path, &theirs).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    let finding = store.snapshot().unwrap().findings[0].clone();
    let response = ProviderResponse {
        stance: ResponseStance::CorrectsFact,
        text: "Planen ble levert 3. februar.".into(),
        changed: true,
    };
    store
        .apply(&Command::SetFindingResponse {
            finding_id: finding.id,
            response: Some(response.clone()),
        })
        .unwrap();
    let case = store.snapshot().unwrap();
    assert_eq!(case.findings[0].response.as_ref(), Some(&response));
    let report = evalbench::export::markdown::report(&case, evalbench::i18n::Lang::Nb);
    let appendix = report
        .split("## Arrangørens tilsvar")
        .nth(1)
        .expect("the appendix");
    assert!(
        appendix.contains(&finding.fields.title)
            && appendix.contains("*Retter faktafeil*: Planen ble levert 3. februar.")
            && appendix.contains("Funnet er endret etter tilsvaret."),
        "{appendix}"
    );

    // Undo clears it; no appendix without responses.
    store.undo().unwrap().unwrap();
    let case = store.snapshot().unwrap();
    assert!(case.findings[0].response.is_none());
    assert!(
        !evalbench::export::markdown::report(&case, evalbench::i18n::Lang::Nb)
            .contains("Arrangørens tilsvar")
    );
    store.redo().unwrap().unwrap();
    store.close().unwrap();

    // A colleague's copy receives it with a merge.
    let mut other = CaseStore::open(&theirs).unwrap();
    merge_into(&mut other, &path);
    let case = other.snapshot().unwrap();
    let same = case
        .findings
        .iter()
        .find(|f| f.fields.title == finding.fields.title)
        .unwrap();
    assert_eq!(same.response.as_ref(), Some(&response));

    // A finding the case does not have is refused, nothing changed.
    assert!(matches!(
        other.apply(&Command::SetFindingResponse {
            finding_id: FindingId(9999),
            response: Some(response),
        }),
        Err(StoreError::Rejected(Rejection::Missing { .. }))
    ));
}

/// The final version says what changed in the findings since the draft: added, removed, kind
/// changed and reworded, each by its title — and nothing for what did not change.
#[test]
fn the_final_report_lists_what_changed_since_the_draft() {
    let dir = common::temp_dir();
    let path = demo(&dir, "case.evalcase");
    let mut store = CaseStore::open(&path).unwrap();
    let draft = render(&store, ReportKind::Draft);
    store
        .keep_report_version(ReportKind::Draft, None, "K", "utkast.pdf", &draft)
        .unwrap();
    let lang = evalbench::i18n::Lang::Nb;
    let lines = |store: &CaseStore| {
        evalbench::export::report::change_lines(&store.snapshot().unwrap(), lang)
    };
    assert!(lines(&store).is_empty(), "{:?}", lines(&store));

    let findings = store.snapshot().unwrap().findings;
    // A finding without actions, so its kind may change.
    let actionless = findings
        .iter()
        .find(|f| f.kind != FindingKind::Deviation)
        .unwrap()
        .clone();
    let reworded = findings
        .iter()
        .find(|f| f.id != actionless.id && f.kind != FindingKind::Deviation)
        .unwrap()
        .clone();
    let removed = findings
        .iter()
        .find(|f| f.id != actionless.id && f.id != reworded.id && f.kind != FindingKind::Deviation)
        .unwrap()
        .clone();
    let new_kind = if actionless.kind == FindingKind::GoodPractice {
        FindingKind::ImprovementArea
    } else {
        FindingKind::GoodPractice
    };
    store
        .apply(&Command::SetFindingKind {
            finding_id: actionless.id,
            kind: new_kind,
        })
        .unwrap();
    store
        .apply(&Command::UpdateFinding {
            finding_id: reworded.id,
            finding: FindingFields {
                title: reworded.fields.title.clone(),
                description: format!("{} Rettet etter tilsvaret.", reworded.fields.description),
            },
        })
        .unwrap();
    store
        .apply(&Command::DeleteFinding {
            finding_id: removed.id,
        })
        .unwrap();
    store
        .apply(&Command::AddFinding {
            kind: FindingKind::ImprovementArea,
            finding: FindingFields {
                title: "Nytt etter utkastet".into(),
                description: String::new(),
            },
            requirement_ids: vec![],
            evidence: vec![],
        })
        .unwrap();
    let changes = lines(&store);
    assert!(
        changes.contains(&"Nytt funn: Nytt etter utkastet".to_owned()),
        "{changes:?}"
    );
    assert!(
        changes.contains(&format!("Fjernet: {}", removed.fields.title)),
        "{changes:?}"
    );
    assert!(
        changes.contains(&format!("Omformulert: {}", reworded.fields.title)),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("Endret fra") && c.ends_with(&actionless.fields.title)),
        "{changes:?}"
    );
    assert_eq!(changes.len(), 4, "{changes:?}");

    // The final version carries the list.
    let final_bytes = render(&store, ReportKind::Final);
    let out = dir.path().join("final.pdf");
    std::fs::write(&out, &final_bytes).unwrap();
    if let Some(text) = common::pdf_text(&out) {
        assert!(
            text.contains("Endringer etter utkastet") && text.contains("Nytt etter utkastet"),
            "{text}"
        );
    }
}
