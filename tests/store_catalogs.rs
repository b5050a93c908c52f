//! Catalogs end to end: validation of catalog files, the version diff, updating a case's catalog
//! copy (and undoing it), guide questions ticked off in interviews, fidelity reviews, and the
//! shipped catalogs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;

use evalbench::catalog::{self, Catalog, CatalogError, CatalogKind, CatalogRequirement};
use evalbench::catalog_update::{self, Added, Change, Removed, Reworded, Uses};
use evalbench::command::Command;
use evalbench::domain::*;
use evalbench::guide;
use evalbench::store::{CaseStore, ChainCheck, StoreError};
use jiff::civil::date;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// helpers

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

fn parse(value: &Value) -> Result<Catalog, CatalogError> {
    Catalog::parse("x.json", &pretty(value))
}

/// The message of a catalog that must be refused, without the line it names (`programme.rs`
/// checks the lines).
fn refusal(value: &Value) -> String {
    match parse(value) {
        Ok(catalog) => panic!("{} should be refused", catalog.id),
        Err(CatalogError::Invalid {
            file,
            path,
            message,
            ..
        }) => format!("{file}, {path}: {message}"),
        Err(e) => e.to_string(),
    }
}

fn catalog(value: &Value) -> Catalog {
    parse(value).expect("the test catalog is valid")
}

/// A plain requirements catalog with one question.
fn plain_value() -> Value {
    json!({
        "format": "evalbench-catalog", "format_version": 1, "id": "plain", "version": "1",
        "title": "Krav", "language": "nb", "source": "invented for tests",
        "areas": [{"code": "A", "title": "Arbeid", "requirements": [
            {"code": "A-1", "title": "Plan", "text": "Planen sendes innen fire uker.",
             "questions": [{"roles": ["participant"], "text": "Har du fått planen?"}]}
        ]}]
    })
}

fn fidelity_item(code: &str) -> Value {
    json!({
        "code": code, "title": format!("Punkt {code}"), "text": format!("Hva {code} måler."),
        "anchors": ["ingen", "lite", "noe", "mye", "full"]
    })
}

/// A fidelity scale: two sections, three items scored 1–5, bands from 3 ("low") and 12 ("good").
fn fidelity_value() -> Value {
    json!({
        "format": "evalbench-catalog", "format_version": 1, "id": "fid", "version": "1",
        "title": "Troskapsskala", "language": "nb", "source": "invented for tests",
        "kind": "fidelity_scale",
        "scale": {"min": 1, "max": 5, "bands": [
            {"min_total": 3, "label": "low"}, {"min_total": 12, "label": "good"}
        ]},
        "areas": [
            {"code": "S1", "title": "Bemanning",
             "requirements": [fidelity_item("F-1"), fidelity_item("F-2")]},
            {"code": "S2", "title": "Tjenester", "requirements": [fidelity_item("F-3")]}
        ]
    })
}

/// A new case with facts and `catalog` adopted, or without a catalog when `None`.
fn new_case_with(path: &Path, catalog: Option<Catalog>) -> CaseStore {
    CaseStore::create(path, |store| {
        store.apply(&Command::UpdateCaseFacts {
            facts: common::facts(),
        })?;
        if let Some(catalog) = catalog {
            store.apply(&Command::AdoptCatalog { catalog })?;
        }
        Ok(())
    })
    .expect("a new case can be created")
}

fn requirement_id(snapshot: &CaseSnapshot, code: &str) -> RequirementId {
    snapshot
        .requirements
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("no requirement {code}"))
        .id
}

fn interview_fields(role: RoleId) -> InterviewFields {
    InterviewFields {
        date: date(2026, 2, 12),
        role,
        interviewees: vec!["D-03".into()],
        stage: None,
        setting: InterviewSetting::Individual,
        channel: InterviewChannel::InPerson,
    }
}

fn add_interview(store: &mut CaseStore, role: RoleId, notes: &str) -> InterviewId {
    InterviewId(
        store
            .apply(&Command::AddInterview {
                interview: interview_fields(role),
                notes: notes.into(),
            })
            .unwrap()
            .created_id
            .unwrap(),
    )
}

/// Applies `command`, which must be refused for the reason `expected` accepts, and checks
/// that it changed nothing: neither the case nor the journal.
fn assert_refused(store: &mut CaseStore, command: &Command, expected: impl Fn(&Rejection) -> bool) {
    let before = store.snapshot().unwrap();
    let journal = store.journal_len().unwrap();
    match store.apply(command) {
        Err(StoreError::Rejected(rejection)) => assert!(
            expected(&rejection),
            "{} was refused for another reason: {rejection:?}",
            command.op()
        ),
        other => panic!("{} should be refused, got {other:?}", command.op()),
    }
    assert_eq!(
        store.snapshot().unwrap(),
        before,
        "refused {} changed the case",
        command.op()
    );
    assert_eq!(
        store.journal_len().unwrap(),
        journal,
        "refused {} was journalled",
        command.op()
    );
}

// ---------------------------------------------------------------------------------------------
// 1. catalog files

