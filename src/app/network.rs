//! The Nettverk page's side of the app: choosing a folder of cases, reading them on a worker
//! thread with progress (and a cancel), anonymising on request, and writing the overview out.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;

use super::{Notice, Workbench};
use crate::i18n::{counted, t, tf, tn};
use crate::network::{self, CaseSummary, OutputFormat, Overview, Progress, Skipped};
use crate::store::Passphrase;

type ReadResult = Result<(Vec<CaseSummary>, Vec<Skipped>), String>;

/// Cases being read.
struct NetworkJob {
    progress: Arc<Progress>,
    done: mpsc::Receiver<ReadResult>,
    started: std::time::Instant,
}

/// The state of the Nettverk page.
#[derive(Default)]
pub(super) struct NetworkView {
    folder: Option<PathBuf>,
    job: Option<NetworkJob>,
    summaries: Vec<CaseSummary>,
    skipped: Vec<Skipped>,
    /// Built from `summaries` (anonymised when asked), so drawing never recomputes it.
    overview: Option<Overview>,
    anonymise: bool,
    /// For the encrypted cases in the folder; they are listed as not read without it.
    passphrase: String,
    seconds: f64,
    ui: crate::ui::network::NetworkState,
}

impl NetworkView {
    fn rebuild(&mut self) {
        let summaries = if self.anonymise {
            self.summaries
                .iter()
                .cloned()
                .map(|summary| summary.anonymised(""))
                .collect()
        } else {
            self.summaries.clone()
        };
        self.overview = Some(Overview::of(summaries, self.skipped.clone()));
    }
}

impl Workbench {
    /// True while cases are being read for the Nettverk page.
    pub fn is_reading_network(&self) -> bool {
        self.network.job.is_some()
    }

    /// The comparison on the Nettverk page, once read.
    pub fn network_overview(&self) -> Option<&Overview> {
        self.network.overview.as_ref()
    }

    /// Starts reading every case under `folder` on a worker thread.
    pub fn read_network(&mut self, folder: PathBuf) {
        let lang = self.settings.lang;
        let files = match network::case_files(std::slice::from_ref(&folder)) {
            Ok(files) if files.is_empty() => {
                self.notice = Some(Notice::Error(tf(
                    lang,
                    "network.no_cases",
                    &[("path", &folder.display())],
                )));
                return;
            }
            Ok(files) => files,
            Err(message) => {
                self.notice = Some(Notice::Error(message));
                return;
            }
        };
        let key = Passphrase::new(self.network.passphrase.clone()).ok();
        let progress = Arc::new(Progress::default());
        let (send, done) = mpsc::channel();
        let worker_progress = Arc::clone(&progress);
        let spawned = std::thread::Builder::new()
            .name("network-read".to_owned())
            .spawn(move || {
                let read = network::read_cases(&files, key.as_ref(), &worker_progress);
                let _ = send.send(Ok(read));
            });
        if let Err(e) = spawned {
            self.notice = Some(Notice::Error(e.to_string()));
            return;
        }
        self.network.folder = Some(folder);
        self.network.job = Some(NetworkJob {
            progress,
            done,
            started: std::time::Instant::now(),
        });
    }

    /// Takes the worker's result when it is there.
    fn poll_network(&mut self) {
        let Some(job) = &self.network.job else {
            return;
        };
        let result = match job.done.try_recv() {
            Ok(result) => result,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => Err("the reading stopped".to_owned()),
        };
        let seconds = job.started.elapsed().as_secs_f64();
        self.network.job = None;
        match result {
            Ok((summaries, skipped)) => {
                self.network.summaries = summaries;
                self.network.skipped = skipped;
                self.network.seconds = seconds;
                self.network.rebuild();
            }
            Err(message) => self.notice = Some(Notice::Error(message)),
        }
    }

    fn export_network(&mut self) {
        let lang = self.settings.lang;
        let Some(overview) = &self.network.overview else {
            return;
        };
        let Some(path) = self.dialogs.pick_file_to_save(
            t(lang, "network.file_name"),
            t(lang, "network.file_kind"),
            &["xlsx", "json", "parquet"],
        ) else {
            return;
        };
        let format = OutputFormat::from_path(&path).unwrap_or(OutputFormat::Xlsx);
        self.notice = Some(match network::write(overview, format, lang, &path) {
            Ok(()) => Notice::Info(tf(
                lang,
                "export.done",
                &[
                    ("what", &t(lang, "network.file_kind")),
                    ("path", &path.display()),
                ],
            )),
            Err(message) => Notice::Error(message),
        });
    }

    pub(super) fn network_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        self.poll_network();
        ui.heading(t(lang, "network.title"));
        ui.label(egui::RichText::new(t(lang, "network.intro")).weak());
        ui.add_space(4.0);
        let mut choose = false;
        let mut export = false;
        let mut reread = false;
        ui.horizontal(|ui| {
            let reading = self.network.job.is_some();
            choose = ui
                .add_enabled(!reading, egui::Button::new(t(lang, "network.choose")))
                .clicked();
            if let Some(folder) = &self.network.folder {
                ui.label(folder.display().to_string());
            }
            ui.separator();
            let label = ui.label(t(lang, "network.passphrase"));
            ui.add(
                egui::TextEdit::singleline(&mut self.network.passphrase)
                    .password(true)
                    .desired_width(140.0),
            )
            .labelled_by(label.id)
            .on_hover_text(t(lang, "network.passphrase_hint"));
            reread = self.network.folder.is_some()
                && !reading
                && ui.button(t(lang, "network.reread")).clicked();
            ui.separator();
            if ui
                .checkbox(&mut self.network.anonymise, t(lang, "network.anonymise"))
                .on_hover_text(t(lang, "network.anonymise_hint"))
                .changed()
                && self.network.overview.is_some()
            {
                self.network.rebuild();
            }
            export = ui
                .add_enabled(
                    self.network.overview.is_some(),
                    egui::Button::new(t(lang, "network.export")),
                )
                .clicked();
        });
        if let Some(job) = &self.network.job {
            let done = job.progress.done.load(std::sync::atomic::Ordering::Relaxed);
            let total = job
                .progress
                .total
                .load(std::sync::atomic::Ordering::Relaxed);
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(job.progress.fraction())
                        .desired_width(320.0)
                        .text(tn(lang, "network.reading", total, &[("done", &done)])),
                );
                if ui.button(t(lang, "network.cancel")).clicked() {
                    job.progress
                        .cancelled
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        ui.separator();
        if let Some(overview) = &self.network.overview {
            ui.label(tf(
                lang,
                "network.summary",
                &[
                    ("cases", &counted(lang, "cases", overview.cases)),
                    ("providers", &counted(lang, "providers", overview.providers)),
                    ("skipped", &overview.skipped.len()),
                    ("seconds", &format!("{:.1}", self.network.seconds)),
                ],
            ));
            crate::ui::network::overview_ui(ui, lang, overview, &mut self.network.ui);
        } else if self.network.job.is_none() {
            ui.label(t(lang, "network.empty"));
        }
        if choose && let Some(folder) = self.dialogs.pick_folder() {
            self.read_network(folder);
        }
        if reread && let Some(folder) = self.network.folder.clone() {
            self.read_network(folder);
        }
        if export {
            self.export_network();
        }
    }
}
