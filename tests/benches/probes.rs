//! Work measured in a process of its own (this bench binary run again with
//! `EVALBENCH_BENCH_PROBE`), so each peak RSS is that work's alone and one scale's memory does not
//! carry into the next. Each prints `figure NAME VALUE` lines (see `figures::Figures`).

use std::path::Path;
use std::time::{Duration, Instant};

use evalbench::app::{Settings, Workbench};
use evalbench::command::Command;
use evalbench::demo::DEMO_TODAY;
use evalbench::dialogs::ScriptedDialogs;
use evalbench::export::{self, Format};
use evalbench::i18n::Lang;
use evalbench::store::{self, CaseStore};
use evalbench::ui::Page;

use crate::figures::{Figures, measure, memory, ms, percentiles};

/// Runs the probe this process was started for, if any; true when it was one.
pub fn run_if_asked() -> bool {
    let Ok(kind) = std::env::var("EVALBENCH_BENCH_PROBE") else {
        return false;
    };
    let args = std::env::var("EVALBENCH_BENCH_ARGS").unwrap_or_default();
    let args: Vec<&str> = args.lines().collect();
    match kind.as_str() {
        "app" => app(Path::new(args[0]), Path::new(args[1])),
        "pdf" => pdf(Path::new(args[0])),
        // For a profiler: only open + first frame, ten times.
        "open" => {
            for _ in 0..10 {
                let ctx = egui::Context::default();
                let mut workbench = workbench_on(Path::new(args[0]));
                frame(&ctx, &mut workbench, 0.0);
                workbench.shutdown();
            }
        }
        // For a profiler: a finding edited through the app, 300 times.
        "edit_finding" => {
            let mut workbench = workbench_on(Path::new(args[0]));
            settle_privacy(&egui::Context::default(), &mut workbench, &mut 0.0);
            let finding = workbench.case().unwrap().snapshot().findings[0].clone();
            for k in 0..300 {
                edit_finding(&mut workbench, &finding, k);
            }
            workbench.shutdown();
        }
        // For a profiler: one page's frames.
        "page" => {
            let mut workbench = workbench_on(Path::new(args[0]));
            let page = Page::ALL
                .into_iter()
                .find(|page| format!("{page:?}") == args[1])
                .unwrap();
            workbench.settings.page = page;
            let ctx = egui::Context::default();
            for n in 0..200 {
                frame(&ctx, &mut workbench, f64::from(n) / 60.0);
            }
            workbench.shutdown();
        }
        "merge" => merge(Path::new(args[0]), Path::new(args[1]), args.get(2).copied()),
        "aggregate" => aggregate(&args[1..], Path::new(args[0])),
        // For a profiler: where reading many cases goes.
        "aggregate_parts" => {
            let inputs: Vec<_> = args.iter().map(std::path::PathBuf::from).collect();
            let files = evalbench::network::case_files(&inputs).unwrap();
            let time = |label: &str, work: &dyn Fn(&Path)| {
                let started = Instant::now();
                for file in &files {
                    work(file);
                }
                println!(
                    "{label}: {:.2} ms per file",
                    ms(started.elapsed()) / files.len() as f64
                );
            };
            time("inspect (examine)", &|f| {
                store::inspect(f).unwrap();
            });
            time("open read-only", &|f| {
                CaseStore::open_read_only(f).unwrap();
            });
            time("open + snapshot", &|f| {
                CaseStore::open_read_only(f).unwrap().snapshot().unwrap();
            });
            time("open + snapshot + summary", &|f| {
                let s = CaseStore::open_read_only(f).unwrap().snapshot().unwrap();
                evalbench::network::CaseSummary::of(&s);
            });
            time("bare open + count", &|f| {
                let conn = rusqlite::Connection::open(f).unwrap();
                let _: i64 = conn
                    .query_row("SELECT count(*) FROM interview", [], |row| row.get(0))
                    .unwrap();
            });
        }
        other => panic!("no probe {other}"),
    }
    true
}

pub fn workbench_on(path: &Path) -> Workbench {
    let mut workbench = Workbench::new(Settings::default(), Box::new(ScriptedDialogs::default()))
        .with_today(DEMO_TODAY);
    workbench.open(path);
    assert!(workbench.case().is_some(), "{:?}", workbench.notice());
    workbench
}

