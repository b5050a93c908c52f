//! The comparison written out: JSON (everything), a workbook (one sheet per table, for people)
//! and Parquet (one tidy table of every figure per case, for DuckDB, Spark or pandas).

use std::path::Path;
use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{CaseSummary, Overview};
use crate::i18n::{Lang, t};

/// What `write` produces, from the output file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Json,
    Xlsx,
    Parquet,
}

impl OutputFormat {
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let extension = path.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "json" => Some(OutputFormat::Json),
            "xlsx" => Some(OutputFormat::Xlsx),
            "parquet" => Some(OutputFormat::Parquet),
            _ => None,
        }
    }
}

/// Writes the overview (and, for Parquet, the per-case figures behind it) to `path`, through a
/// neighbour file and a rename so a failure never leaves half a file.
pub fn write(
    overview: &Overview,
    format: OutputFormat,
    lang: Lang,
    path: &Path,
) -> Result<(), String> {
    let bytes = match format {
        OutputFormat::Json => serde_json::to_vec_pretty(overview).map_err(|e| e.to_string())?,
        OutputFormat::Xlsx => workbook(overview, lang)
            .and_then(|mut book| book.save_to_buffer())
            .map_err(|e| e.to_string())
            .and_then(crate::export::xml_package::clean)?,
        OutputFormat::Parquet => parquet_table(&overview.summaries).map_err(|e| e.to_string())?,
    };
    crate::files::write_whole(path, bytes).map_err(|e| {
        format!(
            "Cannot write «{}»: {}.",
            path.display(),
            crate::store::FileProblem::of_io(&e)
        )
    })
}

fn workbook(overview: &Overview, lang: Lang) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap();
    let percent = Format::new().set_num_format("0%");
    let wrap = Format::new().set_text_wrap();
    let sheet = add_sheet(
        &mut book,
        lang,
        &header,
        "network.sheet.areas",
        &super::AREA_COLUMNS,
        &[36.0, 16.0, 16.0, 16.0, 12.0, 12.0, 12.0],
    )?;
    for (row, area) in overview.areas.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, format!("{} {}", area.code, area.title))?;
        for (col, value) in area.figures().into_iter().enumerate() {
            sheet.write_number(row, col as u16 + 1, value as f64)?;
        }
    }

    let sheet = add_sheet(
        &mut book,
        lang,
        &header,
        "network.sheet.outcomes",
        &super::OUTCOME_COLUMNS,
        &[32.0, 8.0, 12.0, 12.0, 12.0, 12.0, 14.0],
    )?;
    for (row, outcome) in overview.outcomes.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, &outcome.provider)?;
        sheet.write_number(row, 1, f64::from(outcome.year))?;
        for (col, value) in [
            outcome.ended,
            outcome.to_work,
            outcome.to_education,
            outcome.to_other,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(row, col as u16 + 2, f64::from(value))?;
        }
        if let Some(share) = outcome.work_or_education_share {
            sheet.write_number_with_format(row, 6, share, &percent)?;
        }
    }

    let sheet = add_sheet(
        &mut book,
        lang,
        &header,
        "network.sheet.plans",
        &super::PLAN_COLUMNS,
        &[32.0, 8.0, 10.0, 12.0, 12.0, 12.0],
    )?;
    for (row, plan) in overview.plans.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, &plan.provider)?;
        if let Some(year) = plan.year {
            sheet.write_number(row, 1, f64::from(year))?;
        }
        sheet.write_number(row, 2, plan.actions as f64)?;
        sheet.write_number(row, 3, plan.actions_closed as f64)?;
        sheet.write_number(row, 4, plan.actions_verified as f64)?;
        if let Some(rate) = plan.closure_rate {
            sheet.write_number_with_format(row, 5, rate, &percent)?;
        }
    }

    let sheet = add_sheet(
        &mut book,
        lang,
        &header,
        "network.sheet.sources",
        &super::SOURCE_COLUMNS,
        &[28.0, 10.0, 12.0, 12.0, 16.0, 16.0],
    )?;
    for (row, source) in overview.sources.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, source.name(lang))?;
        for (col, value) in [
            source.cases,
            source.interviews,
            source.evidence,
            source.requirements_with_evidence,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(row, col as u16 + 1, value as f64)?;
        }
        if let Some(share) = source.share() {
            sheet.write_number_with_format(row, 5, share, &percent)?;
        }
    }
    if !overview.sources_match() {
        let row = overview.sources.len() as u32 + 2;
        sheet.write_string_with_format(row, 0, super::sources_differ(overview, lang), &wrap)?;
    }

    let sheet = add_sheet(
        &mut book,
        lang,
        &header,
        "network.sheet.good_practice",
        &[
            "network.col.provider",
            "network.col.year",
            "network.col.area",
            "network.col.requirements",
            "network.col.title",
            "network.col.description",
        ],
        &[28.0, 8.0, 28.0, 14.0, 36.0, 70.0],
    )?;
    for (row, practice) in overview.good_practice.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, &practice.provider)?;
        if let Some(year) = practice.year {
            sheet.write_number(row, 1, f64::from(year))?;
        }
        sheet.write_string(row, 2, &practice.area_title)?;
        sheet.write_string(row, 3, &practice.requirement_codes)?;
        sheet.write_string_with_format(row, 4, &practice.title, &wrap)?;
        sheet.write_string_with_format(row, 5, &practice.description, &wrap)?;
    }

    if !overview.skipped.is_empty() {
        let sheet = add_sheet(
            &mut book,
            lang,
            &header,
            "network.sheet.skipped",
            &["network.col.file", "network.col.reason"],
            &[60.0, 90.0],
        )?;
        for (row, skip) in overview.skipped.iter().enumerate() {
            let row = row as u32 + 1;
            sheet.write_string(row, 0, skip.path.display().to_string())?;
            sheet.write_string(row, 1, &skip.reason)?;
        }
    }
    Ok(book)
}

