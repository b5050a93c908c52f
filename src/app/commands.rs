//! Command handling: the pages' commands applied after each frame, one transaction each, the
//! snapshot refreshed part by part; undo and redo; drafts committed; refused writes kept to retry.

use crate::command::Command;
use crate::i18n::{t, tf};
use crate::privacy::Section;
use crate::store::{Direction, Parts, StoreError};

use super::actions::UiAction;
use super::{Notice, Workbench, error_text, op_text};

impl Workbench {
    /// Queues a command; it is applied after the current frame.
    pub fn submit(&mut self, command: Command) {
        self.pending.push(command);
    }

    /// Applies queued commands in order, each durable before the next; stops at the first refusal.
    /// When the file cannot be written, that command and the ones after it are kept (`unsaved`)
    /// for a retry instead of being dropped.
    pub fn apply_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let commands = std::mem::take(&mut self.pending);
        if !self.unsaved.is_empty() {
            // Order matters: nothing may overtake an edit that is still waiting.
            self.unsaved.extend(commands);
            return;
        }
        let Some(case) = self.case.as_mut() else {
            return;
        };
        let mut changed = Parts::default();
        // The rows of each kind that were all the commands changed of their part.
        let mut findings_edited = Some(Vec::new());
        let mut interviews_edited = Some(Vec::new());
        let mut actions_edited = Some(Vec::new());
        let mut documents_edited = Some(Vec::new());
        for (index, command) in commands.iter().enumerate() {
            match case.store.apply(command) {
                Ok(applied) => {
                    changed = changed.and(applied.parts);
                    gather(
                        &mut findings_edited,
                        applied.parts.findings,
                        applied.findings_edited,
                    );
                    gather(
                        &mut interviews_edited,
                        applied.parts.interviews,
                        applied.interviews_edited,
                    );
                    gather(
                        &mut actions_edited,
                        applied.parts.actions,
                        applied.actions_edited,
                    );
                    gather(
                        &mut documents_edited,
                        applied.parts.documents,
                        applied.documents_edited,
                    );
                    if let Some(id) = applied.created_id {
                        self.pages.created(command, id);
                    }
                }
                Err(e) => {
                    log::warn!("applying {}: {e:?}", command.op());
                    self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
                    if matches!(e, StoreError::NotWritten { .. }) {
                        self.unsaved = commands[index..].to_vec();
                    }
                    break;
                }
            }
        }
        let only = |parts: Parts| changed == parts;
        if let Some(ids) = findings_edited.filter(|_| {
            only(Parts {
                findings: true,
                ..Parts::default()
            })
        }) {
            // The derived views read a finding's kind and links, not its texts.
            self.refresh_rows(
                entities(&ids),
                Section::Findings,
                |snapshot| {
                    ids.iter()
                        .map(|id| snapshot.finding(*id).map(|f| f.kind))
                        .collect::<Vec<_>>()
                },
                |store, snapshot| store.refresh_findings(snapshot, &ids),
            );
        } else if let Some(ids) = interviews_edited.filter(|_| {
            // An interview's row also marks the fidelity review, whose evidence follows the
            // excerpts, not the interview's own fields.
            only(Parts {
                interviews: true,
                fidelity: true,
                ..Parts::default()
            })
        }) {
            // They read an interview's role (and its excerpts), not its notes.
            self.refresh_rows(
                entities(&ids),
                Section::Interviews,
                |snapshot| {
                    ids.iter()
                        .map(|id| {
                            let interview = snapshot.interviews.iter().find(|i| i.id == *id);
                            interview.map(|i| i.fields.clone())
                        })
                        .collect::<Vec<_>>()
                },
                |store, snapshot| store.refresh_interviews(snapshot, &ids),
            );
        } else if let Some(ids) = actions_edited.filter(|_| {
            only(Parts {
                actions: true,
                ..Parts::default()
            })
        }) {
            // They read an action's due date and status (overdue marks), not its texts.
            self.refresh_rows(
                entities(&ids),
                Section::Actions,
                |snapshot| {
                    ids.iter()
                        .map(|id| {
                            let action = snapshot.actions.iter().find(|a| a.id == *id);
                            action.map(|a| (a.fields.due_date, a.fields.status))
                        })
                        .collect::<Vec<_>>()
                },
                |store, snapshot| store.refresh_actions(snapshot, &ids),
            );
        } else if let Some(ids) = documents_edited.filter(|_| {
            only(Parts {
                documents: true,
                fidelity: true,
                ..Parts::default()
            })
        }) {
            // They read a review's requirement links only, which are not its own row.
            self.refresh_rows(
                entities(&ids),
                Section::Documents,
                |_| (),
                |store, snapshot| store.refresh_document_reviews(snapshot, &ids),
            );
        } else {
            self.refresh_parts(changed);
        }
    }

    /// Re-reads only the rows that edits of their own fields changed, and nothing else (typing
    /// in a finding's text, an interview's notes, an action's description, a document's
    /// assessment): at 100× the demo case, reading their part whole, scanning all its texts for
    /// personal data and making the derived views again took 8 ms for a finding, 12 ms for an
    /// action, 5.5 ms for a document review and 72 ms for an interview's notes. The derived views are made again only if `feeds`, what they read of
    /// those rows, changed.
    fn refresh_rows<K: PartialEq>(
        &mut self,
        entities: Vec<String>,
        section: Section,
        feeds: impl Fn(&crate::domain::CaseSnapshot) -> K,
        read: impl FnOnce(
            &crate::store::CaseStore,
            &mut crate::domain::CaseSnapshot,
        ) -> Result<(), StoreError>,
    ) {
        let Some(case) = self.case.as_mut() else {
            return;
        };
        let before = feeds(&case.snapshot);
        if let Err(e) = read(&case.store, std::sync::Arc::make_mut(&mut case.snapshot)) {
            self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
            return;
        }
        case.privacy
            .rescan_entities(&case.snapshot, section, &entities);
        if feeds(&case.snapshot) != before {
            // A status reached is dated outside the snapshot: the follow-up chart reads it.
            if section == Section::Actions {
                match case.store.status_changes() {
                    Ok(changes) => case.status_changes = changes,
                    Err(e) => self.notice = Some(Notice::Error(error_text(self.settings.lang, &e))),
                }
            }
            let parts = Parts {
                findings: section == Section::Findings,
                interviews: section == Section::Interviews,
                actions: section == Section::Actions,
                ..Parts::default()
            };
            case.derived.update(
                &case.snapshot,
                &case.status_changes,
                self.today,
                parts,
                false,
            );
        }
        if let Some(search) = self.search.as_mut() {
            search.stale = true;
        }
    }

    /// Edits kept because the file could not take them.
    pub fn unsaved(&self) -> &[Command] {
        &self.unsaved
    }

    /// Tries again to store the edits the file could not take.
    pub fn retry_unsaved(&mut self) {
        if self.unsaved.is_empty() {
            return;
        }
        let mut commands = std::mem::take(&mut self.unsaved);
        commands.append(&mut self.pending);
        self.pending = commands;
        self.apply_pending();
        if self.unsaved.is_empty() {
            self.notice = Some(Notice::Info(
                t(self.settings.lang, "unsaved.stored").to_owned(),
            ));
        }
    }

    /// *Slett personopplysninger*: the deletion, then the case's backup copies (which still
    /// hold the data) replaced by one taken after. The notice says what was deleted.
    pub(super) fn delete_personal_data(&mut self, confirmation: &str) {
        let lang = self.settings.lang;
        let Some(case) = self.case.as_mut() else {
            return;
        };
        let deletion = match case.store.delete_personal_data(confirmation) {
            Ok(deletion) => deletion,
            Err(e) => {
                self.notice = Some(Notice::Error(error_text(lang, &e)));
                return;
            }
        };
        let case_id = case.snapshot.case_id.clone();
        let replaced = self
            .backups
            .as_ref()
            .map(|backups| backups.replace_after_deletion(&case.store, &case_id));
        let deleted = deletion.deleted;
        let done = tf(
            lang,
            "deletion.done",
            &[
                ("notes", &deleted.interview_notes),
                ("codes", &deleted.participant_codes),
                ("quotes", &deleted.quotes),
                ("attachments", &deleted.attachments),
                (
                    "backups",
                    &replaced
                        .as_ref()
                        .map_or(0, |r| r.as_ref().map_or(0, Vec::len)),
                ),
            ],
        );
        self.notice = Some(match replaced {
            Some(Err(e)) => Notice::Error(format!(
                "{done} {}",
                tf(
                    lang,
                    "deletion.backups_failed",
                    &[("error", &error_text(lang, &e))]
                )
            )),
            _ => Notice::Info(done),
        });
        self.refresh();
    }

    /// Re-reads the snapshot after the case changed.
    pub(super) fn refresh(&mut self) {
        self.refresh_parts(Parts::ALL);
    }

    /// Re-reads the parts of the snapshot that commands changed (a big case's notes are not read
    /// again for a change of the plan), then what is derived from it.
    pub(super) fn refresh_parts(&mut self, parts: Parts) {
        let Some(case) = self.case.as_mut() else {
            return;
        };
        if parts == Parts::default() {
            return;
        }
        // Warnings and coverage follow the case's programme, which the header part holds.
        let programme_before = parts.header.then(|| case.snapshot.programme.clone());
        let read = case
            .store
            .refresh(std::sync::Arc::make_mut(&mut case.snapshot), parts)
            .and_then(|()| {
                if parts.actions {
                    case.status_changes = case.store.status_changes()?;
                }
                Ok(())
            });
        match read {
            Ok(()) => {
                if parts.fidelity {
                    case.fidelity_read();
                }
                case.privacy
                    .rescan(&case.snapshot, |section| match section {
                        Section::Case => parts.header,
                        Section::Interviews => parts.interviews,
                        Section::Documents => parts.documents,
                        Section::Findings => parts.findings,
                        Section::Meeting => parts.meeting,
                        Section::Actions => parts.actions,
                        Section::Fidelity => parts.fidelity,
                    });
                let programme_changed =
                    programme_before.is_some_and(|before| before != case.snapshot.programme);
                case.derived.update(
                    &case.snapshot,
                    &case.status_changes,
                    self.today,
                    parts,
                    programme_changed,
                );
            }
            Err(e) => self.notice = Some(Notice::Error(error_text(self.settings.lang, &e))),
        }
        if let Some(search) = self.search.as_mut() {
            search.stale = true;
        }
    }

    /// Which evaluator of the fidelity review the person at the keyboard is: chosen on the page
    /// (two people sharing one laptop), or found by the profile name on the evaluator list.
    pub fn fidelity_rater(&self) -> Option<crate::domain::Rater> {
        let case = self.case.as_ref()?;
        self.pages.fidelity.rater_choice.or_else(|| {
            // The name the journal writes: the profile's, else EVALBENCH_AUTHOR or the user's.
            let me = if self.settings.author.trim().is_empty() {
                crate::store::default_author()
            } else {
                self.settings.author.clone()
            };
            crate::domain::rater_named(&case.snapshot.evaluators, &me)
        })
    }

    /// Brings what the fidelity review shows in line with who is looking.
    pub(super) fn sync_fidelity_view(&mut self) {
        let viewer = self.fidelity_rater();
        if let Some(case) = self.case.as_mut()
            && case.fidelity_viewer != viewer
        {
            case.show_fidelity_to(viewer);
        }
    }

    /// Commits every field being typed in, now (before undo, a jump, closing).
    pub fn commit_drafts(&mut self) {
        let drafts = self.pages.drafts.take_all();
        self.pending.extend(drafts);
        self.apply_pending();
    }

    /// True while typed text is not yet stored.
    pub fn has_drafts(&self) -> bool {
        !self.pages.drafts.is_empty()
    }

    /// Undoes (or redoes) the latest edit; says what in the status bar.
    pub fn step(&mut self, direction: Direction) {
        self.commit_drafts();
        let lang = self.settings.lang;
        if !self.unsaved.is_empty() {
            // Undo would take back an older edit while newer ones still wait to be stored.
            self.notice = Some(Notice::Error(t(lang, "unsaved.no_undo").to_owned()));
            return;
        }
        let Some(case) = self.case.as_mut() else {
            return;
        };
        let result = match direction {
            Direction::Undo => case.store.undo(),
            Direction::Redo => case.store.redo(),
        };
        self.notice = match result {
            Ok(Some(step)) => {
                let key = match direction {
                    Direction::Undo => "status.undone",
                    Direction::Redo => "status.redone",
                };
                Some(Notice::Info(tf(
                    lang,
                    key,
                    &[
                        ("what", &op_text(lang, &step.op)),
                        ("redo", &UiAction::Redo.shortcut_text_here()),
                    ],
                )))
            }
            Ok(None) => Some(Notice::Info(
                t(
                    lang,
                    match direction {
                        Direction::Undo => "status.nothing_to_undo",
                        Direction::Redo => "status.nothing_to_redo",
                    },
                )
                .to_owned(),
            )),
            Err(e) => Some(Notice::Error(error_text(lang, &e))),
        };
        self.refresh();
    }
}

/// Adds the rows one edit changed alone (`edited`) to those of the edits before, or gives up on
/// reading rows one by one once an edit that `touched` the part did more.
fn gather<T>(all: &mut Option<Vec<T>>, touched: bool, edited: Option<Vec<T>>) {
    if touched {
        match (all.as_mut(), edited) {
            (Some(all), Some(ids)) => all.extend(ids),
            _ => *all = None,
        }
    }
}

/// The journal names of `ids` (`finding/3`), as the privacy scan lists its hits.
fn entities<T: ToString>(ids: &[T]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}
