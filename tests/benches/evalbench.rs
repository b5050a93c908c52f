//! `cargo bench`: the figures of the performance issue, measured on the stress case (the demo 25
//! times over) and on the demo case, each beside a baseline measured in the same run where there
//! is one (the same work done with bare rusqlite: the storage floor). Prints one table.
//!
//! A plain harness (`harness = false`), not criterion: the figures wanted are medians and 99th
//! percentiles of single operations, ratios to a baseline from the same run, a peak RSS and one
//! long end-to-end run, which criterion's mean-centred reports do not give directly.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop

use std::path::Path;
use std::time::{Duration, Instant};

use evalbench::app::{Settings, Workbench};
use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo, write_demo_scaled, write_network};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::export::{self, Format};
use evalbench::i18n::Lang;
use evalbench::store::{self, CaseStore};
use evalbench::ui::Page;

const STRESS_SCALE: u32 = 25;
const NETWORK_CASES: u32 = 500;

/// Median and 99th percentile of `runs` timings of `work`, after `warmup` untimed runs.
fn measure(warmup: usize, runs: usize, mut work: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..warmup {
        work();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

struct Table {
    rows: Vec<[String; 5]>,
}

impl Table {
    fn row(
        &mut self,
        figure: &str,
        measured: String,
        target: &str,
        baseline: String,
        ratio: String,
    ) {
        println!("{figure:<44} {measured:>24}   target {target:<16} {baseline:>22} {ratio:>8}");
        self.rows.push([
            figure.to_owned(),
            measured,
            target.to_owned(),
            baseline,
            ratio,
        ]);
    }
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64())
}

/// Peak and current resident memory of this process, from /proc (Linux).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn frame(ctx: &egui::Context, workbench: &mut Workbench, time: f64) {
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

/// The real program on `case` in a window (Xvfb when there is no display): milliseconds from
/// process start to the first frame and to the case being open, medians of five starts.
/// `None` when no display can be had.
fn startup(case: &Path, data: &Path) -> Option<(u64, u64)> {
    let mut xvfb = None;
    let display = if let Ok(display) = std::env::var("DISPLAY") {
        display
    } else {
        let display = ":87".to_owned();
        let child = std::process::Command::new("Xvfb")
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
            .ok()?;
        xvfb = Some(child);
        std::thread::sleep(Duration::from_secs(1));
        display
    };
    let mut first = Vec::new();
    let mut ready = Vec::new();
    for _ in 0..5 {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_evalbench"))
            .arg(case)
            .env("DISPLAY", &display)
            .env("EVALBENCH_STARTUP_PROBE", "1")
            .env("EVALBENCH_DATA_DIR", data)
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stderr);
        let find = |label: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(label))
                .and_then(|rest| rest.trim_end_matches(" ms").trim().parse::<u64>().ok())
        };
        first.push(find("first frame ")?);
        ready.push(find("case ready ")?);
    }
    if let Some(mut child) = xvfb {
        let _ = child.kill();
    }
    first.sort_unstable();
    ready.sort_unstable();
    Some((first[2], ready[2]))
}

