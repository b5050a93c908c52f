//! The provider's response to the draft report (tilsvar), as a workbook: one row per finding
//! (number, requirements, title, text — read-only) with a choice of *Enig / Retter faktafeil /
//! Uenig* and a column for the provider's text. Read back, every row is checked against the
//! case first; one bad row refuses the whole file, naming sheet, row and column, and nothing
//! is changed.

use std::io::Cursor;

use calamine::{Data, Reader};
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, Workbook, XlsxError};

use crate::command::Command;
use crate::domain::{CaseSnapshot, FindingId, ProviderResponse, ResponseStance};
use crate::i18n::{Labelled, Lang, t, tf};

/// The sheet's name, the same in every language (it is how the file is recognised).
pub const SHEET: &str = "Tilsvar";
/// The sheet that names the case the file belongs to.
const CASE_SHEET: &str = "Evalbench";

/// A problem with one place in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based, as the spreadsheet program shows it; `None` for the file as a whole.
    pub row: Option<usize>,
    pub column: Option<&'static str>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, self.column) {
            (Some(row), Some(column)) => write!(f, "{SHEET}!{column}{row}: {}", self.message),
            (Some(row), None) => write!(f, "{SHEET}, row {row}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// The workbook for the provider to fill in.
pub fn write(snapshot: &CaseSnapshot, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let editable = wrap.clone().set_unlocked();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    crate::plan_exchange::xlsx::header_row(
        sheet,
        [
            ("responses.column.number", 8.0),
            ("responses.column.requirements", 14.0),
            ("responses.column.finding", 36.0),
            ("responses.column.text", 60.0),
            ("responses.column.stance", 18.0),
            ("responses.column.response", 60.0),
        ],
        lang,
    )?;
    for (index, finding) in snapshot.findings.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_number_with_format(row, 0, finding.id.0 as f64, &wrap)?;
        sheet.write_string_with_format(
            row,
            1,
            snapshot.requirement_codes(&finding.requirement_ids),
            &wrap,
        )?;
        sheet.write_string_with_format(row, 2, &finding.fields.title, &wrap)?;
        sheet.write_string_with_format(row, 3, &finding.fields.description, &wrap)?;
        let (stance, text) = finding.response.as_ref().map_or((String::new(), ""), |r| {
            (r.stance.label(lang).into_owned(), r.text.as_str())
        });
        sheet.write_string_with_format(row, 4, stance, &editable)?;
        sheet.write_string_with_format(row, 5, text, &editable)?;
        // The finding's identity in every copy of the case: a colleague's copy numbers it
        // differently.
        if let Some(uuid) = snapshot.uuids.get(&finding.id.to_string()) {
            sheet.write_string(row, 6, uuid)?;
        }
    }
    sheet.set_column_hidden(6)?;
    let last = snapshot.findings.len().max(1) as u32;
    let stances: Vec<String> = ResponseStance::ALL
        .iter()
        .map(|s| s.label(lang).into_owned())
        .collect();
    let choice = DataValidation::new()
        .allow_list_strings(&stances)?
        .set_error_message(t(lang, "responses.stance_error"))?;
    sheet.add_data_validation(1, 4, last, 4, &choice)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.protect();
    let about = workbook.add_worksheet();
    about.set_name(CASE_SHEET)?;
    about.write_string(0, 0, "case_id")?;
    about.write_string(0, 1, &snapshot.case_id)?;
    about.set_hidden(true);
    let bytes = workbook.save_to_buffer()?;
    crate::export::xml_package::clean(bytes)
        .map_err(|e| XlsxError::IoError(std::io::Error::other(e)))
}

