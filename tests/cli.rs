//! The `evalbench` binary from outside: demo, new, check, export, apply.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use evalbench::export::json::CaseExport;
use evalbench::store::CaseStore;

/// The binary in a Norwegian locale: reports and guides default to the environment's language.
fn evalbench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(args)
        .envs(NORWEGIAN)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The binary with its data folder (backups, imported catalogs) at `data`.
fn evalbench_in(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(args)
        .envs(NORWEGIAN)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("EVALBENCH_DATA_DIR", data)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

const NORWEGIAN: [(&str, &str); 1] = [("LANG", "nb_NO.UTF-8")];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn demo_then_check_is_healthy() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "d.evalcase");
    let out = evalbench(&["demo", s(&path)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = evalbench(&["check", s(&path)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("integrity: ok"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "schema version: {}",
            evalbench::store::LATEST_VERSION
        )),
        "{stdout}"
    );
    assert!(stdout.contains("interviews: 12"), "{stdout}");
    assert!(stdout.contains("document reviews: 6"), "{stdout}");
    assert!(stdout.contains("findings: 15"), "{stdout}");
    assert!(stdout.lines().any(|l| l == "healthy"));
    // The invented demo holds no identity number, e-mail address or phone number.
    let out = evalbench(&["scan", s(&path)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        common::files_in(dir.path()),
        ["d.evalcase"],
        "one file after the process ends"
    );
    // Writing the demo again over an existing file is refused.
    let again = evalbench(&["demo", s(&path)]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"));
}

#[test]
fn check_refuses_a_non_case_with_a_message() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "junk.evalcase");
    std::fs::write(&path, b"hello").unwrap();
    let out = evalbench(&["check", s(&path)]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("junk.evalcase") && stderr.contains("not an Evalbench case"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"hello");
}

#[test]
fn new_case_from_catalog_and_bad_org_number() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "n.evalcase");
    let out = evalbench(&[
        "new",
        s(&path),
        "--provider",
        "Ny Bedrift AS",
        "--measure",
        "vta",
        "--org-number",
        "974 760 673",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let snapshot = CaseStore::open(&path).unwrap().snapshot().unwrap();
    assert_eq!(snapshot.facts.provider_name, "Ny Bedrift AS");
    assert_eq!(snapshot.catalog.unwrap().id, "nav-vta");
    assert!(!snapshot.requirements.is_empty());

    let bad = common::case_path(&dir, "bad.evalcase");
    let out = evalbench(&[
        "new",
        s(&bad),
        "--provider",
        "X",
        "--measure",
        "aft",
        "--org-number",
        "974760674",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("check digit"),
        "{}",
        text(&out.stderr)
    );
    assert!(!bad.exists());
}

#[test]
fn json_export_round_trips_and_markdown_reads_well() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "e.evalcase");
    assert!(evalbench(&["demo", s(&path)]).status.success());
    let json_path = common::case_path(&dir, "e.json");
    let out = evalbench(&[
        "export",
        s(&path),
        "--format",
        "json",
        "--out",
        s(&json_path),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = std::fs::read_to_string(&json_path).unwrap();
    let export: CaseExport = serde_json::from_str(&json).unwrap();
    assert_eq!(export.format, "evalbench-case");
    assert_eq!(export.schema_version, 1);
    let snapshot = CaseStore::open(&path).unwrap().snapshot().unwrap();
    assert_eq!(export.case, snapshot);
    assert_eq!(
        serde_json::to_string_pretty(&export).unwrap(),
        json,
        "stable serialisation"
    );

    let md_path = common::case_path(&dir, "e.md");
    let out = evalbench(&["export", s(&path), "--format", "md", "--out", s(&md_path)]);
    assert!(out.status.success());
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.starts_with(&format!(
        "# Kvalitetsevaluering: {}",
        snapshot.facts.provider_name
    )));
    assert!(md.contains("## Sammendrag") && md.contains("## Handlingsplan"));
    // Interview notes never reach the report; unshared quotes neither.
    let notes = &snapshot.interviews[0].notes;
    assert!(!md.contains(notes.as_str()));
    for excerpt in snapshot
        .interviews
        .iter()
        .flat_map(|i| &i.excerpts)
        .filter(|e| !e.shareable)
    {
        assert!(
            !md.contains(&format!("«{}»", excerpt.quote)),
            "unshared quote leaked: {}",
            excerpt.quote
        );
    }
}

#[test]
fn apply_commits_line_by_line_and_stops_at_a_bad_line() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "a.evalcase");
    common::new_case(&path).close().unwrap();
    let jsonl = common::case_path(&dir, "cmds.jsonl");
    std::fs::write(
        &jsonl,
        concat!(
            "{\"op\":\"set_phase\",\"phase\":\"data_collection\"}\n",
            "\n",
            "{\"op\":\"add_interview\",\"interview\":{\"date\":\"2026-02-12\",\"role\":\"measure_coordinator\",\"interviewees\":[\"Tiltakskoordinator\"]},\"notes\":\"Notater.\"}\n",
            "{\"op\":\"set_phase\",\"phase\":\"nonsense\"}\n",
            "{\"op\":\"set_phase\",\"phase\":\"closed\"}\n",
        ),
    )
    .unwrap();
    let out = evalbench(&["apply", s(&path), s(&jsonl)]);
    assert!(!out.status.success());
    assert_eq!(text(&out.stdout), "ok 1 case\nok 3 interview/1\n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 4") && stderr.contains("nonsense"),
        "{stderr}"
    );
    let snapshot = CaseStore::open(&path).unwrap().snapshot().unwrap();
    assert_eq!(
        snapshot.phase,
        evalbench::domain::Phase::DataCollection,
        "line 5 was never applied"
    );
    assert_eq!(snapshot.interviews.len(), 1);

    // A command the store refuses stops the run the same way, naming the line.
    std::fs::write(
        &jsonl,
        "{\"op\":\"delete_interview\",\"interview_id\":42}\n",
    )
    .unwrap();
    let out = evalbench(&["apply", s(&path), s(&jsonl)]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 1")
            && stderr.contains("interview 42 is not (or no longer) in the case"),
        "{stderr}"
    );
}

