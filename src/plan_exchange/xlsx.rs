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
use crate::domain::{ActionId, ActionStatus, FindingId};
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
    #[error(
        "«{path}» is too large for a plan workbook: {what}. It was not read; nothing was changed."
    )]
    TooLarge { path: String, what: String },
    #[error(
        "«{path}» is an Excel 97–2003 workbook (.xls), which is not read; save it as .xlsx or .ods and read that. Nothing was changed."
    )]
    OldFormat { path: String },
}

/// Writes the plan workbook to `path` (whole, or not at all).
pub fn write(plan: &PlanFile, lang: Lang, path: &Path) -> Result<(), XlsxFileError> {
    let write_error = |source| XlsxFileError::Write {
        path: path.display().to_string(),
        source,
    };
    let bytes = to_bytes(plan, lang).map_err(write_error)?;
    crate::files::write_whole(path, bytes).map_err(|e| write_error(XlsxError::IoError(e)))
}

/// The plan workbook's bytes (for a file, or a package such as the archive's).
pub fn to_bytes(plan: &PlanFile, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = build(plan, lang)?;
    let bytes = workbook.save_to_buffer()?;
    // Whatever an older case holds, no part of the workbook carries a character XML forbids.
    crate::export::xml_package::clean(bytes)
        .map_err(|e| XlsxError::IoError(std::io::Error::other(e)))
}

fn build(plan: &PlanFile, lang: Lang) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("dd.mm.yyyy")
        .set_align(FormatAlign::Top);
    let editable = wrap.clone().set_unlocked();
    let editable_date = date.clone().set_unlocked();

    let sheet = workbook.add_worksheet();
    sheet.set_name(DEVIATIONS_SHEET)?;
    header_row(
        sheet,
        [
            ("plan.column.deviation_id", 10.0),
            ("plan.column.requirements", 14.0),
            ("plan.column.deviation_title", 40.0),
            ("plan.column.finding_text", 70.0),
            ("plan.column.plan_deadline", 14.0),
        ],
        lang,
    )?;
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
    actions_sheet(sheet, plan, lang, &editable, &editable_date)?;

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
    // One row each (a cell holds at most 32 767 characters): what the numbers mean.
    sheet.write_string(5, 0, "identities")?;
    for (row, (name, uuid)) in (6u32..).zip(&plan.identities) {
        sheet.write_string(row, 0, name)?;
        sheet.write_string(row, 1, uuid)?;
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(workbook)
}

/// The first row of a sheet: each column's title (a translation key) in bold on a tint, and
/// the column's width. The plan and the response workbook look alike this way.
pub(crate) fn header_row<'a>(
    sheet: &mut Worksheet,
    columns: impl IntoIterator<Item = (&'a str, f64)>,
    lang: Lang,
) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#DDE6EE");
    for (col, (key, width)) in columns.into_iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, t(lang, key), &header)?;
        sheet.set_column_width(col, width)?;
    }
    Ok(())
}

fn actions_sheet(
    sheet: &mut Worksheet,
    plan: &PlanFile,
    lang: Lang,
    editable: &Format,
    editable_date: &Format,
) -> Result<(), XlsxError> {
    header_row(
        sheet,
        super::ACTION_COLUMNS
            .iter()
            .map(|(_, key)| *key)
            .zip([8.0, 10.0, 50.0, 22.0, 13.0, 40.0, 16.0]),
        lang,
    )?;
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

/// A sheet as read: the cells with content, by zero-based (row, column).
#[derive(Default)]
struct Sheet {
    cells: std::collections::HashMap<(u32, u32), Cell>,
}

impl Sheet {
    fn get(&self, row: u32, col: u32) -> Cell {
        self.cells.get(&(row, col)).cloned().unwrap_or(Cell::Empty)
    }

    /// The last row with content (zero-based), 0 for an empty sheet.
    fn last_row(&self) -> u32 {
        self.cells.keys().map(|(row, _)| *row).max().unwrap_or(0)
    }
}

/// A plan has a few columns and at most some thousand rows; a cell beyond these is not part of
/// one (and a dense grid up to it could exhaust memory).
const MAX_ROWS: u32 = 10_000;
const MAX_COLUMNS: u32 = 16;

/// How large a workbook may be before it is refused unread. A plan workbook is some ten or
/// hundred kilobytes; these leave room for thousands of rows of long text, and keep what the
/// reader holds in memory bounded whatever the file claims about itself.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The file itself.
    pub file_bytes: u64,
    /// Everything in the file unpacked (a workbook is a zip archive).
    pub unpacked_bytes: u64,
    /// Cells with content, over all the sheets read.
    pub cells: usize,
}

