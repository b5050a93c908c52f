//! The provider's plan leaves the case as a workbook (or JSON), is filled in elsewhere, and comes
//! back. Reading it back validates every row against the case and yields a preview of the
//! changes; nothing is applied until the user accepts, and then all of it as one command.

pub mod json;
mod ods;
pub mod package;
pub mod xlsx;

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::command::{Command, PlanUpdate};
use crate::domain::{
    ActionFields, ActionId, ActionStatus, CaseSnapshot, FindingId, FindingKind, ImportedRow,
};
use crate::i18n::{Labelled, Lang, t, tf};

/// The value of `format` in every exported plan.
pub const FORMAT: &str = "evalbench-plan";
pub const FORMAT_VERSION: u32 = 1;

/// A deviation as the provider sees it: read-only in the workbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviationRow {
    pub id: FindingId,
    pub requirements: String,
    pub title: String,
    pub description: String,
    pub deadline: Option<Date>,
}

/// An action row as the provider fills it in. `id` is empty for a new action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionRow {
    pub id: Option<ActionId>,
    pub deviation: FindingId,
    pub description: String,
    pub owner: String,
    pub due_date: Option<Date>,
    pub closure_evidence: String,
    pub status: ActionStatus,
}

/// What goes out: the case it belongs to, the deviations and the current actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub format: String,
    pub format_version: u32,
    pub case_id: String,
    pub provider: String,
    pub deviations: Vec<DeviationRow>,
    pub actions: Vec<ActionRow>,
    /// The identity of each deviation and action the file names by number (`finding/3` →
    /// UUID), so a plan written from one evaluator's copy of the case is read back right in a
    /// colleague's copy, where the same rows have other numbers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub identities: BTreeMap<String, String>,
}

impl PlanFile {
    pub fn from_case(snapshot: &CaseSnapshot) -> PlanFile {
        let deviations: Vec<DeviationRow> = snapshot
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Deviation)
            .map(|f| DeviationRow {
                id: f.id,
                requirements: f
                    .requirement_ids
                    .iter()
                    .filter_map(|id| snapshot.requirement(*id).map(|r| r.code.clone()))
                    .collect::<Vec<_>>()
                    .join(", "),
                title: f.fields.title.clone(),
                description: f.fields.description.clone(),
                deadline: snapshot.key_dates.plan_deadline,
            })
            .collect();
        let actions = deviations
            .iter()
            .flat_map(|d| {
                snapshot
                    .actions
                    .iter()
                    .filter(move |a| a.finding_id == d.id)
            })
            .map(|a| ActionRow {
                id: Some(a.id),
                deviation: a.finding_id,
                description: a.fields.description.clone(),
                owner: a.fields.owner.clone(),
                due_date: a.fields.due_date,
                closure_evidence: a.fields.closure_evidence.clone(),
                status: a.fields.status,
            })
            .collect::<Vec<ActionRow>>();
        let named: Vec<String> = deviations
            .iter()
            .map(|d| d.id.to_string())
            .chain(actions.iter().filter_map(|a| a.id.map(|id| id.to_string())))
            .collect();
        let identities = named
            .into_iter()
            .filter_map(|name| Some((name.clone(), snapshot.uuids.get(&name)?.clone())))
            .collect();
        PlanFile {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            case_id: snapshot.case_id.clone(),
            provider: snapshot.facts.provider_name.clone(),
            deviations,
            actions,
            identities,
        }
    }
}

impl PlanFile {
    /// The plan as cells, so a file that is not a workbook is checked like one. `known` says
    /// which row ids the case gave out; other ids come back as new rows.
    pub fn into_raw(self, lang: Lang, known: impl Fn(ActionId) -> bool) -> RawPlan {
        RawPlan {
            case_id: Some(self.case_id),
            exported_actions: None,
            identities: self.identities,
            rows: self
                .actions
                .into_iter()
                .enumerate()
                .map(|(index, action)| RawRow {
                    row: index + 1,
                    id: action
                        .id
                        .filter(|id| known(*id))
                        .map_or(Cell::Empty, |id| Cell::Number(id.0 as f64)),
                    deviation: Cell::Number(action.deviation.0 as f64),
                    description: Cell::Text(action.description),
                    owner: Cell::Text(action.owner),
                    due_date: action.due_date.map_or(Cell::Empty, Cell::Date),
                    closure_evidence: Cell::Text(action.closure_evidence),
                    status: Cell::Text(action.status.label(lang).into_owned()),
                })
                .collect(),
            deviations: self
                .deviations
                .into_iter()
                .enumerate()
                .map(|(index, d)| RawDeviation {
                    row: index + 1,
                    cells: vec![
                        ("A", Cell::Number(d.id.0 as f64)),
                        ("B", Cell::Text(d.requirements)),
                        ("C", Cell::Text(d.title)),
                        ("D", Cell::Text(d.description)),
                        ("E", d.deadline.map_or(Cell::Empty, Cell::Date)),
                    ],
                })
                .collect(),
        }
    }
}

