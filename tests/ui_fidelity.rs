//! The Troskap page headless (egui_kittest): scores clicked in the app reach the case file, the
//! page shows where the two evaluators differ, and the total and band follow the consensus.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{click, harness, stored, workbench_on};

use egui_kittest::kittest::{NodeT, Queryable};
use evalbench::command::Command;
use evalbench::demo::DEMO_TODAY;
use evalbench::domain::{FidelityReview, Rater};
use evalbench::i18n::Lang;

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

/// A case with the test scale and two evaluators, the second of whom has already scored two
/// items (with reasons the first must not see).
fn blind_case(path: &std::path::Path) {
    let mut store = common::new_case(path);
    store
        .apply(&Command::SetEvaluators {
            evaluators: vec!["Evaluator Aa".into(), "Evaluator Bb".into()],
        })
        .unwrap();
    store
        .apply(&Command::AdoptFidelityScale {
            catalog: common::small_scale(),
        })
        .unwrap();
    let review = store.snapshot().unwrap().fidelity.unwrap();
    for (code, score) in [("S-1", 5), ("T-1", 2)] {
        let item = review.items.iter().find(|i| i.code == code).unwrap();
        store
            .apply(&Command::SetFidelityScore {
                item_id: item.id,
                rater: Rater::Second,
                score,
                rationale: format!("Skjult begrunnelse {code}"),
                evidence: Vec::new(),
            })
            .unwrap();
    }
    store.close().unwrap();
}

/// Clicks the item's row in the list (`S-1 · 4 · Saksmengde`, by its code and what follows),
/// not its heading in the editor.
fn open_item(harness: &mut common::ui::Ui, label: &str) {
    let row = match label.split_once(' ') {
        Some((code, rest)) if !rest.contains('·') => format!("{code} · "),
        _ => label.to_owned(),
    };
    harness.get_by_label_contains(&row).click();
    harness.run();
}

fn choose_rater(harness: &mut common::ui::Ui, name: &str) {
    harness.get_by_label("Du skårer som").click();
    harness.run();
    harness.get_by_label(name).click();
    harness.run();
}

