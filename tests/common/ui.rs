//! The app headless: a `Workbench` on a case in an egui_kittest harness, and the user's gestures.
#![allow(clippy::unwrap_used)] // fixtures: a failure here is a broken test setup

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use evalbench::app::{Settings, Workbench};
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::domain::CaseSnapshot;
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

pub type Ui = Harness<'static, Workbench>;

/// A workbench with the case at `path` open, "today" pinned, and file dialogs that answer `dialogs`.
pub fn workbench_with(
    path: &Path,
    lang: Lang,
    today: jiff::civil::Date,
    dialogs: ScriptedDialogs,
) -> Workbench {
    let settings = Settings {
        lang,
        ..Settings::default()
    };
    let mut workbench = Workbench::new(settings, Box::new(dialogs)).with_today(today);
    workbench.open(path);
    assert!(workbench.notice().is_none(), "{:?}", workbench.notice());
    workbench
}

pub fn workbench_on(path: &Path, lang: Lang, today: jiff::civil::Date) -> Workbench {
    workbench_with(path, lang, today, ScriptedDialogs::default())
}

/// The demo case written to `dir` and open in a workbench.
pub fn demo_workbench(dir: &tempfile::TempDir, lang: Lang) -> (Workbench, PathBuf) {
    let path = super::case_path(dir, "demo.evalcase");
    write_demo(&path).unwrap();
    (workbench_on(&path, lang, DEMO_TODAY), path)
}

/// A laptop-sized window (1366×768) around the workbench.
pub fn harness(workbench: Workbench) -> Ui {
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench)
}

/// The case as stored in the file, read beside the app that has it open.
pub fn stored(path: &Path) -> CaseSnapshot {
    CaseStore::open_read_only(path).unwrap().snapshot().unwrap()
}

pub fn click(harness: &mut Ui, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

/// Focus the text field labelled `label` and type `text` at its cursor.
pub fn type_into(harness: &mut Ui, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Draws frames while `busy` says the workbench is working on a worker thread (the window keeps
/// drawing meanwhile); returns how many frames were drawn.
pub fn wait_while(harness: &mut Ui, busy: impl Fn(&Workbench) -> bool) -> usize {
    let started = std::time::Instant::now();
    let mut frames = 0;
    while busy(harness.state()) {
        assert!(
            started.elapsed() < std::time::Duration::from_mins(2),
            "the work never ends"
        );
        harness.step();
        frames += 1;
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    frames
}