/// A cell as read from a file, before it is checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    /// A formula whose result the file does not hold (the program that wrote it did not compute
    /// it): its value is unknown, which is not the same as empty.
    Uncomputed,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty | Cell::Uncomputed => String::new(),
            // Cleaned as the store will clean it, so a cell compares equal to what is stored.
            Cell::Text(text) => crate::domain::text::clean(text).trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
            Cell::Date(date) => date.to_string(),
        }
    }
}

/// One action row as read, with where it came from (1-based, as a spreadsheet shows rows).
#[derive(Clone, Debug, PartialEq)]
pub struct RawRow {
    pub row: usize,
    pub id: Cell,
    pub deviation: Cell,
    pub description: Cell,
    pub owner: Cell,
    pub due_date: Cell,
    pub closure_evidence: Cell,
    pub status: Cell,
}

impl RawRow {
    /// The cells with their column letters, as in `ACTION_COLUMNS`.
    pub fn columns(&self) -> [(&'static str, &Cell); 7] {
        [
            ("A", &self.id),
            ("B", &self.deviation),
            ("C", &self.description),
            ("D", &self.owner),
            ("E", &self.due_date),
            ("F", &self.closure_evidence),
            ("G", &self.status),
        ]
    }
}

/// A deviation row as read: compared with the case to report edits of read-only cells.
#[derive(Clone, Debug, PartialEq)]
pub struct RawDeviation {
    pub row: usize,
    pub cells: Vec<(&'static str, Cell)>,
}

/// A file read but not yet checked.
#[derive(Clone, Debug, PartialEq)]
pub struct RawPlan {
    pub case_id: Option<String>,
    /// The action ids the file was written with, where the file says: only those can have been
    /// removed by the provider (NAV may have added actions since).
    pub exported_actions: Option<Vec<ActionId>>,
    /// The identities of the numbers the file was written with (see `PlanFile::identities`);
    /// empty in files from before they were written.
    pub identities: BTreeMap<String, String>,
    pub rows: Vec<RawRow>,
    pub deviations: Vec<RawDeviation>,
}

impl RawPlan {
    /// The file with its deviation and action numbers turned into this copy's numbers by their
    /// identities. A number whose entity this copy lacks becomes its identity, which matches
    /// nothing and is reported as unknown; numbers without an identity are left as they are.
    fn localized(&self, snapshot: &CaseSnapshot) -> RawPlan {
        let mut raw = self.clone();
        if raw.identities.is_empty() {
            return raw;
        }
        let here: HashMap<&str, &str> = snapshot
            .uuids
            .iter()
            .map(|(name, uuid)| (uuid.as_str(), name.as_str()))
            .collect();
        let local = |kind: &str, cell: &Cell| -> Cell {
            let Ok(number) = cell.text().parse::<i64>() else {
                return cell.clone();
            };
            let Some(uuid) = self.identities.get(&format!("{kind}/{number}")) else {
                return cell.clone();
            };
            match here.get(uuid.as_str()).and_then(|name| {
                name.strip_prefix(kind)?
                    .strip_prefix('/')?
                    .parse::<f64>()
                    .ok()
            }) {
                Some(number) => Cell::Number(number),
                None => Cell::Text(uuid.clone()),
            }
        };
        for row in &mut raw.rows {
            row.id = local(ActionId::ENTITY, &row.id);
            row.deviation = local(FindingId::ENTITY, &row.deviation);
        }
        for deviation in &mut raw.deviations {
            for (column, cell) in &mut deviation.cells {
                if *column == "A" {
                    *cell = local(FindingId::ENTITY, cell);
                }
            }
        }
        if let Some(exported) = &mut raw.exported_actions {
            *exported = exported
                .iter()
                .filter_map(
                    |id| match local(ActionId::ENTITY, &Cell::Number(id.0 as f64)) {
                        Cell::Number(n) => Some(ActionId(n as i64)),
                        _ => None,
                    },
                )
                .collect();
        }
        raw
    }
}

/// The columns of the actions sheet, in order; the import names them in messages.
pub const ACTION_COLUMNS: [(&str, &str); 7] = [
    ("A", "plan.column.id"),
    ("B", "plan.column.deviation"),
    ("C", "plan.column.description"),
    ("D", "plan.column.owner"),
    ("E", "plan.column.due_date"),
    ("F", "plan.column.closure_evidence"),
    ("G", "plan.column.status"),
];

/// Where a problem is: sheet, row and column as the spreadsheet shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub sheet: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    /// Where and what, in `lang`: «Tiltak, rad 3, kolonne D: ingen ansvarlig …».
    pub fn text(&self, lang: Lang) -> String {
        match (self.row, &self.column) {
            (Some(row), Some(column)) => tf(
                lang,
                "plan.problem.at_cell",
                &[
                    ("sheet", &self.sheet),
                    ("row", &row),
                    ("column", column),
                    ("message", &self.message),
                ],
            ),
            (Some(row), None) => tf(
                lang,
                "plan.problem.at_row",
                &[
                    ("sheet", &self.sheet),
                    ("row", &row),
                    ("message", &self.message),
                ],
            ),
            _ => tf(
                lang,
                "plan.problem.at_sheet",
                &[("sheet", &self.sheet), ("message", &self.message)],
            ),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.sheet)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The differences between the file and the case, to show before anything is applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlanChanges {
    pub added: Vec<(FindingId, ActionFields)>,
    /// (action, before, after)
    pub changed: Vec<(ActionId, ActionFields, ActionFields)>,
    pub removed: Vec<ActionId>,
    /// Read-only cells the provider changed; reported, never applied.
    pub ignored_edits: Vec<Problem>,
    /// New rows an earlier import already took in: matched, not added again (a difference in
    /// their other columns is in `changed`).
    pub already_imported: Vec<AlreadyImported>,
}

/// A row of the file that an earlier import added, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlreadyImported {
    pub row: usize,
    pub deviation: FindingId,
    pub description: String,
    pub imported_on: Date,
}

impl PlanChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// The one command that applies every change (one transaction, one undo step).
    pub fn command(&self) -> Command {
        Command::UpdatePlan {
            update: PlanUpdate {
                add: self.added.clone(),
                change: self
                    .changed
                    .iter()
                    .map(|(id, _, after)| (*id, after.clone()))
                    .collect(),
                remove: self.removed.clone(),
                imported_rows: self
                    .added
                    .iter()
                    .map(|(deviation, action)| {
                        ImportedRow::fingerprint(*deviation, &action.description)
                    })
                    .collect(),
            },
        }
    }
}

pub const ACTIONS_SHEET: &str = "Tiltak";
pub const DEVIATIONS_SHEET: &str = "Avvik";
pub const META_SHEET: &str = "evalbench";

/// Reads a filled-in plan of any kind, by its extension: `.json`, `.evalplan` (a provider
/// package), otherwise a workbook.
pub fn read_any(path: &std::path::Path, lang: Lang) -> Result<RawPlan, String> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "json" => json::read(path, lang),
        package::EXTENSION => package::read(path, lang).map_err(|e| e.to_string()),
        _ => xlsx::read(path).map_err(|e| e.to_string()),
    }
}