/// An interview's notes with `k` added at the end, as typing does.
fn notes_edit(interview: &evalbench::domain::Interview, k: usize) -> Command {
    Command::SetInterviewNotes {
        interview_id: interview.id,
        notes: format!("{} ({k})", interview.notes),
    }
}

/// Draws frames until the privacy scan of the opened case is done.
fn settle_privacy(ctx: &egui::Context, workbench: &mut Workbench, time: &mut f64) {
    while workbench.is_scanning_privacy() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        *time += 1.0 / 60.0;
        frame(ctx, workbench, *time);
    }
}

pub fn frame(ctx: &egui::Context, workbench: &mut Workbench, time: f64) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1366.0, 768.0),
        )),
        time: Some(time),
        ..egui::RawInput::default()
    };
    let output = ctx.run_ui(input, |ui| workbench.ui(ui));
    // Tessellation is part of a frame's CPU work in the real window.
    let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
}

/// The app on one case: open + first frame, every page's frames, RSS after visiting them, a
/// durable edit in the store and through the app (each beside bare SQLite), full-text search.
/// `scratch` is a copy of the case the edits may change.
fn app(case: &Path, scratch: &Path) {
    // Open the case and build what the first frame needs, then draw it (a fresh app each time).
    let (open, _) = measure(1, 5, || {
        let ctx = egui::Context::default();
        let mut workbench = workbench_on(scratch);
        frame(&ctx, &mut workbench, 0.0);
        workbench.shutdown();
    });
    Figures::say("open_first_frame_ms", ms(open));
    let (bare_open, _) = measure(1, 5, || {
        let conn = rusqlite::Connection::open(case).unwrap();
        let _: i64 = conn
            .query_row("SELECT count(*) FROM interview", [], |row| row.get(0))
            .unwrap();
    });
    Figures::say("bare_open_ms", ms(bare_open));

    // One frame of each page (CPU: layout and tessellation).
    let mut workbench = workbench_on(scratch);
    let ctx = egui::Context::default();
    let mut time = 0.0;
    let (mut worst_median, mut worst_p99) = (Duration::ZERO, Duration::ZERO);
    for page in Page::ALL {
        workbench.settings.page = page;
        let (median, p99) = measure(3, 40, || {
            time += 1.0 / 60.0;
            frame(&ctx, &mut workbench, time);
        });
        Figures::say(&format!("frame_{page:?}_ms"), ms(median));
        Figures::say(&format!("frame_{page:?}_p99_ms"), ms(p99));
        worst_median = worst_median.max(median);
        worst_p99 = worst_p99.max(p99);
    }
    Figures::say("frame_worst_ms", ms(worst_median));
    Figures::say("frame_worst_p99_ms", ms(worst_p99));
    let (peak, now) = memory();
    Figures::say("rss_pages_peak_mb", peak);
    Figures::say("rss_pages_now_mb", now);

    // An edit through the app: applied, then what the page shows brought up to date. The
    // privacy scan of the opened case is done first, so each edit pays its own rescan.
    settle_privacy(&ctx, &mut workbench, &mut time);
    workbench.settings.page = Page::Overview;
    let mut k = 0;
    let (app_median, app_p99) = measure(3, 40, || {
        k += 1;
        workbench.submit(Command::SetEvaluators {
            evaluators: vec![format!("Evaluerer {k}")],
        });
        workbench.apply_pending();
    });
    Figures::say("edit_app_ms", ms(app_median));
    Figures::say("edit_app_p99_ms", ms(app_p99));
    // A finding's text edited on the findings page: that finding is read again and its texts
    // scanned for personal data again.
    workbench.settings.page = Page::Findings;
    let finding = workbench.case().unwrap().snapshot().findings[0].clone();
    let (finding_median, finding_p99) = measure(3, 40, || {
        k += 1;
        edit_finding(&mut workbench, &finding, k);
    });
    Figures::say("edit_finding_app_ms", ms(finding_median));
    Figures::say("edit_finding_app_p99_ms", ms(finding_p99));
    // An interview's notes typed in on the interviews page: that interview is read and scanned
    // again.
    workbench.settings.page = Page::Interviews;
    let interview = workbench.case().unwrap().snapshot().interviews[0].clone();
    let (notes_median, notes_p99) = measure(3, 40, || {
        k += 1;
        workbench.submit(notes_edit(&interview, k));
        workbench.apply_pending();
    });
    Figures::say("edit_notes_app_ms", ms(notes_median));
    Figures::say("edit_notes_app_p99_ms", ms(notes_p99));
    workbench.shutdown();
    drop(workbench);

    // One edit command, durable, in the store; the bare-rusqlite commit of the same rows runs
    // interleaved with it, so both meet the same disk.
    let mut store = CaseStore::open(scratch).unwrap();
    let bare_copy = scratch.with_extension("bare");
    std::fs::copy(scratch, &bare_copy).unwrap();
    let mut bare = rusqlite::Connection::open(&bare_copy).unwrap();
    bare.execute_batch(
        "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    for n in 0..205 {
        let started = Instant::now();
        store
            .apply(&Command::SetEvaluators {
                evaluators: vec![format!("Evaluerer {n}")],
            })
            .unwrap();
        let edit = started.elapsed();
        let started = Instant::now();
        // The same rows a command touches: the entity, and one journal row.
        let tx = bare
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.execute(
            "UPDATE case_info SET evaluators = ?1",
            [format!("[\"Evaluerer {n}\"]")],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO journal (applied_at, author, target, command, kind, inverse, hash, summary)
             SELECT applied_at, author, target, command, kind, inverse, hash, summary FROM journal
             ORDER BY seq DESC LIMIT 1",
            [],
        )
        .unwrap();
        tx.commit().unwrap();
        let commit = started.elapsed();
        if n >= 5 {
            ours.push(edit);
            floor.push(commit);
        }
    }
    // The same finding edit as through the app above, durable in the store alone: its own
    // baseline (the finding's text also goes into the search index).
    let (finding_store_median, _) = measure(5, 100, || {
        k += 1;
        let mut fields = finding.fields.clone();
        fields.description = format!("{} ({k})", fields.description);
        store
            .apply(&Command::UpdateFinding {
                finding_id: finding.id,
                finding: fields,
            })
            .unwrap();
    });
    Figures::say("edit_finding_store_ms", ms(finding_store_median));
    let (notes_store_median, _) = measure(5, 100, || {
        k += 1;
        store.apply(&notes_edit(&interview, k)).unwrap();
    });
    Figures::say("edit_notes_store_ms", ms(notes_store_median));
    store.close().unwrap();
    drop(bare);
    let _ = std::fs::remove_file(&bare_copy);
    let (edit_median, edit_p99) = percentiles(&mut ours);
    let (bare_median, bare_p99) = percentiles(&mut floor);
    Figures::say("edit_store_ms", ms(edit_median));
    Figures::say("edit_store_p99_ms", ms(edit_p99));
    Figures::say("edit_bare_ms", ms(bare_median));
    Figures::say("edit_bare_p99_ms", ms(bare_p99));

    // Full-text search, a common word and a rare one, beside bare FTS5.
    let store = CaseStore::open_read_only(case).unwrap();
    let bare = rusqlite::Connection::open(case).unwrap();
    for (label, word) in [("common", "arbeidsgiver"), ("rare", "kvartal")] {
        let (median, _) = measure(3, 30, || {
            let hits = store.search(word, 50).unwrap();
            assert!(!hits.is_empty(), "{word}");
        });
        let (bare_median, _) = measure(3, 30, || {
            let mut statement = bare
                .prepare_cached(
                    "SELECT rowid, snippet(search_text, 0, '[', ']', '…', 12) FROM search_text
                     WHERE search_text MATCH ?1 ORDER BY rank LIMIT 50",
                )
                .unwrap();
            let count = statement
                .query_map([format!("\"{word}\"*")], |_| Ok(()))
                .unwrap()
                .count();
            assert!(count > 0);
        });
        Figures::say(&format!("search_{label}_ms"), ms(median));
        Figures::say(&format!("search_{label}_bare_ms"), ms(bare_median));
    }
}

