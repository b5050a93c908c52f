//! The provider's plan out to a workbook and back: unchanged → no differences; edited → exactly
//! the edits; each kind of bad workbook → its message (sheet, row, column) and no change.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;

use calamine::Data;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::domain::{ActionStatus, CaseSnapshot};
use evalbench::i18n::Lang;
use evalbench::plan_exchange::{self, PlanFile, Problem, json, xlsx};
use evalbench::store::CaseStore;

use common::Sheets;

fn read_sheets(path: &Path) -> Sheets {
    common::workbook_sheets(&std::fs::read(path).unwrap())
}

/// Writes the sheets as a plain workbook the way another program saves one: values only, no
/// formats or validation, dates as the provider typed them (text) where the edit says so.
fn write_sheets(sheets: &Sheets, path: &Path) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::String(text) => {
                        sheet.write_string(r, c, text).unwrap();
                    }
                    Data::Float(n) => {
                        sheet.write_number(r, c, *n).unwrap();
                    }
                    Data::Int(n) => {
                        sheet.write_number(r, c, *n as f64).unwrap();
                    }
                    Data::DateTime(d) => {
                        let format = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
                        sheet
                            .write_number_with_format(r, c, d.as_f64(), &format)
                            .unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    workbook.save(path).unwrap();
}

fn sheet<'a>(sheets: &'a mut Sheets, name: &str) -> &'a mut Vec<Vec<Data>> {
    &mut sheets.iter_mut().find(|(n, _)| n == name).unwrap().1
}

fn text(value: &str) -> Data {
    Data::String(value.to_owned())
}

struct Fixture {
    _dir: tempfile::TempDir,
    case: std::path::PathBuf,
    exported: std::path::PathBuf,
    dir: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let exported = dir.path().join("plan.xlsx");
    let snapshot = snapshot(&case);
    xlsx::write(&PlanFile::from_case(&snapshot), Lang::Nb, &exported).unwrap();
    Fixture {
        dir: dir.path().to_owned(),
        case,
        exported,
        _dir: dir,
    }
}

fn snapshot(case: &Path) -> CaseSnapshot {
    CaseStore::open_read_only(case).unwrap().snapshot().unwrap()
}

fn check(case: &Path, workbook: &Path) -> Result<plan_exchange::PlanChanges, Vec<Problem>> {
    let raw = xlsx::read(workbook).unwrap();
    plan_exchange::check(&snapshot(case), &raw, DEMO_TODAY, Lang::Nb)
}

