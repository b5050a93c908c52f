//! Shared test fixtures: small cases built through the command door.
#![allow(dead_code)] // each test binary uses a different part
#![allow(clippy::expect_used)] // fixtures: a failure here is a broken test setup

pub mod ui;

use std::path::{Path, PathBuf};

use evalbench::catalog::Catalog;
use evalbench::command::Command;
use evalbench::domain::{CaseFacts, Measure, OrgNumber};
use evalbench::store::CaseStore;

/// A catalog small enough to reason about: two areas, three requirements.
pub fn small_catalog() -> Catalog {
    Catalog::parse(
        "small.json",
        r#"{"format":"evalbench-catalog","format_version":1,"id":"test","version":"1",
            "title":"Testkatalog","language":"nb","source":"invented for tests",
            "areas":[
              {"code":"IP","title":"Individuell plan","requirements":[
                {"code":"IP-1","title":"Plan innen 4 uker","text":"Planen sendes innen fire uker."},
                {"code":"IP-2","title":"Oppfølging","text":"Fremdrift gjennomgås hver tredje måned."}]},
              {"code":"KOMP","title":"Kompetanse","requirements":[
                {"code":"KOMP-1","title":"Kompetansematrise","text":"Kompetansen dokumenteres i en matrise."}]}
            ]}"#,
    )
    .expect("the test catalog is valid")
}

pub fn facts() -> CaseFacts {
    CaseFacts {
        provider_name: "Testbedrift Arbeid AS".into(),
        org_number: Some(OrgNumber::parse("974760673").expect("valid")),
        measure: Measure::Aft,
        agreed_places: Some(20),
        nav_unit: "NAV Testby".into(),
        period_start: Some(jiff::civil::date(2026, 1, 12)),
        period_end: Some(jiff::civil::date(2026, 3, 20)),
        self_evaluation: false,
    }
}

/// A new case with facts and the small catalog.
pub fn new_case(path: &Path) -> CaseStore {
    CaseStore::create(path, |store| {
        store.apply(&Command::UpdateCaseFacts { facts: facts() })?;
        store.apply(&Command::AdoptCatalog {
            catalog: small_catalog(),
        })?;
        Ok(())
    })
    .expect("a new case can be created")
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temp dir")
}

pub fn case_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// The names of every file in `dir`, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Opening `path` with `key` (or none) for writing, for reading, and through the read helpers is
/// refused as `expect` says; the message names the file; no byte of it changes and no file
/// appears beside it. Returns the message.
pub fn assert_refused_untouched(
    path: &Path,
    key: Option<&evalbench::store::Passphrase>,
    expect: impl Fn(&evalbench::store::StoreError) -> bool,
) -> String {
    let before = std::fs::read(path).expect("test file");
    let dir = path.parent().expect("test file");
    let files_before = files_in(dir);
    let name = path
        .file_name()
        .expect("test file")
        .to_string_lossy()
        .into_owned();
    let errors = [
        evalbench::store::CaseStore::open_keyed(path, key).err(),
        evalbench::store::CaseStore::open_read_only_keyed(path, key).err(),
        evalbench::store::read_case_keyed(path, key).err(),
        evalbench::store::read_case_with_status_keyed(path, key).err(),
        evalbench::store::inspect_keyed(path, key).err(),
    ];
    let mut message = String::new();
    for (index, error) in errors.into_iter().enumerate() {
        let Some(error) = error else {
            panic!("opening {name} (way {index}) should be refused");
        };
        assert!(expect(&error), "way {index}: unexpected error: {error:?}");
        message = error.to_string();
        assert!(
            message.contains(&name),
            "the message names the file: {message}"
        );
    }
    assert_eq!(
        std::fs::read(path).expect("test file"),
        before,
        "the file was modified"
    );
    assert_eq!(files_in(dir), files_before, "files appeared beside it");
    message
}

