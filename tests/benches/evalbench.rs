//! `cargo bench`: the figures of the performance issues, each beside a baseline measured in the
//! same run where there is one (the same work done with bare rusqlite or SQLCipher: the storage
//! floor; LibreOffice for the report). Ends with the cost model: the main figures at 1×, 25× and
//! 100× the demo case, and the network view at 500 and 5 000 cases.
//!
//! A plain harness (`harness = false`), not criterion: the figures wanted are medians and 99th
//! percentiles of single operations, ratios to a baseline from the same run, peak RSS of whole
//! processes and long end-to-end runs, which criterion's mean-centred reports do not give.
//!
//! The 100× case and the 5 000-case set are generated once and kept in the target directory
//! (`cases.rs`). Work whose memory is measured runs in a process of its own (`probes.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop

mod cases;
mod encrypted;
mod figures;
mod probes;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use evalbench::demo::DEMO_TODAY;
use evalbench::export::{self, Format};
use evalbench::i18n::Lang;
use evalbench::store;

use cases::{Cases, NETWORK_SIZES, SCALES};
use figures::{Figures, Table, measure, millis, ms, probe, ratio};

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported, everything runs.
    if probes::run_if_asked() {
        return;
    }
    let started = Instant::now();
    let only = std::env::var("EVALBENCH_BENCH_ONLY").unwrap_or_default();
    let wanted = |part: &str| only.is_empty() || only.split(',').any(|p| p == part);
    let cases = Cases::prepare();
    let dir = tempfile::tempdir().unwrap();

    let mut scales = Vec::new();
    if wanted("scales") {
        for scale in SCALES {
            let path = cases.scaled(scale);
            let snapshot = store::read_case(&path).unwrap();
            println!(
                "{scale:>3}× case: {} interviews, {} excerpts, {} findings, {} actions, {:.1} MB",
                snapshot.interviews.len(),
                snapshot.excerpt_count(),
                snapshot.findings.len(),
                snapshot.actions.len(),
                cases::size_mb(&path),
            );
        }
        for scale in SCALES {
            let scratch = cases.copy_of(scale, dir.path(), "scratch.evalcase");
            let path = cases.scaled(scale);
            let app = probe(
                "app",
                &[&path.display().to_string(), &scratch.display().to_string()],
            );
            let _ = std::fs::remove_file(&scratch);
            let pdf = probe("pdf", &[&path.display().to_string()]);
            print_scale(scale, &app, &pdf);
            scales.push((scale, app, pdf));
        }
    }
    if wanted("window") {
        window_figures(&cases, dir.path());
    }
    if wanted("exports") {
        export_figures(&cases, dir.path());
    }
    if wanted("libreoffice") {
        libreoffice_figure(&cases, dir.path());
    }
    if wanted("merge") {
        merge_figure(&cases, dir.path());
    }
    if wanted("encrypted") {
        encrypted::figures(&cases, dir.path());
    }
    let mut networks = Vec::new();
    if wanted("network") {
        for count in NETWORK_SIZES {
            let folders = cases.network(count);
            let out = dir.path().join("overview.parquet");
            let mut args = vec![out.display().to_string()];
            args.extend(folders.iter().map(|f| f.display().to_string()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            // The first run meets the files as the disk has them (cold when they were not read
            // lately); the second finds them in the page cache, as a second run of the day does.
            let first = probe("aggregate", &args);
            let figures = probe("aggregate", &args);
            Table::heading(&format!(
                "Network: aggregate {count} cases ({:.0} MB of case files) → Parquet",
                cases::folder_mb(&folders)
            ));
            Table::row(
                &format!("aggregate {count} cases, first run"),
                format!("{} ms", first.get("aggregate_ms").round()),
                "-",
                String::new(),
                String::new(),
            );
            Table::row(
                &format!("aggregate {count} cases → Parquet (files cached)"),
                format!(
                    "{} ms, peak {:.0} MB",
                    figures.get("aggregate_ms").round(),
                    figures.get("aggregate_peak_mb")
                ),
                if count >= 5000 {
                    "≤ 10 s, ≤ 500 MB"
                } else {
                    "-"
                },
                format!("{} rows read back", figures.get("aggregate_rows")),
                String::new(),
            );
            networks.push((count, figures));
        }
    }
    if !scales.is_empty() || !networks.is_empty() {
        cost_model(&scales, &networks);
    }
    println!("\n(bench ran {:.0} s)", started.elapsed().as_secs_f64());
}

/// The app and PDF figures of one scale, with their targets (the 100× targets; 25× has its
/// own first-frame target).
fn print_scale(scale: u32, app: &Figures, pdf: &Figures) {
    Table::heading(&format!("{scale}× case"));
    let first_target = match scale {
        100 => "≤ 300 ms",
        25 => "≤ 100 ms",
        _ => "-",
    };
    Table::row(
        "open + first frame (in-process)",
        millis(app.get("open_first_frame_ms")),
        first_target,
        format!("bare open {}", millis(app.get("bare_open_ms"))),
        String::new(),
    );
    for page in evalbench::ui::Page::ALL {
        Table::row(
            &format!("frame, page {page:?} (median / p99)"),
            format!(
                "{} / {}",
                millis(app.get(&format!("frame_{page:?}_ms"))),
                millis(app.get(&format!("frame_{page:?}_p99_ms")))
            ),
            "≤ 2 / 8 ms",
            String::new(),
            String::new(),
        );
    }
    Table::row(
        "RSS after every page (peak / now)",
        format!(
            "{:.0} / {:.0} MB",
            app.get("rss_pages_peak_mb"),
            app.get("rss_pages_now_mb")
        ),
        if scale == 100 { "≤ 300 MB" } else { "-" },
        String::new(),
        String::new(),
    );
    Table::row(
        "edit durable in the store (median / p99)",
        format!(
            "{} / {}",
            millis(app.get("edit_store_ms")),
            millis(app.get("edit_store_p99_ms"))
        ),
        "≤ 2× bare",
        format!(
            "bare {} / {}",
            millis(app.get("edit_bare_ms")),
            millis(app.get("edit_bare_p99_ms"))
        ),
        ratio(app.get("edit_store_ms"), app.get("edit_bare_ms")),
    );
    // Each edit through the app (applied, and what the page shows brought up to date) beside
    // the same edit's store figure.
    for (label, app_key, store_key) in [
        (
            "edit through the app: apply + refresh",
            "edit_app",
            "edit_store",
        ),
        (
            "edit a finding through the app",
            "edit_finding_app",
            "edit_finding_store",
        ),
        (
            "edit an interview's notes through the app",
            "edit_notes_app",
            "edit_notes_store",
        ),
    ] {
        let median = app.get(&format!("{app_key}_ms"));
        Table::row(
            &format!("{label} (median)"),
            format!(
                "{} / p99 {}",
                millis(median),
                millis(app.get(&format!("{app_key}_p99_ms")))
            ),
            "≤ 2× store edit",
            format!("store {}", millis(app.get(&format!("{store_key}_ms")))),
            ratio(median, app.get(&format!("{store_key}_ms"))),
        );
    }
    for (label, word) in [("common", "arbeidsgiver"), ("rare", "kvartal")] {
        Table::row(
            &format!("search, {label} word «{word}»"),
            millis(app.get(&format!("search_{label}_ms"))),
            "≤ 20 ms",
            format!(
                "bare FTS5 {}",
                millis(app.get(&format!("search_{label}_bare_ms")))
            ),
            ratio(
                app.get(&format!("search_{label}_ms")),
                app.get(&format!("search_{label}_bare_ms")),
            ),
        );
    }
    Table::row(
        &format!(
            "PDF report, first in a process ({} pages)",
            pdf.get("pdf_pages")
        ),
        format!(
            "{}, peak {:.0} MB",
            millis(pdf.get("pdf_ms")),
            pdf.get("pdf_peak_mb")
        ),
        if scale == 100 { "peak ≤ 200 MB" } else { "-" },
        format!("case read: {:.0} MB", pdf.get("pdf_read_mb")),
        String::new(),
    );
}

/// The real program in a window (Xvfb when there is no display): milliseconds from process
/// start to the first frame and to the case being open, medians of five starts.
fn window_figures(cases: &Cases, dir: &Path) {
    Table::heading("The program in a window (process start, Xvfb)");
    let mut xvfb = None;
    let display = if let Ok(display) = std::env::var("DISPLAY") {
        display
    } else {
        let display = ":87".to_owned();
        let Ok(child) = std::process::Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
        else {
            println!("(no display and no Xvfb: the windowed start-up is not measured)");
            return;
        };
        xvfb = Some(child);
        std::thread::sleep(Duration::from_secs(1));
        display
    };
    for scale in [25, 100] {
        let case = cases.copy_of(scale, dir, "window.evalcase");
        let mut first = Vec::new();
        let mut ready = Vec::new();
        for _ in 0..5 {
            let Ok(output) = std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
                .arg(&case)
                .env("DISPLAY", &display)
                .env("EVALBENCH_STARTUP_PROBE", "1")
                .env("EVALBENCH_DATA_DIR", dir.join("data"))
                .output()
            else {
                break;
            };
            let text = String::from_utf8_lossy(&output.stderr);
            let find = |label: &str| {
                text.lines()
                    .find_map(|line| line.strip_prefix(label))
                    .and_then(|rest| rest.trim_end_matches(" ms").trim().parse::<u64>().ok())
            };
            if let (Some(f), Some(r)) = (find("first frame "), find("case ready ")) {
                first.push(f);
                ready.push(r);
            }
        }
        if first.is_empty() {
            println!("(the program did not report its start-up)");
            break;
        }
        first.sort_unstable();
        ready.sort_unstable();
        Table::row(
            &format!("{scale}×: process start → first frame"),
            format!("{} ms", first[first.len() / 2]),
            "-",
            String::new(),
            String::new(),
        );
        Table::row(
            &format!("{scale}×: process start → case open"),
            format!("{} ms", ready[ready.len() / 2]),
            "-",
            String::new(),
            String::new(),
        );
    }
    if let Some(mut child) = xvfb {
        let _ = child.kill();
    }
}

/// The report in each format and the plan workbook, on the demo and the 25× case.
fn export_figures(cases: &Cases, dir: &Path) {
    Table::heading("Exports (in-process; first in the process / again)");
    for scale in [1, 25] {
        let snapshot = store::read_case(&cases.scaled(scale)).unwrap();
        for format in [Format::Pdf, Format::Docx, Format::Markdown] {
            let started = Instant::now();
            let _ = export::render(&snapshot, format, Lang::Nb, DEMO_TODAY).unwrap();
            let first = started.elapsed();
            let (median, _) = measure(0, if scale == 1 { 5 } else { 2 }, || {
                let bytes = export::render(&snapshot, format, Lang::Nb, DEMO_TODAY).unwrap();
                assert!(!bytes.is_empty());
            });
            Table::row(
                &format!("report {format:?}, {scale}× case"),
                format!("{} / {}", millis(ms(first)), millis(ms(median))),
                if scale == 1 && format == Format::Pdf {
                    "≤ 1 s"
                } else {
                    "-"
                },
                String::new(),
                String::new(),
            );
        }
        let plan = evalbench::plan_exchange::PlanFile::from_case(&snapshot);
        let out = dir.join(format!("plan-{scale}.xlsx"));
        let (median, _) = measure(1, 5, || {
            evalbench::plan_exchange::xlsx::write(&plan, Lang::Nb, &out).unwrap();
        });
        Table::row(
            &format!("plan workbook, {scale}× case"),
            millis(ms(median)),
            "-",
            String::new(),
            String::new(),
        );
    }
}

/// The Word workflow's cost for the same report: LibreOffice turning our DOCX of the demo
/// report into PDF, beside `evalbench export --format pdf` making the PDF from the case. Both
/// are whole processes, medians of five (after one untimed run that sets up LibreOffice's
/// profile).
fn libreoffice_figure(cases: &Cases, dir: &Path) {
    Table::heading("The report against the Word workflow (whole processes)");
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|name| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        println!("(LibreOffice is not installed: the report's baseline is not measured)");
        return;
    };
    let demo = cases.scaled(1);
    let docx = dir.join("report.docx");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let demo_arg = demo.display().to_string();
    run(&[
        "export",
        &demo_arg,
        "--format",
        "docx",
        "--out",
        &docx.display().to_string(),
    ]);
    let pdf = dir.join("report-ours.pdf");
    let pdf_arg = pdf.display().to_string();
    let (ours, _) = measure(1, 5, || {
        run(&["export", &demo_arg, "--format", "pdf", "--out", &pdf_arg]);
    });
    let profile = format!("file://{}", dir.join("lo-profile").display());
    let out_dir = dir.join("lo-out");
    let (theirs, _) = measure(1, 5, || {
        let output = std::process::Command::new(soffice)
            .arg(format!("-env:UserInstallation={profile}"))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(&out_dir)
            .arg(&docx)
            .output()
            .unwrap();
        assert!(output.status.success());
    });
    assert!(out_dir.join("report.pdf").exists());
    Table::row(
        "PDF report of the demo case: evalbench export",
        millis(ms(ours)),
        "≥ 20× faster",
        format!("LibreOffice DOCX→PDF {}", millis(ms(theirs))),
        format!("{:.1}× faster", theirs.as_secs_f64() / ours.as_secs_f64()),
    );
}