/// Checks every row of `raw` against the case; returns the changes, or every problem found.
/// `today` is for "due date in the past", which applies only to new or moved dates.
pub fn check(
    snapshot: &CaseSnapshot,
    raw: &RawPlan,
    today: Date,
    lang: Lang,
) -> Result<PlanChanges, Vec<Problem>> {
    let raw = &raw.localized(snapshot);
    let mut problems = Vec::new();
    let problem = |row: Option<usize>, column: Option<&str>, message: String| Problem {
        sheet: ACTIONS_SHEET.to_owned(),
        row,
        column: column.map(str::to_owned),
        message,
    };
    match &raw.case_id {
        Some(id) if *id == snapshot.case_id => {}
        Some(id) => problems.push(Problem {
            sheet: META_SHEET.to_owned(),
            row: None,
            column: None,
            message: tf(
                lang,
                "plan.problem.other_case",
                &[("id", id), ("case", &snapshot.case_id)],
            ),
        }),
        None => problems.push(Problem {
            sheet: META_SHEET.to_owned(),
            row: None,
            column: None,
            message: t(lang, "plan.problem.no_case").to_owned(),
        }),
    }
    let deviations: HashSet<FindingId> = snapshot
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Deviation)
        .map(|f| f.id)
        .collect();
    let actions: HashMap<ActionId, &crate::domain::Action> =
        snapshot.actions.iter().map(|a| (a.id, a)).collect();
    let mut imported = ImportedRows::new(snapshot, raw);
    let mut seen: HashSet<ActionId> = HashSet::new();
    let mut changes = PlanChanges::default();

    for row in &raw.rows {
        let r = Some(row.row);
        // A formula the file holds no result for is unknown, not empty: taking it as empty
        // would erase what the case holds.
        let uncomputed: Vec<&str> = row
            .columns()
            .into_iter()
            .filter(|(_, cell)| **cell == Cell::Uncomputed)
            .map(|(column, _)| column)
            .collect();
        if !uncomputed.is_empty() {
            for column in uncomputed {
                problems.push(problem(
                    r,
                    Some(column),
                    tf(
                        lang,
                        "plan.problem.formula",
                        &[("cell", &format!("{column}{}", row.row))],
                    ),
                ));
            }
            continue;
        }
        let id = match &row.id {
            Cell::Empty => None,
            cell => match cell.text().parse::<i64>() {
                Ok(n) if actions.contains_key(&ActionId(n)) => Some(ActionId(n)),
                _ => {
                    problems.push(problem(
                        r,
                        Some("A"),
                        tf(lang, "plan.problem.unknown_id", &[("id", &cell.text())]),
                    ));
                    continue;
                }
            },
        };
        if let Some(id) = id
            && !seen.insert(id)
        {
            problems.push(problem(
                r,
                Some("A"),
                tf(lang, "plan.problem.id_twice", &[("id", &id.0)]),
            ));
            continue;
        }
        let deviation = match row.deviation.text().parse::<i64>() {
            Ok(n) if deviations.contains(&FindingId(n)) => Some(FindingId(n)),
            _ => {
                problems.push(problem(
                    r,
                    Some("B"),
                    tf(
                        lang,
                        "plan.problem.unknown_deviation",
                        &[
                            ("value", &row.deviation.text()),
                            ("sheet", &DEVIATIONS_SHEET),
                        ],
                    ),
                ));
                None
            }
        };
        let description = row.description.text();
        if description.is_empty() {
            problems.push(problem(
                r,
                Some("C"),
                t(lang, "plan.problem.empty_action").to_owned(),
            ));
        }
        // A new row that an earlier import already added is that action again.
        let mut existing = id.and_then(|id| actions.get(&id)).copied();
        if id.is_none()
            && let Some(deviation) = deviation
            && let Some(earlier) = imported.take(deviation, &description)
        {
            match earlier.action_id.and_then(|id| actions.get(&id)) {
                Some(action) if seen.insert(action.id) => existing = Some(*action),
                // The action it became was deleted since (or is in the file with its id too):
                // the row is not added again.
                _ => {}
            }
            changes.already_imported.push(AlreadyImported {
                row: row.row,
                deviation,
                description: description.clone(),
                imported_on: earlier.imported_on,
            });
            if existing.is_none() {
                continue;
            }
        }
        let owner = row.owner.text();
        if owner.is_empty() {
            problems.push(problem(
                r,
                Some("D"),
                t(lang, "plan.problem.no_owner").to_owned(),
            ));
        }
        let closure_evidence = row.closure_evidence.text();
        // The store's limits, said here with the cell, not later as a refused command.
        for (column, field, value) in [
            ("C", "description", &description),
            ("D", "owner", &owner),
            ("F", "closure_evidence", &closure_evidence),
        ] {
            let max_chars = crate::domain::text::max_chars(field);
            let length_chars = value.chars().count();
            if length_chars > max_chars {
                problems.push(problem(
                    r,
                    Some(column),
                    tf(
                        lang,
                        "plan.problem.too_long",
                        &[("length", &length_chars), ("max", &max_chars)],
                    ),
                ));
            }
        }
        let due_date = match &row.due_date {
            Cell::Empty => {
                // Blanking a date the case holds, or a new action without one, is reported:
                // applied silently it would erase the due date.
                if existing.is_none_or(|a| a.fields.due_date.is_some()) {
                    problems.push(problem(
                        r,
                        Some("E"),
                        t(lang, "plan.problem.no_due_date").to_owned(),
                    ));
                }
                None
            }
            Cell::Date(date) => Some(*date),
            cell => {
                let parsed = parse_date(&cell.text());
                if parsed.is_none() {
                    problems.push(problem(
                        r,
                        Some("E"),
                        tf(lang, "plan.problem.not_a_date", &[("value", &cell.text())]),
                    ));
                }
                parsed
            }
        };
        if let Some(due) = due_date
            && due < today
            && existing.is_none_or(|a| a.fields.due_date != Some(due))
        {
            problems.push(problem(
                r,
                Some("E"),
                tf(
                    lang,
                    "plan.problem.past_due",
                    &[("date", &crate::i18n::date(lang, Some(due)))],
                ),
            ));
        }
        let Some(status) = parse_status(&row.status.text(), lang) else {
            problems.push(problem(
                r,
                Some("G"),
                tf(
                    lang,
                    "plan.problem.not_a_status",
                    &[
                        ("value", &row.status.text()),
                        (
                            "statuses",
                            &ActionStatus::ALL
                                .iter()
                                .map(|s| s.label(lang).into_owned())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    ],
                ),
            ));
            continue;
        };
        let Some(deviation) = deviation else { continue };
        let fields = ActionFields {
            description,
            owner,
            due_date,
            status,
            closure_evidence,
            // NAV's comment is not in the provider's file; it is kept as it is.
            nav_comment: existing
                .map(|a| a.fields.nav_comment.clone())
                .unwrap_or_default(),
        };
        match existing {
            None => changes.added.push((deviation, fields)),
            Some(action) => {
                if action.finding_id != deviation {
                    problems.push(problem(
                        r,
                        Some("B"),
                        t(lang, "plan.problem.moved").to_owned(),
                    ));
                } else if action.fields != fields {
                    changes
                        .changed
                        .push((action.id, action.fields.clone(), fields));
                }
            }
        }
    }
    changes.removed = snapshot
        .actions
        .iter()
        .filter(|a| deviations.contains(&a.finding_id) && !seen.contains(&a.id))
        .filter(|a| {
            raw.exported_actions
                .as_ref()
                .is_none_or(|exported| exported.contains(&a.id))
        })
        .map(|a| a.id)
        .collect();
    changes.ignored_edits = read_only_edits(snapshot, raw, lang);
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

/// The rows earlier imports added, by fingerprint; each is matched by one row of the file at
/// most (a file may hold the same new row twice, and then added it twice).
struct ImportedRows<'a> {
    by_fingerprint: HashMap<&'a str, std::collections::VecDeque<&'a ImportedRow>>,
}