/// Every sheet of a workbook as rows of cells, in order.
pub type Sheets = Vec<(String, Vec<Vec<calamine::Data>>)>;

/// The sheets of the workbook in `bytes` (XLSX, ODS …), each as a full grid of cells.
pub fn workbook_sheets(bytes: &[u8]) -> Sheets {
    use calamine::Reader;

    let mut workbook =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("a workbook");
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).expect("its sheet");
            let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let cells = (0..rows)
                .map(|r| {
                    (0..cols)
                        .map(|c| {
                            range
                                .get_value((r, c))
                                .cloned()
                                .unwrap_or(calamine::Data::Empty)
                        })
                        .collect()
                })
                .collect();
            (name, cells)
        })
        .collect()
}

/// Three items in two sections, scores 1–5, "Lav" from 3 and "God" from 12.
pub fn small_scale() -> Catalog {
    let item = |code: &str, title: &str| {
        format!(
            r#"{{"code":"{code}","title":"{title}","text":"Hva punktet måler.",
                "anchors":["én","to","tre","fire","fem"]}}"#
        )
    };
    Catalog::parse(
        "scale.json",
        &format!(
            r#"{{"format":"evalbench-catalog","format_version":1,"id":"test-scale","version":"1",
                "title":"Testskala","language":"nb","source":"invented for tests",
                "kind":"fidelity_scale",
                "scale":{{"min":1,"max":5,"bands":[{{"min_total":3,"label":"Lav"}},
                                                   {{"min_total":12,"label":"God"}}]}},
                "areas":[{{"code":"S","title":"Bemanning","requirements":[{}]}},
                         {{"code":"T","title":"Tjenester","requirements":[{},{}]}}]}}"#,
            item("S-1", "Saksmengde"),
            item("T-1", "Raskt jobbsøk"),
            item("T-2", "Oppfølging"),
        ),
    )
    .expect("the test scale is valid")
}

/// Takes the schema of the case at `path` back from the current version to version 10, as a file
/// written before the blind fidelity review (11), report versions (12, 14), providers' responses
/// (13), closing (15), the notice (17) and the programme as data (18). Leaves `user_version` to
/// the caller.
pub fn schema_back_to_10(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("test file");
    conn.execute_batch(
        "ALTER TABLE case_info DROP COLUMN closed_on; ALTER TABLE case_info DROP COLUMN close_reason;
         ALTER TABLE case_info DROP COLUMN retention_days;
         ALTER TABLE case_info DROP COLUMN personal_data_deleted_on;
         ALTER TABLE document_review DROP COLUMN personal;
         DROP TABLE requested_document; ALTER TABLE case_info DROP COLUMN planned_interviews;
         ALTER TABLE case_info DROP COLUMN programme;
         ALTER TABLE finding DROP COLUMN response; ALTER TABLE finding DROP COLUMN response_text;
         ALTER TABLE finding DROP COLUMN response_changed;
         DROP TABLE report_version; DROP TABLE fidelity_seal; DROP TABLE fidelity_blind_copy;
         ALTER TABLE fidelity_scale DROP COLUMN improvement_below;
         ALTER TABLE fidelity_item DROP COLUMN recommendation;
         ALTER TABLE finding DROP COLUMN fidelity_item;",
    )
    .expect("schema back to 10");
}

/// The PDF's text as poppler reads it; `None` where poppler is not installed (CI requires it:
/// EVALBENCH_REQUIRE_POPPLER).
pub fn pdf_text(path: &Path) -> Option<String> {
    match std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
    {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(_) if std::env::var_os("EVALBENCH_REQUIRE_POPPLER").is_none() => None,
        Err(e) => panic!("pdftotext: {e}"),
    }
}

/// Runs the program's command line in `dir`, with its data folder (backups) inside `dir`.
pub fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
        .current_dir(dir)
        .env("EVALBENCH_DATA_DIR", dir.join("data"))
        .args(args)
        .output()
        .expect("the program runs")
}