impl Limits {
    pub const PLAN: Limits = Limits {
        file_bytes: 32 * 1024 * 1024,
        unpacked_bytes: 64 * 1024 * 1024,
        cells: (MAX_ROWS * MAX_COLUMNS) as usize,
    };
}

/// "64 MB", "512 kB", "900 bytes".
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= 1024 {
        format!("{} kB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Unpacks every part of a zip archive into nothing, counting: refused once the parts declare,
/// or actually unpack to, more than the limit (a header's declared size can lie, so the bytes
/// are counted as they come, through a reader that stops just past the limit). Memory stays at
/// one buffer. `Ok` for files that are not zip archives; the spreadsheet reader judges them.
fn check_unpacked_size(bytes: &[u8], limit: u64) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let too_large = |part: &str| {
        format!(
            "unpacked it is larger than {} (at the part «{part}»), far more than a plan",
            size_text(limit)
        )
    };
    let mut declared = 0u64;
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(index) else {
            continue;
        };
        declared = declared.saturating_add(part.size());
        if declared > limit {
            return Err(too_large(&String::from_utf8_lossy(part.name_raw())));
        }
    }
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let mut part = archive
            .by_index(index)
            .map_err(|e| format!("a part of it cannot be unpacked ({e})"))?;
        let name = String::from_utf8_lossy(part.name_raw()).into_owned();
        let mut limited = std::io::Read::take(&mut part, limit - unpacked + 1);
        let read = std::io::copy(&mut limited, &mut std::io::sink())
            .map_err(|e| format!("its part «{name}» cannot be unpacked ({e})"))?;
        unpacked += read;
        if unpacked > limit {
            return Err(too_large(&name));
        }
    }
    Ok(())
}

/// What the reader refuses before it holds a cell: a file or its unpacked content beyond the
/// limits, and the old binary Excel format (its reader lays out every sheet as a full grid up
/// to the farthest cell as the file is opened, with no way to look first).
fn check_before_reading(
    path_text: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(), XlsxFileError> {
    let too_large = |what: String| XlsxFileError::TooLarge {
        path: path_text.to_owned(),
        what,
    };
    if bytes.len() as u64 > limits.file_bytes {
        return Err(too_large(format!(
            "the file is larger than {}",
            size_text(limits.file_bytes)
        )));
    }
    // The signature of a compound file (Excel 97–2003 `.xls`).
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(XlsxFileError::OldFormat {
            path: path_text.to_owned(),
        });
    }
    check_unpacked_size(bytes, limits.unpacked_bytes).map_err(too_large)
}

/// Counts the cells with content read so far against the limit.
struct CellCount<'a> {
    path_text: &'a str,
    limit: usize,
    count: usize,
}

impl CellCount<'_> {
    fn add(&mut self) -> Result<(), XlsxFileError> {
        self.count += 1;
        if self.count > self.limit {
            return Err(XlsxFileError::TooLarge {
                path: self.path_text.to_owned(),
                what: format!("it holds more than {} cells with content", self.limit),
            });
        }
        Ok(())
    }
}

fn outside_plan(name: &str, row: u32, col: u32) -> String {
    format!(
        "sheet «{name}» has a cell at row {}, column {}, outside a plan (rows up to {MAX_ROWS}, columns up to {MAX_COLUMNS})",
        u64::from(row) + 1,
        u64::from(col) + 1
    )
}

