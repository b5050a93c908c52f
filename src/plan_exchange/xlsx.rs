//! The plan as an Excel workbook (`rust_xlsxwriter` out, `calamine` back in). Sheets: "Avvik"
//! (NAV's deviations, protected), "Tiltak" (the provider's actions: drop-down status, date
//! cells, frozen header; column A holds each row's id), and a hidden "evalbench" sheet with the
//! case id, so a workbook from another case is recognised.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use jiff::civil::Date;
use rust_xlsxwriter::{
    DataValidation, ExcelDateTime, Format, FormatAlign, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};

use super::{
    ACTIONS_SHEET, Cell, DEVIATIONS_SHEET, FORMAT, FORMAT_VERSION, META_SHEET, PlanFile,
    RawDeviation, RawPlan, RawRow,
};
use crate::domain::ActionStatus;
use crate::i18n::{Labelled, Lang, t};

/// Rows left open for new actions below the exported ones (validation and formats apply).
const SPARE_ROWS: u32 = 200;

#[derive(Debug, thiserror::Error)]
pub enum XlsxFileError {
    #[error("Cannot write the workbook «{path}»: {source}.")]
    Write { path: String, source: XlsxError },
    #[error("Cannot read «{path}» as a workbook: {reason}. Nothing was changed.")]
    Read { path: String, reason: String },
    #[error("«{path}» has no sheet «{sheet}»; is it a plan exported by Evalbench?")]
    MissingSheet { path: String, sheet: &'static str },
}

/// Writes the plan workbook to `path` (whole, or not at all).
pub fn write(plan: &PlanFile, lang: Lang, path: &Path) -> Result<(), XlsxFileError> {
    let write_error = |source| XlsxFileError::Write {
        path: path.display().to_string(),
        source,
    };
    let mut workbook = build(plan, lang).map_err(write_error)?;
    let bytes = workbook.save_to_buffer().map_err(write_error)?;
    crate::files::write_whole(path, bytes).map_err(|e| write_error(XlsxError::IoError(e)))
}

fn build(plan: &PlanFile, lang: Lang) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#DDE6EE");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("dd.mm.yyyy")
        .set_align(FormatAlign::Top);
    let editable = wrap.clone().set_unlocked();
    let editable_date = date.clone().set_unlocked();

    let sheet = workbook.add_worksheet();
    sheet.set_name(DEVIATIONS_SHEET)?;
    for (col, (key, width)) in [
        ("plan.column.deviation_id", 10.0),
        ("plan.column.requirements", 14.0),
        ("plan.column.deviation_title", 40.0),
        ("plan.column.finding_text", 70.0),
        ("plan.column.plan_deadline", 14.0),
    ]
    .into_iter()
    .enumerate()
    {
        let col = col as u16;
        sheet.write_string_with_format(0, col, t(lang, key), &header)?;
        sheet.set_column_width(col, width)?;
    }
    for (index, deviation) in plan.deviations.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_number_with_format(row, 0, deviation.id.0 as f64, &wrap)?;
        sheet.write_string_with_format(row, 1, &deviation.requirements, &wrap)?;
        sheet.write_string_with_format(row, 2, &deviation.title, &wrap)?;
        sheet.write_string_with_format(row, 3, &deviation.description, &wrap)?;
        if let Some(deadline) = deviation.deadline {
            sheet.write_date_with_format(row, 4, excel_date(deadline)?, &date)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });

    let sheet = workbook.add_worksheet();
    sheet.set_name(ACTIONS_SHEET)?;
    actions_sheet(sheet, plan, lang, &header, &editable, &editable_date)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(META_SHEET)?;
    sheet.write_string(0, 0, "format")?;
    sheet.write_string(0, 1, FORMAT)?;
    sheet.write_string(1, 0, "format_version")?;
    sheet.write_number(1, 1, f64::from(FORMAT_VERSION))?;
    sheet.write_string(2, 0, "case_id")?;
    sheet.write_string(2, 1, &plan.case_id)?;
    sheet.write_string(3, 0, "provider")?;
    sheet.write_string(3, 1, &plan.provider)?;
    let exported: Vec<String> = plan
        .actions
        .iter()
        .filter_map(|a| a.id.map(|id| id.0.to_string()))
        .collect();
    sheet.write_string(4, 0, "actions")?;
    sheet.write_string(4, 1, exported.join(","))?;
    sheet.set_hidden(true);
    sheet.protect();
    Ok(workbook)
}

