//! Issue 14, the store's edges: what a crafted file, a control character, an over-long text, a
//! typo deep in a command, a broken journal or a closed pipe does. Each test failed before its fix.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command as Process, Output, Stdio};

use evalbench::command::Command;
use evalbench::domain::{ActionFields, FindingId, Rejection};
use evalbench::store::{CaseStore, SchemaChange, StoreError};

fn evalbench(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Process::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn demo(dir: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    let path = common::case_path(dir, name);
    evalbench::demo::write_demo(&path).unwrap();
    path
}

/// A case given one trigger of its own (it rewrites the NAV unit on the next edit) is refused by
/// every way of opening it, named, with the file unchanged; before, it passed `check` as healthy
/// and the trigger ran.
#[test]
fn a_case_with_a_trigger_of_its_own_is_refused_untouched() {
    let dir = common::temp_dir();
    let path = demo(&dir, "trigger.evalcase");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "CREATE TRIGGER rewrite_unit AFTER UPDATE ON case_info BEGIN
             UPDATE case_info SET nav_unit = 'NAV Overtatt';
         END;",
    )
    .unwrap();
    drop(raw);
    let message = common::assert_refused_untouched(&path, None, |e| {
        matches!(e, StoreError::ForeignSchema { differences, .. }
            if differences.len() == 1
                && differences[0].change == SchemaChange::Extra
                && differences[0].kind == "trigger"
                && differences[0].name == "rewrite_unit")
    });
    assert!(
        message.contains("an extra trigger «rewrite_unit»"),
        "{message}"
    );

    let out = evalbench(&["check", s(&path)], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("extra trigger «rewrite_unit»"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).contains("healthy"));
}

/// A view, a changed table definition and a missing index are named too.
#[test]
fn a_changed_schema_is_named_by_what_differs() {
    let dir = common::temp_dir();
    let path = demo(&dir, "changed.evalcase");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "CREATE VIEW everything AS SELECT * FROM interview;
         ALTER TABLE outcome ADD COLUMN note TEXT;",
    )
    .unwrap();
    drop(raw);
    let error = CaseStore::open_read_only(&path).err().unwrap();
    let StoreError::ForeignSchema { differences, .. } = &error else {
        panic!("{error:?}");
    };
    let named: Vec<(SchemaChange, &str)> = differences
        .iter()
        .map(|d| (d.change, d.name.as_str()))
        .collect();
    assert!(
        named.contains(&(SchemaChange::Extra, "everything")),
        "{named:?}"
    );
    assert!(
        named.contains(&(SchemaChange::Changed, "outcome")),
        "{named:?}"
    );
    // The Norwegian UI says it in Norwegian.
    let words = evalbench::app::error_text(evalbench::i18n::Lang::Nb, &error);
    assert!(words.contains("en ekstra visning «everything»"), "{words}");
    assert!(words.contains("endret tabell «outcome»"), "{words}");
}

