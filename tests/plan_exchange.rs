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
    workbook_of(sheets).save(path).unwrap();
}

/// The workbook `write_sheets` saves, to add to before saving.
fn workbook_of(sheets: &Sheets) -> rust_xlsxwriter::Workbook {
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
    workbook
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
    // English, so the messages below read as the CLI's and the log's.
    plan_exchange::check(&snapshot(case), &raw, DEMO_TODAY, Lang::En)
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
    // Read back now: the file equals the case. The new row has no id, but the case knows it
    // was imported and does not add it again.
    let changes = check(&f.case, &edited);
    let changes = changes.unwrap();
    assert!(changes.added.is_empty(), "{changes:?}");
    assert_eq!(changes.already_imported.len(), 1, "{changes:?}");
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
            [
                "Avvik-id",
                "Krav",
                "Avvik",
                "Beskrivelse",
                "Frist for planen",
            ],
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

/// The exported workbook with two new rows for the first deviation, as another program saves
/// it; returns the path and the (1-based) row of the first new one.
fn with_new_rows(f: &Fixture, name: &str) -> (std::path::PathBuf, usize) {
    let mut sheets = read_sheets(&f.exported);
    let actions = sheet(&mut sheets, "Tiltak");
    let deviation = actions[1][1].clone();
    let first_row = actions.len() + 1;
    for description in ["Ny rutine for varsling av frister", "Månedlig   oppfølging"] {
        actions.push(vec![
            Data::Empty,
            deviation.clone(),
            text(description),
            text("Tiltakskoordinator"),
            text("01.02.2027"),
            text(""),
            text("Foreslått"),
        ]);
    }
    let path = f.dir.join(name);
    write_sheets(&sheets, &path);
    (path, first_row)
}

#[test]
fn the_same_workbook_read_twice_adds_its_new_rows_once() {
    let f = fixture();
    let before = snapshot(&f.case);
    let (workbook, first_row) = with_new_rows(&f, "new-rows.xlsx");
    let imported_on = jiff::civil::date(2027, 1, 10);

    let first = check(&f.case, &workbook).unwrap();
    assert_eq!(first.added.len(), 2, "{first:?}");
    assert!(first.already_imported.is_empty());
    let mut store = CaseStore::open(&f.case).unwrap();
    store.set_record_day(Some(imported_on));
    store.apply(&first.command()).unwrap();
    let after_first = store.snapshot().unwrap();
    assert_eq!(after_first.actions.len(), before.actions.len() + 2);
    assert_eq!(after_first.imported_rows.len(), 2);

    // The same file again (sent twice, or import clicked twice): nothing new, both rows named
    // as already imported with the day.
    let again = check(&f.case, &workbook).unwrap();
    assert!(again.is_empty(), "{again:?}");
    let rows: Vec<(usize, &str, jiff::civil::Date)> = again
        .already_imported
        .iter()
        .map(|r| (r.row, r.description.as_str(), r.imported_on))
        .collect();
    assert_eq!(
        rows,
        vec![
            (first_row, "Ny rutine for varsling av frister", imported_on),
            (first_row + 1, "Månedlig   oppfølging", imported_on),
        ]
    );

    // The provider fills in more of a row already taken in (spacing and case of the text do not
    // matter): a change of the action it became, not a new one.
    let mut sheets = read_sheets(&workbook);
    let actions = sheet(&mut sheets, "Tiltak");
    let last = actions.len() - 1;
    actions[last][2] = text("månedlig oppfølging ");
    actions[last][6] = text("Pågår");
    let later = f.dir.join("later.xlsx");
    write_sheets(&sheets, &later);
    let changes = check(&f.case, &later).unwrap();
    assert!(changes.added.is_empty(), "{changes:?}");
    assert_eq!(changes.changed.len(), 1, "{changes:?}");
    let (id, _, fields) = &changes.changed[0];
    let action = after_first.actions.iter().find(|a| a.id == *id).unwrap();
    assert_eq!(action.fields.description, "Månedlig   oppfølging");
    assert_eq!(fields.status, ActionStatus::InProgress);
    assert_eq!(changes.already_imported.len(), 2);

    // A row copied within the file is still new: each earlier row matches once.
    let mut sheets = read_sheets(&workbook);
    let actions = sheet(&mut sheets, "Tiltak");
    let copy = actions[actions.len() - 1].clone();
    actions.push(copy);
    let copied = f.dir.join("copied.xlsx");
    write_sheets(&sheets, &copied);
    assert_eq!(check(&f.case, &copied).unwrap().added.len(), 1);

    // Undoing the import forgets it: the same file adds the rows again.
    store.undo().unwrap();
    assert_eq!(store.snapshot().unwrap(), before);
    let undone = check(&f.case, &workbook).unwrap();
    assert_eq!(undone.added.len(), 2, "{undone:?}");
    assert!(undone.already_imported.is_empty());
    store.redo().unwrap();
    assert_eq!(store.snapshot().unwrap(), after_first);

    // An imported action deleted since does not come back from the old file.
    let deleted = after_first.imported_rows[0].action_id.unwrap();
    store
        .apply(&evalbench::command::Command::DeleteAction { action_id: deleted })
        .unwrap();
    let changes = check(&f.case, &workbook).unwrap();
    assert!(changes.added.is_empty(), "{changes:?}");
    assert_eq!(changes.already_imported.len(), 2);
    store.undo().unwrap();
    assert_eq!(store.snapshot().unwrap(), after_first);
}

#[test]
fn the_same_json_read_twice_adds_its_new_rows_once() {
    let f = fixture();
    let mut plan = PlanFile::from_case(&snapshot(&f.case));
    let deviation = plan.deviations[0].id;
    plan.actions.push(evalbench::plan_exchange::ActionRow {
        id: None,
        deviation,
        description: "Ukentlig gjennomgang av frister".into(),
        owner: "Leder for tiltaket".into(),
        due_date: Some(jiff::civil::date(2027, 1, 15)),
        closure_evidence: String::new(),
        status: ActionStatus::Agreed,
    });
    let path = f.dir.join("plan.json");
    std::fs::write(&path, json::to_json(&plan).unwrap()).unwrap();
    let read = |case: &Path| {
        let raw = json::read(&path, Lang::Nb).unwrap();
        plan_exchange::check(&snapshot(case), &raw, DEMO_TODAY, Lang::Nb).unwrap()
    };
    let first = read(&f.case);
    assert_eq!(first.added.len(), 1, "{first:?}");
    let mut store = CaseStore::open(&f.case).unwrap();
    store.apply(&first.command()).unwrap();
    let again = read(&f.case);
    // A JSON file lists the whole plan, so an action it does not name counts as removed: the
    // imported action must be recognised, or it would be removed as well as added again.
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(again.already_imported.len(), 1);
    assert_eq!(
        again.already_imported[0].imported_on,
        store.snapshot().unwrap().imported_rows[0].imported_on
    );
}

/// Another program (a script, an online converter) wrote the workbook with formulas and no
/// stored results: the cells are unknown, and taking them as empty erased the due date.
#[test]
fn a_formula_without_a_stored_value_is_reported_not_taken_as_empty() {
    let f = fixture();
    let before = snapshot(&f.case);
    let mut sheets = read_sheets(&f.exported);
    let rows = sheet(&mut sheets, "Tiltak");
    let first_id = match &rows[1][0] {
        Data::Float(n) => *n as i64,
        other => panic!("row id cell: {other:?}"),
    };
    let action = before.actions.iter().find(|a| a.id.0 == first_id).unwrap();
    assert!(
        action.fields.due_date.is_some(),
        "the test needs a due date"
    );
    let mut workbook = workbook_of(&sheets);
    let actions = workbook.worksheet_from_name("Tiltak").unwrap();
    // Written with an empty result, as such programs do (the default would be 0).
    actions.set_formula_result_default("");
    // Row 2, due date (E2): a formula with no result.
    actions
        .write_formula(
            1,
            4,
            rust_xlsxwriter::Formula::new("=TODAY()+30").set_result(""),
        )
        .unwrap();
    // Row 3, owner (D3) and due date (E3): a formula with no result; a formula with its result
    // stored is read by that result.
    actions
        .write_formula(
            2,
            3,
            rust_xlsxwriter::Formula::new("=\"Leder\"&\"\"").set_result(""),
        )
        .unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    actions
        .write_formula_with_format(
            3,
            4,
            rust_xlsxwriter::Formula::new("=DATE(2027,3,1)").set_result("46447"),
            &date,
        )
        .unwrap();
    let path = f.dir.join("formulas.xlsx");
    workbook.save(&path).unwrap();

    let problems: Vec<String> = check(&f.case, &path)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        vec![
            "Tiltak, row 2, column E: cell E2 holds a formula without a value; open and save the file in a spreadsheet program",
            "Tiltak, row 3, column D: cell D3 holds a formula without a value; open and save the file in a spreadsheet program",
        ]
    );

    // The cached result alone: read as the date it holds.
    let mut workbook = workbook_of(&sheets);
    workbook
        .worksheet_from_name("Tiltak")
        .unwrap()
        .write_formula_with_format(
            3,
            4,
            rust_xlsxwriter::Formula::new("=DATE(2027,3,1)").set_result("46447"),
            &date,
        )
        .unwrap();
    workbook.save(&path).unwrap();
    let changes = check(&f.case, &path).unwrap();
    assert_eq!(changes.changed.len(), 1, "{changes:?}");
    assert_eq!(
        changes.changed[0].2.due_date,
        Some(jiff::civil::date(2027, 3, 1))
    );
}

