//! The programme as catalog data: roles and source groups declared by the catalog drive the
//! interviews, the guide, the coverage matrix and the report; an older AFT case migrates onto
//! the AFT catalog's roles unchanged; a catalog that names what it does not declare is refused
//! with its file, line and reason.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use evalbench::catalog::{Catalog, CatalogError};
use evalbench::command::Command;
use evalbench::domain::coverage::{Source, coverage};
use evalbench::domain::*;
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

/// A catalog of its own: a county and a training company beside the provider, apprentices as
/// participants. Four source groups, so the matrix has five columns.
const APPRENTICE_CATALOG: &str = r#"{
  "format": "evalbench-catalog",
  "format_version": 1,
  "id": "test-apprentice",
  "version": "1",
  "title": "Lærekandidater (test)",
  "language": "nb",
  "source": "invented for tests",
  "source_groups": [
    {"id": "county", "names": {"nb": "Fylket", "en": "County"}, "colour": 0},
    {"id": "provider", "names": {"nb": "Arrangør", "en": "Provider"}, "colour": 1},
    {"id": "company", "names": {"nb": "Lærebedrift", "en": "Training company"}, "colour": 3},
    {"id": "candidates", "names": {"nb": "Lærekandidater", "en": "Candidates"}, "colour": 2}
  ],
  "roles": [
    {"id": "county_adviser", "names": {"nb": "Rådgiver i fylket", "en": "County adviser"}, "group": "county"},
    {"id": "coordinator", "names": {"nb": "Koordinator", "en": "Coordinator"}, "group": "provider"},
    {"id": "instructor", "names": {"nb": "Instruktør", "en": "Instructor"}, "group": "company"},
    {"id": "candidate", "names": {"nb": "Lærekandidat", "en": "Candidate"}, "group": "candidates", "participant": true}
  ],
  "stages": [
    {"id": "first_year", "names": {"nb": "Første år", "en": "First year"}},
    {"id": "second_year", "names": {"nb": "Andre år", "en": "Second year"}}
  ],
  "areas": [
    {"code": "PLAN", "title": "Opplæringsplan", "requirements": [
      {"code": "PLAN-1", "title": "Plan før start", "text": "Hver kandidat har en opplæringsplan før start.",
       "questions": [
         {"roles": ["instructor", "coordinator"], "text": "Når ble planen laget, og hvem var med?"},
         {"roles": ["candidate"], "text": "Vet du hva du skal lære dette halvåret?"}
       ]},
      {"code": "PLAN-2", "title": "Vurdering", "text": "Kompetansen vurderes hvert halvår.",
       "questions": [{"roles": ["county_adviser"], "text": "Hvordan følger fylket opp vurderingene?"}]}
    ]}
  ]
}"#;

fn apprentice_catalog() -> Catalog {
    Catalog::parse("apprentice.json", APPRENTICE_CATALOG).expect("the test catalog is valid")
}

/// A new case under the apprentice catalog, and its first requirement.
fn apprentice_case(path: &std::path::Path) -> (CaseStore, RequirementId) {
    let store = CaseStore::create(path, |store| {
        store.apply(&Command::AdoptCatalog {
            catalog: apprentice_catalog(),
        })?;
        Ok(())
    })
    .expect("created");
    let requirement = store.snapshot().expect("read").requirements[0].id;
    (store, requirement)
}

fn interview(role: &str) -> InterviewFields {
    InterviewFields {
        date: jiff::civil::date(2026, 3, 2),
        role: RoleId::new(role),
        interviewees: vec!["K-01".into()],
        stage: None,
        setting: InterviewSetting::Individual,
        channel: InterviewChannel::InPerson,
    }
}

fn created(store: &mut CaseStore, command: &Command) -> i64 {
    store
        .apply(command)
        .expect("applied")
        .created_id
        .expect("an id")
}

