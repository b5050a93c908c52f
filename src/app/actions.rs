//! The workbench's keyboard actions in one table: each action owns its label and its shortcuts.
//! The key handling loops over the table and the menus take their shortcut text from it, worded
//! for the OS the app runs on (`Modifiers::COMMAND` is Cmd on macOS, Ctrl elsewhere). What an
//! action does stays with the workbench.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::i18n::{Labelled, Lang, t};
use crate::ui::{PAGE_KEYS, Page};

/// Something the user can do from the keyboard (and, for most, from a menu).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiAction {
    NewCase,
    Open,
    Redo,
    Undo,
    Search,
    /// Ctrl+1 … Ctrl+9, Ctrl+0: the case's pages in order.
    GoTo(Page),
}

impl UiAction {
    /// Every action, in the order their keys are checked. Redo comes before undo: egui matches
    /// Ctrl+Z also while Shift is down, so Ctrl+Shift+Z must be taken first.
    pub fn all() -> Vec<UiAction> {
        let mut all = vec![
            UiAction::Open,
            UiAction::NewCase,
            UiAction::Redo,
            UiAction::Undo,
            UiAction::Search,
        ];
        all.extend(Page::ALL.into_iter().map(UiAction::GoTo));
        all
    }

    /// The keys that trigger the action; the first is the one the menus show.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        let command = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
        match self {
            UiAction::NewCase => vec![command(Key::N)],
            UiAction::Open => vec![command(Key::O)],
            UiAction::Redo => vec![
                KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
                command(Key::Y),
            ],
            UiAction::Undo => vec![command(Key::Z)],
            UiAction::Search => vec![command(Key::F)],
            UiAction::GoTo(page) => Page::ALL
                .iter()
                .zip(PAGE_KEYS)
                .filter(|(candidate, _)| **candidate == page)
                .map(|(_, key)| command(key))
                .collect(),
        }
    }

    /// The shortcut as the OS of `ctx` writes it ("Ctrl+Z", on macOS "⌘Z"); empty without one.
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcuts()
            .first()
            .map(|shortcut| ctx.format_shortcut(shortcut))
            .unwrap_or_default()
    }

    /// The shortcut as the OS this program was built for writes it, for texts made where no
    /// `egui::Context` is at hand (a notice after an undo).
    pub fn shortcut_text_here(self) -> String {
        let is_mac = egui::os::OperatingSystem::from_target_os().is_mac();
        self.shortcuts()
            .first()
            .map(|shortcut| shortcut.format(&egui::ModifierNames::NAMES, is_mac))
            .unwrap_or_default()
    }

    /// The action's name in `lang`, as the menus show it.
    pub fn label(self, lang: Lang) -> String {
        t(lang, &self.label_key()).to_owned()
    }

    /// The translation key of the label (the page's own name for `GoTo`).
    pub fn label_key(self) -> String {
        match self {
            UiAction::NewCase => "menu.new_case".to_owned(),
            UiAction::Open => "menu.open".to_owned(),
            UiAction::Redo => "menu.redo".to_owned(),
            UiAction::Undo => "menu.undo".to_owned(),
            UiAction::Search => "menu.search".to_owned(),
            UiAction::GoTo(page) => {
                let code = serde_json::to_value(page)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                format!("{}.{code}", Page::PREFIX)
            }
        }
    }

    /// Whether the action only means something with a case open.
    pub fn needs_case(self) -> bool {
        !matches!(self, UiAction::NewCase | UiAction::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_label_and_a_shortcut() {
        for action in UiAction::all() {
            assert!(!action.shortcuts().is_empty(), "{action:?} has no shortcut");
            for lang in Lang::ALL {
                let label = action.label(lang);
                assert!(
                    !label.is_empty() && !label.starts_with("menu.") && !label.starts_with("page."),
                    "{action:?} has no label in {lang:?}: {label}"
                );
            }
        }
        // Ctrl+1 … Ctrl+9 and Ctrl+0 reach the ten pages, each its own key.
        let mut keys: Vec<Key> = Page::ALL
            .into_iter()
            .flat_map(|page| UiAction::GoTo(page).shortcuts())
            .map(|shortcut| shortcut.logical_key)
            .collect();
        assert_eq!(keys.len(), 10);
        keys.dedup();
        assert_eq!(keys.len(), 10);
    }

    #[test]
    fn shortcut_text_follows_the_os() {
        use egui::os::OperatingSystem::{Mac, Nix, Windows};
        let ctx = egui::Context::default();
        // Fonts (which decide between ⌘ and Cmd) exist after the first frame.
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let text = |os, action: UiAction| {
            ctx.set_os(os);
            action.shortcut_text(&ctx)
        };
        assert_eq!(text(Nix, UiAction::Undo), "Ctrl+Z");
        assert_eq!(text(Windows, UiAction::Redo), "Ctrl+Shift+Z");
        assert_eq!(text(Nix, UiAction::GoTo(Page::Fidelity)), "Ctrl+0");
        let mac = text(Mac, UiAction::Undo);
        assert!(mac == "⌘Z" || mac == "Cmd+Z", "{mac}");
        let mac = text(Mac, UiAction::Redo);
        assert!(mac == "⇧⌘Z" || mac == "Shift+Cmd+Z", "{mac}");
    }
}