/// A provider's plan package that carries a trigger is refused on import, and the case it was
/// to be imported into is not touched.
#[test]
fn a_plan_package_with_a_trigger_is_refused_on_import() {
    let dir = common::temp_dir();
    let path = demo(&dir, "case.evalcase");
    let package = dir.path().join("plan.evalplan");
    let out = evalbench(
        &[
            "plan",
            "export",
            s(&path),
            "--out",
            s(&package),
            "--format",
            "package",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let raw = rusqlite::Connection::open(&package).unwrap();
    raw.execute_batch(
        "CREATE TRIGGER steal AFTER INSERT ON action BEGIN
             DELETE FROM finding;
         END;",
    )
    .unwrap();
    drop(raw);
    let case_before = std::fs::read(&path).unwrap();
    let package_before = std::fs::read(&package).unwrap();
    let out = evalbench(&["plan", "import", s(&path), s(&package), "--accept"], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("extra trigger «steal»"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&path).unwrap(), case_before);
    assert_eq!(std::fs::read(&package).unwrap(), package_before);
}

/// Every connection to a case runs with SQLite's defences for untrusted files.
#[test]
fn cases_are_read_with_the_defences_for_untrusted_databases() {
    let dir = common::temp_dir();
    let path = demo(&dir, "defended.evalcase");
    let store = CaseStore::open(&path).unwrap();
    let pragmas = store.defences().unwrap();
    assert_eq!(
        pragmas,
        evalbench::store::Defences {
            trusted_schema: false,
            defensive: true,
            cell_size_check: true,
            mmap_size: 0,
        }
    );
    // The schema's own triggers still work with the defences on: an edit, its search index and
    // the status record of an action.
    let mut store = store;
    let action = store.snapshot().unwrap().actions[0].clone();
    store
        .apply(&Command::SetActionStatus {
            action_id: action.id,
            status: evalbench::domain::ActionStatus::InProgress,
        })
        .unwrap();
    assert!(!store.search("kompetansematrise", 10).unwrap().is_empty());
}

/// A NUL and other control characters are stripped at the command door, whichever way they
/// come (here the typed API and `apply`), and CR LF becomes LF; tab and newline stay.
#[test]
fn control_characters_never_reach_the_case() {
    let dir = common::temp_dir();
    let path = demo(&dir, "nul.evalcase");
    let mut store = CaseStore::open(&path).unwrap();
    let deviation = deviation(&store);
    let applied = store
        .apply(&Command::AddAction {
            finding_id: deviation,
            action: ActionFields {
                description: "Rydde\u{0} rutinene\r\nfør\tmøtet\u{7}".into(),
                owner: "Leder\u{1b}".into(),
                ..ActionFields::default()
            },
        })
        .unwrap();
    let snapshot = store.snapshot().unwrap();
    let action = snapshot
        .actions
        .iter()
        .find(|a| Some(a.id.0) == applied.created_id)
        .unwrap();
    assert_eq!(action.fields.description, "Rydde rutinene\nfør\tmøtet");
    assert_eq!(action.fields.owner, "Leder");
    // The journal holds the command as stored, so a replay gives the same text.
    let journal = store.journal().unwrap();
    assert!(!journal.last().unwrap().command.contains("\\u0000"));
    store.close().unwrap();

    let line = format!(
        "{{\"op\":\"update_finding\",\"finding_id\":{},\"finding\":{{\"title\":\"Tittel\\u0000\",\"description\":\"a\\u0000b\"}}}}\n",
        deviation.0
    );
    let out = evalbench(&["apply", s(&path), "-"], &line);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let snapshot = evalbench::store::read_case(&path).unwrap();
    let finding = snapshot
        .findings
        .iter()
        .find(|f| f.id == deviation)
        .unwrap();
    assert_eq!(finding.fields.title, "Tittel");
    assert_eq!(finding.fields.description, "ab");
}

/// An older file (or another program) may hold control characters the store never writes;
/// every writer still emits valid documents: no forbidden character in any XML part of the DOCX
/// report, the status report or the plan workbook, and none in the Markdown.
#[test]
fn writers_never_emit_control_characters_whatever_the_data() {
    let dir = common::temp_dir();
    let path = demo(&dir, "old-data.evalcase");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "UPDATE action SET description = description || char(0) || ' slutt', nav_comment = 'x' || char(1);
         UPDATE finding SET title = title || char(0), description = char(11) || description;",
    )
    .unwrap();
    drop(raw);
    for (format, args) in [
        ("docx", vec!["export", "--format", "docx", "--redact"]),
        ("md", vec!["export", "--format", "md", "--redact"]),
        ("pdf", vec!["export", "--format", "pdf", "--redact"]),
        ("status.docx", vec!["plan", "status", "--format", "docx"]),
        ("xlsx", vec!["plan", "export"]),
    ] {
        let out_path = dir.path().join(format!("out.{format}"));
        let mut full: Vec<&str> = args.clone();
        let insert_at = if args[0] == "plan" { 2 } else { 1 };
        full.insert(insert_at, s(&path));
        full.extend(["--out", s(&out_path)]);
        let out = evalbench(&full, "");
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        let bytes = std::fs::read(&out_path).unwrap();
        match format {
            "md" => assert!(
                !text(&bytes)
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "control character in the Markdown"
            ),
            "pdf" => assert!(bytes.starts_with(b"%PDF")),
            _ => assert_xml_parts_valid(format, &bytes),
        }
    }
}

/// No part of an Office package holds a character XML 1.0 forbids, raw or as a reference.
fn assert_xml_parts_valid(what: &str, bytes: &[u8]) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().into_owned();
        if !Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
        {
            continue;
        }
        let mut content = String::new();
        entry.read_to_string(&mut content).unwrap();
        let raw = content
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (*c as u32) < 0x20);
        assert_eq!(raw, None, "{what} {name}: raw control character");
        for reference in ["&#0;", "&#x0;", "&#1;", "&#x1;", "&#11;", "&#xB;", "&#xb;"] {
            assert!(
                !content.contains(reference),
                "{what} {name}: {reference} is not allowed in XML"
            );
        }
    }
}

