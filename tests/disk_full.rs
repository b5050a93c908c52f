//! A disk that cannot take the next write: the edit is refused with a clear message, nothing in
//! the case is damaged, the app keeps the edit and stores it once the file can grow again.
//!
//! The full disk is a file-size limit (RLIMIT_FSIZE) on a child process — no privileges or
//! special mounts needed. Writes past the limit fail with EFBIG, as on a full disk, because the
//! child starts with SIGXFSZ ignored (otherwise the kernel would stop it).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::ui::workbench_on;
use evalbench::app::Notice;
use evalbench::command::Command;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

const CASE_ENV: &str = "EVALBENCH_TEST_FULL_DISK_CASE";

/// Runs `program args…` with SIGXFSZ ignored and, when `limit_kib` is given, a file-size limit.
fn under_limit(limit_kib: Option<u64>, program: &Path, args: &[&str]) -> Process {
    let limit = limit_kib
        .map(|kib| format!("ulimit -f {kib}; "))
        .unwrap_or_default();
    let mut process = Process::new("bash");
    process
        .arg("-c")
        .arg(format!("trap '' XFSZ; {limit}exec \"$0\" \"$@\""))
        .arg(program)
        .args(args);
    process
}

fn big_text(kib: usize) -> String {
    "Notat som ikke får plass. ".repeat(kib * 1024 / 26)
}

fn first_interview(path: &Path) -> evalbench::domain::InterviewId {
    evalbench::store::read_case(path).unwrap().interviews[0].id
}

fn healthy(path: &Path) -> evalbench::domain::CaseSnapshot {
    let store = CaseStore::open_read_only(path).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_healthy(), "{report:?}");
    store.snapshot().unwrap()
}

#[test]
fn apply_on_a_full_disk_names_the_line_and_keeps_the_case_whole() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "full.evalcase");
    write_demo(&path).unwrap();
    let size_kib = std::fs::metadata(&path).unwrap().len() / 1024;
    let commands = dir.path().join("commands.jsonl");
    let lines = [
        Command::SetEvaluators {
            evaluators: vec!["Liten endring".to_owned()],
        },
        // Long notes (within the notes field's limit) that do not fit on the disk.
        Command::SetInterviewNotes {
            interview_id: first_interview(&path),
            notes: big_text(400),
        },
    ]
    .map(|command| serde_json::to_string(&command).unwrap());
    std::fs::write(&commands, lines.join("\n")).unwrap();

    let output = under_limit(
        Some(size_kib + 64),
        Path::new(env!("CARGO_BIN_EXE_evalbench")),
        &["apply", path.to_str().unwrap(), commands.to_str().unwrap()],
    )
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("ok 1"), "{stdout}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("full.evalcase"), "{stderr}");
    assert!(stderr.contains("could not be written"), "{stderr}");
    assert!(stderr.contains("The change was not saved"), "{stderr}");

    let snapshot = healthy(&path);
    assert_eq!(snapshot.evaluators, vec!["Liten endring".to_owned()]);
}

/// The app's side, run in a child process under the limit (see `app_session_on_a_full_disk`).
#[test]
fn the_app_keeps_an_edit_the_disk_refused_and_stores_it_later() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "app.evalcase");
    write_demo(&path).unwrap();
    let size_before = std::fs::metadata(&path).unwrap().len();
    let output = under_limit(
        None,
        &std::env::current_exe().unwrap(),
        &[
            "--exact",
            "app_session_on_a_full_disk",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ],
    )
    .env(CASE_ENV, &path)
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child ran: {stdout}");

    let snapshot = healthy(&path);
    assert_eq!(
        snapshot.evaluators,
        vec!["Etter den store".to_owned()],
        "both waiting edits were stored, in order"
    );
    assert!(
        std::fs::metadata(&path).unwrap().len() > size_before + 300 * 1024,
        "the big edit went in"
    );
}