/// `finding`'s description edited through the app (the `k`th time), applied and shown.
fn edit_finding(workbench: &mut Workbench, finding: &evalbench::domain::Finding, k: usize) {
    let mut fields = finding.fields.clone();
    fields.description = format!("{} ({k})", fields.description);
    workbench.submit(Command::UpdateFinding {
        finding_id: finding.id,
        finding: fields,
    });
    workbench.apply_pending();
}

/// The PDF report of one case: the time of the first render in a process (what a user waits
/// for) and the process's peak memory, beside its memory with the case read.
fn pdf(case: &Path) {
    Figures::say(
        "case_mb",
        std::fs::metadata(case).map_or(0.0, |m| m.len() as f64 / 1e6),
    );
    let snapshot = store::read_case(case).unwrap();
    let (_, read) = memory();
    let started = Instant::now();
    // As `evalbench export` makes it: the snapshot is let go before the layout.
    let bytes = export::render_owned(snapshot, Format::Pdf, Lang::Nb, DEMO_TODAY).unwrap();
    Figures::say("pdf_ms", ms(started.elapsed()));
    Figures::say("pdf_peak_mb", memory().0);
    Figures::say("pdf_read_mb", read);
    Figures::say("pdf_bytes_mb", bytes.len() as f64 / 1e6);
    // Page objects: `/Type/Page` but not the page tree's `/Type/Pages`.
    let pages = bytes
        .windows(11)
        .filter(|w| w.starts_with(b"/Type/Page") && w[10] != b's')
        .count() as f64;
    Figures::say("pdf_pages", pages);
}