impl<'a> ImportedRows<'a> {
    /// Actions the file names by their id are matched by that, never by their text.
    fn new(snapshot: &'a CaseSnapshot, raw: &RawPlan) -> ImportedRows<'a> {
        let named: HashSet<i64> = raw
            .rows
            .iter()
            .filter_map(|row| row.id.text().parse::<i64>().ok())
            .collect();
        let mut by_fingerprint: HashMap<&str, std::collections::VecDeque<&ImportedRow>> =
            HashMap::new();
        for row in &snapshot.imported_rows {
            if row.action_id.is_some_and(|id| named.contains(&id.0)) {
                continue;
            }
            by_fingerprint
                .entry(row.fingerprint.as_str())
                .or_default()
                .push_back(row);
        }
        ImportedRows { by_fingerprint }
    }

    fn take(&mut self, deviation: FindingId, description: &str) -> Option<&'a ImportedRow> {
        self.by_fingerprint
            .get_mut(ImportedRow::fingerprint(deviation, description).as_str())
            .and_then(std::collections::VecDeque::pop_front)
    }
}

/// Deviation cells that differ from the case: the provider may not reword NAV's findings.
fn read_only_edits(snapshot: &CaseSnapshot, raw: &RawPlan, lang: Lang) -> Vec<Problem> {
    let expected = PlanFile::from_case(snapshot).deviations;
    let mut edits = Vec::new();
    for (index, row) in raw.deviations.iter().enumerate() {
        // By number where the row still has it (another copy of the case may list the
        // deviations in another order), else by place.
        let by_number = row
            .cells
            .iter()
            .find(|(column, _)| *column == "A")
            .and_then(|(_, cell)| cell.text().parse::<i64>().ok())
            .and_then(|number| expected.iter().find(|d| d.id.0 == number));
        let Some(deviation) = by_number.or_else(|| expected.get(index)) else {
            edits.push(Problem {
                sheet: DEVIATIONS_SHEET.to_owned(),
                row: Some(row.row),
                column: None,
                message: t(lang, "plan.problem.added_deviation").to_owned(),
            });
            continue;
        };
        let values = [
            ("A", deviation.id.0.to_string()),
            ("B", deviation.requirements.clone()),
            ("C", deviation.title.clone()),
            ("D", deviation.description.clone()),
            (
                "E",
                deviation
                    .deadline
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
        ];
        for (column, cell) in &row.cells {
            let Some((_, value)) = values.iter().find(|(c, _)| c == column) else {
                continue;
            };
            let read = match cell {
                Cell::Date(date) => date.to_string(),
                other => other.text(),
            };
            if read.trim() != value.trim() {
                edits.push(Problem {
                    sheet: DEVIATIONS_SHEET.to_owned(),
                    row: Some(row.row),
                    column: Some((*column).to_owned()),
                    message: tf(
                        lang,
                        "plan.problem.changed_read_only",
                        &[("before", value), ("after", &read)],
                    ),
                });
            }
        }
    }
    edits
}

/// `dd.mm.yyyy`, `d.m.yyyy` or ISO `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Ok(date) = text.parse::<Date>() {
        return Some(date);
    }
    let mut parts = text.split(['.', '/']);
    let day: i8 = parts.next()?.trim().parse().ok()?;
    let month: i8 = parts.next()?.trim().parse().ok()?;
    let year: i16 = parts.next()?.trim().parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// A status by its label in either language, or its code.