#[test]
fn apply_reads_standard_input() {
    use std::io::Write;
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "stdin.evalcase");
    common::new_case(&path).close().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(["apply", s(&path), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"op\":\"set_outcome\",\"outcome\":{\"year\":2025,\"ended\":10,\"to_work\":4,\"to_education\":1,\"to_other\":5}}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "ok 1 outcome/2025\n");
}

/// A case seeded with valid and invalid numbers: `scan` lists exactly the valid ones, masked.
#[test]
fn scan_finds_exactly_the_valid_numbers_in_a_case() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "scan.evalcase");
    common::new_case(&path).close().unwrap();
    let commands = dir.path().join("seed.jsonl");
    // Valid: 02013299997 (fødselsnummer), 420132 + check digits (D-nummer) built below,
    // an e-mail and a phone number. Invalid: a wrong check digit, a date, an org number.
    let notes = "D-01 oppga 020132 99997 ved en feil. Feil: 02013299998. \
                 Dato 12.02.2026, org.nr. 921 734 581. Epost d01@eksempel.no, tlf 912 34 567.";
    let line = serde_json::json!({
        "op": "add_interview",
        "interview": {"date": "2026-02-03", "role": "participant", "interviewees": ["D-01"],
                      "setting": "individual", "channel": "in_person"},
        "notes": notes
    });
    let finding = serde_json::json!({
        "op": "add_finding", "kind": "deviation",
        "finding": {"title": "Fnr 30108299920 i skjema", "description": "Ingen tall her: 30108299921."}
    });
    std::fs::write(&commands, format!("{line}\n{finding}\n")).unwrap();
    let out = evalbench(&["apply", s(&path), s(&commands)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = std::fs::read(&path).unwrap();

    let out = evalbench(&["scan", s(&path)]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    let column = |part: &str| notes[..notes.find(part).unwrap()].chars().count() + 1;
    assert_eq!(
        lines,
        [
            format!(
                "fodselsnummer\tinterview/1 notes 1:{}\t****** ***97",
                column("020132")
            ),
            format!(
                "e-post\tinterview/1 notes 1:{}\td**@eksempel.no",
                column("d01@")
            ),
            format!(
                "telefon\tinterview/1 notes 1:{}\t*** ** *67",
                column("912 34")
            ),
            "fodselsnummer\tfinding/1 title 1:5\t*********20".to_owned(),
        ]
    );
    assert!(!stdout.contains("99997 "), "never the number in full");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "scanning writes nothing"
    );
}

#[test]
fn scan_reads_text_files_and_stdin_and_says_what_is_wrong() {
    let dir = common::temp_dir();
    let clean = dir.path().join("clean.txt");
    std::fs::write(
        &clean,
        "Ingen personopplysninger. Dato 01.02.2026, beløp 1234567.\n",
    )
    .unwrap();
    let out = evalbench(&["scan", s(&clean)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());

    let mut child = Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(["scan", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        "linje en\nfnr: 02013299997\n".as_bytes(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "fodselsnummer\t2:6\t*********97\n");

    let binary = dir.path().join("bilde.png");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0xff, 0xfe]).unwrap();
    let out = evalbench(&["scan", s(&binary)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bilde.png"),
        "{}",
        text(&out.stderr)
    );
}

/// Nothing leaves with an identity number in it: export refuses with the list, or masks with
/// --redact.
#[test]
fn export_refuses_identity_numbers_unless_redacted() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "fnr.evalcase");
    common::new_case(&path).close().unwrap();
    let commands = dir.path().join("seed.jsonl");
    let line = serde_json::json!({
        "op": "add_interview",
        "interview": {"date": "2026-02-03", "role": "participant", "interviewees": ["D-02"],
                      "setting": "individual", "channel": "in_person"},
        "notes": "Deltakeren leste opp 02013299997 fra et brev."
    });
    std::fs::write(&commands, format!("{line}\n")).unwrap();
    assert!(
        evalbench(&["apply", s(&path), s(&commands)])
            .status
            .success()
    );

    for format in ["json", "md"] {
        let out_path = dir.path().join(format!("out.{format}"));
        let out = evalbench(&[
            "export",
            s(&path),
            "--format",
            format,
            "--out",
            s(&out_path),
        ]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("nothing was exported"), "{stderr}");
        assert!(stderr.contains("interview/1 notes 1:22"), "{stderr}");
        assert!(!stderr.contains("02013299997"), "never in full: {stderr}");
        assert!(!out_path.exists(), "a refused export writes nothing");

        let out = evalbench(&[
            "export",
            s(&path),
            "--format",
            format,
            "--out",
            s(&out_path),
            "--redact",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let written = std::fs::read_to_string(&out_path).unwrap();
        assert!(!written.contains("02013299997"), "{format}");
        if format == "json" {
            assert!(written.contains("*********97 fra et brev"), "{written}");
        }
    }
}

/// Backups are listed newest first and one command restores one, after keeping a copy of the
/// case as it was.
#[test]
fn backups_are_listed_and_one_is_restored() {
    let dir = common::temp_dir();
    let data = dir.path().join("data");
    let path = common::case_path(&dir, "b.evalcase");
    let store = common::new_case(&path);
    let case_id = store.snapshot().unwrap().case_id;
    let backups = evalbench::backups::Backups::at(data.join("backups"));
    assert!(
        backups
            .daily(&store, &case_id, jiff::Zoned::now().date())
            .unwrap()
            .is_some()
    );
    assert!(
        backups
            .daily(&store, &case_id, jiff::Zoned::now().date())
            .unwrap()
            .is_none(),
        "one a day"
    );
    store.close().unwrap();

    let with_data = |args: &[&str]| evalbench_in(&data, args);
    let commands = dir.path().join("c.jsonl");
    std::fs::write(&commands, "{\"op\":\"set_phase\",\"phase\":\"closed\"}\n").unwrap();
    assert!(
        with_data(&["apply", s(&path), s(&commands)])
            .status
            .success()
    );

    let out = with_data(&["backups", s(&path)]);
    let listing = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(listing.lines().count(), 1, "{listing}");
    assert!(
        listing.starts_with("1\t") && listing.contains("\tdaily\t"),
        "{listing}"
    );

    let out = with_data(&["backups", s(&path), "--restore", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("has 1 backup"),
        "{}",
        text(&out.stderr)
    );

    let out = with_data(&["backups", s(&path), "--restore", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let restored = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    assert_eq!(restored.phase, evalbench::domain::Phase::Planning);
    assert_eq!(restored.case_id, case_id);
    let after = backups.list(&case_id);
    assert_eq!(after.len(), 2);
    assert_eq!(after[0].reason, evalbench::backups::Reason::BeforeRestore);
    let kept = CaseStore::open_read_only(&after[0].path)
        .unwrap()
        .snapshot()
        .unwrap();
    assert_eq!(
        kept.phase,
        evalbench::domain::Phase::Closed,
        "the undone state is kept"
    );
    assert_eq!(
        common::files_in(dir.path()),
        ["b.evalcase", "c.jsonl", "data"]
    );
}

#[test]
fn backups_rotate_keeping_the_newest() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "r.evalcase");
    let store = common::new_case(&path);
    let case_id = store.snapshot().unwrap().case_id;
    let backups = evalbench::backups::Backups::at(dir.path().join("backups"));
    let mut taken = Vec::new();
    for _ in 0..evalbench::backups::KEEP + 2 {
        taken.push(
            backups
                .take(&store, &case_id, evalbench::backups::Reason::Daily)
                .unwrap(),
        );
    }
    let kept: Vec<_> = backups.list(&case_id).into_iter().map(|b| b.path).collect();
    assert_eq!(kept.len(), evalbench::backups::KEEP);
    taken.reverse();
    assert_eq!(
        kept,
        taken[..evalbench::backups::KEEP],
        "newest first, oldest gone"
    );
}

/// The audit trail lists every command, undo included, and `--verify` catches an edited row.
#[test]
fn audit_lists_the_journal_and_detects_an_edit() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "audit.evalcase");
    let mut store = common::new_case(&path);
    store
        .apply(&evalbench::command::Command::SetPhase {
            phase: evalbench::domain::Phase::Analysis,
        })
        .unwrap();
    store.undo().unwrap().unwrap();
    store.close().unwrap();

    let out = evalbench(&["audit", s(&path), "--verify"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(
        lines[0].contains("\tedit\tupdate_case_facts\tcase"),
        "{stdout}"
    );
    assert!(lines[2].contains("\tedit\tset_phase\tcase"), "{stdout}");
    assert!(
        lines[3].contains("\tundo of 3\tset_phase\tcase"),
        "{stdout}"
    );
    assert_eq!(lines[4], "chain intact: 4 entries");

    // Someone rewrites history: the phase change is made to look like another phase.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE journal SET command = replace(command, 'analysis', 'report') WHERE seq = 3",
        [],
    )
    .unwrap();
    drop(raw);
    let out = evalbench(&["audit", s(&path), "--verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout)
            .ends_with("chain broken at entry 3: the journal was changed after it was written\n"),
        "{}",
        text(&out.stdout)
    );
}

/// Importing a catalog: a broken file names its line and changes nothing; a valid one is listed
/// and shown; a different catalog under the same id and version is refused.
#[test]
fn catalog_import_validates_and_lists() {
    let dir = common::temp_dir();
    let data = dir.path().join("data");
    let run = |args: &[&str]| evalbench_in(&data, args);
    let list_before = text(&run(&["catalog", "list"]).stdout);
    assert_eq!(list_before.lines().count(), 6, "{list_before}");

    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"format\":\"evalbench-catalog\",\"format_version\":1,\n\"id\":\"lokal\",\n\"version\" \"1\"}\n",
    )
    .unwrap();
    let out = run(&["catalog", "import", s(&broken)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("broken.json, line 3"), "{stderr}");
    assert!(stderr.contains("Nothing was imported"), "{stderr}");
    assert_eq!(text(&run(&["catalog", "list"]).stdout), list_before);

    let good = dir.path().join("lokal.json");
    let catalog = serde_json::json!({
        "format": "evalbench-catalog", "format_version": 1, "id": "lokal", "version": "2026-11",
        "title": "Lokal sjekkliste", "language": "nb", "source": "invented for a test",
        "areas": [{"code": "A", "title": "Område", "requirements": [
            {"code": "A-1", "title": "Første krav", "text": "Tekst."}]}]
    });
    std::fs::write(&good, catalog.to_string()).unwrap();
    let out = run(&["catalog", "import", s(&good)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&run(&["catalog", "list"]).stdout);
    assert_eq!(list.lines().count(), 7, "{list}");
    assert!(
        list.contains("lokal\t2026-11\t1 krav\tLokal sjekkliste\t(imported"),
        "{list}"
    );
    let shown = text(&run(&["catalog", "show", "lokal"]).stdout);
    assert!(shown.contains("  A-1 Første krav"), "{shown}");
    // The same file again is fine; a changed one under the same version is not.
    assert!(run(&["catalog", "import", s(&good)]).status.success());
    let changed = catalog.to_string().replace("Første krav", "Endret krav");
    std::fs::write(&good, changed).unwrap();
    let out = run(&["catalog", "import", s(&good)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("already there"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&run(&["catalog", "list"]).stdout), list);
}

/// `demo --scale N` multiplies the demo with long invented notes, the same every time.
#[test]
fn scaled_demo_is_bigger_and_repeatable() {
    let dir = common::temp_dir();
    let read = |name: &str| {
        let path = common::case_path(&dir, name);
        let out = evalbench(&["demo", s(&path), "--scale", "2"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut snapshot = CaseStore::open_read_only(&path)
            .unwrap()
            .snapshot()
            .unwrap();
        // A new case gets a new identity, and so does each of its rows.
        snapshot.case_id.clear();
        snapshot.uuids.clear();
        snapshot
    };
    let first = read("s1.evalcase");
    assert_eq!(first.interviews.len(), 24);
    assert_eq!(first.findings.len(), 30);
    assert_eq!(first.actions.len(), 2 * (9 + 31));
    assert!(
        first.excerpt_count() > 2 * 35 + 24 * 5,
        "excerpts cut from the long notes too"
    );
    for interview in &first.interviews {
        for excerpt in &interview.excerpts {
            assert!(excerpt.anchored && interview.notes.contains(&excerpt.quote));
        }
    }
    let words: usize = first
        .interviews
        .iter()
        .map(|i| i.notes.split_whitespace().count())
        .sum();
    assert!(words > 24 * 3300, "{words} words");
    assert!(evalbench::privacy::scan_case(&first).is_empty());
    assert_eq!(read("s2.evalcase"), first, "deterministic");
    let out = evalbench(&[
        "demo",
        s(&common::case_path(&dir, "s3.evalcase")),
        "--scale",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// A self-evaluation case, its interview guide, and a catalog update shown first and applied
/// only with `--accept`.
#[test]
fn self_evaluation_guide_and_catalog_update() {
    let dir = common::temp_dir();
    let data = dir.path().join("data");
    let run = |args: &[&str]| evalbench_in(&data, args);
    let path = common::case_path(&dir, "egen.evalcase");
    let out = run(&[
        "new",
        s(&path),
        "--provider",
        "Egen Bedrift AS",
        "--measure",
        "aft",
        "--self-evaluation",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    assert!(before.facts.self_evaluation);
    let report = text(&run(&["export", s(&path), "--format", "md", "--out", "-"]).stdout);
    assert!(
        report.starts_with("# Egenevaluering: Egen Bedrift AS"),
        "{report}"
    );

    let guide = text(&run(&["guide", s(&path), "--role", "participant"]).stdout);
    assert!(guide.starts_with("# Intervjuguide – Deltaker"), "{guide}");
    assert!(guide.contains("1. [ ] "), "{guide}");
    // The same guide for Word: title, area headings and every question, numbered with a box.
    let docx_path = dir.path().join("guide.docx");
    let out = run(&[
        "guide",
        s(&path),
        "--role",
        "participant",
        "--out",
        s(&docx_path),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let docx = docx_rs::read_docx(&std::fs::read(&docx_path).unwrap()).unwrap();
    let paragraphs: Vec<String> = docx
        .document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect();
    assert_eq!(paragraphs[0], "Intervjuguide – Deltaker");
    let areas: Vec<&str> = guide
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .collect();
    assert!(!areas.is_empty());
    for area in &areas {
        assert!(paragraphs.iter().any(|p| p == area), "no heading {area}");
    }
    let questions = guide.lines().filter(|line| line.contains(". [ ] ")).count();
    let boxed = paragraphs.iter().filter(|p| p.starts_with("☐ ")).count();
    assert_eq!(boxed, questions);
    let last = format!("☐ {questions}.");
    assert!(paragraphs.iter().any(|p| p.starts_with(&last)), "no {last}");
    let out = run(&["guide", s(&path), "--role", "boss"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown role «boss»"),
        "{}",
        text(&out.stderr)
    );

    // A newer AFT version: one requirement gone, one reworded, one new.
    let mut newer = evalbench::catalog::builtin_for(evalbench::domain::Measure::Aft).unwrap();
    let old_version = newer.version.clone();
    newer.version = "2099-01-01".into();
    let removed = newer.areas[0].requirements.remove(0);
    newer.areas[1].requirements[0].text = "Omskrevet kravtekst.".into();
    let mut added = newer.areas[1].requirements[0].clone();
    added.code = "NY-1".into();
    added.title = "Nytt krav".into();
    newer.areas[1].requirements.push(added);
    let file = dir.path().join("aft-2099.json");
    std::fs::write(&file, serde_json::to_string(&newer).unwrap()).unwrap();
    assert!(run(&["catalog", "import", s(&file)]).status.success());

    let out = run(&["catalog", "update", s(&path)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(&format!(
            "nav-aft {old_version} → 2099-01-01: 1 nytt, 1 endret og 1 fjernet krav"
        )),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("- {} ", removed.code)), "{stdout}");
    assert!(stdout.contains("Nothing was changed"), "{stdout}");
    let unchanged = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    assert_eq!(unchanged, before);

    let out = run(&["catalog", "update", s(&path), "--accept"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    assert_eq!(after.catalog.unwrap().version, "2099-01-01");
    assert!(after.requirements.iter().any(|r| r.code == "NY-1"));
    assert!(!after.requirements.iter().any(|r| r.code == removed.code));
}

/// The binary with its data folder at `data`, the given passphrase variables and no others, and
/// no terminal to ask on: where `setsid` exists it runs in a session of its own, so a missing
/// passphrase fails instead of waiting for someone to type it.
fn evalbench_keyed(data: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let binary = env!("CARGO_BIN_EXE_evalbench");
    let detached = Command::new("setsid")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut command = if detached {
        let mut command = Command::new("setsid");
        command.args(["--wait", binary]);
        command
    } else {
        Command::new(binary)
    };
    command
        .args(args)
        .envs(NORWEGIAN)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("EVALBENCH_DATA_DIR", data)
        .env_remove("EVALBENCH_PASSPHRASE")
        .env_remove("EVALBENCH_NEW_PASSPHRASE")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

const PASSPHRASE: &str = "korrekt hest batteri stift";
const NEW_PASSPHRASE: &str = "en helt annen setning";

fn is_plain_sqlite(path: &Path) -> bool {
    std::fs::read(path)
        .unwrap()
        .starts_with(b"SQLite format 3\0")
}

/// `new --encrypt` writes an encrypted case; `check` (and the other readers) need the
/// passphrase, fail without it with a message saying where to give it, and name a wrong one.
#[test]
fn new_encrypted_case_is_checked_only_with_its_passphrase() {
    let dir = common::temp_dir();
    let data = dir.path().join("data");
    let path = common::case_path(&dir, "hemmelig.evalcase");
    let with_key = [("EVALBENCH_PASSPHRASE", PASSPHRASE)];
    let out = evalbench_keyed(
        &data,
        &with_key,
        &[
            "new",
            s(&path),
            "--provider",
            "Kryptert Bedrift AS",
            "--measure",
            "aft",
            "--encrypt",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("(encrypted)"),
        "{}",
        text(&out.stdout)
    );
    assert!(!is_plain_sqlite(&path));
    assert!(evalbench::store::needs_passphrase(&path));
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.windows(18).any(|w| w == b"Kryptert Bedrift A"),
        "the provider's name is readable in the file"
    );

    let out = evalbench_keyed(&data, &with_key, &["check", s(&path)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("provider: Kryptert Bedrift AS"), "{stdout}");
    assert!(stdout.contains("integrity: ok"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "schema version: {}",
            evalbench::store::LATEST_VERSION
        )),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l == "healthy"), "{stdout}");
    let out = evalbench_keyed(&data, &with_key, &["audit", s(&path), "--verify"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("chain intact"),
        "{}",
        text(&out.stdout)
    );
    let out = evalbench_keyed(
        &data,
        &with_key,
        &["export", s(&path), "--format", "md", "--out", "-"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Kryptert Bedrift AS"));

    // No passphrase, and no terminal to ask on.
    for args in [
        vec!["check", s(&path)],
        vec!["export", s(&path), "--format", "md", "--out", "-"],
        vec!["scan", s(&path)],
    ] {
        let out = evalbench_keyed(&data, &[], &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stdout)
        );
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("EVALBENCH_PASSPHRASE") && stderr.contains("hemmelig.evalcase"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    }
    // An empty variable is no passphrase either.
    let out = evalbench_keyed(&data, &[("EVALBENCH_PASSPHRASE", "")], &["check", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("EVALBENCH_PASSPHRASE"));

    // A wrong one.
    let out = evalbench_keyed(
        &data,
        &[("EVALBENCH_PASSPHRASE", NEW_PASSPHRASE)],
        &["check", s(&path)],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("passphrase does not open") && stderr.contains("hemmelig.evalcase"),
        "{stderr}"
    );
    assert!(!stderr.contains(NEW_PASSPHRASE), "{stderr}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "reading changed the file"
    );
    assert!(
        common::files_in(dir.path())
            .iter()
            .all(|name| name == "hemmelig.evalcase" || name == "data"),
        "{:?}",
        common::files_in(dir.path())
    );
}

/// A chosen passphrase shorter than eight characters, or none at all, creates nothing.
#[test]
fn new_encrypt_refuses_a_short_or_missing_passphrase() {
    let dir = common::temp_dir();
    let data = dir.path().join("data");
    let path = common::case_path(&dir, "kort.evalcase");
    let args = [
        "new",
        s(&path),
        "--provider",
        "X",
        "--measure",
        "aft",
        "--encrypt",
    ];
    let out = evalbench_keyed(&data, &[("EVALBENCH_PASSPHRASE", "kort123")], &args);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("shorter than 8"), "{stderr}");
    assert!(!stderr.contains("kort123"), "{stderr}");
    assert!(!path.exists());

    let out = evalbench_keyed(&data, &[], &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("EVALBENCH_PASSPHRASE"),
        "{}",
        text(&out.stderr)
    );
    assert!(!path.exists());
    assert!(
        common::files_in(dir.path())
            .iter()
            .all(|name| !name.starts_with("kort")),
        "{:?}",
        common::files_in(dir.path())
    );
}

/// The whole round: the demo, encrypted in place (its backup too), rekeyed (the backup follows),
/// then a plain copy written that checks like the demo.
#[test]
fn demo_encrypt_rekey_decrypt_round_trip() {
    let dir = common::temp_dir();
    let data = dir.path().join("data");
    let path = common::case_path(&dir, "d.evalcase");
    let plain = common::case_path(&dir, "plain.evalcase");
    let old = [("EVALBENCH_PASSPHRASE", PASSPHRASE)];
    let new = [("EVALBENCH_PASSPHRASE", NEW_PASSPHRASE)];
    let both = [
        ("EVALBENCH_PASSPHRASE", PASSPHRASE),
        ("EVALBENCH_NEW_PASSPHRASE", NEW_PASSPHRASE),
    ];
    assert!(evalbench(&["demo", s(&path)]).status.success());
    let out = evalbench_keyed(&data, &[], &["check", s(&path)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let demo_check = text(&out.stdout);

    // A backup from before, which must not stay readable without the passphrase.
    let store = CaseStore::open(&path).unwrap();
    let case_id = store.snapshot().unwrap().case_id;
    let backups = evalbench::backups::Backups::at(data.join("backups"));
    let backup = backups
        .take(&store, &case_id, evalbench::backups::Reason::Daily)
        .unwrap();
    store.close().unwrap();
    assert!(is_plain_sqlite(&backup));

    let out = evalbench_keyed(&data, &old, &["encrypt", s(&path)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1 of its 1 backup copies"), "{stdout}");
    assert!(!is_plain_sqlite(&path));
    assert!(!is_plain_sqlite(&backup), "the backup stayed plain");
    assert!(evalbench::store::needs_passphrase(&backup));
    assert_eq!(
        common::files_in(dir.path()),
        ["d.evalcase", "data"],
        "no partial or lock file left"
    );
    let out = evalbench_keyed(&data, &old, &["encrypt", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("already encrypted"),
        "{}",
        text(&out.stderr)
    );
    let out = evalbench_keyed(&data, &old, &["check", s(&path)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), demo_check, "the same case, encrypted");

    // A short new passphrase changes nothing.
    let encrypted = std::fs::read(&path).unwrap();
    let out = evalbench_keyed(
        &data,
        &[
            ("EVALBENCH_PASSPHRASE", PASSPHRASE),
            ("EVALBENCH_NEW_PASSPHRASE", "kort"),
        ],
        &["rekey", s(&path)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("EVALBENCH_NEW_PASSPHRASE"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&path).unwrap(), encrypted);

    let out = evalbench_keyed(&data, &both, &["rekey", s(&path)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1 of its 1 backup copies"), "{stdout}");
    let out = evalbench_keyed(&data, &old, &["check", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("passphrase does not open"),
        "{}",
        text(&out.stderr)
    );
    let out = evalbench_keyed(&data, &new, &["check", s(&path)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), demo_check);
    let old_key = evalbench::store::Passphrase::new(PASSPHRASE).unwrap();
    let new_key = evalbench::store::Passphrase::new(NEW_PASSPHRASE).unwrap();
    assert!(matches!(
        evalbench::store::inspect_keyed(&backup, Some(&old_key)),
        Err(evalbench::store::StoreError::WrongPassphrase { .. })
    ));
    assert!(evalbench::store::inspect_keyed(&backup, Some(&new_key)).is_ok());

    // A plain copy; the case stays encrypted and unchanged.
    let encrypted = std::fs::read(&path).unwrap();
    let out = evalbench_keyed(&data, &new, &["decrypt", s(&path), "--out", s(&plain)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&path).unwrap(), encrypted);
    assert!(is_plain_sqlite(&plain));
    let out = evalbench_keyed(&data, &[], &["check", s(&plain)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("interviews: 12"), "{stdout}");
    assert!(stdout.contains("document reviews: 6"), "{stdout}");
    assert!(stdout.contains("findings: 15"), "{stdout}");
    assert_eq!(
        stdout.replace("plain.evalcase", "d.evalcase"),
        demo_check,
        "the plain copy checks like the demo"
    );

    // Decrypting needs the passphrase, refuses an existing target and a plain case.
    let again = common::case_path(&dir, "again.evalcase");
    let out = evalbench_keyed(&data, &[], &["decrypt", s(&path), "--out", s(&again)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!again.exists());
    let out = evalbench_keyed(&data, &new, &["decrypt", s(&path), "--out", s(&plain)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    let out = evalbench_keyed(&data, &new, &["decrypt", s(&plain), "--out", s(&again)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not encrypted"),
        "{}",
        text(&out.stderr)
    );
    assert!(!again.exists());
    assert_eq!(
        common::files_in(dir.path()),
        ["d.evalcase", "data", "plain.evalcase"]
    );
}

/// `plan import` with thousands of bad rows lists the first 20 and counts the rest; a file
/// accepted once is recognised when it comes again, its new rows named as already imported.
#[test]
fn plan_import_lists_the_first_problems_and_knows_a_file_it_took_in() {
    use evalbench::plan_exchange::{ActionRow, PlanFile};

    let dir = common::temp_dir();
    let data = dir.path().join("data");
    let case = dir.path().join("demo.evalcase");
    evalbench::demo::write_demo(&case).unwrap();
    let plan = PlanFile::from_case(
        &CaseStore::open_read_only(&case)
            .unwrap()
            .snapshot()
            .unwrap(),
    );
    let new_row = |description: String, owner: &str| ActionRow {
        id: None,
        deviation: plan.deviations[0].id,
        description,
        owner: owner.into(),
        due_date: Some(jiff::civil::date(2099, 1, 15)),
        closure_evidence: String::new(),
        status: evalbench::domain::ActionStatus::Agreed,
    };
    for (count, more) in [
        (5_000, "… og 4 980 problemer til"),
        (21, "… og 1 problem til"),
    ] {
        let mut bad = plan.clone();
        bad.actions
            .extend((0..count).map(|i| new_row(format!("Tiltak {i}"), "")));
        let path = dir.path().join(format!("bad-{count}.json"));
        std::fs::write(&path, serde_json::to_string(&bad).unwrap()).unwrap();
        let out = evalbench_in(&data, &["plan", "import", s(&case), s(&path)]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 22, "{stderr}");
        assert!(
            lines[0].starts_with(&format!("{count} feil i «")),
            "{stderr}"
        );
        assert!(
            lines[1..21]
                .iter()
                .all(|l| l.contains("kolonne D: ingen ansvarlig")),
            "{stderr}"
        );
        assert_eq!(lines[21], more);
    }

    let mut good = plan.clone();
    good.actions
        .push(new_row("Ukentlig gjennomgang av frister".into(), "Leder"));
    let path = dir.path().join("plan.json");
    std::fs::write(&path, serde_json::to_string(&good).unwrap()).unwrap();
    let out = evalbench_in(&data, &["plan", "import", s(&case), s(&path), "--accept"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("1 nytt, 0 endrede og 0 fjernede tiltak"),
        "{}",
        text(&out.stdout)
    );
    let out = evalbench_in(&data, &["plan", "import", s(&case), s(&path), "--accept"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let day = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap()
        .imported_rows[0]
        .imported_on;
    assert!(
        stdout.starts_with("0 nye, 0 endrede og 0 fjernede tiltak"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "Ukentlig gjennomgang av frister (rad {}) – allerede lest inn {}",
            good.actions.len(),
            evalbench::i18n::date(evalbench::i18n::Lang::Nb, Some(day))
        )),
        "{stdout}"
    );
    assert!(stdout.contains("ingenting å lagre"), "{stdout}");
}

/// The binary in exactly the locale `env` gives (nothing inherited from the test's own).
fn evalbench_locale(env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn messages_and_default_language_follow_the_locale() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "demo.evalcase");
    let out = evalbench(&["demo", s(&path)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = dir.path().join("plan.json");
    let export = [
        "plan",
        "export",
        s(&path),
        "--format",
        "json",
        "--out",
        s(&plan),
    ];
    let report = ["export", s(&path), "--format", "md", "--out", "-"];
    let norwegian: &[&[(&str, &str)]] = &[
        &[("LANG", "nb_NO.UTF-8")],
        &[("LANG", "no_NO")],
        &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "nn_NO.UTF-8")],
        &[("LC_ALL", "nb_NO.UTF-8"), ("LANG", "C")],
    ];
    let english: &[&[(&str, &str)]] = &[
        &[("LANG", "en_US.UTF-8")],
        &[("LANG", "C")],
        &[],
        &[("LC_ALL", "C"), ("LANG", "nb_NO.UTF-8")],
    ];
    for (envs, said, summary) in [
        (norwegian, "avvik og", "## Sammendrag"),
        (english, "deviations and", "## Summary"),
    ] {
        for env in envs {
            let out = evalbench_locale(env, &export);
            let stdout = text(&out.stdout);
            assert!(out.status.success(), "{env:?}: {}", text(&out.stderr));
            assert!(stdout.contains(said), "{env:?}: {stdout}");
            // Without --lang the report is written in the environment's language too.
            let markdown = text(&evalbench_locale(env, &report).stdout);
            assert!(markdown.contains(summary), "{env:?}: {markdown}");
        }
    }
    // --lang still wins over the environment.
    let mut explicit = report.to_vec();
    explicit.extend(["--lang", "nb"]);
    let markdown = text(&evalbench_locale(&[("LANG", "en_US.UTF-8")], &explicit).stdout);
    assert!(markdown.contains("## Sammendrag"), "{markdown}");
}