#[test]
#[ignore = "run by the_app_keeps_an_edit_the_disk_refused_and_stores_it_later, in a child"]
fn app_session_on_a_full_disk() {
    use rlimit::Resource;
    let Some(path) = std::env::var_os(CASE_ENV).map(PathBuf::from) else {
        return;
    };
    let mut workbench = workbench_on(&path, Lang::Nb, DEMO_TODAY);
    let before = healthy(&path);
    let (_, hard) = Resource::FSIZE.get().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    Resource::FSIZE.set(size + 64 * 1024, hard).unwrap();

    let big = big_text(400);
    workbench.submit(Command::SetInterviewNotes {
        interview_id: first_interview(&path),
        notes: big.clone(),
    });
    workbench.apply_pending();
    let Some(Notice::Error(message)) = workbench.notice() else {
        panic!("no error shown: {:?}", workbench.notice());
    };
    assert!(message.contains("kunne ikke skrives"), "{message}");
    assert!(message.contains("app.evalcase"), "{message}");
    assert_eq!(workbench.unsaved().len(), 1, "the edit is kept");

    // A later edit waits behind it; undo waits too.
    workbench.submit(Command::SetEvaluators {
        evaluators: vec!["Etter den store".to_owned()],
    });
    workbench.apply_pending();
    assert_eq!(workbench.unsaved().len(), 2);
    workbench.step(evalbench::store::Direction::Undo);
    assert_eq!(workbench.unsaved().len(), 2);

    // The file is whole and as before the refused edit.
    let now = healthy(&path);
    assert_eq!(now.evaluators, before.evaluators);

    // Still full: a retry keeps both.
    workbench.retry_unsaved();
    assert_eq!(workbench.unsaved().len(), 2);

    // Room again: the retry stores both, in order.
    Resource::FSIZE.set(hard, hard).unwrap();
    workbench.retry_unsaved();
    assert!(workbench.unsaved().is_empty(), "{:?}", workbench.notice());
    assert_eq!(
        workbench.case().unwrap().snapshot().evaluators,
        vec!["Etter den store".to_owned()]
    );
    assert_eq!(
        workbench.case().unwrap().snapshot().interviews[0].notes,
        big
    );
    workbench.shutdown();
}

/// A case on a read-only location (a tmpfs remounted read-only, in a user and mount namespace of
/// its own — no privileges needed where the kernel allows user namespaces; skipped elsewhere).
#[test]
fn apply_on_a_read_only_location_says_so_and_changes_nothing() {
    let dir = common::temp_dir();
    // Can this machine make a user and mount namespace, mount a tmpfs there and remount it
    // read-only? Some container runtimes refuse one of the steps; then the test has nothing to
    // stand on and says so.
    let probe = dir.path().join("probe");
    std::fs::create_dir(&probe).unwrap();
    let can = Process::new("unshare")
        .args([
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs tmpfs \"$0\" && mount -o remount,ro \"$0\"",
        ])
        .arg(&probe)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !can {
        eprintln!("skipped: this machine cannot mount a read-only tmpfs in a user namespace");
        return;
    }
    let path = common::case_path(&dir, "ro.evalcase");
    write_demo(&path).unwrap();
    let journal_entries = CaseStore::open_read_only(&path)
        .unwrap()
        .journal()
        .unwrap()
        .len();
    let commands = dir.path().join("commands.jsonl");
    let command = Command::SetEvaluators {
        evaluators: vec!["Ny evaluerer".to_owned()],
    };
    std::fs::write(&commands, serde_json::to_string(&command).unwrap()).unwrap();
    let mount = dir.path().join("mnt");
    std::fs::create_dir(&mount).unwrap();
    let script = r#"set -e
mount -t tmpfs tmpfs "$1"
cp "$2" "$1/"
mount -o remount,ro "$1"
set +e
"$3" apply "$1/ro.evalcase" "$4"
echo "apply exit $?"
"$3" check "$1/ro.evalcase"
"#;
    let output = Process::new("unshare")
        .args(["-rm", "bash", "-c", script, "bash"])
        .arg(&mount)
        .arg(&path)
        .arg(env!("CARGO_BIN_EXE_evalbench"))
        .arg(&commands)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("apply exit 2"), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("the location is read-only") && stderr.contains("ro.evalcase"),
        "{stderr}"
    );
    assert!(
        stdout.contains("healthy"),
        "the case checks healthy: {stdout}"
    );
    assert!(
        stdout.contains(&format!("journal entries: {journal_entries}")),
        "unchanged: {stdout}"
    );
}