pub fn parse_status(text: &str, lang: Lang) -> Option<ActionStatus> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() {
        return Some(ActionStatus::Proposed);
    }
    ActionStatus::ALL.into_iter().find(|status| {
        std::iter::once(&lang)
            .chain(Lang::ALL.iter())
            .any(|l| status.label(*l).to_lowercase() == wanted)
            || serde_json::to_value(status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .is_some_and(|code| code == wanted)
    })
}

/// How many problems a list shows; the rest are counted in one line (a workbook with thousands
/// of bad rows would otherwise bury the first, which usually explain the rest).
pub const PROBLEMS_SHOWN: usize = 20;

/// The problems to list, and the line counting the ones left out (`None` when all are listed).
pub fn problems_to_list(problems: &[Problem], lang: Lang) -> (&[Problem], Option<String>) {
    let shown = &problems[..problems.len().min(PROBLEMS_SHOWN)];
    let more = problems.len() - shown.len();
    (shown, (more > 0).then(|| more_problems(more, lang)))
}

/// "… and 4 980 more problems", in the plural form the count takes.
// One place for the plural choice, until the translation tables have plural forms of their own.
fn more_problems(count: usize, lang: Lang) -> String {
    // The count as written («4 980») fills `{count}` before `tn`'s plain number would.
    crate::i18n::tn(
        lang,
        "plan.more_problems",
        count,
        &[("count", &grouped(count))],
    )
}