/// Two copies of the 25× case, 5 000 commands on each since the fork, merged in a process of
/// its own, so its peak memory is the merge's.
fn merge_figure(cases: &Cases, dir: &Path) {
    Table::heading("Merge (25× case, 5 000 commands on each copy since the fork)");
    let a = cases.copy_of(25, dir, "mine.evalcase");
    let b = cases.copy_of(25, dir, "theirs.evalcase");
    let edited = Instant::now();
    encrypted::edit_apart(&a, None, "Anne", 0, 5000);
    encrypted::edit_apart(&b, None, "Bjørn", 1, 5000);
    println!(
        "(5 000 commands on each copy in {:.1} s)",
        edited.elapsed().as_secs_f64()
    );
    let (read_both, _) = measure(0, 3, || {
        store::read_case(&a).unwrap();
        store::read_case(&b).unwrap();
    });
    let figures = probe(
        "merge",
        &[&a.display().to_string(), &b.display().to_string()],
    );
    Table::row(
        "merge two 25× copies",
        format!(
            "{} ms, peak {:.0} MB",
            figures.get("merge_ms").round(),
            figures.get("merge_peak_mb")
        ),
        "≤ 2 s, ≤ 300 MB",
        format!("read both {}", millis(ms(read_both))),
        ratio(figures.get("merge_ms"), ms(read_both)),
    );
    let _ = std::fs::remove_file(&a);
    let _ = std::fs::remove_file(&b);
}