#[test]
fn invalid_catalogs_are_refused_with_file_path_and_reason() {
    // Syntax: the line is named.
    let broken = "{\n  \"format\": \"evalbench-catalog\",\n  \"id\": ,\n  \"version\": \"1\"\n}";
    let err = Catalog::parse("x.json", broken);
    assert!(
        matches!(err, Err(CatalogError::Syntax { line: 3, .. })),
        "{err:?}"
    );
    let message = err.map(|_| ()).unwrap_err().to_string();
    assert!(message.starts_with("x.json, line 3, column "), "{message}");

    // Anchors belong to fidelity scales only.
    let mut v = plain_value();
    v["areas"][0]["requirements"][0]["anchors"] = json!(["dårlig", "god"]);
    assert_eq!(
        refusal(&v),
        "x.json, areas[0].requirements[0].anchors: anchors belong to items of a fidelity scale (\"kind\": \"fidelity_scale\")"
    );

    // So does a scale.
    let mut v = plain_value();
    v["scale"] = json!({"min": 1, "max": 5, "bands": [{"min_total": 0, "label": "x"}]});
    assert_eq!(
        refusal(&v),
        "x.json, scale: only a fidelity scale (\"kind\": \"fidelity_scale\") has a scale"
    );

    // A fidelity scale whose items carry no anchors and no scale: the scale is named missing.
    let mut v = fidelity_value();
    v.as_object_mut().unwrap().remove("scale");
    for area in v["areas"].as_array_mut().unwrap() {
        for item in area["requirements"].as_array_mut().unwrap() {
            item.as_object_mut().unwrap().remove("anchors");
        }
    }
    assert_eq!(
        refusal(&v),
        "x.json, scale: a fidelity scale needs \"scale\": {\"min\", \"max\", \"bands\"}"
    );

    // One anchor text per score: 1–5 needs five.
    let mut v = fidelity_value();
    v["areas"][1]["requirements"][0]["anchors"] = json!(["a", "b", "c", "d"]);
    let message = refusal(&v);
    assert_eq!(
        message,
        "x.json, areas[1].requirements[0].anchors: expected 5 anchor texts (scores 1 to 5), found 4"
    );
    assert!(message.contains("expected 5"));
    let mut v = fidelity_value();
    v["areas"][0]["requirements"][1]["anchors"][2] = json!("  ");
    assert_eq!(
        refusal(&v),
        "x.json, areas[0].requirements[1].anchors[2]: must not be empty"
    );

    // Bands from the lowest total up, none above the highest possible total (3 × 5).
    let mut v = fidelity_value();
    v["scale"]["bands"] =
        json!([{"min_total": 12, "label": "good"}, {"min_total": 3, "label": "low"}]);
    assert_eq!(
        refusal(&v),
        "x.json, scale.bands[1].min_total: bands must be listed from the lowest total up"
    );
    let mut v = fidelity_value();
    v["scale"]["bands"] =
        json!([{"min_total": 3, "label": "low"}, {"min_total": 3, "label": "also low"}]);
    assert!(refusal(&v).contains("scale.bands[1].min_total"));
    let mut v = fidelity_value();
    v["scale"]["bands"][1]["min_total"] = json!(16);
    assert_eq!(
        refusal(&v),
        "x.json, scale.bands[1].min_total: 16 is above the highest possible total, 15"
    );

    // A question is for at least one role, and only for known roles.
    let mut v = plain_value();
    v["areas"][0]["requirements"][0]["questions"][0]["roles"] = json!([]);
    assert_eq!(
        refusal(&v),
        "x.json, areas[0].requirements[0].questions[0].roles: name at least one role the question is for"
    );
    let mut v = plain_value();
    v["areas"][0]["requirements"][0]["questions"][0]["roles"] = json!(["participant", "ceo"]);
    let text = pretty(&v);
    let line = text
        .lines()
        .position(|l| l.contains("\"ceo\""))
        .expect("the role is in the text")
        + 1;
    let err = Catalog::parse("x.json", &text);
    assert!(
        matches!(err, Err(CatalogError::Invalid { line: Some(l), .. }) if l == line),
        "{err:?} should name line {line}"
    );
    let message = err.map(|_| ()).unwrap_err().to_string();
    assert!(
        message.starts_with(&format!(
            "x.json, line {line}, areas[0].requirements[0].questions[0].roles[1]: "
        )),
        "{message}"
    );
    assert!(
        message.contains("the role \"ceo\" is not declared"),
        "{message}"
    );
}

/// A fault in the scale must be reported as such, not as the anchor mismatch it causes: the
/// realistic mistakes are a fidelity scale file whose items have their anchors but which forgot
/// the `scale` object (the file says `"kind": "fidelity_scale"`, so telling the author that
/// anchors need that kind is wrong), and a scale whose max is not above its min.
#[test]
fn scale_faults_are_named_before_the_anchor_mismatch_they_cause() {
    let mut v = fidelity_value();
    v.as_object_mut().unwrap().remove("scale");
    assert_eq!(
        refusal(&v),
        "x.json, scale: a fidelity scale needs \"scale\": {\"min\", \"max\", \"bands\"}"
    );
    let mut v = fidelity_value();
    v["scale"]["max"] = json!(1);
    assert_eq!(refusal(&v), "x.json, scale.max: must be above min (1)");
}

