//! A plan workbook whose sheet unpacks to hundreds of megabytes (a 2 MB file once took 2 GB of
//! memory) is refused before it is read, and reading it keeps memory flat. In a file of its own
//! so the process's peak memory is this test's alone.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::io::{Cursor, Write};

use evalbench::demo::write_demo;
use evalbench::i18n::Lang;
use evalbench::plan_exchange::{PlanFile, xlsx};
use evalbench::store::CaseStore;

/// The exported workbook with its actions sheet replaced by one of `unpacked_bytes` of cells
/// (the same cell written again and again), written to the zip piece by piece so the test
/// itself never holds more than the small compressed file.
fn inflating_copy(workbook: &[u8], unpacked_bytes: u64) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(workbook)).unwrap();
    let mut bytes = Vec::new();
    let mut out = zip::ZipWriter::new(Cursor::new(&mut bytes));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).unwrap();
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if name != "xl/worksheets/sheet2.xml" {
            out.raw_copy_file(entry).unwrap();
            continue;
        }
        drop(entry);
        out.start_file(name, options).unwrap();
        out.write_all(
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">"#,
        )
        .unwrap();
        let cell = br#"<c r="C2" t="inlineStr"><is><t>x</t></is></c>"#;
        let chunk = cell.repeat(64 * 1024 / cell.len());
        let mut written = 0u64;
        while written < unpacked_bytes {
            out.write_all(&chunk).unwrap();
            written += chunk.len() as u64;
        }
        out.write_all(b"</row></sheetData></worksheet>").unwrap();
    }
    out.finish().unwrap();
    bytes
}

/// The process's peak resident memory in kB since the last `reset_peak` (Linux).
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn reset_peak() {
    // "5" resets the peak to the current size (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

#[test]
fn a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_with_memory_flat() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let snapshot = CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap();
    let exported = dir.path().join("plan.xlsx");
    xlsx::write(&PlanFile::from_case(&snapshot), Lang::Nb, &exported).unwrap();
    let path = dir.path().join("bomb.xlsx");
    std::fs::write(
        &path,
        inflating_copy(&std::fs::read(&exported).unwrap(), 300 * 1024 * 1024),
    )
    .unwrap();
    let file_kb = std::fs::metadata(&path).unwrap().len() / 1024;
    assert!(file_kb < 4096, "the test file stays small: {file_kb} kB");

    reset_peak();
    let before_kb = peak_kb();
    let started = std::time::Instant::now();
    let result = xlsx::read(&path);
    let elapsed = started.elapsed();
    let grown_kb = peak_kb().saturating_sub(before_kb);
    eprintln!(
        "{file_kb} kB file unpacking to 300 MB: refused in {} ms, peak memory grew by {grown_kb} kB",
        elapsed.as_millis()
    );
    let error = result.expect_err("refused").to_string();
    assert!(
        error.contains("bomb.xlsx")
            && error.contains("too large for a plan workbook")
            && error.contains("64 MB"),
        "{error}"
    );
    assert!(
        grown_kb < 32 * 1024,
        "memory stays flat while the file is looked through: grew by {grown_kb} kB"
    );
}
