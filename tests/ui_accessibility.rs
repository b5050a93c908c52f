//! What a screen reader hears: every interactive node on every page of the demo case has a name
//! that says what it does in context — no bare «×», no «Vis» three times over, no date alone.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{click, harness};

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use evalbench::i18n::Lang;

const PAGES: [&str; 10] = [
    "Oversikt",
    "Krav",
    "Intervjuer",
    "Dokumentgjennomgang",
    "Funn",
    "Dekningsmatrise",
    "Tilbakemeldingsmøte",
    "Handlingsplan",
    "Resultater",
    "Troskap",
];

const INTERACTIVE: [Role; 8] = [
    Role::Button,
    Role::CheckBox,
    Role::ComboBox,
    Role::TextInput,
    Role::MultilineTextInput,
    Role::Link,
    Role::Switch,
    Role::MenuItem,
];

/// A name that says nothing on its own: a symbol, a bare verb, a bare date or number.
fn says_nothing(name: &str) -> bool {
    let name = name.trim();
    let bare_date = name.len() == 10
        && name.chars().enumerate().all(|(i, c)| {
            if i == 2 || i == 5 {
                c == '.'
            } else {
                c.is_ascii_digit()
            }
        });
    name.is_empty()
        || bare_date
        || name.chars().all(|c| c.is_ascii_digit())
        || ["×", "Vis", "Fjern", "…", "+", "-"].contains(&name)
}

#[test]
fn every_control_on_every_page_has_a_name_that_says_what_it_does() {
    let dir = common::temp_dir();
    let (workbench, path) = common::ui::demo_workbench(&dir, Lang::Nb);
    let mut harness = harness(workbench);
    harness.run();
    let snapshot = common::ui::stored(&path);
    let first_finding = snapshot.findings[0].fields.title.clone();
    let mut unnamed = Vec::new();
    // Every page, and the editors of a fidelity item and a finding (their rows picked).
    let visits = PAGES.iter().map(|page| (*page, None)).chain([
        ("Troskap", Some("STAFF-2 · ")),
        ("Funn", Some(first_finding.as_str())),
    ]);
    for (page, row) in visits {
        click(&mut harness, page);
        if let Some(row) = row {
            harness
                .get_all_by_label_contains(row)
                .next()
                .unwrap()
                .click();
            harness.run();
        }
        for role in INTERACTIVE {
            for node in harness.query_all_by_role(role) {
                let name = node.accesskit_node().label().unwrap_or_default();
                if says_nothing(&name) {
                    unnamed.push(format!("{page}: {role:?} «{name}»"));
                }
            }
        }
    }
    // The finding's editor was looked at: its remove buttons name what they remove.
    assert!(
        harness
            .query_all_by_label_contains("Fjern dette belegget fra funnet: ")
            .count()
            > 0
    );
    unnamed.sort();
    unnamed.dedup();
    assert!(
        unnamed.is_empty(),
        "{} controls:\n{}",
        unnamed.len(),
        unnamed.join("\n")
    );
}