/// A count with its thousands set apart by a space, as both languages' texts write it: "4 980".
fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut text = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(' ');
        }
        text.push(digit);
    }
    text
}

/// Counts for a one-line summary of the preview.
pub fn summary(changes: &PlanChanges) -> (usize, usize, usize, usize) {
    (
        changes.added.len(),
        changes.changed.len(),
        changes.removed.len(),
        changes.ignored_edits.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(count: usize) -> Vec<Problem> {
        (0..count)
            .map(|row| Problem {
                sheet: ACTIONS_SHEET.to_owned(),
                row: Some(row + 2),
                column: Some("D".to_owned()),
                message: "no owner: who is responsible?".to_owned(),
            })
            .collect()
    }

    #[test]
    fn a_long_problem_list_shows_the_first_and_counts_the_rest() {
        let many = problems(5_000);
        let (listed, more) = problems_to_list(&many, Lang::Nb);
        assert_eq!(listed, &many[..PROBLEMS_SHOWN]);
        assert_eq!(more.as_deref(), Some("… og 4 980 problemer til"));
        let (_, more) = problems_to_list(&many, Lang::En);
        assert_eq!(more.as_deref(), Some("… and 4 980 more problems"));

        let one_more = problems(PROBLEMS_SHOWN + 1);
        assert_eq!(
            problems_to_list(&one_more, Lang::Nb).1.as_deref(),
            Some("… og 1 problem til")
        );
        assert_eq!(
            problems_to_list(&one_more, Lang::En).1.as_deref(),
            Some("… and 1 more problem")
        );
        let all = problems(PROBLEMS_SHOWN);
        assert_eq!(problems_to_list(&all, Lang::Nb), (&all[..], None));
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(7), "7");
        assert_eq!(grouped(980), "980");
        assert_eq!(grouped(4_980), "4 980");
        assert_eq!(grouped(1_234_567), "1 234 567");
    }
}
