//! Passphrases in the app: the dialog that unlocks an encrypted case on opening, and "Krypter
//! saken" / "Bytt passord", which encrypt the open case or give it a new passphrase (its backup
//! copies follow, so none stays readable without the passphrase or with the old one).

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use super::{Notice, OpenCase, Workbench, error_text};
use crate::i18n::{Lang, t};
use crate::store::{self, Passphrase, StoreError};

/// One of the passphrase windows, until done or cancelled.
pub(super) enum PassphraseDialog {
    /// An encrypted case waiting for its passphrase.
    Unlock {
        path: PathBuf,
        text: String,
        error: Option<String>,
    },
    /// Encrypt the open case (`current` unused) or change its passphrase (`current` asked for,
    /// so a laptop left unlocked is not enough to change it).
    Choose {
        rekey: bool,
        current: String,
        new: String,
        repeat: String,
        error: Option<String>,
    },
}

impl PassphraseDialog {
    pub(super) fn unlock(path: PathBuf) -> PassphraseDialog {
        PassphraseDialog::Unlock {
            path,
            text: String::new(),
            error: None,
        }
    }

    pub(super) fn choose(rekey: bool) -> PassphraseDialog {
        PassphraseDialog::Choose {
            rekey,
            current: String::new(),
            new: String::new(),
            repeat: String::new(),
            error: None,
        }
    }
}

/// The open case being encrypted or given a new passphrase on a worker thread.
pub(super) struct Rewriting {
    rekey: bool,
    /// The case file's name, for the progress line.
    name: String,
    /// The case, while the worker is not using it.
    slot: Arc<Mutex<Option<OpenCase>>>,
    /// The backup copies that could not be converted, or why the case could not be.
    done: Receiver<Result<Vec<(PathBuf, StoreError)>, StoreError>>,
}