/// One table of how the main costs grow with the work: per scale, and per network size.
fn cost_model(scales: &[(u32, Figures, Figures)], networks: &[(u32, Figures)]) {
    println!("\nCost model: how the main figures grow with the case (and the network set)");
    let mut heading = String::new();
    for (scale, _, _) in scales {
        let _ = write!(heading, "{:>14}", format!("{scale}×"));
    }
    println!("{:<44} {heading}", "figure");
    let rows: [(&str, &str, &str); 18] = [
        ("case file (MB)", "pdf", "case_mb"),
        ("open + first frame (ms)", "app", "open_first_frame_ms"),
        ("bare open (ms)", "app", "bare_open_ms"),
        ("slowest page frame, median (ms)", "app", "frame_worst_ms"),
        ("slowest page frame, p99 (ms)", "app", "frame_worst_p99_ms"),
        (
            "RSS after every page, peak (MB)",
            "app",
            "rss_pages_peak_mb",
        ),
        ("edit in the store (ms)", "app", "edit_store_ms"),
        ("edit, bare SQLite (ms)", "app", "edit_bare_ms"),
        ("edit through the app (ms)", "app", "edit_app_ms"),
        (
            "edit a finding in the store (ms)",
            "app",
            "edit_finding_store_ms",
        ),
        (
            "edit a finding through the app (ms)",
            "app",
            "edit_finding_app_ms",
        ),
        (
            "edit interview notes in the store (ms)",
            "app",
            "edit_notes_store_ms",
        ),
        (
            "edit interview notes through the app (ms)",
            "app",
            "edit_notes_app_ms",
        ),
        ("search, common word (ms)", "app", "search_common_ms"),
        ("search, rare word (ms)", "app", "search_rare_ms"),
        ("PDF report (ms)", "pdf", "pdf_ms"),
        ("PDF report, peak RSS (MB)", "pdf", "pdf_peak_mb"),
        ("PDF pages", "pdf", "pdf_pages"),
    ];
    for (label, from, name) in rows {
        let mut cells = String::new();
        for (_, app, pdf) in scales {
            let value = if from == "app" {
                app.get(name)
            } else {
                pdf.get(name)
            };
            let _ = write!(cells, "{value:>14.2}");
        }
        println!("{label:<44} {cells}");
    }
    for (count, figures) in networks {
        println!(
            "{:<44} {:>14.0} ms, peak {:.0} MB",
            format!("aggregate {count} cases"),
            figures.get("aggregate_ms"),
            figures.get("aggregate_peak_mb")
        );
    }
}