fn deviation(store: &CaseStore) -> FindingId {
    store
        .snapshot()
        .unwrap()
        .findings
        .iter()
        .find(|f| f.kind == evalbench::domain::FindingKind::Deviation)
        .unwrap()
        .id
}

/// A 10 MB description is refused by the field's limit, named by its path; nothing changes.
#[test]
fn over_long_texts_are_refused_with_their_field() {
    let dir = common::temp_dir();
    let path = demo(&dir, "long.evalcase");
    let mut store = CaseStore::open(&path).unwrap();
    let deviation = deviation(&store);
    let before = store.snapshot().unwrap();
    let refused = store.apply(&Command::AddAction {
        finding_id: deviation,
        action: ActionFields {
            description: "x".repeat(10_000_000),
            owner: "Leder".into(),
            ..ActionFields::default()
        },
    });
    assert!(
        matches!(
            &refused,
            Err(StoreError::Rejected(Rejection::TooLong { field, length_chars: 10_000_000, max_chars }))
                if field == "action.description" && *max_chars == evalbench::domain::text::LONG_TEXT_MAX_CHARS
        ),
        "{refused:?}"
    );
    let owner = store.apply(&Command::AddAction {
        finding_id: deviation,
        action: ActionFields {
            description: "Kort".into(),
            owner: "L".repeat(501),
            ..ActionFields::default()
        },
    });
    assert!(
        matches!(&owner, Err(StoreError::Rejected(Rejection::TooLong { field, .. })) if field == "action.owner"),
        "{owner:?}"
    );
    assert_eq!(store.snapshot().unwrap(), before);
}

/// A typo inside `action` (not only at the top of a command) is refused, naming its path, and
/// the line is not applied.
#[test]
fn unknown_fields_are_refused_at_every_level_with_their_path() {
    let dir = common::temp_dir();
    let path = demo(&dir, "typo.evalcase");
    let before = evalbench::store::read_case(&path).unwrap();
    let deviation = deviation(&CaseStore::open_read_only(&path).unwrap());
    let line = format!(
        "{{\"op\":\"add_action\",\"finding_id\":{},\"action\":{{\"description\":\"Ny rutine\",\"ownr\":\"Leder\"}}}}\n",
        deviation.0
    );
    let out = evalbench(&["apply", s(&path), "-"], &line);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 1"), "{stderr}");
    assert!(stderr.contains("«action.ownr»"), "{stderr}");
    assert_eq!(evalbench::store::read_case(&path).unwrap(), before);

    for (name, inner) in [
        (
            "interview",
            r#"{"op":"add_interview","interview":{"date":"2026-02-12","role":"measure_coordinator","interviewees":["A"],"setting":"individual","channel":"video","mood":"good"}}"#,
        ),
        (
            "outcome",
            r#"{"op":"set_outcome","outcome":{"year":2025,"ended":2,"to_work":1,"to_education":0,"to_other":0,"extra":1}}"#,
        ),
    ] {
        let out = evalbench(&["apply", s(&path), "-"], &format!("{inner}\n"));
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            text(&out.stderr).contains(&format!("«{name}.")),
            "{name}: {}",
            text(&out.stderr)
        );
    }
}