/// A sheet named by `name` (a translation key) with a bold, frozen header row.
fn add_sheet<'a>(
    book: &'a mut Workbook,
    lang: Lang,
    header: &Format,
    name: &str,
    columns: &[&str],
    widths: &[f64],
) -> Result<&'a mut Worksheet, XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, name))?;
    for (col, (key, width)) in columns.iter().zip(widths).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, t(lang, key), header)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

/// The Parquet schema: one row per figure, tidy, so every question is a `WHERE` and a `GROUP BY`.
/// `metric` is one of `deviations`, `improvement_areas`, `good_practice` (with the area),
/// `ended`, `to_work`, `to_education`, `to_other` (with the outcome year), `actions`,
/// `actions_closed`, `actions_verified` (per case), `source_interviews`, `source_evidence`,
/// `source_requirements` (with the source group).
pub const PARQUET_SCHEMA: &str = "
message evalbench_overview {
  REQUIRED BYTE_ARRAY case_id (UTF8);
  REQUIRED BYTE_ARRAY provider (UTF8);
  OPTIONAL BYTE_ARRAY org_number (UTF8);
  REQUIRED BYTE_ARRAY measure (UTF8);
  OPTIONAL INT32 evaluation_year;
  REQUIRED BOOLEAN self_evaluation;
  REQUIRED BYTE_ARRAY metric (UTF8);
  OPTIONAL BYTE_ARRAY area_code (UTF8);
  OPTIONAL BYTE_ARRAY area_title (UTF8);
  OPTIONAL INT32 outcome_year;
  OPTIONAL BYTE_ARRAY source_group (UTF8);
  REQUIRED INT64 value;
}";

