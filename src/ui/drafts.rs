//! Text being typed, not yet a command. A field's draft becomes its command when the field loses
//! focus, or after a short pause in typing, so the journal gets one entry per burst of typing, not
//! one per key. Until then the status bar says "not saved yet"; on exit every draft is committed.

use std::collections::HashMap;

use crate::command::Command;

/// Typing pause after which a draft is committed, in seconds.
pub const IDLE_COMMIT_SECONDS: f64 = 1.0;

#[derive(Default)]
pub struct Drafts {
    entries: HashMap<egui::Id, Draft>,
}

struct Draft {
    text: String,
    /// The command that stores the text, or why the text cannot be stored yet.
    command: Result<Command, String>,
    changed_at: f64,
    finished: bool,
}

impl Drafts {
    /// The text being typed in field `id`, if it differs from what is stored.
    pub fn text(&self, id: egui::Id) -> Option<&str> {
        self.entries.get(&id).map(|draft| draft.text.as_str())
    }

    /// Why the text in field `id` cannot be stored, if it cannot.
    pub fn problem(&self, id: egui::Id) -> Option<&str> {
        self.entries
            .get(&id)
            .and_then(|draft| draft.command.as_ref().err())
            .map(String::as_str)
    }

    pub fn set(&mut self, id: egui::Id, text: String, command: Result<Command, String>, now: f64) {
        self.entries.insert(
            id,
            Draft {
                text,
                command,
                changed_at: now,
                finished: false,
            },
        );
    }

    /// The text is back to what is stored: nothing to commit.
    pub fn discard(&mut self, id: egui::Id) {
        self.entries.remove(&id);
    }

    /// The field lost focus: commit its draft with the next batch.
    pub fn finish(&mut self, id: egui::Id) {
        if let Some(draft) = self.entries.get_mut(&id) {
            draft.finished = true;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Seconds until the oldest unfinished draft is due, for scheduling a repaint.
    pub fn next_due_in(&self, now: f64) -> Option<f64> {
        self.entries
            .values()
            .filter(|draft| draft.command.is_ok())
            .map(|draft| (draft.changed_at + IDLE_COMMIT_SECONDS - now).max(0.0))
            .min_by(f64::total_cmp)
    }

    /// The commands of drafts that are finished or idle, oldest edit first. Drafts that cannot
    /// be stored stay, with their reason shown, until they are fixed or the case is closed.
    pub fn take_due(&mut self, now: f64) -> Vec<Command> {
        self.take_where(|draft| {
            draft.command.is_ok()
                && (draft.finished || now - draft.changed_at >= IDLE_COMMIT_SECONDS)
        })
    }

    /// Every storable draft's command, oldest edit first (before undo, search jumps, closing).
    pub fn take_all(&mut self) -> Vec<Command> {
        self.take_where(|draft| draft.command.is_ok())
    }

    /// Forgets every draft, storable or not (the case was closed).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    fn take_where(&mut self, due: impl Fn(&Draft) -> bool) -> Vec<Command> {
        let ids: Vec<egui::Id> = self
            .entries
            .iter()
            .filter(|(_, draft)| due(draft))
            .map(|(id, _)| *id)
            .collect();
        let mut taken: Vec<Draft> = ids
            .into_iter()
            .filter_map(|id| self.entries.remove(&id))
            .collect();
        taken.sort_by(|a, b| a.changed_at.total_cmp(&b.changed_at));
        taken
            .into_iter()
            .filter_map(|draft| draft.command.ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Phase;

    fn command(phase: Phase) -> Command {
        Command::SetPhase { phase }
    }

    #[test]
    fn drafts_commit_when_finished_or_idle_in_edit_order() {
        let mut drafts = Drafts::default();
        let (a, b, c) = (
            egui::Id::unique("a"),
            egui::Id::unique("b"),
            egui::Id::unique("c"),
        );
        drafts.set(a, "a".into(), Ok(command(Phase::Analysis)), 10.0);
        drafts.set(b, "b".into(), Ok(command(Phase::Report)), 10.5);
        drafts.set(c, "c".into(), Ok(command(Phase::Closed)), 10.9);
        assert!(drafts.take_due(10.95).is_empty(), "still typing");
        drafts.finish(c);
        assert_eq!(
            drafts.take_due(11.2),
            [command(Phase::Analysis), command(Phase::Closed)]
        );
        assert_eq!(drafts.text(b), Some("b"));
        assert!(drafts.text(a).is_none());
        assert_eq!(drafts.take_all(), [command(Phase::Report)]);
        assert!(drafts.is_empty());
    }

    #[test]
    fn a_draft_that_cannot_be_stored_stays_with_its_reason() {
        let mut drafts = Drafts::default();
        let id = egui::Id::unique("org");
        drafts.set(id, "123".into(), Err("too short".into()), 0.0);
        drafts.finish(id);
        assert!(drafts.take_due(100.0).is_empty());
        assert!(drafts.take_all().is_empty());
        assert_eq!(drafts.problem(id), Some("too short"));
        assert_eq!(drafts.text(id), Some("123"));
        assert_eq!(drafts.next_due_in(0.0), None);
        drafts.set(id, "974760673".into(), Ok(command(Phase::Analysis)), 1.0);
        assert_eq!(drafts.problem(id), None);
        assert_eq!(
            drafts.take_due(1.0 + IDLE_COMMIT_SECONDS),
            [command(Phase::Analysis)]
        );
    }
}