fn actions_sheet(
    sheet: &mut Worksheet,
    plan: &PlanFile,
    lang: Lang,
    header: &Format,
    editable: &Format,
    editable_date: &Format,
) -> Result<(), XlsxError> {
    for (col, ((_, key), width)) in super::ACTION_COLUMNS
        .iter()
        .zip([8.0, 10.0, 50.0, 22.0, 13.0, 40.0, 16.0])
        .enumerate()
    {
        let col = col as u16;
        sheet.write_string_with_format(0, col, t(lang, key), header)?;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last = plan.actions.len() as u32 + SPARE_ROWS;
    for row in 1..=last {
        for col in 1..=6u16 {
            if col == 4 {
                sheet.write_blank(row, col, editable_date)?;
            } else {
                sheet.write_blank(row, col, editable)?;
            }
        }
    }
    for (index, action) in plan.actions.iter().enumerate() {
        let row = index as u32 + 1;
        if let Some(id) = action.id {
            sheet.write_number(row, 0, id.0 as f64)?;
        }
        sheet.write_number_with_format(row, 1, action.deviation.0 as f64, editable)?;
        sheet.write_string_with_format(row, 2, &action.description, editable)?;
        sheet.write_string_with_format(row, 3, &action.owner, editable)?;
        if let Some(due) = action.due_date {
            sheet.write_date_with_format(row, 4, excel_date(due)?, editable_date)?;
        }
        sheet.write_string_with_format(row, 5, &action.closure_evidence, editable)?;
        sheet.write_string_with_format(row, 6, action.status.label(lang), editable)?;
    }
    let statuses: Vec<String> = ActionStatus::ALL
        .iter()
        .map(|s| s.label(lang).into_owned())
        .collect();
    let status_list = DataValidation::new()
        .allow_list_strings(&statuses)?
        .set_error_title(t(lang, "plan.status_title"))?
        .set_error_message(t(lang, "plan.status_error"))?;
    sheet.add_data_validation(1, 6, last, 6, &status_list)?;
    if !plan.deviations.is_empty() {
        // The choices are the ids on the deviation sheet: a range, since a list written out
        // may hold at most 255 characters (about 60 deviations).
        let deviation_list = DataValidation::new()
            .allow_list_formula(rust_xlsxwriter::Formula::new(format!(
                "={DEVIATIONS_SHEET}!$A$2:$A${}",
                plan.deviations.len() + 1
            )))
            .set_input_message(t(lang, "plan.deviation_hint"))?;
        sheet.add_data_validation(1, 1, last, 1, &deviation_list)?;
    }
    // The row ids stay with their rows but out of the way; a new row leaves it empty.
    sheet.set_column_hidden(0)?;
    Ok(())
}

fn excel_date(date: Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(date.year()).unwrap_or(1900),
        date.month() as u8,
        date.day() as u8,
    )
}

type Sheet = calamine::Range<Data>;

/// A plan has a few columns and at most some thousand rows; a cell beyond these is not part of
/// one (and a dense grid up to it could exhaust memory).
const MAX_ROWS: u32 = 10_000;
const MAX_COLUMNS: u32 = 16;

/// The plan's three sheets, as the spreadsheet reader gives them.
fn read_sheets(path_text: &str, bytes: &[u8]) -> Result<(Sheet, Sheet, Sheet), XlsxFileError> {
    let read_error = |reason: String| XlsxFileError::Read {
        path: path_text.to_owned(),
        reason,
    };
    // XLSX: read cell by cell, so a stray far-away cell is refused instead of making the reader
    // allocate a grid up to it. Other formats (ODS, XLS) go through the plain reader.
    // (ODS is a zip too; what the XLSX reader does not take goes to the plain reader.)
    if let Ok(mut workbook) = calamine::Xlsx::new(std::io::Cursor::new(bytes)) {
        let mut sheet = |name: &'static str| -> Result<Sheet, XlsxFileError> {
            let mut reader =
                workbook
                    .worksheet_cells_reader(name)
                    .map_err(|_| XlsxFileError::MissingSheet {
                        path: path_text.to_owned(),
                        sheet: name,
                    })?;
            let mut cells = Vec::new();
            while let Some(cell) = reader.next_cell().map_err(|e| read_error(e.to_string()))? {
                let (row, col) = cell.get_position();
                // Empty cells (formatting only, which spreadsheet programs write far down) are
                // no content.
                if matches!(cell.get_value(), calamine::DataRef::Empty) {
                    continue;
                }
                if row >= MAX_ROWS || col >= MAX_COLUMNS {
                    return Err(read_error(format!(
                        "sheet «{name}» has a cell at row {}, column {}, outside a plan (rows up to {MAX_ROWS}, columns up to {MAX_COLUMNS})",
                        u64::from(row) + 1,
                        u64::from(col) + 1
                    )));
                }
                cells.push(calamine::Cell::new(
                    (row, col),
                    Data::from(cell.get_value().clone()),
                ));
            }
            Ok(calamine::Range::from_sparse(cells))
        };
        return Ok((
            sheet(META_SHEET)?,
            sheet(ACTIONS_SHEET)?,
            sheet(DEVIATIONS_SHEET)?,
        ));
    }
    // The plain reader builds a full grid up to the farthest cell; an ODS file is looked
    // through first.
    super::ods::check_extent(bytes, u64::from(MAX_ROWS), u64::from(MAX_COLUMNS))
        .map_err(read_error)?;
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| read_error(e.to_string()))?;
    let mut sheet = |name: &'static str| {
        workbook
            .worksheet_range(name)
            .map_err(|_| XlsxFileError::MissingSheet {
                path: path_text.to_owned(),
                sheet: name,
            })
    };
    Ok((
        sheet(META_SHEET)?,
        sheet(ACTIONS_SHEET)?,
        sheet(DEVIATIONS_SHEET)?,
    ))
}