impl Rewriting {
    fn take_case(&self) -> Option<OpenCase> {
        self.slot.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// The worker died: the file is either the old or the new one, and opens again.
fn worker_stopped() -> StoreError {
    StoreError::Rejected(crate::domain::Rejection::Stopped)
}

/// Gives the case file the passphrase `new` (from `old`, or from none), then its backup copies.
fn rewrite(
    case: &mut OpenCase,
    old: Option<&Passphrase>,
    new: &Passphrase,
    copies: &[PathBuf],
) -> Result<Vec<(PathBuf, StoreError)>, StoreError> {
    case.store.set_passphrase(new)?;
    Ok(store::convert_copies(copies, old, new))
}

/// A new passphrase from two fields: typed the same twice and long enough.
pub(super) fn chosen(lang: Lang, new: &str, repeat: &str) -> Result<Passphrase, String> {
    if new != repeat {
        return Err(t(lang, "passphrase.differ").to_owned());
    }
    Passphrase::new_chosen(new).map_err(|_| t(lang, "passphrase.too_short").to_owned())
}

/// A password field; Enter in it counts as pressing the dialog's button.
fn secret_field(ui: &mut egui::Ui, label: &str, text: &mut String, focus: bool) -> bool {
    let label = ui.label(label);
    let response = ui.add(
        egui::TextEdit::singleline(text)
            .password(true)
            .desired_width(260.0),
    );
    let response = response.labelled_by(label.id);
    if focus {
        response.request_focus();
    }
    ui.end_row();
    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

impl Workbench {
    pub(super) fn passphrase_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(dialog) = self.passphrase.as_mut() else {
            return;
        };
        let mut open = true;
        let mut submit = false;
        let title = match dialog {
            PassphraseDialog::Unlock { .. } => t(lang, "passphrase.unlock_title"),
            PassphraseDialog::Choose { rekey: false, .. } => t(lang, "passphrase.encrypt_title"),
            PassphraseDialog::Choose { rekey: true, .. } => t(lang, "passphrase.rekey_title"),
        };
        egui::Window::new(title)
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| match dialog {
                PassphraseDialog::Unlock { path, text, error } => {
                    let name = path.file_name().unwrap_or_default().to_string_lossy();
                    ui.label(crate::i18n::tf(
                        lang,
                        "passphrase.unlock_text",
                        &[("name", &name)],
                    ));
                    egui::Grid::new("unlock_grid")
                        .num_columns(2)
                        .show(ui, |ui| {
                            let first = text.is_empty() && error.is_none();
                            submit |=
                                secret_field(ui, t(lang, "passphrase.passphrase"), text, first);
                        });
                    if let Some(error) = error {
                        ui.colored_label(ui.visuals().error_fg_color, error.as_str());
                    }
                    submit |= ui.button(t(lang, "passphrase.open")).clicked();
                }
                PassphraseDialog::Choose {
                    rekey,
                    current,
                    new,
                    repeat,
                    error,
                } => {
                    ui.label(t(
                        lang,
                        if *rekey {
                            "passphrase.rekey_text"
                        } else {
                            "passphrase.encrypt_text"
                        },
                    ));
                    egui::Grid::new("choose_grid")
                        .num_columns(2)
                        .show(ui, |ui| {
                            if *rekey {
                                submit |=
                                    secret_field(ui, t(lang, "passphrase.current"), current, false);
                            }
                            submit |= secret_field(ui, t(lang, "passphrase.new"), new, false);
                            submit |= secret_field(ui, t(lang, "passphrase.repeat"), repeat, false);
                        });
                    ui.small(t(lang, "passphrase.hint"));
                    if let Some(error) = error {
                        ui.colored_label(ui.visuals().error_fg_color, error.as_str());
                    }
                    let button = if *rekey {
                        "passphrase.rekey"
                    } else {
                        "passphrase.encrypt"
                    };
                    submit |= ui.button(t(lang, button)).clicked();
                }
            });
        if !open {
            self.passphrase = None;
        } else if submit {
            self.submit_passphrase();
        }
    }

    fn submit_passphrase(&mut self) {
        let lang = self.settings.lang;
        match self.passphrase.take() {
            Some(PassphraseDialog::Unlock { path, text, .. }) => {
                let Ok(key) = Passphrase::new(text) else {
                    self.passphrase = Some(PassphraseDialog::Unlock {
                        path,
                        text: String::new(),
                        error: Some(t(lang, "passphrase.empty").to_owned()),
                    });
                    return;
                };
                // On a wrong passphrase the dialog comes back with the message.
                self.open_keyed_in_background(path, Some(key));
            }
            Some(PassphraseDialog::Choose {
                rekey,
                current,
                new,
                repeat,
                ..
            }) => {
                let result = self.set_passphrase(rekey, &current, &new, &repeat);
                if let Err(error) = result {
                    self.passphrase = Some(PassphraseDialog::Choose {
                        rekey,
                        current,
                        new,
                        repeat,
                        error: Some(error),
                    });
                }
            }
            None => {}
        }
    }

    /// Starts encrypting the open case or changing its passphrase on a worker thread (the file
    /// and its backups are rewritten whole, a second or more for a big case); `Err` is the
    /// message for the dialog.
    fn set_passphrase(
        &mut self,
        rekey: bool,
        current: &str,
        new: &str,
        repeat: &str,
    ) -> Result<(), String> {
        let lang = self.settings.lang;
        let key = chosen(lang, new, repeat)?;
        self.commit_drafts();
        let Some(case) = self.case.as_ref() else {
            return Ok(());
        };
        let old = if rekey {
            let old = Passphrase::new(current)
                .ok()
                .filter(|old| case.store.passphrase_matches(old))
                .ok_or_else(|| t(lang, "passphrase.wrong_current").to_owned())?;
            Some(old)
        } else {
            None
        };
        let copies: Vec<PathBuf> = self
            .backups
            .as_ref()
            .map(|backups| {
                backups
                    .list(&case.snapshot.case_id)
                    .into_iter()
                    .map(|backup| backup.path)
                    .collect()
            })
            .unwrap_or_default();
        let name = case
            .path()
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        // The case waits in the slot, so it is still there if no thread can be had.
        let slot = Arc::new(Mutex::new(self.case.take()));
        let (send, done) = std::sync::mpsc::channel();
        let worker_slot = Arc::clone(&slot);
        let fallback = (old.clone(), key.clone(), copies.clone());
        let spawned = std::thread::Builder::new()
            .name("set-passphrase".to_owned())
            .spawn(move || {
                let taken = worker_slot.lock().map(|mut slot| slot.take());
                let Ok(Some(mut case)) = taken else {
                    return;
                };
                let result = rewrite(&mut case, old.as_ref(), &key, &copies);
                if let Ok(mut slot) = worker_slot.lock() {
                    *slot = Some(case);
                }
                let _ = send.send(result);
            });
        let rewriting = Rewriting {
            rekey,
            name,
            slot,
            done,
        };
        if let Err(e) = spawned {
            log::warn!("no thread to rewrite the case on: {e}");
            let mut case = rewriting.take_case().ok_or_else(|| e.to_string())?;
            let (old, key, copies) = fallback;
            let result = rewrite(&mut case, old.as_ref(), &key, &copies);
            self.case = Some(case);
            return self.rewritten(rekey, result);
        }
        self.rewriting = Some(rewriting);
        Ok(())
    }

    /// True while the open case is being encrypted or given a new passphrase.
    pub fn is_encrypting(&self) -> bool {
        self.rewriting.is_some()
    }

    /// The name of the case being rewritten and whether it gets a new passphrase (not its
    /// first one), for the progress line.
    pub(super) fn rewriting(&self) -> Option<(&str, bool)> {
        self.rewriting
            .as_ref()
            .map(|rewriting| (rewriting.name.as_str(), rewriting.rekey))
    }

    /// Takes the case back when its rewrite is done, and says how it went.
    pub(super) fn poll_rewriting(&mut self, ctx: &egui::Context) {
        let Some(rewriting) = &self.rewriting else {
            return;
        };
        let result = match rewriting.done.try_recv() {
            Ok(result) => result,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
                return;
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Err(worker_stopped()),
        };
        self.rewritten_case(result);
    }

    /// Waits for a rewrite in progress (on quitting: its backups must not be left half
    /// converted), then takes the case back.
    pub(super) fn wait_for_rewriting(&mut self) {
        let Some(rewriting) = &self.rewriting else {
            return;
        };
        let result = rewriting
            .done
            .recv()
            .unwrap_or_else(|_| Err(worker_stopped()));
        self.rewritten_case(result);
    }

    fn rewritten_case(&mut self, result: Result<Vec<(PathBuf, StoreError)>, StoreError>) {
        let Some(rewriting) = &self.rewriting else {
            return;
        };
        let rekey = rewriting.rekey;
        let case = rewriting.take_case();
        self.rewriting = None;
        match case {
            // Another case was opened meanwhile: this one is closed, as it would have been.
            Some(case) if self.case.is_some() || self.opening.is_some() => {
                if let Err(e) = case.store.close() {
                    log::warn!("closing case: {e}");
                }
            }
            Some(case) => self.case = Some(case),
            None => {}
        }
        if let Err(message) = self.rewritten(rekey, result) {
            self.passphrase = Some(PassphraseDialog::Choose {
                rekey,
                current: String::new(),
                new: String::new(),
                repeat: String::new(),
                error: Some(message),
            });
        }
    }

    /// The notice for a finished rewrite, or the message for the dialog.
    fn rewritten(
        &mut self,
        rekey: bool,
        result: Result<Vec<(PathBuf, StoreError)>, StoreError>,
    ) -> Result<(), String> {
        let lang = self.settings.lang;
        let failed = result.map_err(|e| error_text(lang, &e))?;
        for (path, e) in &failed {
            log::warn!("backup {} keeps its old protection: {e}", path.display());
        }
        self.notice = Some(Notice::Info(
            t(
                lang,
                if rekey {
                    "passphrase.rekeyed"
                } else {
                    "passphrase.encrypted"
                },
            )
            .to_owned(),
        ));
        Ok(())
    }

    /// What opening failed with, when a passphrase would help: the dialog (again) instead of
    /// an error in the status bar.
    pub(super) fn ask_passphrase(&mut self, error: &StoreError) -> bool {
        let lang = self.settings.lang;
        match error {
            StoreError::Encrypted { path } => {
                self.passphrase = Some(PassphraseDialog::unlock(path.clone()));
                true
            }
            StoreError::WrongPassphrase { path } => {
                self.passphrase = Some(PassphraseDialog::Unlock {
                    path: path.clone(),
                    text: String::new(),
                    error: Some(t(lang, "passphrase.wrong").to_owned()),
                });
                true
            }
            _ => false,
        }
    }
}