/// What each column means, written into the file's key-value metadata as
/// `evalbench.column.<name>` so an analyst sees it beside the data (DuckDB:
/// `SELECT * FROM parquet_kv_metadata('overview.parquet')`). One entry per column of
/// `PARQUET_SCHEMA`, in its order.
pub const PARQUET_COLUMN_DOCS: [(&str, &str); 12] = [
    (
        "case_id",
        "The case's id (a UUID): one case is one evaluation of one provider.",
    ),
    (
        "provider",
        "The provider (tiltaksarrangør) by name, or by its stable code P-XXXXXXXX when the overview was anonymised.",
    ),
    (
        "org_number",
        "The provider's organisation number (9 digits in Norway, 10 in Sweden); null when unknown or anonymised.",
    ),
    (
        "measure",
        "The labour-market measure evaluated: aft, vta or other.",
    ),
    (
        "evaluation_year",
        "The evaluation's year: of the feedback meeting, else of the evaluation period's end or start; null when the case has none of these dates.",
    ),
    (
        "self_evaluation",
        "True when the provider evaluated itself, false when NAV evaluated the provider.",
    ),
    (
        "metric",
        "What `value` counts, one of the evalbench.metric.* keys: deviations, improvement_areas, good_practice (per requirement area), ended, to_work, to_education, to_other (per outcome year), actions, actions_closed, actions_verified (per case), source_interviews, source_evidence, source_requirements (per source group).",
    ),
    (
        "area_code",
        "The requirement area's code, for the metrics per area (deviations, improvement_areas, good_practice); null otherwise.",
    ),
    (
        "area_title",
        "The requirement area's title, for the metrics per area; null otherwise.",
    ),
    (
        "outcome_year",
        "The year the participants ended the measure, for the outcome metrics (ended, to_work, to_education, to_other); null otherwise.",
    ),
    (
        "source_group",
        "The side whose views the case's catalog triangulates (its source group id, e.g. nav, provider, participants), for the metrics per source group (source_interviews, source_evidence, source_requirements); null otherwise. Cases under different catalogs compare by this id where they share it.",
    ),
    (
        "value",
        "The count: how many of what `metric` names the case has in that area, outcome year or plan.",
    ),
];

/// What each `metric` value means, as `evalbench.metric.<name>` in the key-value metadata.
pub const PARQUET_METRIC_DOCS: [(&str, &str); 13] = [
    (
        "deviations",
        "Findings of the kind deviation (avvik: a requirement is not met) in the requirement area.",
    ),
    (
        "improvement_areas",
        "Findings of the kind improvement area (forbedringsområde) in the requirement area.",
    ),
    (
        "good_practice",
        "Findings of the kind good practice (god praksis) in the requirement area.",
    ),
    (
        "ended",
        "Participants who ended the measure in the outcome year.",
    ),
    (
        "to_work",
        "Of those who ended in the outcome year: how many went to work.",
    ),
    (
        "to_education",
        "Of those who ended in the outcome year: how many went to education.",
    ),
    (
        "to_other",
        "Of those who ended in the outcome year: how many went elsewhere (neither work nor education).",
    ),
    (
        "actions",
        "Actions in the case's deviation-closing action plan.",
    ),
    (
        "actions_closed",
        "Actions in the plan that are done or verified closed.",
    ),
    (
        "actions_verified",
        "Actions in the plan NAV has verified as closed.",
    ),
    (
        "source_interviews",
        "Interviews with people in the roles of the source group.",
    ),
    (
        "source_evidence",
        "Links from the source group's interview excerpts to requirements (evidence from that side).",
    ),
    (
        "source_requirements",
        "Requirements with at least one piece of evidence from the source group.",
    ),
];

/// The Parquet file's key-value metadata: a line on the table, then every column's and every
/// metric's meaning.
fn parquet_descriptions() -> Vec<parquet::file::metadata::KeyValue> {
    use parquet::file::metadata::KeyValue;
    let mut entries = vec![KeyValue::new(
        "evalbench.description".to_owned(),
        "Evalbench network overview: one row per figure (case × metric × requirement area or outcome year). Filter on `metric`, group by provider, year or area; every column and metric is described under evalbench.column.* and evalbench.metric.*.".to_owned(),
    )];
    entries.extend(
        PARQUET_COLUMN_DOCS.iter().map(|(name, doc)| {
            KeyValue::new(format!("evalbench.column.{name}"), (*doc).to_owned())
        }),
    );
    entries.extend(
        PARQUET_METRIC_DOCS.iter().map(|(name, doc)| {
            KeyValue::new(format!("evalbench.metric.{name}"), (*doc).to_owned())
        }),
    );
    entries
}

/// One row of the Parquet table.
struct Figure<'a> {
    case: &'a CaseSummary,
    metric: &'static str,
    area: Option<(&'a str, &'a str)>,
    outcome_year: Option<i32>,
    source_group: Option<&'a str>,
    value: i64,
}

