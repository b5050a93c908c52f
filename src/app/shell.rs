//! The eframe shell: the window, remembered settings, and closing the case cleanly on exit.

use std::path::PathBuf;

use super::{SETTINGS_KEY, Settings, Workbench};
use crate::dialogs::NativeDialogs;

/// The eframe shell around the `Workbench`.
pub struct EvalbenchApp {
    workbench: Workbench,
    title: String,
    /// When the process started, for `EVALBENCH_STARTUP_PROBE` (see `run`).
    started: Option<std::time::Instant>,
}

impl EvalbenchApp {
    pub fn new(cc: &eframe::CreationContext<'_>, start: Start) -> EvalbenchApp {
        let settings: Settings = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, SETTINGS_KEY))
            .unwrap_or_else(Settings::first_start);
        let mut workbench = Workbench::new(settings, Box::new(NativeDialogs))
            .with_backups(crate::backups::Backups::default());
        match start {
            // The window comes up at once; a big case is read meanwhile.
            Start::Case(file) => workbench.open_in_background(file),
            Start::Merge { case, theirs } => {
                workbench.open_in_background(case);
                workbench.merge_when_open(theirs);
            }
            Start::Network(folder) => {
                workbench.settings.page = crate::ui::Page::Network;
                workbench.read_network(folder);
            }
        }
        EvalbenchApp {
            workbench,
            title: String::new(),
            started: None,
        }
    }
}

impl eframe::App for EvalbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.workbench.ui(ui);
        // The startup benchmark: say when the first frame was drawn, and when the case was
        // there, then close.
        if let Some(started) = self.started {
            if self.title.is_empty() {
                eprintln!("first frame {} ms", started.elapsed().as_millis());
            }
            if !self.workbench.is_opening() {
                eprintln!("case ready {} ms", started.elapsed().as_millis());
                self.started = None;
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        let title = self.workbench.title();
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.workbench.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.workbench.shutdown();
    }
}

/// The desktop's name for the program: the desktop entry is `APP_ID.desktop` and the window's
/// app id (Wayland) and class (X11) say the same, so the desktop shows the window under its entry
/// and icon. The same id names the package's icons and AppStream file (`assets/packaging/linux`).
pub const APP_ID: &str = "no.evalbench.Evalbench";

/// The application icon (`assets/packaging/icons/evalbench.svg`, drawn at 256 px), also the window's.
const WINDOW_ICON: &[u8] = include_bytes!("../../assets/packaging/icons/png/evalbench-256.png");

/// Where the remembered settings live. eframe would name the folder after the app id; it stays
/// where it has always been (named "Evalbench"), so the app id does not lose anyone's settings.
fn settings_file() -> Option<PathBuf> {
    let folder = eframe::storage_dir("Evalbench")?;
    if let Err(error) = std::fs::create_dir_all(&folder) {
        log::warn!("settings will not be kept: {}: {error}", folder.display());
        return None;
    }
    Some(folder.join("app.ron"))
}

/// What the window opens on.
pub enum Start {
    Case(PathBuf),
    /// The case, and the merge of another copy of it into it (its preview first).
    Merge {
        case: PathBuf,
        theirs: PathBuf,
    },
    /// The Nettverk page, reading the cases in this folder.
    Network(PathBuf),
}

/// Starts the window. `started` is when the process began: with `EVALBENCH_STARTUP_PROBE` set,
/// the app prints how long after it the first frame and the open case came, then closes
/// (`cargo bench` uses this).
pub fn run(start: Start, started: std::time::Instant) -> Result<(), eframe::Error> {
    let probe = std::env::var_os("EVALBENCH_STARTUP_PROBE").is_some();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Evalbench")
        .with_app_id(APP_ID)
        .with_inner_size([1200.0, 780.0])
        .with_min_inner_size([800.0, 500.0]);
    match eframe::icon_data::from_png_bytes(WINDOW_ICON) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(error) => log::warn!("the window icon could not be read: {error}"),
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: true,
        persistence_path: settings_file(),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Evalbench",
        options,
        Box::new(move |cc| {
            let mut app = EvalbenchApp::new(cc, start);
            app.started = probe.then_some(started);
            Ok(Box::new(app))
        }),
    )
}
