//! A plan workbook saved as ODS (LibreOffice's own format) is checked before the spreadsheet
//! reader sees it: that reader builds a full grid up to the farthest cell, so a small file with
//! one cell far away (rows and columns are given as repeat counts) would take gigabytes.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

/// A plan's `content.xml` is some hundred kilobytes; far more is not a plan.
const MAX_CONTENT_BYTES: u64 = 64 * 1024 * 1024;

/// Where a cell with content lies beyond `max_rows` × `max_columns`, or why the file could not be
/// looked through. `Ok` also for files that are not ODS at all: the spreadsheet reader says what
/// they are.
pub(super) fn check_extent(bytes: &[u8], max_rows: u64, max_columns: u64) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let mut limited = std::io::BufReader::new(content.take(MAX_CONTENT_BYTES + 1));
    let mut reader = quick_xml::Reader::from_reader(&mut limited);
    let mut buffer = Vec::new();
    let mut sheet = String::new();
    // Zero-based position of the row being read and of the next cell in it.
    let (mut row, mut column) = (0u64, 0u64);
    let mut rows_repeated = 1u64;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|e| format!("its content is not well-formed XML ({e})"))?;
        if reader.buffer_position() > MAX_CONTENT_BYTES {
            return Err(format!(
                "its content is larger than {} MB, far more than a plan",
                MAX_CONTENT_BYTES / (1024 * 1024)
            ));
        }
        let (element, empty) = match &event {
            Event::Start(element) => (element, false),
            Event::Empty(element) => (element, true),
            Event::End(element) => {
                if element.name().into_inner() == "table:table-row" {
                    row = row.saturating_add(rows_repeated);
                }
                buffer.clear();
                continue;
            }
            Event::Eof => return Ok(()),
            _ => {
                buffer.clear();
                continue;
            }
        };
        match element.name().into_inner() {
            "table:table" => {
                sheet = attribute(element, "table:name").unwrap_or_default();
                row = 0;
            }
            "table:table-row" => {
                rows_repeated = repeat(element, "table:number-rows-repeated");
                column = 0;
                if empty {
                    row = row.saturating_add(rows_repeated);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let columns = repeat(element, "table:number-columns-repeated");
                let has_content = !empty || attribute(element, "office:value-type").is_some();
                if has_content {
                    let last_row = row.saturating_add(rows_repeated - 1);
                    let last_column = column.saturating_add(columns - 1);
                    if last_row >= max_rows || last_column >= max_columns {
                        return Err(format!(
                            "sheet «{sheet}» has a cell at row {}, column {}, outside a plan (rows up to {max_rows}, columns up to {max_columns})",
                            last_row.saturating_add(1),
                            last_column.saturating_add(1)
                        ));
                    }
                }
                column = column.saturating_add(columns);
            }
            _ => {}
        }
        buffer.clear();
    }
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// A repeat count; a missing, zero or unreadable one counts once.
fn repeat(element: &BytesStart<'_>, name: &str) -> u64 {
    attribute(element, name)
        .and_then(|text| text.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a panic is a failed test

    use std::io::Write;

    use super::*;

    /// A minimal ODS with one sheet whose `content` is the rows.
    fn ods(rows: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>
<table:table table:name="Tiltak">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        let mut bytes = Vec::new();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", options).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap();
        bytes
    }

    const TEXT_CELL: &str =
        r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;

    #[test]
    fn a_plan_sized_sheet_passes_with_empty_repeats_after_it() {
        // Spreadsheet programs end a sheet with a million formatted empty rows and columns.
        let rows = format!(
            r#"<table:table-row>{TEXT_CELL}<table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
        );
        assert_eq!(check_extent(&ods(&rows), 10_000, 16), Ok(()));
    }

    #[test]
    fn a_far_cell_is_refused_with_its_place() {
        let rows = format!(
            r#"<table:table-row>{TEXT_CELL}</table:table-row><table:table-row table:number-rows-repeated="50000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="3"/>{TEXT_CELL}</table:table-row>"#
        );
        assert_eq!(
            check_extent(&ods(&rows), 10_000, 16),
            Err("sheet «Tiltak» has a cell at row 50002, column 4, outside a plan (rows up to 10000, columns up to 16)".to_owned())
        );
        let wide = format!(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="1500"/>{TEXT_CELL}</table:table-row>"#
        );
        assert!(
            check_extent(&ods(&wide), 10_000, 16)
                .unwrap_err()
                .contains("row 1, column 1501")
        );
    }

    #[test]
    fn repeated_content_counts_to_its_last_copy() {
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="20000">{TEXT_CELL}</table:table-row>"#
        );
        assert!(
            check_extent(&ods(&rows), 10_000, 16)
                .unwrap_err()
                .contains("row 20000, column 1")
        );
    }

    #[test]
    fn other_files_are_left_to_the_spreadsheet_reader() {
        assert_eq!(check_extent(b"not a zip", 10, 10), Ok(()));
        let mut bytes = Vec::new();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        zip.start_file("other.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.finish().unwrap();
        assert_eq!(check_extent(&bytes, 10, 10), Ok(()));
    }

    #[test]
    fn broken_xml_is_refused() {
        let error = check_extent(&ods("<table:table-row><oops></table:table-row>"), 10, 10);
        assert!(error.unwrap_err().contains("not well-formed"));
    }
}
