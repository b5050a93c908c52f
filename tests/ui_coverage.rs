//! The Dekningsmatrise page headless (egui_kittest): the demo case's counts in the cells, a cell's
//! evidence beside the matrix, and the way from a piece of evidence to where it lives.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{demo_workbench, harness, stored};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use evalbench::app::Workbench;
use evalbench::domain::{CaseSnapshot, EvidenceRef, Requirement, Stance};
use evalbench::i18n::{Lang, Quote, evidence_reference};
use evalbench::ui::Page;

/// The demo case on the coverage page, and its snapshot to compute expectations from.
fn on_coverage_page(
    dir: &tempfile::TempDir,
    lang: Lang,
    nav_label: &str,
) -> (Harness<'static, Workbench>, CaseSnapshot) {
    let (workbench, path) = demo_workbench(dir, lang);
    let snapshot = stored(&path);
    let mut harness = harness(workbench);
    harness.run();
    harness.get_all_by_label(nav_label).next().unwrap().click();
    harness.run();
    assert_eq!(harness.state().settings.page, Page::Coverage);
    (harness, snapshot)
}

/// The evidence links of one requirement from one source column, counted the way the page
/// should: an excerpt under its interviewee's role group, a document under documents.
fn links(
    snapshot: &CaseSnapshot,
    requirement: &Requirement,
    group: Option<&str>,
) -> Vec<(EvidenceRef, Stance)> {
    let mut found = Vec::new();
    match group {
        Some(group) => {
            for interview in &snapshot.interviews {
                let role = snapshot.programme.role(&interview.fields.role);
                if role.map(|r| r.group.as_str()) != Some(group) {
                    continue;
                }
                for excerpt in &interview.excerpts {
                    for link in &excerpt.links {
                        if link.requirement_id == requirement.id {
                            found.push((EvidenceRef::Excerpt(excerpt.id), link.stance));
                        }
                    }
                }
            }
        }
        None => {
            for review in &snapshot.document_reviews {
                for link in &review.links {
                    if link.requirement_id == requirement.id {
                        found.push((EvidenceRef::DocumentReview(review.id), link.stance));
                    }
                }
            }
        }
    }
    found
}

/// The accessible name the page gives a cell (the button itself shows only the count).
fn cell_label(code: &str, source: &str, links: &[(EvidenceRef, Stance)]) -> String {
    let supports = links.iter().filter(|(_, s)| *s == Stance::Supports).count();
    format!(
        "{code}, {source}: {} belegg, {supports} støtter, {} motsier",
        links.len(),
        links.len() - supports
    )
}

/// The first requirement, in area order, with evidence from the given column.
fn first_with<'a>(snapshot: &'a CaseSnapshot, group: Option<&str>) -> &'a Requirement {
    snapshot
        .areas
        .iter()
        .flat_map(|area| {
            snapshot
                .requirements
                .iter()
                .filter(move |r| r.area_code == area.code)
        })
        .find(|r| !links(snapshot, r, group).is_empty())
        .expect("the demo has evidence in every column")
}

#[test]
fn matrix_counts_and_summary_match_the_case() {
    let dir = common::temp_dir();
    let (harness, snapshot) = on_coverage_page(&dir, Lang::Nb, "Dekningsmatrise");

    // Every requirement has a row; the summary counts the untriangulated ones.
    let columns = [Some("nav"), Some("provider"), Some("participants"), None];
    let sources: Vec<usize> = snapshot
        .requirements
        .iter()
        .map(|r| {
            columns
                .iter()
                .filter(|c| !links(&snapshot, r, **c).is_empty())
                .count()
        })
        .collect();
    let without = sources.iter().filter(|n| **n == 0).count();
    let single = sources.iter().filter(|n| **n == 1).count();
    assert!(without > 0 && single > 0, "the demo shows both warnings");
    harness.get_by_label(&format!(
        "{} krav · {without} uten belegg · {single} med belegg fra bare én kildegruppe",
        snapshot.requirements.len()
    ));

    for header in [
        "Krav",
        "NAV",
        "Tiltaksarrangør",
        "Deltakere",
        "Dokumenter",
        "Kilder",
    ] {
        // `get_all`: "Krav" also names the page in the navigation.
        assert!(harness.get_all_by_label(header).next().is_some());
    }
    // Each area heads its requirements.
    harness.get_by_label(&snapshot.areas[0].title);

    // A cell's count (and its stance mix) as computed from the case.
    let requirement = first_with(&snapshot, Some("nav"));
    let nav = links(&snapshot, requirement, Some("nav"));
    harness.get_by_label(&cell_label(&requirement.code, "NAV", &nav));
    let requirement = first_with(&snapshot, None);
    let documents = links(&snapshot, requirement, None);
    harness.get_by_label(&cell_label(&requirement.code, "Dokumenter", &documents));
}

#[test]
fn a_clicked_cell_shows_its_excerpts_and_opens_the_interview() {
    let dir = common::temp_dir();
    let (mut harness, snapshot) = on_coverage_page(&dir, Lang::Nb, "Dekningsmatrise");
    harness.get_by_label_contains("Klikk et tall i matrisen");

    let requirement = first_with(&snapshot, Some("nav"));
    let nav = links(&snapshot, requirement, Some("nav"));
    harness
        .get_by_label(&cell_label(&requirement.code, "NAV", &nav))
        .click();
    harness.run();
    for (evidence, _) in &nav {
        harness.get_by_label(&evidence_reference(
            &snapshot,
            *evidence,
            Lang::Nb,
            Quote::Always,
        ));
    }
    assert_eq!(
        harness.get_all_by_label("Vis i intervjuet").count(),
        nav.len()
    );

    harness
        .get_all_by_label("Vis i intervjuet")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().settings.page, Page::Interviews);
}

#[test]
fn a_document_cell_opens_the_document_review() {
    let dir = common::temp_dir();
    let (mut harness, snapshot) = on_coverage_page(&dir, Lang::Nb, "Dekningsmatrise");

    let requirement = first_with(&snapshot, None);
    let documents = links(&snapshot, requirement, None);
    harness
        .get_by_label(&cell_label(&requirement.code, "Dokumenter", &documents))
        .click();
    harness.run();
    let (first, _) = documents[0];
    harness.get_by_label(&evidence_reference(
        &snapshot,
        first,
        Lang::Nb,
        Quote::Always,
    ));
    harness
        .get_all_by_label("Vis dokumentet")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().settings.page, Page::Documents);
}

#[test]
fn english_headers_and_all_sources_of_a_requirement() {
    let dir = common::temp_dir();
    let (mut harness, snapshot) = on_coverage_page(&dir, Lang::En, "Coverage matrix");
    for header in [
        "Requirement",
        "Provider",
        "Participants",
        "Documents",
        "Sources",
    ] {
        assert!(harness.get_all_by_label(header).next().is_some());
    }
    // Clicking a requirement's name lists its evidence from every column.
    let requirement = first_with(&snapshot, Some("nav"));
    harness
        .get_by_label_contains(&format!("{} ", requirement.code))
        .click();
    harness.run();
    let total: usize = [Some("nav"), Some("provider"), Some("participants"), None]
        .iter()
        .map(|c| links(&snapshot, requirement, *c).len())
        .sum();
    let shown = harness.get_all_by_label("Show in the interview").count()
        + harness.get_all_by_label("Show the document").count();
    assert_eq!(shown, total);
    harness.get_by_label("Findings on the requirement");
}
