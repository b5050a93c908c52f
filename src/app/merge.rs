//! *Fil → Slå sammen med kopi…*: another copy of the open case merged in. The file is picked
//! (and its passphrase asked for), the merge worked out and previewed by page with who changed
//! what, each conflict decided mine or theirs, and only *Godta* writes it: after a backup copy,
//! as one step that one undo takes back.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;

use super::{Notice, Workbench, error_text};
use crate::command::Command;
use crate::i18n::{Lang, t, tf, tn};
use crate::merge::describe::{PAGES, label, page_of, value_text};
use crate::merge::{Choice, Conflict, ConflictKind, Merged, Resolutions, RowChange, Side};
use crate::store::{MergePlan, Passphrase, StoreError};

/// The merge window's state.
pub(super) enum MergeDialog {
    /// The other copy is encrypted: its passphrase first.
    Passphrase {
        path: PathBuf,
        text: String,
        failed: bool,
    },
    /// The merge being worked out on a worker thread (the window keeps drawing).
    Working {
        path: PathBuf,
        key: Option<Passphrase>,
        done: mpsc::Receiver<Result<MergePlan, StoreError>>,
    },
    Preview(Box<MergePreview>),
}

pub(super) struct MergePreview {
    plan: MergePlan,
    key: Option<Passphrase>,
    choices: Resolutions,
    merged: Merged,
}

impl MergePreview {
    fn new(plan: MergePlan, key: Option<Passphrase>) -> MergePreview {
        let choices = Resolutions::new();
        let merged = plan.merged(&choices);
        MergePreview {
            plan,
            key,
            choices,
            merged,
        }
    }

    fn open_conflicts(&self) -> usize {
        self.merged.open_conflicts(&self.choices).count()
    }
}

/// What the window asked for this frame.
enum Asked {
    Nothing,
    Close,
    Unlock(PathBuf, String),
    Accept,
}

impl Workbench {
    pub(super) fn merge_with_dialog(&mut self) {
        let lang = self.settings.lang;
        self.commit_drafts();
        self.apply_pending();
        if self.case.is_none() {
            return;
        }
        let Some(path) = self
            .dialogs
            .pick_file_to_open(t(lang, "merge.file_kind"), &["evalcase"])
        else {
            return;
        };
        self.start_merge(path);
    }

    /// *Lag kopi til medevaluator…*: a copy to work on apart (the open case stays open), with
    /// the same passphrase; merged back with *Slå sammen med kopi…*.
    pub(super) fn copy_for_colleague(&mut self) {
        let lang = self.settings.lang;
        self.commit_drafts();
        self.apply_pending();
        let Some(case) = &self.case else { return };
        let suggested = format!(
            "{} – {}.evalcase",
            case.snapshot.facts.provider_name,
            t(lang, "merge.copy_suffix")
        );
        let Some(target) = self.dialogs.pick_case_to_save(&suggested) else {
            return;
        };
        let Some(case) = &self.case else { return };
        self.notice = Some(match case.store.save_copy(&target) {
            Ok(()) => Notice::Info(tf(
                lang,
                "merge.copy_written",
                &[("path", &target.display())],
            )),
            Err(e) => Notice::Error(error_text(lang, &e)),
        });
    }

    /// Merges `theirs` into the case once it is open (`evalbench FILE --merge THEIRS`).
    pub fn merge_when_open(&mut self, theirs: PathBuf) {
        self.merge_when_open = Some(theirs);
    }

    /// Works out the merge of the copy at `path` (asking for its passphrase first).
    pub(super) fn start_merge(&mut self, path: PathBuf) {
        if crate::store::needs_passphrase(&path) {
            self.merge = Some(MergeDialog::Passphrase {
                path,
                text: String::new(),
                failed: false,
            });
        } else {
            self.prepare_merge(path, None);
        }
    }

    /// Starts working out the merge on a worker thread; `merge_ui` takes the answer.
    fn prepare_merge(&mut self, path: PathBuf, key: Option<Passphrase>) {
        let Some(case) = &self.case else { return };
        let planner = case.store.merge_planner();
        let (sender, done) = mpsc::channel();
        let (theirs, theirs_key) = (path.clone(), key.clone());
        let spawned = std::thread::Builder::new()
            .name("merge".into())
            .spawn(move || {
                // The window may have been closed meanwhile; then nobody waits for the answer.
                let _ = sender.send(planner.prepare(&theirs, theirs_key.as_ref()));
            });
        match spawned {
            Ok(_) => self.merge = Some(MergeDialog::Working { path, key, done }),
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
    }

    /// True while a merge is being worked out on the worker thread.
    pub fn is_merging(&self) -> bool {
        matches!(self.merge, Some(MergeDialog::Working { .. }))
    }

    /// Takes the worker's answer when it has come.
    fn take_merge_plan(&mut self) {
        let Some(MergeDialog::Working { done, .. }) = &self.merge else {
            return;
        };
        let result = match done.try_recv() {
            Ok(result) => result,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.merge = None;
                return;
            }
        };
        let Some(MergeDialog::Working { path, key, .. }) = self.merge.take() else {
            return;
        };
        match result {
            Ok(plan) => {
                self.merge = Some(MergeDialog::Preview(Box::new(MergePreview::new(plan, key))));
            }
            Err(StoreError::WrongPassphrase { .. }) => {
                self.merge = Some(MergeDialog::Passphrase {
                    path,
                    text: String::new(),
                    failed: true,
                });
            }
            Err(e) => {
                log::warn!("preparing the merge of {}: {e:?}", path.display());
                self.merge = None;
                self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
            }
        }
    }

