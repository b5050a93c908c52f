//! Ctrl+F: the search panel beside the pages, and jumping to a hit.

use egui::Key;

use super::{Notice, Workbench, error_text};
use crate::i18n::{t, tn};
use crate::store::SearchHit;
use crate::ui::{self, Focus, Page};

/// The Ctrl+F panel: the query and its hits, refreshed when the query or the case changes.
#[derive(Default)]
pub(super) struct SearchPanel {
    query: String,
    hits: Vec<SearchHit>,
    /// The hit Enter opens.
    chosen: usize,
    pub(super) stale: bool,
}

/// How many hits the search panel lists.
const SEARCH_LIMIT: usize = 100;

impl Workbench {
    pub(super) fn open_search(&mut self) {
        let search = self.search.get_or_insert_with(SearchPanel::default);
        search.stale = true;
        self.pages.focus = None;
    }

    /// Runs the query against the case when it changed.
    pub(super) fn refresh_search(&mut self) {
        let (Some(case), Some(search)) = (&self.case, self.search.as_mut()) else {
            return;
        };
        if !search.stale {
            return;
        }
        search.stale = false;
        search.chosen = 0;
        match case.store.search(&search.query, SEARCH_LIMIT) {
            Ok(hits) => search.hits = hits,
            Err(e) => {
                search.hits.clear();
                self.notice = Some(Notice::Error(error_text(self.settings.lang, &e)));
            }
        }
    }

    /// Ctrl+F: a query field and the hits grouped by page; Enter or a click opens a hit.
    pub(super) fn search_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let mut open = None;
        let mut close = false;
        if let Some(search) = self.search.as_mut() {
            ui.horizontal(|ui| {
                ui.heading(t(lang, "search.title"));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    close = ui
                        .small_button("×")
                        .on_hover_text(t(lang, "search.close"))
                        .clicked();
                });
            });
            let label = ui.label(t(lang, "search.query"));
            let field_id = egui::Id::unique("search_query");
            let response = ui.add(
                egui::TextEdit::singleline(&mut search.query)
                    .id(field_id)
                    .hint_text(t(lang, "search.hint"))
                    .desired_width(f32::INFINITY),
            );
            let response = response.labelled_by(label.id);
            if !response.has_focus() && search.query.is_empty() && search.hits.is_empty() {
                response.request_focus();
            }
            if response.changed() {
                search.stale = true;
            }
            let (enter, down, up, escape) = ui.input(|i| {
                (
                    i.key_pressed(Key::Enter),
                    i.key_pressed(Key::ArrowDown),
                    i.key_pressed(Key::ArrowUp),
                    i.key_pressed(Key::Escape),
                )
            });
            if response.has_focus() || response.lost_focus() {
                if down {
                    search.chosen = (search.chosen + 1).min(search.hits.len().saturating_sub(1));
                }
                if up {
                    search.chosen = search.chosen.saturating_sub(1);
                }
                if enter && !search.hits.is_empty() {
                    open = Some(search.chosen);
                }
            }
            close |= escape;
        }
        self.refresh_search();
        let Some(search) = self.search.as_ref() else {
            return;
        };
        let Some(case) = self.case.as_ref() else {
            return;
        };
        if !search.query.trim().is_empty() {
            ui.weak(tn(lang, "search.count", search.hits.len(), &[]));
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for page in Page::ALL {
                    let in_page: Vec<(usize, &SearchHit)> = search
                        .hits
                        .iter()
                        .enumerate()
                        .filter(|(_, hit)| {
                            ui::search_focus(&case.snapshot, hit).map(Focus::page) == Some(page)
                        })
                        .collect();
                    if in_page.is_empty() {
                        continue;
                    }
                    ui.add_space(6.0);
                    ui.strong(format!(
                        "{} ({})",
                        crate::i18n::Labelled::label(&page, lang),
                        in_page.len()
                    ));
                    for (index, hit) in in_page {
                        let response = ui.add(
                            egui::Button::selectable(
                                index == search.chosen,
                                ui::hit_text(hit, lang, ui.style()),
                            )
                            .wrap(),
                        );
                        if response.clicked() {
                            open = Some(index);
                        }
                    }
                }
            });
        if let Some(index) = open {
            self.open_hit(index);
        }
        if close {
            self.search = None;
        }
    }

    /// Goes to a search hit: its page, selected and marked.
    pub(super) fn open_hit(&mut self, index: usize) {
        let (Some(case), Some(search)) = (&self.case, &self.search) else {
            return;
        };
        let Some(focus) = search
            .hits
            .get(index)
            .and_then(|hit| ui::search_focus(&case.snapshot, hit))
        else {
            return;
        };
        let words = search_words(&search.query);
        self.commit_drafts();
        self.settings.page = focus.page();
        self.pages.focus = Some(focus);
        self.pages.search_words = words;
        if let Some(search) = self.search.as_mut() {
            search.chosen = index;
        }
    }
}

/// The words of a search query, lower-cased, as the index matches them (word prefixes).
fn search_words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