fn figures(summaries: &[CaseSummary]) -> Vec<Figure<'_>> {
    let mut rows = Vec::new();
    for case in summaries {
        for area in &case.areas {
            for (metric, value) in [
                ("deviations", area.deviations),
                ("improvement_areas", area.improvement_areas),
                ("good_practice", area.good_practice),
            ] {
                rows.push(Figure {
                    case,
                    metric,
                    area: Some((&area.code, &area.title)),
                    outcome_year: None,
                    source_group: None,
                    value: value as i64,
                });
            }
        }
        for outcome in &case.outcomes {
            for (metric, value) in [
                ("ended", outcome.ended),
                ("to_work", outcome.to_work),
                ("to_education", outcome.to_education),
                ("to_other", outcome.to_other),
            ] {
                rows.push(Figure {
                    case,
                    metric,
                    area: None,
                    outcome_year: Some(outcome.year),
                    source_group: None,
                    value: i64::from(value),
                });
            }
        }
        for (metric, value) in [
            ("actions", case.actions),
            ("actions_closed", case.actions_closed),
            ("actions_verified", case.actions_verified),
        ] {
            rows.push(Figure {
                case,
                metric,
                area: None,
                outcome_year: None,
                source_group: None,
                value: value as i64,
            });
        }
        for source in &case.sources {
            for (metric, value) in [
                ("source_interviews", source.interviews),
                ("source_evidence", source.evidence),
                ("source_requirements", source.requirements),
            ] {
                rows.push(Figure {
                    case,
                    metric,
                    area: None,
                    outcome_year: None,
                    source_group: Some(&source.group),
                    value: value as i64,
                });
            }
        }
    }
    rows
}

fn parquet_table(summaries: &[CaseSummary]) -> parquet::errors::Result<Vec<u8>> {
    let schema = Arc::new(parse_message_type(PARQUET_SCHEMA)?);
    let properties = Arc::new(
        WriterProperties::builder()
            .set_key_value_metadata(Some(parquet_descriptions()))
            .build(),
    );
    let rows = figures(summaries);
    let mut buffer = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut buffer, schema, properties)?;
    let mut group = writer.next_row_group()?;
    let text = |value: &str| ByteArray::from(value.as_bytes().to_vec());
    // (values of the rows that have one, definition levels: 1 present / 0 null)
    let optional_text = |get: &dyn Fn(&Figure<'_>) -> Option<String>| {
        let values: Vec<Option<String>> = rows.iter().map(get).collect();
        let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
        let present: Vec<ByteArray> = values.iter().flatten().map(|v| text(v)).collect();
        (present, levels)
    };
    let mut column = 0;
    while let Some(mut writer) = group.next_column()? {
        match column {
            0 | 1 | 3 | 6 => {
                let values: Vec<ByteArray> = rows
                    .iter()
                    .map(|row| match column {
                        0 => text(&row.case.case_id),
                        1 => text(&row.case.provider),
                        3 => text(row.case.measure.code()),
                        _ => text(row.metric),
                    })
                    .collect();
                writer
                    .typed::<ByteArrayType>()
                    .write_batch(&values, None, None)?;
            }
            2 | 7 | 8 | 10 => {
                let (values, levels) = optional_text(&|row: &Figure<'_>| match column {
                    2 => row.case.org_number.clone(),
                    7 => row.area.map(|(code, _)| code.to_owned()),
                    8 => row.area.map(|(_, title)| title.to_owned()),
                    _ => row.source_group.map(str::to_owned),
                });
                writer
                    .typed::<ByteArrayType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            4 | 9 => {
                let values: Vec<Option<i32>> = rows
                    .iter()
                    .map(|row| {
                        if column == 4 {
                            row.case.year.map(i32::from)
                        } else {
                            row.outcome_year
                        }
                    })
                    .collect();
                let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
                let present: Vec<i32> = values.into_iter().flatten().collect();
                writer
                    .typed::<Int32Type>()
                    .write_batch(&present, Some(&levels), None)?;
            }
            5 => {
                let values: Vec<bool> = rows.iter().map(|row| row.case.self_evaluation).collect();
                writer
                    .typed::<parquet::data_type::BoolType>()
                    .write_batch(&values, None, None)?;
            }
            _ => {
                let values: Vec<i64> = rows.iter().map(|row| row.value).collect();
                writer
                    .typed::<Int64Type>()
                    .write_batch(&values, None, None)?;
            }
        }
        writer.close()?;
        column += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(buffer)
}