/// The whole review in the app: each evaluator scores blind and delivers, then the consensus
/// phase takes the items where they differ most first, the consensus is recorded, and the
/// report carries the agreement.
#[test]
fn two_evaluators_score_blind_deliver_and_agree_a_consensus() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    blind_case(&path);
    let settings = evalbench::app::Settings {
        lang: Lang::Nb,
        author: "Evaluator Aa".into(),
        ..evalbench::app::Settings::default()
    };
    let copy = common::case_path(&dir, "til-bb.evalcase");
    let dialogs = evalbench::dialogs::ScriptedDialogs {
        answers: std::collections::VecDeque::from([Some(copy.clone())]),
    };
    let mut workbench =
        evalbench::app::Workbench::new(settings, Box::new(dialogs)).with_today(DEMO_TODAY);
    workbench.open(&path);
    let mut harness = harness(workbench);
    harness.run();
    click(&mut harness, "Troskap");

    // The profile name makes this the first evaluator: only their own (empty) column, nothing of
    // the second's two scores, neither in a count nor in a reason.
    harness.get_by_label("Blind skåring");
    harness.get_by_label("0 av 15 (0 av 3 punkter skåret)");
    assert!(
        harness
            .query_by_label_contains("av 3 punkter skåret")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("0 av 15 (2 av 3 punkter skåret)")
            .is_none()
    );
    harness.get_by_label("Evaluator Bb: ikke levert");
    open_item(&mut harness, "S-1 Saksmengde");
    assert!(
        harness
            .query_by_label_contains("Skjult begrunnelse")
            .is_none()
    );
    assert!(harness.query_by_label("Evaluator Bb: 5").is_none());
    assert!(harness.query_by_label("Konsensus: 4").is_none());

    click(&mut harness, "Evaluator Aa: 3");
    // A copy for the second evaluator to score in holds none of the first's scores.
    click(&mut harness, "Lag kopi til Evaluator Bb…");
    harness.get_by_label_contains("Kopi til Evaluator Bb er skrevet");
    let in_copy = stored(&copy).fidelity.unwrap();
    assert!(in_copy.scores.iter().all(|s| s.rater == Rater::Second));
    assert_eq!(in_copy.scores.len(), 2);

    // Delivering waits for every item.
    assert!(
        harness
            .get_by_label("Lever skåringen")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label("2 punkter gjenstår");
    open_item(&mut harness, "T-1 Raskt jobbsøk");
    click(&mut harness, "Evaluator Aa: 4");
    open_item(&mut harness, "T-2 Oppfølging");
    click(&mut harness, "Evaluator Aa: 4");
    click(&mut harness, "Lever skåringen");
    let stored_review = review(&path);
    assert!(stored_review.is_sealed(Rater::First));
    assert!(!stored_review.is_sealed(Rater::Second));
    // Delivered scores are fixed: no score buttons any more, the score as text.
    assert!(harness.query_by_label("Evaluator Aa: 3").is_none());
    harness.get_by_label("Skår 4");

    // The second evaluator at the same laptop: their own two scores, not the first's three.
    choose_rater(&mut harness, "Evaluator Bb");
    // Their own score of S-1 is in its history; the first evaluator's is not.
    open_item(&mut harness, "S-1 Saksmengde");
    click(&mut harness, "Historikk");
    assert_eq!(
        harness.get_all_by_label("sette troskapsskår").count(),
        1,
        "one score of S-1 by the second evaluator, none of the first's"
    );
    harness.get_by_label("7 av 15 (2 av 3 punkter skåret)");
    assert!(harness.query_by_label_contains("11 av 15").is_none());
    open_item(&mut harness, "T-2 Oppfølging");
    assert!(harness.query_by_label("Skår 4").is_none());
    click(&mut harness, "Evaluator Bb: 4");
    click(&mut harness, "Lever skåringen");
    assert_eq!(
        review(&path).phase(),
        evalbench::domain::FidelityPhase::Reconciliation
    );

    // Consensus: both sides shown, the largest difference first (S-1: 3 against 5), then T-1
    // (4 against 2 is as large, later in the scale), then T-2 where they agree.
    harness.get_by_label("Konsensusfase");
    let top = |harness: &common::ui::Ui, code: &str| {
        harness
            .get_by_label_contains(&format!("{code} "))
            .rect()
            .min
            .y
    };
    let s1 = harness.get_by_label_contains("S-1 · 3 5").rect().min.y;
    assert!(s1 < top(&harness, "T-1 · 4 2"));
    assert!(top(&harness, "T-1 · 4 2") < top(&harness, "T-2 · 4 4"));
    open_item(&mut harness, "S-1 · 3 5");
    harness.get_by_label("Skjult begrunnelse S-1");
    harness.get_by_label_contains("Evaluatorene skåret ulikt (3 og 5)");
    click(&mut harness, "Konsensus: 4");
    open_item(&mut harness, "T-1 Raskt jobbsøk");
    click(&mut harness, "Konsensus: 3");
    open_item(&mut harness, "T-2 Oppfølging");
    click(&mut harness, "Konsensus: 4");
    assert_eq!(consensus(&path, "S-1"), Some(4));
    assert_eq!(consensus(&path, "T-1"), Some(3));
    // Both evaluators' sums and the consensus happen to be the same: 3+4+4, 5+2+4, 4+3+4.
    assert_eq!(harness.get_all_by_label("11 av 15").count(), 3);
    harness.get_by_label("Lav");
    // One item of three the same (T-2), all three within one step? No: 3–5 and 4–2 differ by 2.
    harness.get_by_label_contains("33 % like · 33 % innen ±1");

    // The report carries the agreement figures, both evaluators' scores and the band.
    let snapshot = stored(&path);
    let markdown = String::from_utf8(
        evalbench::export::render(
            &snapshot,
            evalbench::export::Format::Markdown,
            Lang::Nb,
            DEMO_TODAY,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(markdown.contains("33 % like · 33 % innen ±1"), "{markdown}");
    assert!(
        markdown.contains("| Punkt | Evaluator Aa | Evaluator Bb | Konsensus | Begrunnelse |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| S-1 Saksmengde | 3 | 5 | 4 |"),
        "{markdown}"
    );
}

/// The consensus phase lists the points to improve and turns one into an action in the plan.
#[test]
fn a_recommendation_becomes_an_action_in_the_plan() {
    let dir = common::temp_dir();
    let (workbench, path) = common::ui::demo_workbench(&dir, Lang::Nb);
    let mut harness = harness(workbench);
    harness.run();
    click(&mut harness, "Troskap");
    // The demo's review is complete: ten items below 4.
    click(&mut harness, "Forbedringspunkter (10, konsensus under 4)");
    click(&mut harness, "Nytt tiltak fra anbefaling for ORG-1");
    let snapshot = stored(&path);
    let finding = snapshot
        .findings
        .iter()
        .find(|f| f.fidelity_item.as_deref() == Some("ORG-1"))
        .expect("a finding made from ORG-1");
    assert_eq!(finding.kind, evalbench::domain::FindingKind::Deviation);
    assert!(finding.fields.title.starts_with("ORG-1 "));
    assert!(
        !finding.evidence.is_empty(),
        "the consensus's evidence comes along"
    );
    let action = snapshot
        .actions
        .iter()
        .find(|a| a.finding_id == finding.id)
        .expect("an action in the plan");
    assert!(
        action
            .fields
            .description
            .starts_with("Knytt hver jobbspesialist")
    );
    // Made once: the button gives way to the finding.
    assert!(
        harness
            .query_by_label("Nytt tiltak fra anbefaling for ORG-1")
            .is_none()
    );
    harness.get_by_label_contains("Funn laget: ORG-1");
    // The finding says where it came from.
    click(&mut harness, "Funn");
    harness
        .get_by_label_contains("ORG-1 Integrering med behandling")
        .click();
    harness.run();
    harness.get_by_label_contains("Fra anbefalingen til troskapspunktet ORG-1");
}

#[test]
fn a_case_without_a_review_starts_one_from_the_library() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    common::new_case(&path).close().unwrap();
    let library = evalbench::catalog_library::CatalogLibrary::at(dir.path().join("catalogs"));
    let scale_file = dir.path().join("scale.json");
    std::fs::write(
        &scale_file,
        serde_json::to_string(&common::small_scale()).unwrap(),
    )
    .unwrap();
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
    // A new review is blind, and nobody on the evaluator list is at the keyboard yet.
    harness.get_by_label("Blind skåring");
    harness.get_by_label_contains("Velg hvem du skårer som");
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