fn workbench_on(path: &Path) -> Workbench {
    let mut workbench = Workbench::new(Settings::default(), Box::new(ScriptedDialogs::default()))
        .with_today(DEMO_TODAY);
    workbench.open(path);
    assert!(workbench.case().is_some(), "{:?}", workbench.notice());
    workbench
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported, everything runs.
    if let Ok(paths) = std::env::var("EVALBENCH_BENCH_MERGE") {
        merge_only(&paths);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let stress = dir.path().join("stress.evalcase");
    let demo = dir.path().join("demo.evalcase");
    let started = Instant::now();
    write_demo_scaled(&stress, STRESS_SCALE).unwrap();
    write_demo(&demo).unwrap();
    if std::env::var_os("EVALBENCH_BENCH_EDIT_ONLY").is_some() {
        // For a profiler: only the edit loop, long enough to sample.
        let mut case = CaseStore::open(&stress).unwrap();
        let (median, p99) = measure(5, 2000, || {
            case.apply(&Command::SetEvaluators {
                evaluators: vec![format!("Evaluerer {}", jiff::Timestamp::now())],
            })
            .unwrap();
        });
        println!("edit only: median {} p99 {}", ms(median), ms(p99));
        return;
    }
    if std::env::var_os("EVALBENCH_BENCH_MERGE_ONLY").is_some() {
        let mut table = Table { rows: Vec::new() };
        merge_figure(dir.path(), &stress, &mut table);
        return;
    }
    if std::env::var_os("EVALBENCH_BENCH_CIPHER_ONLY").is_some() {
        let mut table = Table { rows: Vec::new() };
        encrypted_figure(dir.path(), &demo, &mut table);
        return;
    }
    let snapshot = store::read_case(&stress).unwrap();
    println!(
        "stress case: scale {STRESS_SCALE}, {} interviews, {} excerpts, {} findings, {} actions, {:.1} MB, written in {:.1} s\n",
        snapshot.interviews.len(),
        snapshot.excerpt_count(),
        snapshot.findings.len(),
        snapshot.actions.len(),
        std::fs::metadata(&stress).unwrap().len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<44} {:>24}   {:<23} {:>22} {:>8}",
        "figure", "measured", "target", "baseline", "ratio"
    );
    let mut table = Table { rows: Vec::new() };

    // 1. Open the case and build what the first frame needs, then draw it.
    let (open_median, _) = measure(1, 5, || {
        let ctx = egui::Context::default();
        let mut workbench = workbench_on(&stress);
        frame(&ctx, &mut workbench, 0.0);
        workbench.shutdown();
    });
    let (bare_open, _) = measure(1, 5, || {
        let conn = rusqlite::Connection::open(&stress).unwrap();
        let _: i64 = conn
            .query_row("SELECT count(*) FROM interview", [], |row| row.get(0))
            .unwrap();
    });
    table.row(
        "1. open stress case + first frame (in-process)",
        ms(open_median),
        "≤ 150 ms",
        format!("bare open {}", ms(bare_open)),
        String::new(),
    );

    let data = dir.path().join("data");
    match startup(&stress, &data) {
        Some((first, ready)) => {
            table.row(
                "1. process start → first frame (window)",
                format!("{first} ms"),
                "≤ 150 ms",
                String::new(),
                String::new(),
            );
            table.row(
                "   process start → stress case open",
                format!("{ready} ms"),
                "-",
                String::new(),
                String::new(),
            );
        }
        None => println!("(no display and no Xvfb: the windowed start-up is not measured)"),
    }

    // 2. One edit command, durable: store level and through the app (apply + refresh). The
    // bare-rusqlite commit of the same rows runs interleaved with it, so both meet the same disk.
    let mut case = CaseStore::open(&stress).unwrap();
    let bare_copy = dir.path().join("bare.evalcase");
    std::fs::copy(&stress, &bare_copy).unwrap();
    let mut bare = rusqlite::Connection::open(&bare_copy).unwrap();
    bare.execute_batch(
        "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    for n in 0..205 {
        let started = Instant::now();
        case.apply(&Command::SetEvaluators {
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
    case.close().unwrap();
    drop(bare);
    let percentiles = |times: &mut Vec<Duration>| {
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        (at(0.5), at(0.99))
    };
    let (edit_median, edit_p99) = percentiles(&mut ours);
    let (bare_median, bare_p99) = percentiles(&mut floor);
    table.row(
        "2. edit command durable (median)",
        ms(edit_median),
        "≤ 2× bare",
        format!("bare {}", ms(bare_median)),
        ratio(edit_median, bare_median),
    );
    table.row(
        "   edit command durable (p99)",
        ms(edit_p99),
        "≤ 2× bare",
        format!("bare {}", ms(bare_p99)),
        ratio(edit_p99, bare_p99),
    );
    let mut workbench = workbench_on(&stress);
    let mut k = 0;
    let (app_median, app_p99) = measure(2, 30, || {
        k += 1;
        workbench.submit(Command::SetEvaluators {
            evaluators: vec![format!("Evaluerer {k}")],
        });
        workbench.apply_pending();
    });
    table.row(
        "   edit through the app (apply + refresh)",
        format!("{} / p99 {}", ms(app_median), ms(app_p99)),
        "-",
        format!("store {}", ms(edit_median)),
        ratio(app_median, edit_median),
    );

    // 3. Full-text search, a common word and a rare one.
    let case = CaseStore::open_read_only(&stress).unwrap();
    let bare = rusqlite::Connection::open(&stress).unwrap();
    for (label, word) in [("common", "arbeidsgiver"), ("rare", "kvartal")] {
        let (median, _) = measure(3, 50, || {
            let hits = case.search(word, 50).unwrap();
            assert!(!hits.is_empty(), "{word}");
        });
        let (bare_median, _) = measure(3, 50, || {
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
        table.row(
            &format!("3. search, {label} word «{word}»"),
            ms(median),
            "≤ 20 ms",
            format!("bare FTS5 {}", ms(bare_median)),
            ratio(median, bare_median),
        );
    }
    drop(case);
    drop(bare);

    // 4. One frame of each page (CPU: layout and tessellation), median and p99.
    let ctx = egui::Context::default();
    let mut time = 0.0;
    for page in Page::ALL {
        workbench.settings.page = page;
        let (median, p99) = measure(3, 40, || {
            time += 1.0 / 60.0;
            frame(&ctx, &mut workbench, time);
        });
        table.row(
            &format!("4. frame, page {page:?}"),
            format!("{} / p99 {}", ms(median), ms(p99)),
            "≤ 2 / 8 ms",
            String::new(),
            String::new(),
        );
    }

    // 6. Memory after opening the stress case and visiting every page.
    let (peak, now) = memory();
    table.row(
        "6. RSS after every page (peak / now)",
        format!("{peak} / {now} MB"),
        "≤ 200 MB",
        String::new(),
        String::new(),
    );
    workbench.shutdown();
    drop(workbench);

    // 5. Exports: the report in each format (demo and stress case), the plan workbook.
    for (label, path) in [("demo", &demo), ("stress", &stress)] {
        let snapshot = store::read_case(path).unwrap();
        for format in [Format::Pdf, Format::Docx, Format::Markdown] {
            let runs = if label == "stress" { 2 } else { 5 };
            // The first export in a process is what a user waits for; later ones reuse what
            // Typst memoised, so both are shown.
            let started = Instant::now();
            let _ = export::render(&snapshot, format, Lang::Nb, DEMO_TODAY).unwrap();
            let first = started.elapsed();
            let (median, _) = measure(0, runs, || {
                let bytes = export::render(&snapshot, format, Lang::Nb, DEMO_TODAY).unwrap();
                assert!(!bytes.is_empty());
            });
            let target = if label == "demo" && format == Format::Pdf {
                "≤ 1 s"
            } else {
                "-"
            };
            table.row(
                &format!("5. report {format:?}, {label} case (first / again)"),
                format!("{} / {}", ms(first), ms(median)),
                target,
                String::new(),
                String::new(),
            );
        }
        let plan = evalbench::plan_exchange::PlanFile::from_case(&snapshot);
        let out = dir.path().join(format!("plan-{label}.xlsx"));
        let (median, _) = measure(1, 5, || {
            evalbench::plan_exchange::xlsx::write(&plan, Lang::Nb, &out).unwrap();
        });
        table.row(
            &format!("5. plan workbook, {label} case"),
            ms(median),
            "-",
            String::new(),
            String::new(),
        );
    }

    // 7. The network view over many small cases.
    let network = dir.path().join("network");
    let written = Instant::now();
    let paths = write_network(&network, NETWORK_CASES).unwrap();
    println!(
        "\n({NETWORK_CASES} network cases written in {:.1} s)",
        written.elapsed().as_secs_f64()
    );
    let out = dir.path().join("overview.parquet");
    let started = Instant::now();
    let files = evalbench::network::case_files(std::slice::from_ref(&network)).unwrap();
    assert_eq!(files.len(), paths.len());
    let (summaries, skipped) =
        evalbench::network::read_cases(&files, None, &evalbench::network::Progress::default());
    assert!(skipped.is_empty());
    let overview = evalbench::network::Overview::of(summaries, skipped);
    evalbench::network::write(
        &overview,
        evalbench::network::OutputFormat::Parquet,
        Lang::Nb,
        &out,
    )
    .unwrap();
    let aggregate = started.elapsed();
    table.row(
        &format!("7. aggregate {NETWORK_CASES} cases → Parquet"),
        ms(aggregate),
        "≤ 10 s",
        String::new(),
        String::new(),
    );
    // The table reads back with the parquet crate's own reader.
    let reader =
        parquet::file::reader::SerializedFileReader::new(std::fs::File::open(&out).unwrap())
            .unwrap();
    let rows = parquet::file::reader::FileReader::metadata(&reader)
        .file_metadata()
        .num_rows();
    println!(
        "   ({} figures of {} cases in {:.1} MB of Parquet, read back)",
        rows,
        overview.cases,
        std::fs::metadata(&out).unwrap().len() as f64 / 1e6
    );

    merge_figure(dir.path(), &stress, &mut table);
    encrypted_figure(dir.path(), &demo, &mut table);
    println!("\n{} figures.", table.rows.len());
}

/// Figure 9: opening the encrypted demo case and checking it, as `evalbench check` does (a fresh
/// passphrase each time, as after typing it), against SQLCipher itself opening the same file with
/// the same passphrase and running a first query.
fn encrypted_figure(dir: &Path, demo: &Path, table: &mut Table) {
    const PASSPHRASE: &str = "benk passord 2026";
    let path = dir.join("encrypted-demo.evalcase");
    std::fs::copy(demo, &path).unwrap();
    let key = store::Passphrase::new(PASSPHRASE).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    store.set_passphrase(&key).unwrap();
    store.close().unwrap();
    let (ours, _) = measure(1, 7, || {
        let key = store::Passphrase::new(PASSPHRASE).unwrap();
        let store = CaseStore::open_read_only_keyed(&path, Some(&key)).unwrap();
        assert!(store.check().unwrap().is_healthy());
        let _ = store.snapshot().unwrap();
    });
    let (sqlcipher, _) = measure(1, 7, || {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "key", PASSPHRASE).unwrap();
        let _: i64 = conn
            .query_row("SELECT count(*) FROM interview", [], |row| row.get(0))
            .unwrap();
    });
    table.row(
        "9. encrypted demo: open + check + read",
        ms(ours),
        "≤ 1.3× SQLCipher",
        format!("SQLCipher open {}", ms(sqlcipher)),
        ratio(ours, sqlcipher),
    );
}

/// Figure 8: two copies of the stress case, 5 000 commands on each since the fork, merged in a
/// process of its own, so its peak memory is the merge's.
fn merge_figure(dir: &Path, stress: &Path, table: &mut Table) {
    let (a, b) = (dir.join("mine.evalcase"), dir.join("theirs.evalcase"));
    std::fs::copy(stress, &a).unwrap();
    std::fs::copy(stress, &b).unwrap();
    let edited = Instant::now();
    edit_apart(&a, "Anne", 0);
    edit_apart(&b, "Bjørn", 1);
    println!(
        "\n(5 000 commands on each copy in {:.1} s)",
        edited.elapsed().as_secs_f64()
    );
    // For profiling the merge by hand: `EVALBENCH_BENCH_MERGE="A\nB" perf record …`.
    if let Some(keep) = std::env::var_os("EVALBENCH_BENCH_KEEP_COPIES") {
        let keep = Path::new(&keep);
        std::fs::copy(&a, keep.join("mine.evalcase")).unwrap();
        std::fs::copy(&b, keep.join("theirs.evalcase")).unwrap();
    }
    let (read_both, _) = measure(0, 3, || {
        store::read_case(&a).unwrap();
        store::read_case(&b).unwrap();
    });
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .env(
            "EVALBENCH_BENCH_MERGE",
            format!("{}\n{}", a.display(), b.display()),
        )
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&child.stdout).into_owned();
    let figure = |name: &str| {
        said.lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    table.row(
        "8. merge two stress copies, 5 000 commands each",
        format!(
            "{:.0} ms, peak {:.0} MB",
            figure("merge_ms"),
            figure("peak_mb")
        ),
        "≤ 2 s, ≤ 300 MB",
        format!("read both {}", ms(read_both)),
        format!(
            "{:.2}×",
            figure("merge_ms") / 1000.0 / read_both.as_secs_f64()
        ),
    );
    for line in said.lines().filter(|l| l.starts_with("rows")) {
        println!("   ({line})");
    }
}

/// 5 000 commands on one copy, as an evaluator's days of work: plan follow-up, findings,
/// excerpts and their links, notes, new interviews. `side` shifts which rows are touched, so
/// the two copies mostly edit different rows and sometimes the same.
fn edit_apart(path: &Path, author: &str, side: usize) {
    use evalbench::domain::{ActionStatus, FindingFields, FindingKind, RequirementLink, Stance};
    let mut case = CaseStore::open(path).unwrap();
    case.set_author(author);
    let snapshot = case.snapshot().unwrap();
    case.set_record_day(Some(DEMO_TODAY));
    let statuses = [
        ActionStatus::Agreed,
        ActionStatus::InProgress,
        ActionStatus::Done,
    ];
    for n in 0..5000 {
        let pick = n * 7 + side * 3;
        let command = match n % 10 {
            0..=3 => {
                let action = &snapshot.actions[pick % snapshot.actions.len()];
                Command::SetActionStatus {
                    action_id: action.id,
                    status: statuses[(n + side) % 3],
                }
            }
            4 => Command::AddFinding {
                kind: FindingKind::ImprovementArea,
                finding: FindingFields {
                    title: format!("{author}s funn {n}"),
                    description: "Beskrevet under arbeidet.".into(),
                },
                requirement_ids: vec![],
                evidence: vec![],
            },
            5 => {
                let finding = &snapshot.findings[pick % snapshot.findings.len()];
                Command::UpdateFinding {
                    finding_id: finding.id,
                    finding: FindingFields {
                        title: finding.fields.title.clone(),
                        description: format!(
                            "{}\n{author} la til {n}.",
                            finding.fields.description
                        ),
                    },
                }
            }
            6 | 7 => {
                let interview = &snapshot.interviews[pick % snapshot.interviews.len()];
                let length = interview.notes.chars().count();
                let start = (pick * 13) % length.saturating_sub(20).max(1);
                Command::AddExcerpt {
                    interview_id: interview.id,
                    start_char: start,
                    end_char: start + 12,
                    links: vec![RequirementLink {
                        requirement_id: snapshot.requirements[pick % snapshot.requirements.len()]
                            .id,
                        stance: Stance::Supports,
                    }],
                    shareable: false,
                }
            }
            8 => {
                let interview =
                    &snapshot.interviews[(pick + side * 50) % snapshot.interviews.len()];
                Command::SetInterviewNotes {
                    interview_id: interview.id,
                    notes: format!("{}\n{author}: tillegg {n}.", interview.notes),
                }
            }
            _ => Command::SetEvaluators {
                evaluators: vec!["Anne".into(), "Bjørn".into()],
            },
        };
        case.apply(&command).unwrap();
    }
    case.close().unwrap();
}

/// The merge alone, in this process (see figure 8): prints its time, rows and peak memory.
fn merge_only(paths: &str) {
    let mut lines = paths.lines();
    let (a, b) = (lines.next().unwrap(), lines.next().unwrap());
    let started = Instant::now();
    let mut mine = CaseStore::open(Path::new(a)).unwrap();
    let opened = started.elapsed();
    let plan = mine.prepare_merge(Path::new(b), None).unwrap();
    let prepared = started.elapsed();
    let (_, merged) = plan.decide_all(|_| Some(evalbench::merge::Choice::Mine));
    let compared = started.elapsed();
    let (changes, conflicts) = (merged.changes.len(), merged.conflicts.len());
    mine.merge_copy(&plan, plan.step(merged), None).unwrap();
    mine.close().unwrap();
    let elapsed = started.elapsed();
    let parts: Vec<String> = std::iter::once(format!("open {}", ms(opened)))
        .chain(
            plan.timings
                .iter()
                .map(|(what, took)| format!("{what} {}", ms(*took))),
        )
        .chain([
            format!("prepared at {}", ms(prepared)),
            format!("compared by {}", ms(compared)),
            format!("written by {}", ms(elapsed)),
        ])
        .collect();
    println!("rows parts: {}", parts.join(", "));
    println!("merge_ms {:.1}", elapsed.as_secs_f64() * 1000.0);
    println!("peak_mb {}", memory().0);
    println!(
        "rows changed {changes}, conflicts {conflicts}, journal rows brought {}",
        plan.journal().len()
    );
}