#[test]
fn valid_catalogs_parse_and_survive_a_round_trip() {
    let fidelity = catalog(&fidelity_value());
    assert_eq!(fidelity.kind, CatalogKind::FidelityScale);
    assert!(fidelity.is_fidelity_scale());
    assert_eq!(fidelity.requirement_count(), 3);
    let scale = fidelity.scale.clone().unwrap();
    assert_eq!((scale.min, scale.max), (1, 5));
    assert_eq!(
        scale.bands,
        [
            Band {
                min_total: 3,
                label: "low".into()
            },
            Band {
                min_total: 12,
                label: "good".into()
            }
        ]
    );
    assert_eq!(fidelity.areas[1].requirements[0].anchors.len(), 5);

    let plain = catalog(&plain_value());
    assert_eq!(plain.kind, CatalogKind::Requirements);
    assert_eq!(
        plain.areas[0].requirements[0].questions,
        [Question {
            roles: vec![RoleId::new("participant")],
            text: "Har du fått planen?".into()
        }]
    );

    // What the journal stores (the command as JSON) reads back as the same catalog.
    for c in [fidelity, plain] {
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(Catalog::parse("again.json", &text), Ok(c));
    }
    assert!(
        !serde_json::to_string(&catalog(&plain_value()))
            .unwrap()
            .contains("\"kind\""),
        "a plain catalog is written as before the kind existed"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. and 3. version diff, update, undo

/// Version 1 of catalog "test": the common small catalog, with a guide question on IP-1.
fn catalog_v1() -> Catalog {
    let mut c = common::small_catalog();
    c.areas[0].requirements[0].questions = vec![Question {
        roles: vec![RoleId::new("participant")],
        text: "Når fikk du planen?".into(),
    }];
    c
}

const IP2_REWORDED: &str = "Fremdriften gjennomgås med deltakeren minst hver tredje måned.";

/// Version 2: IP-1 is gone, IP-2 is reworded, IP-3 is new.
fn catalog_v2() -> Catalog {
    let mut c = catalog_v1();
    c.version = "2".into();
    let ip = &mut c.areas[0].requirements;
    ip.remove(0);
    ip[0].text = IP2_REWORDED.into();
    ip.push(CatalogRequirement {
        code: "IP-3".into(),
        title: "Sluttrapport".into(),
        text: "En sluttrapport sendes NAV når tiltaket avsluttes.".into(),
        guidance: String::new(),
        evidence_sources: vec!["sluttrapport".into()],
        questions: Vec::new(),
        anchors: Vec::new(),
    });
    c
}

struct Evidence {
    x: RequirementId,
    y: RequirementId,
    interview_id: InterviewId,
    excerpt_id: ExcerptId,
    finding_id: FindingId,
}

/// A case on catalog v1: an interview whose excerpt is linked to X = IP-1 (and Y = KOMP-1), the
/// guide question of X ticked, and a finding on X and Y resting on the excerpt.
fn case_with_evidence(path: &Path) -> (CaseStore, Evidence) {
    let mut store = new_case_with(path, Some(catalog_v1()));
    let snapshot = store.snapshot().unwrap();
    let x = requirement_id(&snapshot, "IP-1");
    let y = requirement_id(&snapshot, "KOMP-1");
    let notes = "Planen kom etter seks uker. Matrisen er oppdatert.";
    let interview_id = add_interview(&mut store, RoleId::new("participant"), notes);
    let (start, end) = interview::find_char_span(notes, "Planen kom etter seks uker.").unwrap();
    let excerpt_id = ExcerptId(
        store
            .apply(&Command::AddExcerpt {
                interview_id,
                start_char: start,
                end_char: end,
                links: vec![
                    RequirementLink {
                        requirement_id: x,
                        stance: Stance::Contradicts,
                    },
                    RequirementLink {
                        requirement_id: y,
                        stance: Stance::Supports,
                    },
                ],
                shareable: false,
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::SetQuestionCovered {
            interview_id,
            requirement_id: x,
            question: 0,
            covered: true,
        })
        .unwrap();
    let finding_id = FindingId(
        store
            .apply(&Command::AddFinding {
                kind: FindingKind::Deviation,
                finding: FindingFields {
                    title: "Planen kommer for sent".into(),
                    description: String::new(),
                },
                requirement_ids: vec![x, y],
                evidence: vec![EvidenceRef::Excerpt(excerpt_id)],
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    (
        store,
        Evidence {
            x,
            y,
            interview_id,
            excerpt_id,
            finding_id,
        },
    )
}

#[test]
fn diff_lists_added_reworded_and_removed_requirements_with_their_uses() {
    let dir = common::temp_dir();
    let (store, ev) = case_with_evidence(&common::case_path(&dir, "diff.evalcase"));
    let snapshot = store.snapshot().unwrap();
    let ip2 = requirement_id(&snapshot, "IP-2");
    let old_ip2_text = snapshot.requirement(ip2).unwrap().text.clone();

    let diff = catalog_update::diff(&snapshot, &catalog_v2());
    assert_eq!(
        (
            diff.catalog_id.as_str(),
            diff.from_version.as_str(),
            diff.to_version.as_str()
        ),
        ("test", "1", "2")
    );
    assert_eq!(
        diff.added,
        [Added {
            area: "Individuell plan".into(),
            code: "IP-3".into(),
            title: "Sluttrapport".into(),
        }]
    );
    assert_eq!(
        diff.reworded,
        [Reworded {
            id: ip2,
            code: "IP-2".into(),
            title: "Oppfølging".into(),
            changes: vec![Change {
                field: catalog_update::Field::Text,
                before: old_ip2_text,
                after: IP2_REWORDED.into(),
            }],
            uses: Uses::default(),
        }]
    );
    assert_eq!(
        diff.removed,
        [Removed {
            id: ev.x,
            code: "IP-1".into(),
            title: "Plan innen 4 uker".into(),
            uses: Uses {
                evidence: 1,
                findings: vec![ev.finding_id],
            },
        }]
    );
    assert!(!diff.is_empty());
    assert!(
        catalog_update::diff(&snapshot, &catalog_v1()).is_empty(),
        "the same catalog changes nothing"
    );
    assert_eq!(
        store.snapshot().unwrap(),
        snapshot,
        "a diff only reads the case"
    );
}

/// A requirement moved into an area that only the new version has: the diff names the area by
/// its title, as it names the old one, not by its code.
#[test]
fn diff_names_a_new_area_by_its_title() {
    let dir = common::temp_dir();
    let (mut store, _) = case_with_evidence(&common::case_path(&dir, "area.evalcase"));
    let mut v2 = catalog_v1();
    v2.version = "2".into();
    let komp1 = v2.areas.remove(1).requirements.remove(0);
    v2.areas.push(catalog::CatalogArea {
        code: "BEM".into(),
        title: "Bemanning".into(),
        requirements: vec![komp1],
    });
    let snapshot = store.snapshot().unwrap();
    let diff = catalog_update::diff(&snapshot, &v2);
    assert!(diff.added.is_empty() && diff.removed.is_empty(), "{diff:?}");
    assert_eq!(diff.reworded.len(), 1, "{diff:?}");
    assert_eq!(
        diff.reworded[0].changes,
        [Change {
            field: catalog_update::Field::Area,
            before: "Kompetanse".into(),
            after: "Bemanning".into(),
        }]
    );
    // Applying it moves the requirement and drops the emptied area.
    store
        .apply(&Command::UpdateCatalog { catalog: v2 })
        .unwrap();
    let after = store.snapshot().unwrap();
    assert_eq!(
        after
            .areas
            .iter()
            .map(|a| (a.code.as_str(), a.title.as_str()))
            .collect::<Vec<_>>(),
        [("IP", "Individuell plan"), ("BEM", "Bemanning")]
    );
    assert_eq!(
        after
            .requirement(requirement_id(&snapshot, "KOMP-1"))
            .unwrap()
            .area_code,
        "BEM"
    );
    store.undo().unwrap().unwrap();
    assert_eq!(store.snapshot().unwrap(), snapshot);
}

#[test]
fn accepting_an_update_moves_the_case_and_undo_restores_it_exactly() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "update.evalcase");
    let (mut store, ev) = case_with_evidence(&path);
    let before = store.snapshot().unwrap();
    let journal = store.journal_len().unwrap();
    let ip2 = requirement_id(&before, "IP-2");
    assert_eq!(
        before.interview(ev.interview_id).unwrap().covered_questions,
        [QuestionRef {
            requirement_id: ev.x,
            question: 0
        }]
    );

    let applied = store
        .apply(&Command::UpdateCatalog {
            catalog: catalog_v2(),
        })
        .unwrap();
    assert_eq!(applied.target, "catalog/test");
    let after = store.snapshot().unwrap();
    let info = after.catalog.clone().unwrap();
    assert_eq!((info.id.as_str(), info.version.as_str()), ("test", "2"));
    let codes: Vec<&str> = after.requirements.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["IP-2", "IP-3", "KOMP-1"]);
    assert!(after.requirement(ev.x).is_none(), "X is gone");
    assert_eq!(
        after.requirement(ip2).unwrap().text,
        IP2_REWORDED,
        "reworded in place, same id"
    );
    assert_eq!(requirement_id(&after, "KOMP-1"), ev.y);
    let ip3 = after.requirement(requirement_id(&after, "IP-3")).unwrap();
    assert_eq!(ip3.evidence_sources, ["sluttrapport"]);
    assert_eq!(after.areas, before.areas);

    // The evidence stays, without its link to X.
    let (interview, excerpt) = after.excerpt(ev.excerpt_id).expect("the excerpt stays");
    assert_eq!(interview.id, ev.interview_id);
    assert_eq!(excerpt.quote, "Planen kom etter seks uker.");
    assert_eq!(
        excerpt.links,
        [RequirementLink {
            requirement_id: ev.y,
            stance: Stance::Supports
        }]
    );
    assert!(
        interview.covered_questions.is_empty(),
        "the tick on X's question went with X"
    );
    let finding = after.finding(ev.finding_id).expect("the finding stays");
    assert_eq!(finding.requirement_ids, [ev.y]);
    assert_eq!(finding.evidence, [EvidenceRef::Excerpt(ev.excerpt_id)]);

    assert!(store.check().unwrap().is_healthy());
    assert_eq!(store.journal_len().unwrap(), journal + 1);
    assert_eq!(
        store.verify_journal().unwrap(),
        ChainCheck::Intact {
            entries: journal + 1
        }
    );

    // Undo brings X back with every link, the tick included; redo takes it away again.
    assert_eq!(store.undo().unwrap().unwrap().op, "update_catalog");
    assert_eq!(store.snapshot().unwrap(), before);
    assert!(store.check().unwrap().is_healthy());
    assert_eq!(store.redo().unwrap().unwrap().op, "update_catalog");
    assert_eq!(store.snapshot().unwrap(), after);
    assert!(store.check().unwrap().is_healthy());

    // And it is all in the file.
    store.close().unwrap();
    let store = CaseStore::open(&path).unwrap();
    assert_eq!(store.snapshot().unwrap(), after);
}

#[test]
fn an_update_from_another_catalog_or_the_same_version_is_refused_and_changes_nothing() {
    let dir = common::temp_dir();
    let (mut store, _) = case_with_evidence(&common::case_path(&dir, "refuse.evalcase"));

    let mut other = catalog_v2();
    other.id = "other".into();
    assert_refused(
        &mut store,
        &Command::UpdateCatalog { catalog: other },
        |r| matches!(r, Rejection::OtherCatalog { .. }),
    );

    let mut same_version = catalog_v2();
    same_version.version = "1".into();
    assert_refused(
        &mut store,
        &Command::UpdateCatalog {
            catalog: same_version,
        },
        |r| {
            *r == Rejection::SameCatalogVersion {
                catalog: "test".into(),
                version: "1".into(),
            }
        },
    );

    let mut scale = fidelity_value();
    scale["id"] = json!("test");
    scale["version"] = json!("2");
    assert_refused(
        &mut store,
        &Command::UpdateCatalog {
            catalog: catalog(&scale),
        },
        |r| matches!(r, Rejection::CatalogIsFidelityScale { .. }),
    );

    // A case without a catalog has nothing to update.
    let mut bare = new_case_with(&common::case_path(&dir, "bare.evalcase"), None);
    assert_refused(
        &mut bare,
        &Command::UpdateCatalog {
            catalog: catalog_v2(),
        },
        |r| *r == Rejection::NoCatalog,
    );
}

// ---------------------------------------------------------------------------------------------
// 4. guides and ticks

fn q(roles: &[&str], text: &str) -> Value {
    json!({"roles": roles, "text": text})
}

fn guide_value(version: &str, a1_questions: &[Value]) -> Value {
    json!({
        "format": "evalbench-catalog", "format_version": 1, "id": "guide", "version": version,
        "title": "Guidekatalog", "language": "nb", "source": "invented for tests",
        "areas": [
            {"code": "A", "title": "Arbeid", "requirements": [
                {"code": "A-1", "title": "Plan", "text": "Planen sendes innen fire uker.",
                 "questions": a1_questions},
                {"code": "A-2", "title": "Oppfølging", "text": "Oppfølging hver måned.",
                 "questions": [q(&["participant"], "Q-d")]}
            ]},
            {"code": "B", "title": "Bemanning", "requirements": [
                {"code": "B-1", "title": "Kompetanse", "text": "Kompetansen dokumenteres."}
            ]}
        ]
    })
}

fn qa() -> Value {
    q(&["participant"], "Q-a")
}
fn qb() -> Value {
    q(&["job_specialist", "participant"], "Q-b")
}
fn qc() -> Value {
    q(&["nav_manager"], "Q-c")
}

/// The texts of the questions ticked in an interview, in the order the case lists them.
fn ticked_texts(snapshot: &CaseSnapshot, interview_id: InterviewId) -> Vec<String> {
    snapshot
        .interview(interview_id)
        .unwrap()
        .covered_questions
        .iter()
        .map(|r| {
            snapshot.requirement(r.requirement_id).unwrap().questions[r.question]
                .text
                .clone()
        })
        .collect()
}

#[test]
fn guide_questions_are_ticked_and_ticks_follow_their_text_across_versions() {
    let dir = common::temp_dir();
    let mut store = new_case_with(
        &common::case_path(&dir, "guide.evalcase"),
        Some(catalog(&guide_value("1", &[qa(), qb(), qc()]))),
    );
    let snapshot = store.snapshot().unwrap();
    let a1 = requirement_id(&snapshot, "A-1");
    let a2 = requirement_id(&snapshot, "A-2");
    let at = |requirement_id, question| QuestionRef {
        requirement_id,
        question,
    };

    // The guide for a role lists that role's questions, grouped by area.
    let participant = guide::for_case(&snapshot, RoleId::new("participant"));
    assert_eq!(participant.role, RoleId::new("participant"));
    assert_eq!(participant.areas.len(), 1, "area B has no questions");
    assert_eq!(participant.areas[0].title, "Arbeid");
    let listed: Vec<(&str, &str, Option<QuestionRef>)> = participant
        .questions()
        .map(|g| (g.requirement_code.as_str(), g.text.as_str(), g.question))
        .collect();
    assert_eq!(
        listed,
        [
            ("A-1", "Q-a", Some(at(a1, 0))),
            ("A-1", "Q-b", Some(at(a1, 1))),
            ("A-2", "Q-d", Some(at(a2, 0))),
        ]
    );
    let manager = guide::for_case(&snapshot, RoleId::new("nav_manager"));
    assert_eq!(
        manager.questions().map(|g| g.question).collect::<Vec<_>>(),
        [Some(at(a1, 2))]
    );
    assert_eq!(
        guide::for_case(&snapshot, RoleId::new("provider_ceo")).question_count(),
        0
    );

    // Ticking off.
    let interview_id = add_interview(&mut store, RoleId::new("participant"), "Notater.");
    for (requirement_id, question) in [(a1, 1), (a1, 0), (a1, 1)] {
        store
            .apply(&Command::SetQuestionCovered {
                interview_id,
                requirement_id,
                question,
                covered: true,
            })
            .unwrap();
    }
    let snapshot = store.snapshot().unwrap();
    assert_eq!(
        snapshot.interview(interview_id).unwrap().covered_questions,
        [at(a1, 0), at(a1, 1)],
        "a second tick of the same question is one tick"
    );
    store
        .apply(&Command::SetQuestionCovered {
            interview_id,
            requirement_id: a1,
            question: 0,
            covered: false,
        })
        .unwrap();
    assert_eq!(
        store
            .snapshot()
            .unwrap()
            .interview(interview_id)
            .unwrap()
            .covered_questions,
        [at(a1, 1)]
    );
    store.undo().unwrap().unwrap();
    assert_eq!(
        ticked_texts(&store.snapshot().unwrap(), interview_id),
        ["Q-a", "Q-b"]
    );

    // Out of range, unknown requirement, unknown interview: refused.
    assert_refused(
        &mut store,
        &Command::SetQuestionCovered {
            interview_id,
            requirement_id: a1,
            question: 3,
            covered: true,
        },
        |r| {
            matches!(
                r,
                Rejection::NoGuideQuestion {
                    questions: 3,
                    question: 4,
                    ..
                }
            )
        },
    );
    assert_refused(
        &mut store,
        &Command::SetQuestionCovered {
            interview_id,
            requirement_id: requirement_id(&snapshot, "B-1"),
            question: 0,
            covered: true,
        },
        |r| matches!(r, Rejection::NoGuideQuestion { question: 1, .. }),
    );
    assert_refused(
        &mut store,
        &Command::SetQuestionCovered {
            interview_id,
            requirement_id: RequirementId(999),
            question: 0,
            covered: true,
        },
        |r| {
            *r == Rejection::Missing {
                entity: EntityRef::Requirement(RequirementId(999)),
            }
        },
    );
    assert_refused(
        &mut store,
        &Command::SetQuestionCovered {
            interview_id: InterviewId(999),
            requirement_id: a1,
            question: 0,
            covered: true,
        },
        |r| {
            *r == Rejection::Missing {
                entity: EntityRef::Interview(InterviewId(999)),
            }
        },
    );

    // Version 2 reorders A-1's questions: the ticks follow their text to the new places.
    let v2 = catalog(&guide_value("2", &[qb(), qc(), qa()]));
    let diff = catalog_update::diff(&store.snapshot().unwrap(), &v2);
    assert_eq!(diff.reworded.len(), 1);
    assert_eq!(diff.reworded[0].code, "A-1");
    assert_eq!(
        diff.reworded[0]
            .changes
            .iter()
            .map(|c| c.field)
            .collect::<Vec<_>>(),
        [catalog_update::Field::Questions]
    );
    store
        .apply(&Command::UpdateCatalog { catalog: v2 })
        .unwrap();
    let snapshot = store.snapshot().unwrap();
    assert_eq!(
        snapshot.interview(interview_id).unwrap().covered_questions,
        [at(a1, 0), at(a1, 2)]
    );
    assert_eq!(ticked_texts(&snapshot, interview_id), ["Q-b", "Q-a"]);
    let participant = guide::for_case(&snapshot, RoleId::new("participant"));
    let listed: Vec<(&str, Option<QuestionRef>)> = participant
        .questions()
        .map(|g| (g.text.as_str(), g.question))
        .collect();
    assert_eq!(
        listed,
        [
            ("Q-b", Some(at(a1, 0))),
            ("Q-a", Some(at(a1, 2))),
            ("Q-d", Some(at(a2, 0)))
        ]
    );
    assert!(store.check().unwrap().is_healthy());
    let after_v2 = snapshot;

    // Version 3 drops Q-b: its tick goes, the tick on Q-a follows it to index 1.
    store
        .apply(&Command::UpdateCatalog {
            catalog: catalog(&guide_value("3", &[qc(), qa()])),
        })
        .unwrap();
    let snapshot = store.snapshot().unwrap();
    assert_eq!(
        snapshot.interview(interview_id).unwrap().covered_questions,
        [at(a1, 1)]
    );
    assert_eq!(ticked_texts(&snapshot, interview_id), ["Q-a"]);
    assert!(store.check().unwrap().is_healthy());

    store.undo().unwrap().unwrap();
    assert_eq!(
        store.snapshot().unwrap(),
        after_v2,
        "undo puts the ticks back"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. fidelity review

fn set_score(item_id: FidelityItemId, rater: Rater, score: u8) -> Command {
    Command::SetFidelityScore {
        item_id,
        rater,
        score,
        rationale: String::new(),
        evidence: Vec::new(),
    }
}

#[test]
fn a_fidelity_review_is_adopted_scored_and_summed() {
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "fidelity.evalcase"));
    assert!(store.snapshot().unwrap().fidelity.is_none());

    // A plain catalog is not a scale.
    assert_refused(
        &mut store,
        &Command::AdoptFidelityScale {
            catalog: common::small_catalog(),
        },
        |r| matches!(r, Rejection::NotAFidelityScale { .. }),
    );
    // Nothing to score before a scale is adopted.
    assert_refused(
        &mut store,
        &set_score(FidelityItemId(1), Rater::First, 3),
        |r| *r == Rejection::NoFidelityReview,
    );

    let applied = store
        .apply(&Command::AdoptFidelityScale {
            catalog: catalog(&fidelity_value()),
        })
        .unwrap();
    assert_eq!(applied.target, "fidelity/fid");
    let review = store.snapshot().unwrap().fidelity.expect("adopted");
    assert_eq!(review.catalog_id, "fid");
    assert_eq!((review.min, review.max), (1, 5));
    assert_eq!(review.items.len(), 3);
    assert_eq!(
        review
            .sections
            .iter()
            .map(|s| (s.code.as_str(), s.title.as_str()))
            .collect::<Vec<_>>(),
        [("S1", "Bemanning"), ("S2", "Tjenester")]
    );
    assert_eq!(
        review
            .items
            .iter()
            .map(|i| (i.section_code.as_str(), i.code.as_str()))
            .collect::<Vec<_>>(),
        [("S1", "F-1"), ("S1", "F-2"), ("S2", "F-3")]
    );
    assert_eq!(review.items[0].anchors.len(), 5);
    assert!(review.scores.is_empty());
    let items: Vec<FidelityItemId> = review.items.iter().map(|i| i.id).collect();

    // One scale per case; the requirements are not touched.
    let mut again = fidelity_value();
    again["id"] = json!("fid-2");
    assert_refused(
        &mut store,
        &Command::AdoptFidelityScale {
            catalog: catalog(&again),
        },
        |r| *r == Rejection::FidelityScaleAlreadyAdopted,
    );
    assert_eq!(store.snapshot().unwrap().requirements.len(), 3);

    // Two raters; they disagree on the second item.
    for (item, first, second) in [(items[0], 3, 3), (items[1], 4, 2), (items[2], 5, 5)] {
        store.apply(&set_score(item, Rater::First, first)).unwrap();
        store
            .apply(&set_score(item, Rater::Second, second))
            .unwrap();
    }
    let review = store.snapshot().unwrap().fidelity.unwrap();
    assert_eq!(review.disagreements(), [items[1]]);
    assert_eq!(review.awaiting_consensus(), items);
    assert_eq!(review.score(items[1], Rater::Second).unwrap().score, 2);
    let first = review.totals(Rater::First);
    assert_eq!((first.scored, first.total, first.max_total), (3, 12, 15));
    assert_eq!(first.band.as_deref(), Some("good"));

    // Blind until both have delivered: no consensus yet; a delivery fixes that rater's scores,
    // and can be taken back only until the other has delivered.
    assert_refused(&mut store, &set_score(items[0], Rater::Consensus, 3), |r| {
        *r == Rejection::FidelityStillBlind
    });
    store
        .apply(&Command::SealFidelityScores {
            rater: Rater::First,
        })
        .unwrap();
    assert_refused(&mut store, &set_score(items[0], Rater::First, 1), |r| {
        *r == Rejection::FidelitySealed {
            rater: Rater::First,
        }
    });
    store.undo().unwrap();
    assert!(
        !store
            .snapshot()
            .unwrap()
            .fidelity
            .unwrap()
            .is_sealed(Rater::First)
    );
    for rater in [Rater::First, Rater::Second] {
        store.apply(&Command::SealFidelityScores { rater }).unwrap();
    }
    assert_refused(
        &mut store,
        &Command::UnsealFidelityScores {
            rater: Rater::Second,
        },
        |r| *r == Rejection::FidelityBothSealed,
    );

    // Scores off the scale, unknown items and evidence that does not exist are refused.
    assert_refused(&mut store, &set_score(items[0], Rater::Consensus, 6), |r| {
        *r == Rejection::ScoreOutsideScale {
            score: 6,
            min: 1,
            max: 5,
        }
    });
    assert_refused(&mut store, &set_score(items[0], Rater::Consensus, 0), |r| {
        matches!(r, Rejection::ScoreOutsideScale { .. })
    });
    assert_refused(
        &mut store,
        &set_score(FidelityItemId(999), Rater::Consensus, 3),
        |r| {
            *r == Rejection::Missing {
                entity: EntityRef::FidelityItem(FidelityItemId(999)),
            }
        },
    );
    assert_refused(
        &mut store,
        &Command::SetFidelityScore {
            item_id: items[0],
            rater: Rater::Consensus,
            score: 3,
            rationale: String::new(),
            evidence: vec![EvidenceRef::Excerpt(ExcerptId(999))],
        },
        |r| {
            *r == Rejection::Missing {
                entity: EntityRef::Excerpt(ExcerptId(999)),
            }
        },
    );
    assert_refused(
        &mut store,
        &Command::SetFidelityScore {
            item_id: items[0],
            rater: Rater::Consensus,
            score: 3,
            rationale: String::new(),
            evidence: vec![EvidenceRef::DocumentReview(DocumentReviewId(999))],
        },
        |r| {
            *r == Rejection::Missing {
                entity: EntityRef::DocumentReview(DocumentReviewId(999)),
            }
        },
    );

    // Consensus, the first item resting on an excerpt.
    let notes = "Teamet har tre jobbspesialister.";
    let interview_id = add_interview(&mut store, RoleId::new("measure_leader"), notes);
    let excerpt_id = ExcerptId(
        store
            .apply(&Command::AddExcerpt {
                interview_id,
                start_char: 0,
                end_char: notes.chars().count(),
                links: vec![],
                shareable: false,
            })
            .unwrap()
            .created_id
            .unwrap(),
    );
    store
        .apply(&Command::SetFidelityScore {
            item_id: items[0],
            rater: Rater::Consensus,
            score: 4,
            rationale: "  Tre spesialister.  ".into(),
            evidence: vec![EvidenceRef::Excerpt(excerpt_id)],
        })
        .unwrap();
    store
        .apply(&set_score(items[1], Rater::Consensus, 3))
        .unwrap();
    store
        .apply(&set_score(items[2], Rater::Consensus, 5))
        .unwrap();
    let review = store.snapshot().unwrap().fidelity.unwrap();
    let consensus = review.score(items[0], Rater::Consensus).unwrap();
    assert_eq!(consensus.rationale, "Tre spesialister.");
    assert_eq!(consensus.evidence, [EvidenceRef::Excerpt(excerpt_id)]);
    assert!(review.awaiting_consensus().is_empty());
    let totals = review.totals(Rater::Consensus);
    assert_eq!((totals.scored, totals.total, totals.max_total), (3, 12, 15));
    assert_eq!(
        totals.sections,
        [("S1".to_owned(), 7, 10), ("S2".to_owned(), 5, 5)]
    );
    assert_eq!(totals.band.as_deref(), Some("good"));

    // Re-scoring replaces the score.
    store
        .apply(&set_score(items[1], Rater::Consensus, 2))
        .unwrap();
    let totals = store
        .snapshot()
        .unwrap()
        .fidelity
        .unwrap()
        .totals(Rater::Consensus);
    assert_eq!((totals.scored, totals.total), (3, 11));
    assert_eq!(totals.band.as_deref(), Some("low"));

    // Clearing a score makes the total incomplete: no band.
    store
        .apply(&Command::ClearFidelityScore {
            item_id: items[2],
            rater: Rater::Consensus,
        })
        .unwrap();
    let review = store.snapshot().unwrap().fidelity.unwrap();
    assert!(review.score(items[2], Rater::Consensus).is_none());
    let totals = review.totals(Rater::Consensus);
    assert_eq!((totals.scored, totals.total), (2, 6));
    assert_eq!(totals.band, None);
    assert_eq!(review.awaiting_consensus(), [items[2]]);
    assert_refused(
        &mut store,
        &Command::ClearFidelityScore {
            item_id: items[2],
            rater: Rater::Consensus,
        },
        |r| {
            matches!(
                r,
                Rejection::NoScore {
                    rater: Rater::Consensus,
                    ..
                }
            )
        },
    );

    // Evidence deleted later is left out of the score, not shown dangling.
    store.apply(&Command::DeleteExcerpt { excerpt_id }).unwrap();
    let review = store.snapshot().unwrap().fidelity.unwrap();
    assert!(
        review
            .score(items[0], Rater::Consensus)
            .unwrap()
            .evidence
            .is_empty()
    );
    assert!(store.check().unwrap().is_healthy());
}

#[test]
fn adopting_a_fidelity_scale_is_undoable_and_never_mixed_with_requirements() {
    let dir = common::temp_dir();
    // A fidelity scale is not a requirement catalog, even for a case without one.
    let mut bare = new_case_with(&common::case_path(&dir, "bare.evalcase"), None);
    assert_refused(
        &mut bare,
        &Command::AdoptCatalog {
            catalog: catalog(&fidelity_value()),
        },
        |r| matches!(r, Rejection::CatalogIsFidelityScale { .. }),
    );
    assert!(bare.snapshot().unwrap().requirements.is_empty());

    let before = bare.snapshot().unwrap();
    bare.apply(&Command::AdoptFidelityScale {
        catalog: catalog(&fidelity_value()),
    })
    .unwrap();
    let item = bare.snapshot().unwrap().fidelity.unwrap().items[0].id;
    bare.apply(&set_score(item, Rater::First, 2)).unwrap();
    let adopted = bare.snapshot().unwrap();
    assert!(
        adopted.requirements.is_empty(),
        "no requirements came with it"
    );
    assert!(
        adopted.catalog.is_none(),
        "a fidelity scale is not the case's requirement catalog"
    );
    bare.undo().unwrap().unwrap();
    bare.undo().unwrap().unwrap();
    assert_eq!(bare.snapshot().unwrap(), before);
    bare.redo().unwrap().unwrap();
    bare.redo().unwrap().unwrap();
    assert_eq!(bare.snapshot().unwrap(), adopted);
    assert!(bare.check().unwrap().is_healthy());
}

// ---------------------------------------------------------------------------------------------
// 6. the shipped catalogs

#[test]
fn shipped_requirement_catalogs_have_questions_for_every_role() {
    let all = catalog::builtin_all().expect("the shipped catalogs parse");
    assert!(!all.is_empty());
    let mut missing = Vec::new();
    for c in all.iter().filter(|c| !c.is_fidelity_scale()) {
        let lacking: Vec<RoleId> = c
            .programme()
            .role_ids()
            .filter(|role| guide::for_catalog(c, (*role).clone()).question_count() == 0)
            .cloned()
            .collect();
        if !lacking.is_empty() {
            missing.push(format!("{}: {lacking:?}", c.id));
        }
    }
    assert!(
        missing.is_empty(),
        "shipped catalogs without a question for some roles:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_shipped_fidelity_scale_has_25_items_in_3_sections() {
    let all = catalog::builtin_all().expect("the shipped catalogs parse");
    let ips = all
        .iter()
        .find(|c| c.id == "ips-fidelity")
        .expect("the IPS fidelity scale is shipped");
    assert_eq!(ips.kind, CatalogKind::FidelityScale);
    assert_eq!(ips.areas.len(), 3);
    assert_eq!(ips.requirement_count(), 25);
    let scale = ips.scale.as_ref().unwrap();
    assert_eq!(u32::from(scale.max) * ips.requirement_count() as u32, 125);

    // And as a case's review.
    let dir = common::temp_dir();
    let mut store = common::new_case(&common::case_path(&dir, "ips.evalcase"));
    store
        .apply(&Command::AdoptFidelityScale {
            catalog: ips.clone(),
        })
        .unwrap();
    let review = store.snapshot().unwrap().fidelity.unwrap();
    assert_eq!(review.items.len(), 25);
    assert_eq!(review.sections.len(), 3);
    assert_eq!(review.totals(Rater::Consensus).max_total, 125);
}
