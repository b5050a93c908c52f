//! The provider's response (tilsvar) through a workbook: written with a row per finding and a
//! choice of stance, filled in elsewhere, read back into the findings' responses; a wrong
//! stance or an unknown finding refuses the whole file, naming the cell, with nothing changed;
//! a workbook from another case is refused; LibreOffice's ODS of it reads back unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;
use std::process::Command as Process;

use evalbench::domain::ResponseStance;
use evalbench::store::CaseStore;

fn evalbench(dir: &Path, args: &[&str]) -> std::process::Output {
    common::cli(dir, args)
}

/// A workbook as the provider sends it back: (finding number, stance, text) per row.
fn filled(path: &Path, case_id: &str, rows: &[(i64, &str, &str)]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Tilsvar").unwrap();
    for (col, title) in [
        "Nr",
        "Krav",
        "Funn",
        "Beskrivelse",
        "Tilsvar",
        "Arrangørens kommentar",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *title).unwrap();
    }
    for (index, (number, stance, text)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_number(row, 0, *number as f64).unwrap();
        sheet.write_string(row, 4, *stance).unwrap();
        sheet.write_string(row, 5, *text).unwrap();
    }
    let about = workbook.add_worksheet();
    about.set_name("Evalbench").unwrap();
    about.write_string(0, 0, "case_id").unwrap();
    about.write_string(0, 1, case_id).unwrap();
    workbook.save(path).unwrap();
}

#[test]
fn responses_come_back_from_the_workbook_all_or_nothing() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let case = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    let (first, second) = (case.findings[0].id.0, case.findings[1].id.0);

    let out = evalbench(
        dir.path(),
        &[
            "responses",
            "case.evalcase",
            "--out",
            "tilsvar.xlsx",
            "--lang",
            "nb",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sheets = common::workbook_sheets(&std::fs::read(dir.path().join("tilsvar.xlsx")).unwrap());
    let (name, rows) = &sheets[0];
    assert_eq!(name, "Tilsvar");
    assert_eq!(rows.len(), case.findings.len() + 1);
    assert_eq!(rows[1][2].to_string(), case.findings[0].fields.title);

    // A wrong stance and an unknown finding: refused, each named by its cell; nothing changed.
    filled(
        &dir.path().join("bad.xlsx"),
        &case.case_id,
        &[
            (first, "Uenig", "Planene kom innen fristen."),
            (second, "Kanskje", ""),
            (999, "Enig", ""),
        ],
    );
    let refused = evalbench(
        dir.path(),
        &[
            "responses",
            "case.evalcase",
            "--read",
            "bad.xlsx",
            "--lang",
            "nb",
        ],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("Tilsvar!E3"), "{stderr}");
    assert!(stderr.contains("Kanskje"), "{stderr}");
    assert!(stderr.contains("Tilsvar!A4"), "{stderr}");
    let after = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    assert_eq!(after.findings, case.findings, "nothing was changed");

    // Another case's workbook is refused.
    filled(
        &dir.path().join("other.xlsx"),
        "another-case",
        &[(first, "Enig", "")],
    );
    let other = evalbench(
        dir.path(),
        &[
            "responses",
            "case.evalcase",
            "--read",
            "other.xlsx",
            "--lang",
            "nb",
        ],
    );
    assert!(!other.status.success());
    assert!(String::from_utf8_lossy(&other.stderr).contains("annen sak"));

    filled(
        &dir.path().join("good.xlsx"),
        &case.case_id,
        &[
            (first, "Uenig", "Planene kom innen fristen."),
            (second, "retter faktafeil", "Det var fem, ikke fire."),
        ],
    );
    let read = evalbench(
        dir.path(),
        &[
            "responses",
            "case.evalcase",
            "--read",
            "good.xlsx",
            "--lang",
            "nb",
        ],
    );
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    assert!(String::from_utf8_lossy(&read.stdout).contains("recorded 2 responses"));
    let after = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    let response = |i: usize| after.findings[i].response.clone().expect("a response");
    assert_eq!(response(0).stance, ResponseStance::Disagrees);
    assert_eq!(response(0).text, "Planene kom innen fristen.");
    assert_eq!(response(1).stance, ResponseStance::CorrectsFact);
    assert!(
        !response(1).changed,
        "whether the finding changed is the evaluators' to mark"
    );
    // Read again: nothing new to record.
    let again = evalbench(
        dir.path(),
        &[
            "responses",
            "case.evalcase",
            "--read",
            "good.xlsx",
            "--lang",
            "nb",
        ],
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("recorded 0 responses"));

    // A row that names its finding by identity is read by it, whatever its number says (a
    // workbook written from a colleague's copy, where the numbers differ).
    let uuid = &case.uuids[&format!("finding/{first}")];
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Tilsvar").unwrap();
    sheet.write_number(1, 0, 9999.0).unwrap();
    sheet.write_string(1, 4, "Enig").unwrap();
    sheet.write_string(1, 6, uuid).unwrap();
    workbook.save(dir.path().join("by-uuid.xlsx")).unwrap();
    let read = evalbench(
        dir.path(),
        &[
            "responses",
            "case.evalcase",
            "--read",
            "by-uuid.xlsx",
            "--lang",
            "nb",
        ],
    );
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let after = CaseStore::open_read_only(&path)
        .unwrap()
        .snapshot()
        .unwrap();
    assert_eq!(
        after.findings[0].response.as_ref().unwrap().stance,
        ResponseStance::Agrees
    );

    // LibreOffice saves the written workbook as ODS; it reads back with nothing to change.
    if Process::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let out = evalbench(
            dir.path(),
            &[
                "responses",
                "case.evalcase",
                "--out",
                "now.xlsx",
                "--lang",
                "nb",
            ],
        );
        assert!(out.status.success());
        let converted = Process::new("soffice")
            .args(["--headless", "--convert-to", "ods", "--outdir"])
            .arg(dir.path())
            .arg(dir.path().join("now.xlsx"))
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(converted.status.success(), "{converted:?}");
        let back = evalbench(
            dir.path(),
            &[
                "responses",
                "case.evalcase",
                "--read",
                "now.ods",
                "--lang",
                "nb",
            ],
        );
        assert!(
            back.status.success(),
            "{}",
            String::from_utf8_lossy(&back.stderr)
        );
        assert!(String::from_utf8_lossy(&back.stdout).contains("recorded 0 responses"));
    } else {
        assert!(
            std::env::var_os("EVALBENCH_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice (soffice) is required here but missing"
        );
    }
}