/// Reads a filled-in workbook (XLSX or ODS) against the case: the commands that record the
/// responses that differ from what the case holds, or every problem found.
pub fn read(
    name: &str,
    bytes: &[u8],
    snapshot: &CaseSnapshot,
    lang: Lang,
) -> Result<Vec<Command>, Vec<Problem>> {
    let whole = |message: String| {
        vec![Problem {
            row: None,
            column: None,
            message,
        }]
    };
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
            whole(tf(
                lang,
                "responses.unreadable",
                &[("file", &name), ("reason", &e)],
            ))
        })?;
    let sheet = workbook.worksheet_range(SHEET).map_err(|_| {
        whole(tf(
            lang,
            "responses.no_sheet",
            &[("file", &name), ("sheet", &SHEET)],
        ))
    })?;
    if let Ok(about) = workbook.worksheet_range(CASE_SHEET) {
        let case_id = about.get((0, 1)).map(cell_text).unwrap_or_default();
        if !case_id.is_empty() && case_id != snapshot.case_id {
            return Err(whole(tf(lang, "responses.other_case", &[("file", &name)])));
        }
    }
    let mut problems = Vec::new();
    let mut commands = Vec::new();
    // The range starts at the first cell in use, which need not be A1: rows and columns are
    // counted from where it starts, so a row means the same whatever is left empty above it.
    let (top, left) = sheet.start().unwrap_or((0, 0));
    for (index, row) in sheet.rows().enumerate() {
        let line = top as usize + index + 1;
        if line == 1 {
            continue; // the header
        }
        let cell = |col: usize| {
            col.checked_sub(left as usize)
                .and_then(|at| row.get(at))
                .map(cell_text)
                .unwrap_or_default()
        };
        let (number, stance, text) = (cell(0), cell(4), cell(5));
        if number.is_empty() && stance.is_empty() && text.is_empty() {
            continue;
        }
        let problem = |column, message| Problem {
            row: Some(line),
            column: Some(column),
            message,
        };
        // By identity where the row has one (it may come from another copy of the case), else
        // by number.
        let uuid = cell(6);
        let by_uuid = (!uuid.is_empty())
            .then(|| {
                snapshot
                    .uuids
                    .iter()
                    .find(|(_, u)| **u == uuid)
                    .and_then(|(name, _)| name.strip_prefix("finding/"))
                    .and_then(|n| n.parse::<i64>().ok())
            })
            .flatten();
        let finding = by_uuid
            .or_else(|| number.trim_end_matches(".0").parse::<i64>().ok())
            .and_then(|n| snapshot.findings.iter().find(|f| f.id == FindingId(n)));
        let Some(finding) = finding else {
            problems.push(problem(
                "A",
                tf(lang, "responses.unknown_finding", &[("number", &number)]),
            ));
            continue;
        };
        if stance.is_empty() {
            if !text.is_empty() {
                problems.push(problem(
                    "E",
                    t(lang, "responses.text_without_stance").to_owned(),
                ));
            }
            continue;
        }
        let Some(stance) = ResponseStance::ALL.into_iter().find(|s| {
            Lang::ALL
                .iter()
                .any(|l| s.label(*l).eq_ignore_ascii_case(stance.trim()))
        }) else {
            let choices: Vec<String> = ResponseStance::ALL
                .iter()
                .map(|s| s.label(lang).into_owned())
                .collect();
            problems.push(problem(
                "E",
                tf(
                    lang,
                    "responses.unknown_stance",
                    &[("value", &stance), ("choices", &choices.join(", "))],
                ),
            ));
            continue;
        };
        let response = ProviderResponse {
            stance,
            text: crate::domain::text::clean(&text).trim().to_owned(),
            // Whether the finding was changed because of it is the evaluators' to say.
            changed: finding.response.as_ref().is_some_and(|r| r.changed),
        };
        if finding.response.as_ref() != Some(&response) {
            commands.push(Command::SetFindingResponse {
                finding_id: finding.id,
                response: Some(response),
            });
        }
    }
    if problems.is_empty() {
        Ok(commands)
    } else {
        Err(problems)
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        other => other.to_string().trim().to_owned(),
    }
}
