//! The eframe shell: the window, remembered settings, and closing the case cleanly on exit.

use std::path::PathBuf;

use super::{SETTINGS_KEY, Settings, Workbench};
use crate::dialogs::NativeDialogs;

/// The eframe shell around the `Workbench`.
pub struct EvalbenchApp {
    workbench: Workbench,
    title: String,
}

impl EvalbenchApp {
    pub fn new(cc: &eframe::CreationContext<'_>, start: Start) -> EvalbenchApp {
        let settings: Settings = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, SETTINGS_KEY))
            .unwrap_or_default();
        let mut workbench = Workbench::new(settings, Box::new(NativeDialogs))
            .with_backups(crate::backups::Backups::default());
        match start {
            // The window comes up at once; a big case is read meanwhile.
            Start::Case(file) => workbench.open_in_background(file),
            Start::Network(folder) => {
                workbench.settings.page = crate::ui::Page::Network;
                workbench.read_network(folder);
            }
        }
        EvalbenchApp {
            workbench,
            title: String::new(),
        }
    }
}

impl eframe::App for EvalbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.workbench.ui(ui);
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

/// What the window opens on.
pub enum Start {
    Case(PathBuf),
    /// The Nettverk page, reading the cases in this folder.
    Network(PathBuf),
}

/// Starts the window.
pub fn run(start: Start) -> Result<(), eframe::Error> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Evalbench")
            .with_inner_size([1200.0, 780.0])
            .with_min_inner_size([800.0, 500.0]),
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Evalbench",
        options,
        Box::new(move |cc| Ok(Box::new(EvalbenchApp::new(cc, start)))),
    )
}