    pub(super) fn merge_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        self.take_merge_plan();
        let Some(dialog) = &mut self.merge else {
            return;
        };
        let mut open = true;
        let mut asked = Asked::Nothing;
        egui::Window::new(t(lang, "merge.title"))
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(720.0)
            .show(ctx, |ui| match dialog {
                MergeDialog::Passphrase { path, text, failed } => {
                    ui.label(tf(lang, "merge.passphrase", &[("file", &file_name(path))]));
                    if *failed {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            t(lang, "merge.passphrase_wrong"),
                        );
                    }
                    let field = ui.add(
                        egui::TextEdit::singleline(text)
                            .password(true)
                            .hint_text(t(lang, "passphrase.passphrase")),
                    );
                    let entered =
                        field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        if (ui.button(t(lang, "merge.continue")).clicked() || entered)
                            && !text.is_empty()
                        {
                            asked = Asked::Unlock(path.clone(), std::mem::take(text));
                        }
                        if ui.button(t(lang, "merge.cancel")).clicked() {
                            asked = Asked::Close;
                        }
                    });
                }
                MergeDialog::Working { path, .. } => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(tf(lang, "merge.working", &[("file", &file_name(path))]));
                    });
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(50));
                }
                MergeDialog::Preview(preview) => {
                    asked = preview_ui(ui, lang, preview);
                }
            });
        if !open {
            asked = Asked::Close;
        }
        match asked {
            Asked::Nothing => {}
            Asked::Close => self.merge = None,
            Asked::Unlock(path, text) => match Passphrase::new(text) {
                Ok(key) => self.prepare_merge(path, Some(key)),
                Err(e) => self.notice = Some(Notice::Error(error_text(lang, &e))),
            },
            Asked::Accept => self.accept_merge(),
        }
    }

    fn accept_merge(&mut self) {
        let lang = self.settings.lang;
        let Some(MergeDialog::Preview(preview)) = self.merge.take() else {
            return;
        };
        let Some(case) = &mut self.case else { return };
        if let Some(backups) = &self.backups
            && let Err(e) = backups.take(
                &case.store,
                &case.snapshot.case_id,
                crate::backups::Reason::BeforeMerge,
            )
        {
            log::warn!("backup before merge: {e}");
        }
        let MergePreview {
            plan, key, merged, ..
        } = *preview;
        let step = plan.step(merged);
        if let Err(e) = case.store.bring_attachments(&plan, &step, key.as_ref()) {
            self.notice = Some(Notice::Error(error_text(lang, &e)));
            return;
        }
        self.pending.push(Command::MergeCopy { merge: step });
        self.apply_pending();
        if self.notice.is_none() {
            self.notice = Some(Notice::Info(tf(
                lang,
                "merge.done",
                &[("file", &plan.source.file_name)],
            )));
        }
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The preview: what comes in, by page; the conflicts with their choices; Godta / Avbryt.
fn preview_ui(ui: &mut egui::Ui, lang: Lang, preview: &mut MergePreview) -> Asked {
    let mut asked = Asked::Nothing;
    let plan = &preview.plan;
    ui.label(tf(
        lang,
        "merge.from",
        &[
            ("file", &plan.source.file_name),
            ("rows", &plan.journal().len()),
        ],
    ));
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for change in &preview.merged.changes {
        let slot = match change {
            RowChange::Insert { .. } => 0,
            RowChange::Update { .. } => 1,
            RowChange::Delete { .. } => 2,
        };
        counts.entry(page_of(change.table())).or_default()[slot] += 1;
    }
    // With conflicts there is something to decide, even when no row comes in undecided.
    if counts.is_empty() && preview.merged.conflicts.is_empty() {
        ui.weak(t(lang, "merge.nothing"));
    }
    for page in PAGES {
        if let Some([added, changed, removed]) = counts.get(page) {
            ui.label(tf(
                lang,
                "merge.page_counts",
                &[
                    ("page", &t(lang, &format!("page.{page}"))),
                    ("added", added),
                    ("changed", changed),
                    ("removed", removed),
                ],
            ));
        }
    }
    let states = [plan.mine(), plan.theirs(), plan.base()];
    let who = |changes: &BTreeMap<(String, String), (String, String)>, table: &str, id: &str| {
        changes
            .get(&(table.to_owned(), id.to_owned()))
            .map(|(author, at)| format!(" ({author}, {})", short_time(at)))
            .unwrap_or_default()
    };
    egui::CollapsingHeader::new(t(lang, "merge.details"))
        .default_open(false)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("merge_changes")
                .max_height(200.0)
                .show(ui, |ui| {
                    for change in &preview.merged.changes {
                        let name = label(lang, change.table(), change.id(), &states);
                        if name.is_empty() {
                            continue;
                        }
                        let sign = match change {
                            RowChange::Insert { .. } => "+",
                            RowChange::Update { .. } => "~",
                            RowChange::Delete { .. } => "–",
                        };
                        ui.label(format!(
                            "{sign} {}: {name}{}",
                            t(lang, &format!("page.{}", page_of(change.table()))),
                            who(&plan.theirs_changes, change.table(), change.id())
                        ));
                    }
                });
        });
    let conflicts: Vec<Conflict> = preview.merged.conflicts.clone();
    let mut changed_choice = false;
    if !conflicts.is_empty() {
        ui.separator();
        ui.strong(tn(lang, "merge.conflicts", conflicts.len(), &[]));
        egui::ScrollArea::vertical()
            .id_salt("merge_conflicts")
            .max_height(320.0)
            .show(ui, |ui| {
                for conflict in &conflicts {
                    let name = label(lang, conflict.table, &conflict.id, &states);
                    let page = t(lang, &format!("page.{}", page_of(conflict.table))).to_owned();
                    let mut choice = preview.choices.get(&conflict.key).copied();
                    let before = choice;
                    ui.group(|ui| match &conflict.kind {
                        ConflictKind::Field {
                            field,
                            mine,
                            theirs,
                            ..
                        } => {
                            ui.strong(format!("{page}: {name} – {}", field_name(lang, field)));
                            ui.radio_value(
                                &mut choice,
                                Some(Choice::Mine),
                                tf(
                                    lang,
                                    "merge.keep_mine",
                                    &[
                                        ("value", &value_text(mine)),
                                        (
                                            "who",
                                            &who(&plan.mine_changes, conflict.table, &conflict.id),
                                        ),
                                    ],
                                ),
                            );
                            ui.radio_value(
                                &mut choice,
                                Some(Choice::Theirs),
                                tf(
                                    lang,
                                    "merge.take_theirs",
                                    &[
                                        ("value", &value_text(theirs)),
                                        (
                                            "who",
                                            &who(
                                                &plan.theirs_changes,
                                                conflict.table,
                                                &conflict.id,
                                            ),
                                        ),
                                    ],
                                ),
                            );
                            if conflict.can_keep_both() {
                                ui.radio_value(
                                    &mut choice,
                                    Some(Choice::Both),
                                    t(lang, "merge.keep_both"),
                                )
                                .on_hover_text(t(lang, "merge.keep_both_hint"));
                            }
                        }
                        ConflictKind::Deleted { by, .. } => {
                            let (deleted_in, kept_in) = match by {
                                Side::Mine => ("merge.deleted_in_mine", "merge.kept_in_theirs"),
                                Side::Theirs => ("merge.deleted_in_theirs", "merge.kept_in_mine"),
                            };
                            ui.strong(format!("{page}: {name}"));
                            ui.label(t(lang, deleted_in));
                            ui.radio_value(
                                &mut choice,
                                Some(Choice::from(*by)),
                                t(lang, "merge.delete_it"),
                            );
                            let other = match by {
                                Side::Mine => Side::Theirs,
                                Side::Theirs => Side::Mine,
                            };
                            ui.radio_value(
                                &mut choice,
                                Some(Choice::from(other)),
                                t(lang, kept_in),
                            );
                        }
                    });
                    if choice != before
                        && let Some(choice) = choice
                    {
                        preview.choices.insert(conflict.key.clone(), choice);
                        changed_choice = true;
                    }
                }
            });
    }
    if changed_choice {
        preview.merged = preview.plan.merged(&preview.choices);
    }
    ui.separator();
    let open = preview.open_conflicts();
    if open > 0 {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            tn(lang, "merge.undecided", open, &[]),
        );
    }
    let nothing = preview.merged.changes.is_empty() && preview.plan.journal().is_empty();
    ui.horizontal(|ui| {
        if nothing {
            if ui.button(t(lang, "merge.close")).clicked() {
                asked = Asked::Close;
            }
            return;
        }
        if ui
            .add_enabled(open == 0, egui::Button::new(t(lang, "merge.accept")))
            .clicked()
        {
            asked = Asked::Accept;
        }
        if ui.button(t(lang, "merge.cancel")).clicked() {
            asked = Asked::Close;
        }
    });
    asked
}

/// A field's name in `lang`, or the column's own name where no word is set.
fn field_name(lang: Lang, field: &str) -> String {
    let key = format!("merge.field.{field}");
    let word = t(lang, &key);
    if word == key {
        field.to_owned()
    } else {
        word.to_owned()
    }
}

/// `2026-12-02T14:04:57Z` in the computer's time zone, to the minute.
fn short_time(at: &str) -> String {
    at.parse::<jiff::Timestamp>().map_or_else(
        |_| at.to_owned(),
        |at| {
            at.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%d.%m.%Y %H:%M")
                .to_string()
        },
    )
}