/// The merge of two copies, as the app does it (everything taken from mine where both changed):
/// its time, the rows it brings and its peak memory.
fn merge(mine: &Path, theirs: &Path, passphrase: Option<&str>) {
    let key = passphrase.map(|text| store::Passphrase::new(text).unwrap());
    let started = Instant::now();
    let mut store = CaseStore::open_keyed(mine, key.as_ref()).unwrap();
    let plan = store.prepare_merge(theirs, key.as_ref()).unwrap();
    let (_, merged) = plan.decide_all(|_| Some(evalbench::merge::Choice::Mine));
    let (changes, conflicts) = (merged.changes.len(), merged.conflicts.len());
    store
        .merge_copy(&plan, plan.step(merged), key.as_ref())
        .unwrap();
    store.close().unwrap();
    Figures::say("merge_ms", ms(started.elapsed()));
    Figures::say("merge_peak_mb", memory().0);
    println!(
        "note merge: {changes} rows changed, {conflicts} conflicts, {} journal rows brought; {}",
        plan.journal().len(),
        plan.timings
            .iter()
            .map(|(what, took)| format!("{what} {:.0} ms", ms(*took)))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// `aggregate` as the CLI does it: the case files in `folders` read, compared and written to
/// Parquet at `out`.
fn aggregate(folders: &[&str], out: &Path) {
    let started = Instant::now();
    let inputs: Vec<_> = folders.iter().map(std::path::PathBuf::from).collect();
    let files = evalbench::network::case_files(&inputs).unwrap();
    let cases = aggregate_to_parquet(&files, None, out);
    Figures::say("aggregate_ms", ms(started.elapsed()));
    Figures::say("aggregate_peak_mb", memory().0);
    Figures::say("aggregate_cases", cases as f64);
    // The table reads back with the parquet crate's own reader.
    let reader =
        parquet::file::reader::SerializedFileReader::new(std::fs::File::open(out).unwrap())
            .unwrap();
    let rows = parquet::file::reader::FileReader::metadata(&reader)
        .file_metadata()
        .num_rows();
    Figures::say("aggregate_rows", rows as f64);
}

/// The cases in `files` read (encrypted ones with `key`), compared and written to Parquet at
/// `out`; how many were compared.
pub fn aggregate_to_parquet(
    files: &[std::path::PathBuf],
    key: Option<&store::Passphrase>,
    out: &Path,
) -> usize {
    let progress = evalbench::network::Progress::default();
    let (summaries, skipped) = evalbench::network::read_cases(files, key, &progress);
    assert!(skipped.is_empty(), "{skipped:?}");
    let overview = evalbench::network::Overview::of(summaries, skipped);
    evalbench::network::write(
        &overview,
        evalbench::network::OutputFormat::Parquet,
        Lang::Nb,
        out,
    )
    .unwrap();
    overview.cases
}
