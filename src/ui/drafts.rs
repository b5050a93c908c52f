//! Text being typed, not yet a command. A field's draft becomes its command when the field loses
//! focus, or after a short pause in typing, so the journal gets one entry per burst of typing, not
//! one per key. Until then the status bar says "not saved yet"; on exit every draft is committed.
//! After a pause the text stays on screen exactly as typed while the field keeps focus, even where
//! the stored form is normalised ("Daglig leder, " is stored as one role, but the comma stays).

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
    /// The command that stores the text, or why the text cannot be stored yet; `None` once it
    /// was stored after a pause, while the text is still shown as typed.
    command: Option<Result<Command, String>>,
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
            .and_then(|draft| draft.command.as_ref()?.as_ref().err())
            .map(String::as_str)
    }

    pub fn set(&mut self, id: egui::Id, text: String, command: Result<Command, String>, now: f64) {
        self.entries.insert(
            id,
            Draft {
                text,
                command: Some(command),
                changed_at: now,
                finished: false,
            },
        );
    }

    /// The text is back to what is stored: nothing to commit.
    pub fn discard(&mut self, id: egui::Id) {
        self.entries.remove(&id);
    }

    /// The field lost focus: commit its draft with the next batch, or, if it was stored
    /// already, show the stored text again.
    pub fn finish(&mut self, id: egui::Id) {
        match self.entries.get_mut(&id) {
            Some(draft) if draft.command.is_some() => draft.finished = true,
            Some(_) => {
                self.entries.remove(&id);
            }
            None => {}
        }
    }

    /// True when no typed text is waiting to be stored.
    pub fn is_empty(&self) -> bool {
        self.entries.values().all(|draft| draft.command.is_none())
    }

    /// Seconds until the oldest unfinished draft is due, for scheduling a repaint.
    pub fn next_due_in(&self, now: f64) -> Option<f64> {
        self.entries
            .values()
            .filter(|draft| matches!(draft.command, Some(Ok(_))))
            .map(|draft| (draft.changed_at + IDLE_COMMIT_SECONDS - now).max(0.0))
            .min_by(f64::total_cmp)
    }

    /// The commands of drafts that are finished or idle, oldest edit first. Drafts that cannot
    /// be stored stay, with their reason shown, until they are fixed or the case is closed. An
    /// idle draft in a field that still has focus keeps its text on screen.
    pub fn take_due(&mut self, now: f64) -> Vec<Command> {
        let mut due: Vec<(f64, Command)> = Vec::new();
        self.entries.retain(|_, draft| {
            let ready = matches!(draft.command, Some(Ok(_)))
                && (draft.finished || now - draft.changed_at >= IDLE_COMMIT_SECONDS);
            if !ready {
                return true;
            }
            if let Some(Ok(command)) = draft.command.take() {
                due.push((draft.changed_at, command));
            }
            !draft.finished
        });
        sorted(due)
    }

    /// Every storable draft's command, oldest edit first (before undo, search jumps, closing);
    /// the fields show what is stored afterwards.
    pub fn take_all(&mut self) -> Vec<Command> {
        let mut due: Vec<(f64, Command)> = Vec::new();
        self.entries.retain(|_, draft| match draft.command.take() {
            Some(Ok(command)) => {
                due.push((draft.changed_at, command));
                false
            }
            Some(Err(problem)) => {
                draft.command = Some(Err(problem));
                true
            }
            None => false,
        });
        sorted(due)
    }

    /// Forgets every draft, storable or not (the case was closed).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

fn sorted(mut due: Vec<(f64, Command)>) -> Vec<Command> {
    due.sort_by(|a, b| a.0.total_cmp(&b.0));
    due.into_iter().map(|(_, command)| command).collect()
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
        // "a" was stored after a pause but its field still has focus: the text stays as typed.
        assert_eq!(drafts.text(a), Some("a"));
        assert!(
            drafts.text(c).is_none(),
            "c lost focus: the stored text shows"
        );
        assert_eq!(drafts.text(b), Some("b"));
        assert!(!drafts.is_empty(), "b is still waiting");
        assert_eq!(drafts.take_all(), [command(Phase::Report)]);
        assert!(drafts.is_empty());
        assert!(drafts.text(a).is_none() && drafts.text(b).is_none());
        // Leaving a field whose text was stored after a pause shows the stored text again.
        drafts.set(a, "a ".into(), Ok(command(Phase::Analysis)), 20.0);
        assert_eq!(drafts.take_due(22.0), [command(Phase::Analysis)]);
        assert_eq!(drafts.text(a), Some("a "));
        drafts.finish(a);
        assert!(drafts.text(a).is_none());
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