/// The plan's three sheets, as the spreadsheet reader gives them.
fn read_sheets(
    path_text: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Sheet, Sheet, Sheet), XlsxFileError> {
    let read_error = |reason: String| XlsxFileError::Read {
        path: path_text.to_owned(),
        reason,
    };
    let missing = |sheet: &'static str| XlsxFileError::MissingSheet {
        path: path_text.to_owned(),
        sheet,
    };
    check_before_reading(path_text, bytes, limits)?;
    let mut count = CellCount {
        path_text,
        limit: limits.cells,
        count: 0,
    };
    // XLSX and XLSB: read cell by cell, so a stray far-away cell is refused instead of making
    // the reader allocate a grid up to it. ODS goes through the plain reader, looked through
    // first. (ODS is a zip too; what the XLSX reader does not take goes on.)
    if let Ok(mut workbook) = calamine::Xlsx::new(std::io::Cursor::new(bytes)) {
        let mut sheet = |name: &'static str| -> Result<Sheet, XlsxFileError> {
            let mut reader = workbook
                .worksheet_cells_reader(name)
                .map_err(|_| missing(name))?;
            let mut sheet = Sheet::default();
            while let Some(record) = reader
                .next_cell_with_formula_metadata()
                .map_err(|e| read_error(e.to_string()))?
            {
                let (row, col) = record.pos;
                // A formula whose result the writing program did not store reads as empty; it
                // is marked, so it is reported instead of taken as a blanked cell.
                let no_result = match &record.value {
                    calamine::DataRef::Empty => true,
                    calamine::DataRef::String(text) => text.is_empty(),
                    _ => false,
                };
                let value = if record.formula.is_some() && no_result {
                    Cell::Uncomputed
                } else if matches!(record.value, calamine::DataRef::Empty) {
                    // Empty cells (formatting only, which spreadsheet programs write far down)
                    // are no content.
                    continue;
                } else {
                    cell(Some(&Data::from(record.value)))
                };
                if row >= MAX_ROWS || col >= MAX_COLUMNS {
                    return Err(read_error(outside_plan(name, row, col)));
                }
                count.add()?;
                sheet.cells.insert((row, col), value);
            }
            Ok(sheet)
        };
        return Ok((
            sheet(META_SHEET)?,
            sheet(ACTIONS_SHEET)?,
            sheet(DEVIATIONS_SHEET)?,
        ));
    }
    if let Ok(mut workbook) = calamine::Xlsb::new(std::io::Cursor::new(bytes)) {
        let mut sheet = |name: &'static str| -> Result<Sheet, XlsxFileError> {
            let mut reader = workbook
                .worksheet_cells_reader(name)
                .map_err(|_| missing(name))?;
            let mut sheet = Sheet::default();
            while let Some(record) = reader.next_cell().map_err(|e| read_error(e.to_string()))? {
                let (row, col) = record.get_position();
                if matches!(record.get_value(), calamine::DataRef::Empty) {
                    continue;
                }
                if row >= MAX_ROWS || col >= MAX_COLUMNS {
                    return Err(read_error(outside_plan(name, row, col)));
                }
                count.add()?;
                sheet.cells.insert(
                    (row, col),
                    cell(Some(&Data::from(record.get_value().clone()))),
                );
            }
            Ok(sheet)
        };
        return Ok((
            sheet(META_SHEET)?,
            sheet(ACTIONS_SHEET)?,
            sheet(DEVIATIONS_SHEET)?,
        ));
    }
    // The plain reader builds a full grid up to the farthest cell; an ODS file is looked
    // through first, so the grid is at most a plan's size.
    super::ods::check_extent(bytes, u64::from(MAX_ROWS), u64::from(MAX_COLUMNS))
        .map_err(read_error)?;
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| read_error(e.to_string()))?;
    let mut sheet = |name: &'static str| -> Result<Sheet, XlsxFileError> {
        let range = workbook.worksheet_range(name).map_err(|_| missing(name))?;
        let mut sheet = Sheet::default();
        for (row, col, data) in range.used_cells() {
            let (row, col) = (
                range.start().map_or(0, |s| s.0) + row as u32,
                range.start().map_or(0, |s| s.1) + col as u32,
            );
            if row >= MAX_ROWS || col >= MAX_COLUMNS {
                return Err(read_error(outside_plan(name, row, col)));
            }
            count.add()?;
            sheet.cells.insert((row, col), cell(Some(data)));
        }
        Ok(sheet)
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
    let limits = Limits::PLAN;
    let read_error = |e: std::io::Error| XlsxFileError::Read {
        path: path_text.clone(),
        reason: e.to_string(),
    };
    // Read at most one byte past the limit: a larger file is refused without being held.
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, limits.file_bytes + 1),
        &mut bytes,
    )
    .map_err(read_error)?;
    read_bytes_within(&path_text, &bytes, &limits)
}

/// Reads a plan workbook (XLSX, or what a spreadsheet program saved it as) from memory; `name`
/// is the file's name in messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<RawPlan, XlsxFileError> {
    read_bytes_within(name, bytes, &Limits::PLAN)
}

