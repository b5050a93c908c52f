//! Shared by the fuzz targets: the demo case (made once per process) and the properties every
//! importer keeps. A target panics only on a broken property, never on a refused input.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, PanicHookInfo};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::domain::CaseSnapshot;
use evalbench::i18n::Lang;
use evalbench::plan_exchange::{self, ACTIONS_SHEET, DEVIATIONS_SHEET, META_SHEET, RawPlan};

/// The file name every target passes to the importer; refusals must name it.
pub const FILE_NAME: &str = "fuzz-input";

/// A folder of this process for the demo case: in memory (`/dev/shm`) where there is one, since
/// every command is synced to disk. Folders left by earlier runs whose process is gone are
/// removed first (statics are never dropped, so a run cannot clean up after itself).
fn work_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_owned()
        } else {
            std::env::temp_dir()
        };
        let prefix = "evalbench-fuzz-";
        if let Ok(entries) = std::fs::read_dir(&base) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let gone = name
                    .strip_prefix(prefix)
                    .and_then(|pid| pid.parse::<u32>().ok())
                    .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
                if gone {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = base.join(format!("{prefix}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a work folder for the demo case");
        dir
    })
}

/// The demo case as written by `write_demo`, once per process; its bytes, to start each input
/// of the `commands` target from the same case.
pub fn pristine_demo() -> &'static (PathBuf, Vec<u8>) {
    static DEMO: OnceLock<(PathBuf, Vec<u8>)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let path = work_dir().join("pristine.evalcase");
        write_demo(&path).expect("the demo case can be written");
        let bytes = std::fs::read(&path).expect("the demo case can be read");
        (path, bytes)
    })
}

/// The case id in the seeds of `plan_json` and `plan_xlsx` (a demo case gets a new id each time
/// it is written).
pub const SEED_CASE_ID: &str = "569c16fa-9ad3-41d5-9ba1-d884d58ff38e";

/// A snapshot of the demo case, read once per process, with the case id of the seeds, so a
/// plan that differs from a seed only in its cells gets past the case check.
pub fn demo_snapshot() -> &'static CaseSnapshot {
    static SNAPSHOT: OnceLock<CaseSnapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        let mut snapshot = evalbench::store::read_case(&pristine_demo().0)
            .expect("the demo case can be read back");
        SEED_CASE_ID.clone_into(&mut snapshot.case_id);
        snapshot
    })
}

/// The path of the case the `commands` target edits (restored from `pristine_demo` as needed).
pub fn working_case_path() -> PathBuf {
    work_dir().join("working.evalcase")
}

/// Judges a plan that was read without error against the demo case and checks what comes
/// back: either changes whose one command can be recorded, or problems that say where.
pub fn check_plan(raw: &RawPlan) {
    for lang in [Lang::Nb, Lang::En] {
        match plan_exchange::check(demo_snapshot(), raw, DEMO_TODAY, lang) {
            Ok(changes) => {
                // The command goes to the journal as JSON and must come back the same.
                let command = changes.command();
                let json = serde_json::to_string(&command).expect("the plan command serialises");
                let back: Command =
                    serde_json::from_str(&json).expect("the plan command reads back");
                assert_eq!(
                    back, command,
                    "the plan command changed on its way through JSON"
                );
                for edit in &changes.ignored_edits {
                    assert_eq!(edit.sheet, DEVIATIONS_SHEET, "{edit}");
                    assert!(edit.row.is_some(), "an ignored edit without a row: {edit}");
                }
                let _ = plan_exchange::summary(&changes);
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "refused without a problem");
                let rows: Vec<usize> = raw.rows.iter().map(|r| r.row).collect();
                for problem in &problems {
                    match problem.sheet.as_str() {
                        META_SHEET => {}
                        ACTIONS_SHEET => {
                            let row = problem.row.expect("a problem in the actions names its row");
                            assert!(rows.contains(&row), "row {row} was not read: {problem}");
                            assert!(problem.column.is_some(), "no column: {problem}");
                        }
                        other => panic!("a problem on an unexpected sheet {other}: {problem}"),
                    }
                    assert!(!problem.to_string().is_empty());
                }
            }
        }
    }
}

thread_local! {
    /// Set while an importer runs that catches panics of a library it calls.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The message of the last panic while `QUIET` was set.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `importer`, which catches the panics of a library it uses (calamine, for workbooks) and
/// turns them into refusals: those panics are not crashes. A panic that gets out of `importer`
/// still is one, with its message. libfuzzer-sys's panic hook aborts at every panic, caught or
/// not; the first call replaces it with one that is quiet inside `importer`.
pub fn run_catching_importer<T>(importer: impl FnOnce() -> T) -> T {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if QUIET.get() {
                LAST_PANIC.set(format!("{info}"));
            } else {
                fuzzer_hook(info);
            }
        }));
    });
    QUIET.set(true);
    let result = std::panic::catch_unwind(AssertUnwindSafe(importer));
    QUIET.set(false);
    result.unwrap_or_else(|_| {
        panic!(
            "a panic got out of the importer: {}",
            LAST_PANIC.with_borrow(String::clone)
        )
    })
}