#[test]
fn blanking_a_required_value_is_a_problem_not_a_change() {
    let f = fixture();
    // An existing action's due date emptied: reported, not stored as "no due date".
    let problems = problems_after(&f, |rows| rows[1][4] = Data::Empty);
    assert_eq!(
        problems,
        vec!["Tiltak, row 2, column E: no due date: by when will it be done?"]
    );
    // A new row needs one too.
    let problems = problems_after(&f, |rows| {
        let deviation = rows[1][1].clone();
        rows.push(vec![
            Data::Empty,
            deviation,
            text("Nytt tiltak uten frist"),
            text("Tiltakskoordinator"),
            Data::Empty,
            Data::Empty,
            text("Foreslått"),
        ]);
    });
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("column E: no due date"),
        "{problems:?}"
    );
    // Owner and action text emptied: as before, each its own message.
    let problems = problems_after(&f, |rows| {
        rows[1][2] = text(" ");
        rows[2][3] = Data::Empty;
    });
    assert_eq!(
        problems,
        vec![
            "Tiltak, row 2, column C: the action is empty",
            "Tiltak, row 3, column D: no owner: who is responsible?",
        ]
    );
}

#[test]
fn a_workbook_beyond_a_plans_size_is_refused_unread() {
    let f = fixture();
    let bytes = std::fs::read(&f.exported).unwrap();
    // More cells than the limit (here small; a plan's own is 160 000).
    let limits = xlsx::Limits {
        cells: 20,
        ..xlsx::Limits::PLAN
    };
    let error = xlsx::read_bytes_within("plan.xlsx", &bytes, &limits)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("«plan.xlsx» is too large for a plan workbook: it holds more than 20 cells"),
        "{error}"
    );
    // More unpacked content than the limit.
    let limits = xlsx::Limits {
        unpacked_bytes: 4 * 1024,
        ..xlsx::Limits::PLAN
    };
    let error = xlsx::read_bytes_within("plan.xlsx", &bytes, &limits)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "«plan.xlsx» is too large for a plan workbook: unpacked it is larger than 4 kB"
        ),
        "{error}"
    );
    // The file itself.
    let limits = xlsx::Limits {
        file_bytes: 1024,
        ..xlsx::Limits::PLAN
    };
    let error = xlsx::read_bytes_within("plan.xlsx", &bytes, &limits)
        .unwrap_err()
        .to_string();
    assert!(error.contains("the file is larger than 1 kB"), "{error}");
    // Within the limits: read.
    assert!(xlsx::read_bytes("plan.xlsx", &bytes).is_ok());

    // The old binary format is refused by its signature, before its reader lays out a grid.
    let old = f.dir.join("plan.xls");
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    std::fs::write(&old, cfb).unwrap();
    let error = xlsx::read(&old).unwrap_err().to_string();
    assert!(
        error.contains("plan.xls") && error.contains("save it as .xlsx or .ods"),
        "{error}"
    );
}
