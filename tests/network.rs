//! The network view across many cases: `evalbench aggregate` over generated cases, its Parquet
//! table read back with the parquet crate's own reader, the workbook and JSON agreeing with it,
//! anonymisation, and files that cannot be read listed instead of stopping the run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Process;

use calamine::Reader as _;
use evalbench::demo::write_network;
use evalbench::network::{self, CaseSummary, Overview, Progress};
use evalbench::store::{self, CaseStore, Passphrase};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

fn evalbench(args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_evalbench"))
        .args(args)
        .env_remove("EVALBENCH_PASSPHRASE")
        // The messages follow the locale; these tests read the Norwegian ones.
        .env("LANG", "nb_NO.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// Every row of a Parquet file as column name → value text.
fn parquet_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(name, field)| {
                    let value = match field {
                        Field::Null => String::new(),
                        Field::Str(text) => text.clone(),
                        other => other.to_string(),
                    };
                    (name.clone(), value)
                })
                .collect()
        })
        .collect()
}

fn sum(rows: &[BTreeMap<String, String>], metric: &str) -> i64 {
    rows.iter()
        .filter(|row| row["metric"] == metric)
        .map(|row| row["value"].parse::<i64>().unwrap())
        .sum()
}

#[test]
fn aggregate_writes_parquet_that_reads_back_and_agrees_with_the_json() {
    let dir = common::temp_dir();
    let cases = dir.path().join("cases");
    write_network(&cases, 12).unwrap();
    let parquet = dir.path().join("overview.parquet");
    let json = dir.path().join("overview.json");
    for out in [&parquet, &json] {
        let output = evalbench(&[
            "aggregate",
            cases.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("12 saker fra"), "{stdout}");
    }
    let overview: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let rows = parquet_rows(&parquet);
    assert!(!rows.is_empty());

    // Every case is in the table, with its provider and year.
    let case_ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|row| row["case_id"].as_str()).collect();
    assert_eq!(case_ids.len(), 12);
    assert!(rows.iter().all(|row| row["measure"] == "aft"));
    assert!(rows.iter().all(|row| !row["provider"].is_empty()));

    // The area totals in the JSON are the sums of the table's rows.
    let areas = overview["areas"].as_array().unwrap();
    for (metric, field) in [
        ("deviations", "deviations"),
        ("improvement_areas", "improvement_areas"),
        ("good_practice", "good_practice"),
    ] {
        let from_json: i64 = areas.iter().map(|a| a[field].as_i64().unwrap()).sum();
        assert_eq!(sum(&rows, metric), from_json, "{metric}");
        assert!(from_json > 0, "{metric}: the generated cases have some");
    }
    // Area rows carry their area, outcome rows their year; nothing else does.
    for row in &rows {
        let is_area =
            ["deviations", "improvement_areas", "good_practice"].contains(&row["metric"].as_str());
        assert_eq!(!row["area_code"].is_empty(), is_area, "{row:?}");
        let is_outcome =
            ["ended", "to_work", "to_education", "to_other"].contains(&row["metric"].as_str());
        assert_eq!(!row["outcome_year"].is_empty(), is_outcome, "{row:?}");
    }
    let actions: i64 = overview["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["actions"].as_i64().unwrap())
        .sum();
    assert_eq!(sum(&rows, "actions"), actions);
    let ended: i64 = overview["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["ended"].as_i64().unwrap())
        .sum();
    assert_eq!(sum(&rows, "ended"), ended);
    assert_eq!(overview["outcomes"].as_array().unwrap().len(), 12 * 3);
}

#[test]
fn providers_are_counted_once_per_area_and_good_practice_is_searchable() {
    let dir = common::temp_dir();
    let cases = dir.path().join("cases");
    let paths = write_network(&cases, 6).unwrap();
    let snapshots: Vec<_> = paths.iter().map(|p| store::read_case(p).unwrap()).collect();
    let summaries: Vec<CaseSummary> = snapshots.iter().map(CaseSummary::of).collect();
    let overview = Overview::of(summaries.clone(), Vec::new());
    assert_eq!(overview.cases, 6);
    for area in &overview.areas {
        let with_deviations = snapshots
            .iter()
            .filter(|s| {
                s.findings.iter().any(|f| {
                    f.kind == evalbench::domain::FindingKind::Deviation
                        && f.requirement_ids
                            .iter()
                            .any(|id| s.requirement(*id).unwrap().area_code == area.code)
                })
            })
            .count();
        assert_eq!(
            area.providers_with_deviations, with_deviations,
            "{}",
            area.code
        );
        assert!(area.providers_with_deviations <= area.deviations);
    }
    // Order does not matter.
    let mut reversed = summaries.clone();
    reversed.reverse();
    assert_eq!(Overview::of(reversed, Vec::new()), overview);

    let all = overview.search_good_practice("");
    assert_eq!(all.len(), overview.good_practice.len());
    assert!(!all.is_empty());
    let first = &overview.good_practice[0];
    let word = first.title.split_whitespace().last().unwrap();
    let found = overview.search_good_practice(&word.to_uppercase());
    assert!(found.iter().any(|p| p.title == first.title), "{word}");
    assert!(overview.search_good_practice("ordsomikkefinnes").is_empty());
}

#[test]
fn anonymised_output_has_stable_codes_and_no_names_or_numbers() {
    let dir = common::temp_dir();
    let cases = dir.path().join("cases");
    let paths = write_network(&cases, 5).unwrap();
    let names: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let facts = store::read_case(p).unwrap().facts;
            (facts.provider_name, facts.org_number.unwrap().to_string())
        })
        .collect();
    let run = |out: &str, salt: &str| {
        let path = dir.path().join(out);
        let output = evalbench(&[
            "aggregate",
            cases.to_str().unwrap(),
            "--out",
            path.to_str().unwrap(),
            "--anonymise",
            "--salt",
            salt,
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        path
    };
    let first = std::fs::read_to_string(run("a.json", "hemmelig")).unwrap();
    let again = std::fs::read_to_string(run("b.json", "hemmelig")).unwrap();
    let other_salt = std::fs::read_to_string(run("c.json", "annet")).unwrap();
    for (name, number) in &names {
        let compact = number.replace(' ', "");
        for text in [&first, &other_salt] {
            assert!(!text.contains(name.as_str()), "{name} left in");
            assert!(
                !text.contains(number.as_str()) && !text.contains(&compact),
                "{number}"
            );
        }
    }
    let codes = |text: &str| -> Vec<String> {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        value["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["provider"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        codes(&first)
            .iter()
            .all(|c| c.starts_with("P-") && c.len() == 10)
    );
    // The same salt gives the same codes; another salt other codes. (Case ids differ per run
    // of the generator, so compare the codes only.)
    let mut a = codes(&first);
    let mut b = codes(&again);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let mut c = codes(&other_salt);
    c.sort();
    assert_ne!(a, c);
    // The parquet table is anonymised too.
    let parquet = run("a.parquet", "hemmelig");
    let rows = parquet_rows(&parquet);
    assert!(rows.iter().all(|row| row["org_number"].is_empty()));
    assert!(rows.iter().all(|row| row["provider"].starts_with("P-")));
}

#[test]
fn unreadable_and_encrypted_files_are_listed_and_the_rest_compared() {
    let dir = common::temp_dir();
    let cases = dir.path().join("cases");
    let paths = write_network(&cases, 4).unwrap();
    std::fs::write(cases.join("broken.evalcase"), b"not a case").unwrap();
    let key = Passphrase::new_chosen("nettverkspassord").unwrap();
    let mut store = CaseStore::open(&paths[0]).unwrap();
    store.set_passphrase(&key).unwrap();
    store.close().unwrap();
    let files = network::case_files(std::slice::from_ref(&cases)).unwrap();
    assert_eq!(files.len(), 5);

    let progress = Progress::default();
    let (summaries, skipped) = network::read_cases(&files, None, &progress);
    assert_eq!(summaries.len(), 3);
    assert_eq!(skipped.len(), 2);
    assert!((progress.fraction() - 1.0).abs() < f32::EPSILON);
    let reasons: Vec<String> = skipped
        .iter()
        .map(|s| format!("{} {}", s.path.display(), s.reason))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("broken.evalcase") && r.contains("not a SQLite")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("case-0001") && r.contains("passphrase")),
        "{reasons:?}"
    );

    let (summaries, skipped) = network::read_cases(&files, Some(&key), &Progress::default());
    assert_eq!(summaries.len(), 4);
    assert_eq!(skipped.len(), 1);

    // The CLI lists the skipped files and still writes the overview; the workbook has its sheets.
    let xlsx = dir.path().join("o.xlsx");
    let output = evalbench(&[
        "aggregate",
        cases.to_str().unwrap(),
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("3 saker fra"), "{stdout}");
    assert!(
        stdout.contains("skipped") && stdout.contains("broken.evalcase"),
        "{stdout}"
    );
    let workbook = calamine::open_workbook_auto(&xlsx).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Områder",
            "Resultater",
            "Handlingsplaner",
            "Kildegrupper",
            "God praksis",
            "Ikke lest"
        ]
    );

    // Nothing to read at all, or a name it cannot write: exit 2 with a message.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let output = evalbench(&["aggregate", empty.to_str().unwrap(), "--out", "x.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("No case files"));
    let output = evalbench(&["aggregate", cases.to_str().unwrap(), "--out", "x.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(".parquet"));
}

/// The invented cases spread over several evaluation years, and each case's dates follow its own
/// year: period, key dates, interviews, feedback meeting, due dates, outcome years and the days
/// its actions reached their statuses. The same number always gives the same cases.
#[test]
fn network_demo_cases_vary_in_year_and_keep_their_dates_in_step() {
    let dir = common::temp_dir();
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    let written = write_network(&first, 6).unwrap();
    write_network(&second, 6).unwrap();
    let mut years = std::collections::BTreeSet::new();
    for path in &written {
        let (case, changes) = store::read_case_with_status(path).unwrap();
        let start = case.facts.period_start.unwrap();
        let end = case.facts.period_end.unwrap();
        let year = start.year();
        years.insert(year);
        assert!(
            start <= end && end.year() == year,
            "{path:?}: {start}–{end}"
        );
        let meeting = case.key_dates.feedback_meeting.unwrap();
        let deadline = case.key_dates.plan_deadline.unwrap();
        assert_eq!((meeting.year(), deadline.year()), (year, year), "{path:?}");
        assert!(start <= meeting && meeting < deadline, "{path:?}");
        assert_eq!(case.feedback_meeting.date, Some(meeting), "{path:?}");
        for interview in &case.interviews {
            let day = interview.fields.date;
            assert!(start <= day && day <= end, "{path:?}: interview {day}");
        }
        for action in &case.actions {
            let due = action.fields.due_date.unwrap();
            assert!(
                due > meeting && due.year() <= year + 1,
                "{path:?}: due {due}"
            );
        }
        let mut outcome_years: Vec<i32> = case.outcomes.iter().map(|o| o.year).collect();
        outcome_years.sort_unstable();
        let year = i32::from(year);
        assert_eq!(outcome_years, [year - 3, year - 2, year - 1], "{path:?}");
        assert!(!changes.is_empty());
        for change in &changes {
            assert!(
                change.on >= meeting && i32::from(change.on.year()) == year,
                "{path:?}: status change on {}",
                change.on
            );
        }
        // The same number gives the same case.
        let name = path.file_name().unwrap();
        let (again, again_changes) = store::read_case_with_status(&second.join(name)).unwrap();
        assert_eq!(again.facts, case.facts);
        assert_eq!(again.key_dates, case.key_dates);
        assert_eq!(again.outcomes, case.outcomes);
        assert_eq!(again_changes, changes);
    }
    assert!(years.len() >= 3, "the years do not vary: {years:?}");
}

/// The Parquet overview says what each column and each metric means in its key-value metadata,
/// where DuckDB's `parquet_kv_metadata` and other readers show it.
#[test]
fn parquet_overview_describes_its_columns_and_metrics() {
    let dir = common::temp_dir();
    let cases = dir.path().join("cases");
    write_network(&cases, 2).unwrap();
    let parquet = dir.path().join("overview.parquet");
    let output = evalbench(&[
        "aggregate",
        cases.to_str().unwrap(),
        "--out",
        parquet.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reader = SerializedFileReader::new(std::fs::File::open(&parquet).unwrap()).unwrap();
    let metadata = reader.metadata().file_metadata();
    let described: BTreeMap<String, String> = metadata
        .key_value_metadata()
        .map(|entries| {
            entries
                .iter()
                .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        described.contains_key("evalbench.description"),
        "{described:?}"
    );
    let columns: Vec<String> = metadata
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(columns.len(), 12);
    for column in &columns {
        let doc = described.get(&format!("evalbench.column.{column}"));
        assert!(
            doc.is_some_and(|d| d.len() > 20),
            "no description of column {column}"
        );
    }
    let metrics: std::collections::BTreeSet<String> = parquet_rows(&parquet)
        .into_iter()
        .map(|row| row["metric"].clone())
        .collect();
    assert!(metrics.len() >= 10, "{metrics:?}");
    for metric in &metrics {
        assert!(
            described.contains_key(&format!("evalbench.metric.{metric}")),
            "no description of metric {metric}"
        );
    }
}