/// Reads a plan workbook back, as cells; `super::check` judges them.
pub fn read(path: &Path) -> Result<RawPlan, XlsxFileError> {
    let path_text = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| XlsxFileError::Read {
        path: path_text.clone(),
        reason: e.to_string(),
    })?;
    read_bytes(&path_text, &bytes)
}

/// Reads a plan workbook (XLSX, or what a spreadsheet program saved it as) from memory; `name`
/// is the file's name in messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<RawPlan, XlsxFileError> {
    let path_text = name.to_owned();
    // The spreadsheet reader has panicked on some damaged files (an overflowing cell reference,
    // found by fuzzing); such a file is refused like any other unreadable one.
    let sheets = std::panic::catch_unwind(|| read_sheets(&path_text, bytes)).map_err(|_| {
        XlsxFileError::Read {
            path: path_text.clone(),
            reason: "the file is damaged".to_owned(),
        }
    })?;
    let (meta, actions, deviations) = sheets?;
    let meta_value = |key: &str| {
        (0..16u32).find_map(|row| {
            (cell(meta.get_value((row, 0))) == Cell::Text(key.into())).then(|| {
                match cell(meta.get_value((row, 1))) {
                    Cell::Text(value) => value.trim().to_owned(),
                    other => other.text(),
                }
            })
        })
    };
    let case_id = meta_value("case_id");
    let exported_actions = meta_value("actions").map(|list| {
        list.split(',')
            .filter_map(|id| id.trim().parse().ok().map(crate::domain::ActionId))
            .collect()
    });
    let height = actions.end().map_or(0, |(row, _)| row);
    let mut rows = Vec::new();
    for row in 1..=height {
        let at = |col: u32| cell(actions.get_value((row, col)));
        let raw = RawRow {
            row: row as usize + 1,
            id: at(0),
            deviation: at(1),
            description: at(2),
            owner: at(3),
            due_date: at(4),
            closure_evidence: at(5),
            status: at(6),
        };
        // Rows the provider left empty (formatted spares) are no rows.
        let filled = [
            &raw.deviation,
            &raw.description,
            &raw.owner,
            &raw.due_date,
            &raw.closure_evidence,
        ]
        .iter()
        .any(|c| **c != Cell::Empty && c.text() != "");
        if filled || raw.id != Cell::Empty {
            rows.push(raw);
        }
    }
    let height = deviations.end().map_or(0, |(row, _)| row);
    let deviations = (1..=height)
        .map(|row| RawDeviation {
            row: row as usize + 1,
            cells: ["A", "B", "C", "D", "E"]
                .into_iter()
                .enumerate()
                .map(|(col, name)| (name, cell(deviations.get_value((row, col as u32)))))
                .collect(),
        })
        .filter(|d| d.cells.iter().any(|(_, c)| *c != Cell::Empty))
        .collect();
    Ok(RawPlan {
        case_id,
        exported_actions,
        rows,
        deviations,
    })
}

/// A calamine cell as a `Cell`; spreadsheet dates are days since 1899-12-30.
fn cell(data: Option<&Data>) -> Cell {
    match data {
        None | Some(Data::Empty) => Cell::Empty,
        Some(Data::String(text)) if text.trim().is_empty() => Cell::Empty,
        Some(Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text)) => {
            match text.get(..10).and_then(|t| t.parse::<Date>().ok()) {
                Some(day) if text.len() == 10 || text.as_bytes().get(10) == Some(&b'T') => {
                    Cell::Date(day)
                }
                _ => Cell::Text(text.clone()),
            }
        }
        Some(Data::Float(n)) => Cell::Number(*n),
        Some(Data::Int(n)) => Cell::Number(*n as f64),
        Some(Data::Bool(b)) => Cell::Text(b.to_string()),
        Some(Data::DateTime(value)) => {
            serial_date(value.as_f64()).map_or_else(|| Cell::Number(value.as_f64()), Cell::Date)
        }
        Some(Data::Error(e)) => Cell::Text(format!("#{e:?}")),
    }
}

fn serial_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()
}
