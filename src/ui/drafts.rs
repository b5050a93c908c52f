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
    command: Command,
    changed_at: f64,
    finished: bool,
}

impl Drafts {
    /// The text being typed in field `id`, if it differs from what is stored.
    pub fn text(&self, id: egui::Id) -> Option<&str> {
        self.entries.get(&id).map(|draft| draft.text.as_str())
    }

    pub fn set(&mut self, id: egui::Id, text: String, command: Command, now: f64) {
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
            .map(|draft| (draft.changed_at + IDLE_COMMIT_SECONDS - now).max(0.0))
            .min_by(f64::total_cmp)
    }

    /// The commands of drafts that are finished or idle, oldest edit first.
    pub fn take_due(&mut self, now: f64) -> Vec<Command> {
        self.take_where(|draft| draft.finished || now - draft.changed_at >= IDLE_COMMIT_SECONDS)
    }

    /// Every draft's command, oldest edit first (before undo, search jumps, closing).
    pub fn take_all(&mut self) -> Vec<Command> {
        self.take_where(|_| true)
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
        taken.into_iter().map(|draft| draft.command).collect()
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
        drafts.set(a, "a".into(), command(Phase::Analysis), 10.0);
        drafts.set(b, "b".into(), command(Phase::Report), 10.5);
        drafts.set(c, "c".into(), command(Phase::Closed), 10.9);
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
}