/// `read_bytes` within other limits.
pub fn read_bytes_within(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<RawPlan, XlsxFileError> {
    let path_text = name.to_owned();
    // The spreadsheet reader has panicked on some damaged files (an overflowing cell reference,
    // found by fuzzing); such a file is refused like any other unreadable one.
    let sheets =
        std::panic::catch_unwind(|| read_sheets(&path_text, bytes, limits)).map_err(|_| {
            XlsxFileError::Read {
                path: path_text.clone(),
                reason: "the file is damaged".to_owned(),
            }
        })?;
    let (meta, actions, deviations) = sheets?;
    let meta_value = |key: &str| {
        (0..16u32).find_map(|row| {
            (meta.get(row, 0) == Cell::Text(key.into())).then(|| match meta.get(row, 1) {
                Cell::Text(value) => value.trim().to_owned(),
                other => other.text(),
            })
        })
    };
    let case_id = meta_value("case_id");
    let exported_actions = meta_value("actions").map(|list| {
        list.split(',')
            .filter_map(|id| id.trim().parse().ok().map(crate::domain::ActionId))
            .collect()
    });
    // Rows of `finding/3 | 0193…`: what the numbers meant where the file was written.
    let identities = (6..=meta.last_row())
        .filter_map(|row| {
            let name = meta.get(row, 0).text();
            let (kind, number) = name.split_once('/')?;
            let known = [FindingId::ENTITY, ActionId::ENTITY].contains(&kind)
                && number.parse::<i64>().is_ok();
            let uuid = uuid::Uuid::parse_str(&meta.get(row, 1).text()).ok()?;
            known.then(|| (name.clone(), uuid.hyphenated().to_string()))
        })
        .collect();
    let height = actions.last_row();
    let mut rows = Vec::new();
    for row in 1..=height {
        let at = |col: u32| actions.get(row, col);
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
        .any(|c| **c == Cell::Uncomputed || (**c != Cell::Empty && !c.text().is_empty()));
        if filled || raw.id != Cell::Empty {
            rows.push(raw);
        }
    }
    let height = deviations.last_row();
    let deviations = (1..=height)
        .map(|row| RawDeviation {
            row: row as usize + 1,
            cells: ["A", "B", "C", "D", "E"]
                .into_iter()
                .enumerate()
                .map(|(col, name)| (name, deviations.get(row, col as u32)))
                .collect(),
        })
        .filter(|d| d.cells.iter().any(|(_, c)| *c != Cell::Empty))
        .collect();
    Ok(RawPlan {
        case_id,
        exported_actions,
        identities,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a panic is a failed test

    use std::io::Write;

    use super::*;

    /// A zip with one part of `size` bytes.
    fn zip_with(size: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        zip.start_file(
            "xl/worksheets/sheet1.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&vec![b'a'; size]).unwrap();
        zip.finish().unwrap();
        bytes
    }

    /// Overwrites a 4-byte little-endian field `offset` bytes after each `signature`.
    fn patch(bytes: &mut [u8], signature: [u8; 4], offset: usize, value: u32) {
        let at: Vec<usize> = bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == signature)
            .map(|(i, _)| i)
            .collect();
        assert!(!at.is_empty());
        for i in at {
            bytes[i + offset..i + offset + 4].copy_from_slice(&value.to_le_bytes());
        }
    }

    #[test]
    fn unpacked_size_is_checked_as_declared_and_as_unpacked() {
        assert_eq!(check_unpacked_size(&zip_with(10_000), 20_000), Ok(()));
        let declared = check_unpacked_size(&zip_with(10_000), 4096).unwrap_err();
        assert!(
            declared.contains("larger than 4 kB (at the part «xl/worksheets/sheet1.xml»)"),
            "{declared}"
        );
        // The headers claim 10 bytes: the bytes are counted as they are unpacked all the same.
        let mut lying = zip_with(10_000);
        patch(&mut lying, *b"PK\x03\x04", 22, 10);
        patch(&mut lying, *b"PK\x01\x02", 24, 10);
        assert!(check_unpacked_size(&lying, 4096).is_err());
        // Not a zip: left to the spreadsheet reader.
        assert_eq!(check_unpacked_size(b"not a zip", 10), Ok(()));
    }

    #[test]
    fn sizes_are_named_in_their_unit() {
        assert_eq!(size_text(64 * 1024 * 1024), "64 MB");
        assert_eq!(size_text(4096), "4 kB");
        assert_eq!(size_text(900), "900 bytes");
    }
}
