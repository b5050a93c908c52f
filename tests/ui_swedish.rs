//! A Swedish evaluator's view, headless (egui_kittest): the invented Swedish demo case
//! (`demo --programme sv-kompetens`) in the Swedish UI — the overview with the catalog's roles,
//! the coverage matrix with the catalog's four sides, dates in ISO form — and its report and
//! interview guide in Swedish.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{harness, stored, workbench_on};

use egui_kittest::kittest::Queryable;
use evalbench::demo::{DEMO_TODAY, DemoProgramme, write_programme_demo};
use evalbench::domain::coverage::{Source, coverage};
use evalbench::domain::{CaseSnapshot, RoleId};
use evalbench::i18n::{Lang, t};
use evalbench::ui::Page;

fn swedish_demo(dir: &tempfile::TempDir) -> (std::path::PathBuf, CaseSnapshot) {
    let path = common::case_path(dir, "sv.evalcase");
    write_programme_demo(&path, DemoProgramme::SvKompetens, 1).unwrap();
    let snapshot = stored(&path);
    (path, snapshot)
}

#[test]
fn the_swedish_demo_is_as_rich_as_the_norwegian_and_uses_its_own_catalog() {
    let dir = common::temp_dir();
    let (_, sv) = swedish_demo(&dir);
    let no = {
        let path = common::case_path(&dir, "no.evalcase");
        evalbench::demo::write_demo(&path).unwrap();
        stored(&path)
    };
    assert_eq!(sv.catalog.as_ref().unwrap().id, "sv-kompetens");
    assert_eq!(sv.programme.source_groups.len(), 4);
    // Every interview's role is one the Swedish catalog declares, and every side is heard.
    for interview in &sv.interviews {
        assert!(sv.programme.role(&interview.fields.role).is_some());
    }
    let matrix = coverage(&sv);
    for (column, source) in matrix.sources.iter().enumerate() {
        let evidence: usize = matrix.rows.iter().map(|r| r.cells[column].count()).sum();
        assert!(evidence > 0, "no evidence from {source:?}");
    }
    // About as rich as the Norwegian demo.
    for (what, swedish, norwegian) in [
        ("interviews", sv.interviews.len(), no.interviews.len()),
        ("excerpts", sv.excerpt_count(), no.excerpt_count()),
        (
            "document reviews",
            sv.document_reviews.len(),
            no.document_reviews.len(),
        ),
        ("findings", sv.findings.len(), no.findings.len()),
        ("actions", sv.actions.len(), no.actions.len()),
    ] {
        assert!(
            swedish * 3 >= norwegian * 2,
            "{what}: {swedish} against {norwegian}"
        );
    }
    // No identity number, e-mail address or phone number slipped into the invented text.
    assert!(evalbench::privacy::scan_case(&sv).is_empty());
}

#[test]
fn overview_and_coverage_in_swedish() {
    let dir = common::temp_dir();
    let (path, snapshot) = swedish_demo(&dir);
    let mut harness = harness(workbench_on(&path, Lang::Sv, DEMO_TODAY));
    harness.run();

    // The overview: Swedish headings, the provider, interviews counted by the catalog's roles.
    assert_eq!(harness.state().settings.page, Page::Overview);
    harness.get_by_label(t(Lang::Sv, "overview.interviews_by_role"));
    assert_ne!(
        t(Lang::Sv, "overview.interviews_by_role"),
        t(Lang::En, "overview.interviews_by_role")
    );
    harness
        .get_all_by_label_contains(&snapshot.facts.provider_name)
        .next()
        .unwrap();
    let coach = RoleId::new("coach");
    let coaches = snapshot.interviews_with(&coach);
    assert!(coaches > 0);
    harness.get_by_label(&snapshot.programme.role_name(&coach, "sv"));

    // The coverage matrix: the catalog's four sides in Swedish, then the documents.
    harness
        .get_all_by_label(t(Lang::Sv, "page.coverage"))
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().settings.page, Page::Coverage);
    for source in Source::all(&snapshot.programme) {
        let name = match &source {
            Source::Group(group) => snapshot.programme.group_name(group, "sv"),
            Source::Documents => t(Lang::Sv, "coverage.source_documents").to_owned(),
        };
        assert!(
            harness.get_all_by_label(&name).next().is_some(),
            "no column {name}"
        );
    }
    // «Krav» heads the requirement column (and names the page in the navigation).
    assert!(
        harness
            .get_all_by_label(t(Lang::Sv, "coverage.requirement"))
            .count()
            >= 2
    );

    // Dates in ISO form in the interview list.
    harness
        .get_all_by_label(t(Lang::Sv, "page.interviews"))
        .next()
        .unwrap()
        .click();
    harness.run();
    let first = snapshot
        .interviews
        .iter()
        .map(|i| i.fields.date)
        .min()
        .unwrap();
    assert!(
        harness
            .get_all_by_label_contains(&first.to_string())
            .next()
            .is_some(),
        "no {first} in the list"
    );
}

#[test]
fn report_and_guide_come_out_in_swedish() {
    let dir = common::temp_dir();
    let (_, snapshot) = swedish_demo(&dir);
    let report = evalbench::export::markdown::report(&snapshot, Lang::Sv);
    assert!(report.contains(t(Lang::Sv, "report.method")), "{report}");
    // Interviews counted by the Swedish role names; dates in ISO form.
    let coach = snapshot.programme.role_name(&RoleId::new("coach"), "sv");
    assert!(report.contains(&format!("| {coach} |")), "{report}");
    assert!(!report.contains("Jobbspesialist"));

    let guide = evalbench::guide::for_case(&snapshot, RoleId::new("apl_handledare"));
    assert!(guide.question_count() >= 3);
    let text = evalbench::guide::markdown(&guide, "Katalog", Lang::Sv);
    assert!(
        text.contains(
            &snapshot
                .programme
                .role_name(&RoleId::new("apl_handledare"), "sv")
        )
    );

    // The PDF report renders (Typst, with `lang: sv`).
    let pdf = common::case_path(&dir, "rapport.pdf");
    let bytes = evalbench::export::render(
        &snapshot,
        evalbench::export::Format::Pdf,
        Lang::Sv,
        DEMO_TODAY,
    )
    .expect("a Swedish PDF report");
    std::fs::write(&pdf, bytes).unwrap();
    if let Some(text) = common::pdf_text(&pdf) {
        assert!(text.contains(&snapshot.facts.provider_name), "{text}");
        assert!(text.contains(&DEMO_TODAY.to_string()), "ISO dates: {text}");
    }
    // The same report as DOCX.
    let docx = evalbench::export::render(
        &snapshot,
        evalbench::export::Format::Docx,
        Lang::Sv,
        DEMO_TODAY,
    )
    .expect("a Swedish DOCX report");
    assert!(docx.starts_with(b"PK"));
}