/// Adds an interview with one excerpt linked to `requirement`.
fn interview_with_excerpt(store: &mut CaseStore, role: &str, requirement: RequirementId) {
    let notes = "Planen ble laget sammen med kandidaten i uke to.";
    let interview_id = InterviewId(created(
        store,
        &Command::AddInterview {
            interview: interview(role),
            notes: notes.into(),
        },
    ));
    created(
        store,
        &Command::AddExcerpt {
            interview_id,
            start_char: 0,
            end_char: 9,
            links: vec![RequirementLink {
                requirement_id: requirement,
                stance: Stance::Supports,
            }],
            shareable: false,
        },
    );
}

#[test]
fn a_catalogs_own_roles_drive_interviews_guide_matrix_and_report() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "apprentice.evalcase");
    let mut store = CaseStore::create(&path, |store| {
        store.apply(&Command::UpdateCaseFacts {
            facts: common::facts(),
        })?;
        store.apply(&Command::AdoptCatalog {
            catalog: apprentice_catalog(),
        })?;
        Ok(())
    })
    .expect("created");
    let plan_1 = store.snapshot().expect("read").requirements[0].id;
    for role in ["instructor", "candidate", "county_adviser"] {
        interview_with_excerpt(&mut store, role, plan_1);
    }

    // An AFT role is not one of this programme's.
    let refused = store.apply(&Command::AddInterview {
        interview: interview("job_specialist"),
        notes: String::new(),
    });
    assert!(
        matches!(&refused, Err(evalbench::store::StoreError::Rejected(Rejection::UndeclaredRole { role })) if role == "job_specialist"),
        "{refused:?}"
    );
    // A course stage is only for the participants' role, which the catalog names.
    let mut staged = interview("candidate");
    staged.stage = Some(StageId::new("completing"));
    let refused = store.apply(&Command::AddInterview {
        interview: staged.clone(),
        notes: String::new(),
    });
    assert!(
        matches!(&refused, Err(evalbench::store::StoreError::Rejected(Rejection::UndeclaredStage { stage })) if stage == "completing"),
        "an AFT stage is not this programme's: {refused:?}"
    );
    staged.stage = Some(StageId::new("second_year"));
    store
        .apply(&Command::AddInterview {
            interview: staged.clone(),
            notes: String::new(),
        })
        .expect("a candidate has a stage");
    staged.role = RoleId::new("instructor");
    assert!(
        store
            .apply(&Command::AddInterview {
                interview: staged,
                notes: String::new(),
            })
            .is_err()
    );

    let snapshot = store.snapshot().expect("read");
    assert_eq!(snapshot.programme.roles.len(), 4);
    assert!(snapshot.programme.is_participant(&RoleId::new("candidate")));

    // The guide: the questions for the role, named as the catalog names it.
    let guide = evalbench::guide::for_case(&snapshot, RoleId::new("instructor"));
    assert_eq!(guide.question_count(), 1);
    let markdown = evalbench::guide::markdown(&guide, "Lærekandidater", Lang::Nb);
    assert!(markdown.contains("Instruktør"), "{markdown}");
    assert!(markdown.contains("Når ble planen laget"), "{markdown}");
    assert_eq!(
        evalbench::guide::for_case(&snapshot, RoleId::new("county_adviser")).question_count(),
        1
    );

    // The matrix: one column per declared group in the catalog's order, then documents; each
    // excerpt under its role's group.
    let matrix = coverage(&snapshot);
    let group = |id: &str| Source::Group(GroupId::new(id));
    assert_eq!(
        matrix.sources,
        [
            group("county"),
            group("provider"),
            group("company"),
            group("candidates"),
            Source::Documents
        ]
    );
    let counts: Vec<usize> = matrix.rows[0]
        .cells
        .iter()
        .map(evalbench::domain::coverage::Cell::count)
        .collect();
    assert_eq!(counts, [1, 0, 1, 1, 0]);
    assert_eq!(matrix.rows[0].sources(), 3);

    // The report counts interviews by the catalog's role names.
    let report = evalbench::export::markdown::report(&snapshot, Lang::En);
    assert!(report.contains("| Instructor | 1 |"), "{report}");
    assert!(report.contains("| Candidate | 2 |"), "{report}");
    assert!(!report.contains("Job specialist"), "{report}");

    // The participants' personal data is that of the declared participant role.
    let personal = PersonalData::in_case(&snapshot);
    assert_eq!(personal.interview_notes, 1);
    assert_eq!(personal.participant_codes, 2);
}