/// `check` verifies the journal's hash chain: a row edited outside Evalbench makes the case
/// unhealthy (exit 1), where before only `audit --verify` noticed.
#[test]
fn check_is_unhealthy_when_the_journal_chain_is_broken() {
    let dir = common::temp_dir();
    let path = demo(&dir, "chain.evalcase");
    let out = evalbench(&["check", s(&path)], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("journal: intact"));
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE journal SET author = 'someone else' WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(raw);
    let out = evalbench(&["check", s(&path)], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("journal: broken at entry 2"),
        "{}",
        text(&out.stdout)
    );
    assert!(!text(&out.stdout).contains("\nhealthy"));
}

/// `evalbench check FILE | head -1`: the reader goes away; the command exits quietly (status 0,
/// nothing on stderr), the way `rg` does, instead of panicking with a backtrace.
#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    let dir = common::temp_dir();
    let path = demo(&dir, "pipe.evalcase");
    for args in [
        vec!["check", s(&path)],
        vec!["audit", s(&path)],
        vec![
            "export",
            s(&path),
            "--format",
            "md",
            "--redact",
            "--out",
            "-",
        ],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Process::new(env!("CARGO_BIN_EXE_evalbench"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

/// A folder given as a case: one plain sentence, no raw OS text, nothing said twice.
#[test]
fn os_errors_are_said_once_in_plain_words() {
    let dir = common::temp_dir();
    let out = evalbench(&["check", s(dir.path())], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("os error"), "{stderr}");
    assert!(stderr.contains("it is a folder, not a file"), "{stderr}");
    assert_eq!(stderr.matches("folder").count(), 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    // A SQLite file with our application id but none of our tables.
    let empty = common::case_path(&dir, "empty.evalcase");
    let raw = rusqlite::Connection::open(&empty).unwrap();
    raw.execute_batch(
        "PRAGMA application_id = 1165378147; PRAGMA user_version = 8; CREATE TABLE t (x);",
    )
    .unwrap();
    drop(raw);
    let out = evalbench(&["check", s(&empty)], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("no such table"), "{stderr}");
    assert!(!stderr.contains("Error code"), "{stderr}");
    assert!(stderr.contains("did not write"), "{stderr}");
}

/// `op()` is the JSONL tag of every command the demo's journal holds, without serialising.
#[test]
fn every_journaled_command_knows_its_op() {
    let dir = common::temp_dir();
    let path = demo(&dir, "ops.evalcase");
    let store = CaseStore::open_read_only(&path).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for entry in store.journal().unwrap() {
        if entry.kind != "edit" {
            continue;
        }
        let command: Command = serde_json::from_str(&entry.command).unwrap();
        let value: serde_json::Value = serde_json::from_str(&entry.command).unwrap();
        assert_eq!(Some(command.op()), value["op"].as_str());
        kinds.insert(command.op());
    }
    assert!(kinds.len() >= 10, "{kinds:?}");
}

/// A crafted record far larger than anything Evalbench writes (140 MB in one field) is refused
/// as it is read, with the file named and unchanged, instead of being taken into memory.
#[test]
fn an_oversized_record_is_refused_as_it_is_read() {
    let dir = common::temp_dir();
    let path = demo(&dir, "oversized.evalcase");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE case_info SET nav_unit = replace(hex(zeroblob(70000000)), '0', 'x')",
        [],
    )
    .unwrap();
    drop(raw);
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let error = evalbench::store::read_case(&path).err().unwrap();
    assert_eq!(
        error.file_problem(),
        Some(evalbench::store::FileProblem::Damaged),
        "{error:?}"
    );
    assert!(error.to_string().contains("oversized.evalcase"), "{error}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
}

/// Plan JSON and catalog files refuse unknown fields at every level, naming the path; a catalog
/// with a control character or an over-long text is refused with its path too (before, the NUL
/// was imported and later made the interview guide's DOCX invalid).
#[test]
fn plan_json_and_catalogs_name_the_path_of_what_is_wrong() {
    let dir = common::temp_dir();
    let path = demo(&dir, "plan.evalcase");
    let snapshot = evalbench::store::read_case(&path).unwrap();
    let plan = evalbench::plan_exchange::PlanFile::from_case(&snapshot);
    let mut value = serde_json::to_value(&plan).unwrap();
    value["actions"][1]["ownr"] = serde_json::json!("Leder");
    let text = serde_json::to_string_pretty(&value).unwrap();
    let error =
        evalbench::plan_exchange::json::parse("plan.json", &text, evalbench::i18n::Lang::En)
            .err()
            .unwrap();
    assert!(error.contains("«actions[1].ownr»"), "{error}");

    let catalog_text = include_str!("../assets/catalogs/generic-2026.json");
    let mut catalog: serde_json::Value = serde_json::from_str(catalog_text).unwrap();
    catalog["areas"][0]["requirements"][1]["guidance_typo"] = serde_json::json!("x");
    let error = evalbench::catalog::Catalog::parse(
        "typo.json",
        &serde_json::to_string_pretty(&catalog).unwrap(),
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        error.contains("«areas[0].requirements[1].guidance_typo»"),
        "{error}"
    );

    let mut catalog: serde_json::Value = serde_json::from_str(catalog_text).unwrap();
    catalog["areas"][0]["requirements"][0]["text"] = serde_json::json!("Krav\u{0}tekst");
    let error =
        evalbench::catalog::Catalog::parse("nul.json", &serde_json::to_string(&catalog).unwrap())
            .err()
            .unwrap()
            .to_string();
    assert!(
        error.contains("areas[0].requirements[0].text") && error.contains("U+0000"),
        "{error}"
    );
    let mut catalog: serde_json::Value = serde_json::from_str(catalog_text).unwrap();
    catalog["areas"][0]["requirements"][0]["title"] = serde_json::json!("T".repeat(600));
    let error =
        evalbench::catalog::Catalog::parse("long.json", &serde_json::to_string(&catalog).unwrap())
            .err()
            .unwrap()
            .to_string();
    assert!(
        error.contains("areas[0].requirements[0].title") && error.contains("at most 500"),
        "{error}"
    );
}

/// A workbook cell over its field's limit is a problem with sheet, row and column (before, a
/// 100 000-character cell was taken in), and a control character in a cell is cleaned as the
/// store cleans it, so it is no change.
#[test]
fn workbook_cells_follow_the_text_rules() {
    use evalbench::plan_exchange::{self, Cell};
    let dir = common::temp_dir();
    let path = demo(&dir, "cells.evalcase");
    let snapshot = evalbench::store::read_case(&path).unwrap();
    let lang = evalbench::i18n::Lang::Nb;
    let today = jiff::civil::date(2026, 3, 20);
    let plan = plan_exchange::PlanFile::from_case(&snapshot);
    let mut raw = plan.clone().into_raw(lang, |_| true);
    raw.rows[0].description = Cell::Text("x".repeat(100_000));
    let problems = plan_exchange::check(&snapshot, &raw, today, lang)
        .err()
        .unwrap();
    assert!(
        problems.iter().any(|p| p.row == Some(raw.rows[0].row)
            && p.column.as_deref() == Some("C")
            && p.message.contains("100000 tegn")),
        "{problems:?}"
    );

    let mut raw = plan.into_raw(lang, |_| true);
    let Cell::Text(owner) = raw.rows[0].owner.clone() else {
        panic!("owner is text")
    };
    raw.rows[0].owner = Cell::Text(format!("{owner}\u{0}\r"));
    let changes = plan_exchange::check(&snapshot, &raw, today, lang).unwrap();
    assert!(changes.changed.is_empty(), "{:?}", changes.changed);
}