#[test]
fn unchanged_workbook_and_json_give_no_differences() {
    let f = fixture();
    let changes = check(&f.case, &f.exported).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    assert!(changes.ignored_edits.is_empty(), "{changes:?}");

    // Saved again by another program, without our formats and validation: still nothing.
    let copy = f.dir.join("copy.xlsx");
    write_sheets(&read_sheets(&f.exported), &copy);
    let changes = check(&f.case, &copy).unwrap();
    assert!(changes.is_empty(), "{changes:?}");

    let json_path = f.dir.join("plan.json");
    let plan = PlanFile::from_case(&snapshot(&f.case));
    std::fs::write(&json_path, json::to_json(&plan).unwrap()).unwrap();
    let raw = json::read(&json_path, Lang::Nb).unwrap();
    let changes = plan_exchange::check(&snapshot(&f.case), &raw, DEMO_TODAY, Lang::Nb).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn an_edited_workbook_gives_exactly_the_edits_and_applies_in_one_step() {
    let f = fixture();
    let before = snapshot(&f.case);
    let mut sheets = read_sheets(&f.exported);
    let actions = sheet(&mut sheets, "Tiltak");
    let first_id = match &actions[1][0] {
        Data::Float(n) => *n as i64,
        other => panic!("row id cell: {other:?}"),
    };
    let second_id = match &actions[2][0] {
        Data::Float(n) => *n as i64,
        other => panic!("row id cell: {other:?}"),
    };
    let deviation = actions[1][1].clone();
    // Row 2: a new owner. Row 3: status typed by hand, due date typed as text.
    actions[1][3] = text("Leder for tiltaket");
    actions[2][6] = text("pågår");
    actions[2][4] = text("15.03.2027");
    // The fourth row is deleted; a new row (no id) is added at the end.
    let removed = match &actions[3][0] {
        Data::Float(n) => *n as i64,
        other => panic!("row id cell: {other:?}"),
    };
    actions.remove(3);
    actions.push(vec![
        Data::Empty,
        deviation,
        text("Ny rutine for varsling av frister"),
        text("Tiltakskoordinator"),
        text("2027-02-01"),
        text("Rutinen legges fram for NAV"),
        text("Foreslått"),
    ]);
    // A reworded deviation is reported, not applied.
    sheet(&mut sheets, "Avvik")[1][2] = text("Omskrevet avvik");
    let edited = f.dir.join("edited.xlsx");
    write_sheets(&sheets, &edited);

    let changes = check(&f.case, &edited).unwrap();
    assert_eq!(changes.added.len(), 1, "{changes:?}");
    assert_eq!(
        changes.added[0].1.description,
        "Ny rutine for varsling av frister"
    );
    assert_eq!(
        changes.added[0].1.due_date,
        Some(jiff::civil::date(2027, 2, 1))
    );
    let changed_ids: Vec<i64> = changes.changed.iter().map(|(id, _, _)| id.0).collect();
    assert_eq!(changed_ids, vec![first_id, second_id]);
    assert_eq!(changes.changed[0].2.owner, "Leder for tiltaket");
    assert_eq!(changes.changed[1].2.status, ActionStatus::InProgress);
    assert_eq!(
        changes.changed[1].2.due_date,
        Some(jiff::civil::date(2027, 3, 15))
    );
    assert_eq!(
        changes.removed.iter().map(|id| id.0).collect::<Vec<_>>(),
        vec![removed]
    );
    assert_eq!(changes.ignored_edits.len(), 1, "{changes:?}");
    let edit = changes.ignored_edits[0].to_string();
    assert!(
        edit.starts_with("Avvik, row 2, column C: changed from"),
        "{edit}"
    );

    let mut store = CaseStore::open(&f.case).unwrap();
    let journal = store.journal().unwrap().len();
    store.apply(&changes.command()).unwrap();
    assert_eq!(store.journal().unwrap().len(), journal + 1, "one step");
    let after = store.snapshot().unwrap();
    assert_eq!(after.actions.len(), before.actions.len());
    assert!(!after.actions.iter().any(|a| a.id.0 == removed));
    assert_eq!(
        after.findings, before.findings,
        "NAV's text is never changed by an import"
    );
    // Read back now: the file equals the case.
    let changes = check(&f.case, &edited);
    let changes = changes.unwrap();
    assert!(
        changes.added.len() == 1,
        "the new row has no id yet, so it is new again"
    );
    // The action added by the import was not in the exported workbook, so it is not "removed".
    assert!(changes.changed.is_empty() && changes.removed.is_empty());
    store.undo().unwrap();
    assert_eq!(store.snapshot().unwrap(), before);
}

/// Builds a workbook from the export with `edit` applied to the actions sheet, then checks it.
fn problems_after(f: &Fixture, edit: impl FnOnce(&mut Vec<Vec<Data>>)) -> Vec<String> {
    let mut sheets = read_sheets(&f.exported);
    edit(sheet(&mut sheets, "Tiltak"));
    let path = f.dir.join("bad.xlsx");
    write_sheets(&sheets, &path);
    let before = std::fs::read(&f.case).unwrap();
    let result = check(&f.case, &path);
    assert_eq!(std::fs::read(&f.case).unwrap(), before);
    result
        .expect_err("the workbook has a problem")
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A change to the rows of the actions sheet.
type Edit = Box<dyn FnOnce(&mut Vec<Vec<Data>>)>;

#[test]
fn each_bad_row_gets_its_own_message() {
    let f = fixture();
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|rows| rows[1][1] = Data::Float(9999.0)),
            "Tiltak, row 2, column B: «9999» is not one of the deviations",
        ),
        (
            Box::new(|rows| rows[1][4] = text("32.13.2026")),
            "Tiltak, row 2, column E: «32.13.2026» is not a date",
        ),
        (
            Box::new(|rows| rows[1][4] = text("01.01.2020")),
            "Tiltak, row 2, column E: the due date 01.01.2020 is in the past",
        ),
        (
            Box::new(|rows| rows[2][6] = text("Nesten ferdig")),
            "Tiltak, row 3, column G: «Nesten ferdig» is not a status",
        ),
        (
            Box::new(|rows| rows[3][3] = text("  ")),
            "Tiltak, row 4, column D: no owner",
        ),
        (
            Box::new(|rows| rows[1][0] = Data::Float(4242.0)),
            "Tiltak, row 2, column A: row id «4242» is not an action of this case",
        ),
        (
            Box::new(|rows| {
                let copy = rows[1].clone();
                rows.push(copy);
            }),
            "column A: row id",
        ),
    ];
    for (edit, expected) in cases {
        let problems = problems_after(&f, edit);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(expected) || p.contains(expected)),
            "expected «{expected}» in {problems:?}"
        );
    }
    // Several problems at once: one message each.
    let problems = problems_after(&f, |rows| {
        rows[1][3] = text("");
        rows[2][6] = text("??");
    });
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn a_workbook_from_another_case_or_not_a_workbook_is_refused() {
    let f = fixture();
    let other = f.dir.join("other.evalcase");
    write_demo(&other).unwrap();
    let other_plan = f.dir.join("other.xlsx");
    xlsx::write(
        &PlanFile::from_case(&snapshot(&other)),
        Lang::Nb,
        &other_plan,
    )
    .unwrap();
    let problems = check(&f.case, &other_plan).unwrap_err();
    assert!(
        problems[0]
            .to_string()
            .starts_with("evalbench: the file belongs to another case"),
        "{problems:?}"
    );

    let garbage = f.dir.join("garbage.xlsx");
    std::fs::write(&garbage, b"not a workbook at all").unwrap();
    let error = xlsx::read(&garbage).unwrap_err().to_string();
    assert!(error.contains("Cannot read"), "{error}");
    assert!(error.contains("garbage.xlsx"), "{error}");
}