#[test]
fn a_new_catalog_version_may_not_drop_a_role_in_use() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "update.evalcase");
    let (mut store, requirement) = apprentice_case(&path);
    interview_with_excerpt(&mut store, "county_adviser", requirement);

    let without_county = APPRENTICE_CATALOG
        .replace(r#""version": "1""#, r#""version": "2""#)
        .replace(
            r#"{"id": "county_adviser", "names": {"nb": "Rådgiver i fylket", "en": "County adviser"}, "group": "county"},"#,
            r#"{"id": "county_officer", "names": {"nb": "Saksbehandler i fylket"}, "group": "county"},"#,
        )
        .replace(r#""roles": ["county_adviser"]"#, r#""roles": ["county_officer"]"#);
    let catalog = Catalog::parse("v2.json", &without_county).expect("valid on its own");
    let before = store.snapshot().expect("read");
    let refused = store.apply(&Command::UpdateCatalog { catalog });
    assert!(
        matches!(&refused, Err(evalbench::store::StoreError::Rejected(Rejection::RoleStillUsed { role, count: 1 })) if role == "county_adviser"),
        "{refused:?}"
    );
    assert_eq!(
        store.snapshot().expect("read"),
        before,
        "a refused update changes nothing"
    );
}

/// The refusal for `text`, as `catalog import` would report it.
fn refusal(text: &str) -> CatalogError {
    Catalog::parse("custom.json", text).expect_err("refused")
}

#[test]
fn a_catalog_naming_what_it_does_not_declare_is_refused_with_file_line_and_reason() {
    // A question for a role the catalog does not declare.
    let text = APPRENTICE_CATALOG.replace(
        r#""roles": ["county_adviser"]"#,
        r#""roles": ["county_adviser", "mentor"]"#,
    );
    let error = refusal(&text);
    let line = 1 + text[..text.find("\"mentor\"").expect("there")]
        .matches('\n')
        .count();
    let CatalogError::Invalid {
        file,
        line: Some(reported),
        path,
        message,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(file, "custom.json");
    assert_eq!(*reported, line);
    assert_eq!(path, "areas[0].requirements[1].questions[0].roles[1]");
    assert!(message.contains("\"mentor\" is not declared"), "{message}");
    assert!(message.contains("county_adviser, coordinator, instructor, candidate"));
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!("custom.json, line {line}, areas[0]")),
        "{shown}"
    );

    // A role in a group that does not exist.
    let text = APPRENTICE_CATALOG.replace(r#""group": "company""#, r#""group": "workplace""#);
    let error = refusal(&text);
    assert!(
        matches!(&error, CatalogError::Invalid { path, message, line: Some(_), .. }
            if path == "roles[2].group" && message.contains("\"workplace\" is not declared")),
        "{error:?}"
    );

    // Roles without source groups, a group nobody belongs to, a colour out of range, a name
    // missing in the catalog's language, an id that is not one.
    for (from, to, expected) in [
        (r#""source_groups": ["#, r#""unused": ["#, "unknown field"),
        (
            r#""group": "county"}"#,
            r#""group": "provider"}"#,
            "no role belongs to source group \"county\"",
        ),
        (r#""colour": 3"#, r#""colour": 6"#, "not a colour slot"),
        (
            r#"{"nb": "Koordinator", "en": "Coordinator"}"#,
            r#"{"en": "Coordinator"}"#,
            "catalog's language, \"nb\"",
        ),
        (
            r#""id": "instructor""#,
            r#""id": "Instruktør""#,
            "is not an id",
        ),
    ] {
        let text = APPRENTICE_CATALOG.replacen(from, to, 1);
        assert_ne!(text, APPRENTICE_CATALOG, "{from}");
        let shown = refusal(&text).to_string();
        assert!(shown.contains(expected), "{from}: {shown}");
    }
    let only_roles = APPRENTICE_CATALOG.replacen(r#""source_groups": ["#, r#""x": ["#, 1);
    assert!(Catalog::parse("x.json", &only_roles).is_err());
}

#[test]
fn the_cli_refuses_an_undeclared_role_with_the_files_line_and_changes_nothing() {
    let dir = common::temp_dir();
    let file = dir.path().join("custom.json");
    let text = APPRENTICE_CATALOG.replace(
        r#""roles": ["candidate"]"#,
        r#""roles": ["job_specialist"]"#,
    );
    std::fs::write(&file, &text).expect("written");
    let out = common::cli(dir.path(), &["catalog", "import", "custom.json"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = 1 + text[..text.find("job_specialist").expect("there")]
        .matches('\n')
        .count();
    assert!(
        stderr.contains(&format!("custom.json, line {line}, "))
            && stderr.contains("\"job_specialist\" is not declared"),
        "{stderr}"
    );
    let list = common::cli(dir.path(), &["catalog", "list"]);
    assert!(!String::from_utf8_lossy(&list.stdout).contains("test-apprentice"));

    // The same file with the role declared imports, and its guide is for its own roles.
    std::fs::write(&file, APPRENTICE_CATALOG).expect("written");
    let out = common::cli(dir.path(), &["catalog", "import", "custom.json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::cli(
        dir.path(),
        &[
            "catalog",
            "guide",
            "test-apprentice",
            "--role",
            "candidate",
            "--lang",
            "en",
        ],
    );
    let guide = String::from_utf8_lossy(&out.stdout);
    assert!(
        guide.contains("Candidate") && guide.contains("Vet du hva"),
        "{guide}"
    );
    let out = common::cli(
        dir.path(),
        &[
            "catalog",
            "guide",
            "test-apprentice",
            "--role",
            "participant",
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("county_adviser, coordinator, instructor, candidate")
    );
}

/// Takes the demo case (an AFT case) back to schema 8: before programmes (18), team work's
/// identities (10) and the plan import's memory (9).
fn as_schema_8(path: &std::path::Path) {
    common::schema_back_to_10(path);
    let conn = rusqlite::Connection::open(path).expect("opens");
    for table in [
        "interview",
        "excerpt",
        "document_review",
        "finding",
        "action",
        "plan_import_row",
    ] {
        conn.execute_batch(&format!(
            "DROP INDEX {table}_uuid; ALTER TABLE {table} DROP COLUMN uuid;"
        ))
        .expect("uuids dropped");
    }
    conn.execute_batch(
        "DROP TABLE merged_journal; DROP TABLE plan_import_row; PRAGMA user_version = 8;",
    )
    .expect("back to 8");
}

#[test]
fn an_aft_case_from_schema_8_keeps_every_role_and_every_coverage_cell() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "older.evalcase");
    evalbench::demo::write_demo(&path).expect("demo");
    let before = CaseStore::open(&path)
        .expect("opens")
        .snapshot()
        .expect("read");
    assert!(before.interviews.len() >= 8);

    as_schema_8(&path);
    assert_eq!(evalbench::store::inspect(&path).expect("inspected"), 8);
    let after = CaseStore::open(&path)
        .expect("upgrades")
        .snapshot()
        .expect("read");

    // The programme is the AFT catalog's, written into the file by the upgrade.
    assert_eq!(&after.programme, Programme::standard());
    let conn = rusqlite::Connection::open(&path).expect("opens");
    let stored: String = conn
        .query_row("SELECT programme FROM case_info", [], |row| row.get(0))
        .expect("written by the migration");
    assert!(stored.contains("\"job_specialist\""));

    // Every interview keeps its role, and the JSON export says the same of it.
    let roles = |s: &CaseSnapshot| {
        s.interviews
            .iter()
            .map(|i| (i.id, i.fields.role.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(roles(&after), roles(&before));
    let json = |s: &CaseSnapshot| {
        let value: serde_json::Value =
            serde_json::from_str(&evalbench::export::json::to_json(s).expect("json"))
                .expect("parses");
        value["case"]["interviews"].clone()
    };
    assert_eq!(json(&after), json(&before));

    // Every coverage cell holds the same evidence.
    let (a, b) = (coverage(&before), coverage(&after));
    assert_eq!(a.sources, b.sources);
    assert_eq!(a.rows, b.rows);
    assert!(a.rows.iter().any(|r| r.sources() >= 3));
}

#[test]
fn the_network_compares_sides_by_source_group_and_says_when_catalogs_differ() {
    use evalbench::network::{CaseSummary, Overview};
    let dir = common::temp_dir();
    let aft = common::case_path(&dir, "aft.evalcase");
    evalbench::demo::write_demo(&aft).expect("demo");
    let aft = CaseStore::open(&aft)
        .expect("opens")
        .snapshot()
        .expect("read");
    let path = common::case_path(&dir, "apprentice.evalcase");
    let (mut store, requirement) = apprentice_case(&path);
    interview_with_excerpt(&mut store, "coordinator", requirement);
    interview_with_excerpt(&mut store, "candidate", requirement);
    let apprentice = store.snapshot().expect("read");

    // Alone, the AFT case's sides are NAV, the provider and the participants.
    let alone = Overview::of(vec![CaseSummary::of(&aft)], Vec::new());
    assert!(alone.sources_match());
    let groups: Vec<&str> = alone.sources.iter().map(|s| s.group.as_str()).collect();
    assert_eq!(groups, ["nav", "provider", "participants"]);
    let participants = &alone.sources[2];
    assert_eq!(
        participants.interviews,
        aft.interviews
            .iter()
            .filter(|i| aft.programme.is_participant(&i.fields.role))
            .count()
    );
    assert_eq!(participants.requirements, aft.requirements.len());

    // Together: «provider» is one side in both catalogs and is compared; the others are each
    // counted only where they exist, and the overview says the catalogs differ.
    let both = Overview::of(
        vec![CaseSummary::of(&aft), CaseSummary::of(&apprentice)],
        Vec::new(),
    );
    assert!(!both.sources_match());
    assert_eq!(both.source_sets.len(), 2);
    let row = |id: &str| both.sources.iter().find(|s| s.group == id).expect(id);
    assert_eq!(row("provider").cases, 2);
    assert_eq!(
        row("provider").interviews,
        alone.sources[1].interviews + 1,
        "the coordinator counts with the AFT case's provider staff"
    );
    assert_eq!(row("nav").cases, 1);
    assert_eq!(row("candidates").cases, 1);
    assert_eq!(row("candidates").requirements_with_evidence, 1);
    assert_eq!(row("county").interviews, 0);
    let said = evalbench::network::sources_differ(&both, Lang::En);
    assert!(
        said.contains("NAV, Provider, Participants (1 case)")
            && said.contains("County, Provider, Training company, Candidates (1 case)"),
        "{said}"
    );
}

#[test]
fn the_vta_catalog_declares_its_own_sides_and_roles() {
    let vta = evalbench::catalog::builtin_for(Measure::Vta).expect("shipped");
    let programme = vta.programme();
    let groups: Vec<&str> = programme
        .source_groups
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    assert_eq!(groups, ["nav", "provider", "employees"]);
    assert!(programme.is_participant(&RoleId::new("vta_employee")));
    assert!(programme.role(&RoleId::new("job_specialist")).is_none());
    assert_eq!(
        programme.role_name(&RoleId::new("work_leader"), "nb"),
        "Arbeidsleder"
    );
    for role in ["work_leader", "vta_employee", "nav_adviser"] {
        let guide = evalbench::guide::for_catalog(&vta, RoleId::new(role));
        assert!(guide.question_count() >= 3, "{role}");
    }
    // VTA has no course stages: an employee's interview has none to pick.
    assert!(programme.stages.is_empty());
}
