//! The Troskap page headless (egui_kittest): scores clicked in the app reach the case file, the
//! page shows where the two evaluators differ, and the total and band follow the consensus.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{click, harness, stored, workbench_on};

use egui_kittest::kittest::Queryable;
use evalbench::catalog::Catalog;
use evalbench::command::Command;
use evalbench::demo::DEMO_TODAY;
use evalbench::domain::{FidelityReview, Rater};
use evalbench::i18n::Lang;

/// Three items in two sections, scores 1–5, "Lav" from 3 and "God" from 12.
fn small_scale() -> Catalog {
    let item = |code: &str, title: &str| {
        format!(
            r#"{{"code":"{code}","title":"{title}","text":"Hva punktet måler.",
                "anchors":["én","to","tre","fire","fem"]}}"#
        )
    };
    Catalog::parse(
        "scale.json",
        &format!(
            r#"{{"format":"evalbench-catalog","format_version":1,"id":"test-scale","version":"1",
                "title":"Testskala","language":"nb","source":"invented for tests",
                "kind":"fidelity_scale",
                "scale":{{"min":1,"max":5,"bands":[{{"min_total":3,"label":"Lav"}},
                                                   {{"min_total":12,"label":"God"}}]}},
                "areas":[{{"code":"S","title":"Bemanning","requirements":[{}]}},
                         {{"code":"T","title":"Tjenester","requirements":[{},{}]}}]}}"#,
            item("S-1", "Saksmengde"),
            item("T-1", "Raskt jobbsøk"),
            item("T-2", "Oppfølging"),
        ),
    )
    .expect("the test scale is valid")
}

fn review(path: &std::path::Path) -> FidelityReview {
    stored(path)
        .fidelity
        .expect("the case has a fidelity review")
}

fn consensus(path: &std::path::Path, code: &str) -> Option<u8> {
    let review = review(path);
    let item = review.items.iter().find(|i| i.code == code)?;
    review.score(item.id, Rater::Consensus).map(|s| s.score)
}

#[test]
fn scoring_items_in_the_app_updates_the_total_and_the_band() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    let mut store = common::new_case(&path);
    store
        .apply(&Command::AdoptFidelityScale {
            catalog: small_scale(),
        })
        .unwrap();
    store.close().unwrap();

    let mut harness = harness(workbench_on(&path, Lang::Nb, DEMO_TODAY));
    harness.run();
    click(&mut harness, "Troskap");
    // Both evaluators and the consensus: nothing scored yet.
    assert_eq!(
        harness
            .get_all_by_label("0 av 15 (0 av 3 punkter skåret)")
            .count(),
        3
    );

    harness.get_by_label_contains("S-1 Saksmengde").click();
    harness.run();
    // The two evaluators differ; the page says so until they agree.
    click(&mut harness, "Evaluator 1: 3");
    click(&mut harness, "Evaluator 2: 5");
    harness.get_by_label_contains("Evaluatorene skåret ulikt (3 og 5)");
    harness.get_by_label("1 punkt · 1 venter på konsensus");

    click(&mut harness, "Konsensus: 4");
    assert_eq!(consensus(&path, "S-1"), Some(4));
    harness.get_by_label("4 av 15 (1 av 3 punkter skåret)");
    harness.get_by_label("1 punkt · 0 venter på konsensus");
    harness.get_by_label("når alle punkter har konsensus");

    for code in ["T-1 Raskt jobbsøk", "T-2 Oppfølging"] {
        harness.get_by_label_contains(code).click();
        harness.run();
        click(&mut harness, "Konsensus: 4");
    }
    assert_eq!(consensus(&path, "T-2"), Some(4));
    harness.get_by_label("12 av 15");
    harness.get_by_label("God");

    // Lowering one consensus score moves the total below the band's threshold.
    click(&mut harness, "Konsensus: 2");
    harness.get_by_label("10 av 15");
    harness.get_by_label("Lav");
    let totals = review(&path).totals(Rater::Consensus);
    assert_eq!((totals.total, totals.band.as_deref()), (10, Some("Lav")));
}

#[test]
fn a_case_without_a_review_starts_one_from_the_library() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    common::new_case(&path).close().unwrap();
    let library = evalbench::catalog_library::CatalogLibrary::at(dir.path().join("catalogs"));
    let scale_file = dir.path().join("scale.json");
    std::fs::write(&scale_file, serde_json::to_string(&small_scale()).unwrap()).unwrap();
    library.import(&scale_file).unwrap();

    let workbench = workbench_on(&path, Lang::Nb, DEMO_TODAY).with_catalogs(library);
    let mut harness = harness(workbench);
    harness.run();
    click(&mut harness, "Troskap");
    // Pick the test scale in the drop-down (the shipped scale may be listed first).
    harness.get_by_label("Skala").click();
    harness.run();
    harness.get_by_label("Testskala (1)").click();
    harness.run();
    click(&mut harness, "Start troskapsmåling");
    let review = review(&path);
    assert_eq!(review.catalog_id, "test-scale");
    assert_eq!(review.items.len(), 3);
    assert_eq!(
        harness
            .get_all_by_label("0 av 15 (0 av 3 punkter skåret)")
            .count(),
        3
    );
}

/// The demo case carries a complete IPS review: the app shows its total and band, and the JSON
/// export carries the same.
#[test]
fn the_demo_review_has_a_total_and_band_in_the_app_and_the_json_export() {
    let dir = common::temp_dir();
    let (workbench, path) = common::ui::demo_workbench(&dir, Lang::Nb);
    let mut harness = harness(workbench);
    harness.run();
    click(&mut harness, "Troskap");
    // Both evaluators' sums and the consensus: complete, so no "n av 25 punkter skåret".
    assert_eq!(harness.get_all_by_label("85 av 125").count(), 2);
    harness.get_by_label("86 av 125");
    harness.get_by_label("Rimelig troskap");

    let snapshot = evalbench::store::read_case(&path).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&evalbench::export::json::to_json(&snapshot).unwrap()).unwrap();
    let consensus = json["fidelity_totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["rater"] == "consensus")
        .unwrap();
    assert_eq!(consensus["total"], 86, "{consensus}");
    assert_eq!(consensus["max_total"], 125);
    assert_eq!(consensus["band"], "Rimelig troskap");

    // The evaluators' agreement: 8 of the 25 items differ, so 68 % the same; kappa beside it,
    // and the same per section.
    let agreement = &json["fidelity_agreement"]["overall"];
    assert_eq!(agreement["items"], 25, "{agreement}");
    assert!(
        (agreement["exact"].as_f64().unwrap() - 0.68).abs() < 1e-9,
        "{agreement}"
    );
    let kappa = agreement["weighted_kappa"].as_f64().unwrap();
    assert!(kappa > 0.0 && kappa <= 1.0, "{agreement}");
    let sections = json["fidelity_agreement"]["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 3);
    let per_section: u64 = sections
        .iter()
        .map(|s| s[1]["items"].as_u64().unwrap())
        .sum();
    assert_eq!(per_section, 25);
    harness.get_by_label_contains("68 % like");
    harness.get_by_label_contains("vektet kappa 0,");
}