/// A case with more deviations than a written-out drop-down list can hold (255 characters, about
/// 60 ids) still gets a workbook (found by the benchmark on the stress case), and it reads back.
#[test]
fn a_plan_with_many_deviations_gets_a_workbook_with_a_range_drop_down() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("stor.evalcase");
    evalbench::demo::write_demo_scaled(&case, 20).unwrap();
    let snapshot = snapshot(&case);
    let plan = PlanFile::from_case(&snapshot);
    assert!(plan.deviations.len() >= 100, "{}", plan.deviations.len());
    let workbook = dir.path().join("plan.xlsx");
    xlsx::write(&plan, Lang::Nb, &workbook).unwrap();
    let changes = check(&case, &workbook).unwrap();
    assert!(changes.is_empty(), "read back unchanged");
}

/// Each header of both sheets names what its column holds, in both languages: the deviation's
/// title is not headed as its id, and every column headed as an id holds ids.
#[test]
fn every_workbook_header_names_what_its_column_holds() {
    let f = fixture();
    let expected = [
        (
            Lang::Nb,
            ["Avvik-id", "Krav", "Avvik", "Beskrivelse", "Frist for planen"],
            [
                "Rad-id",
                "Avvik-id",
                "Tiltak",
                "Ansvarlig",
                "Frist",
                "Slik viser vi at avviket er lukket",
                "Status",
            ],
        ),
        (
            Lang::En,
            [
                "Deviation id",
                "Requirements",
                "Deviation",
                "Description",
                "Plan deadline",
            ],
            [
                "Row id",
                "Deviation id",
                "Action",
                "Owner",
                "Due date",
                "How closure will be shown",
                "Status",
            ],
        ),
    ];
    for (lang, deviation_headers, action_headers) in expected {
        let path = f.dir.join(format!("headers-{lang:?}.xlsx"));
        xlsx::write(&PlanFile::from_case(&snapshot(&f.case)), lang, &path).unwrap();
        let mut sheets = read_sheets(&path);
        for (name, headers) in [
            ("Avvik", deviation_headers.to_vec()),
            ("Tiltak", action_headers.to_vec()),
        ] {
            let rows = sheet(&mut sheets, name);
            let read: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
            assert_eq!(read, headers, "{lang:?}, sheet {name}");
            // A column headed as an id holds numbers in every filled row.
            for (col, header) in headers.iter().enumerate() {
                if header.ends_with("-id") || header.ends_with(" id") {
                    for row in rows.iter().skip(1).filter(|r| r.len() > 2) {
                        assert!(
                            matches!(row[col], Data::Float(_) | Data::Int(_)),
                            "{name}, column «{header}» holds {:?}",
                            row[col]
                        );
                    }
                }
            }
        }
    }
}
