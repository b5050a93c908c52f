//! The notice to the provider (varsel): the documents asked for (each once, in the order
//! asked), marked received and turned into reviews; the interviews planned per role; and the
//! letter, as PDF (read back by poppler) and DOCX (opened by docx-rs and converted by
//! LibreOffice), naming the documents and the interviews by role — and no participant.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;
use std::process::Command as Process;

use evalbench::command::Command;
use evalbench::domain::{DocumentKind, Rejection, RoleId};
use evalbench::store::{CaseStore, StoreError};

fn evalbench(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = common::cli(dir, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn requested_documents_are_asked_once_received_and_reviewed() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    // The demo's notice asked for its reviewed documents and two more.
    let demo = store.snapshot().unwrap();
    let reviews_before = demo.document_reviews.len();
    let base = demo.requested_documents.len();
    assert_eq!(base, reviews_before + 2);
    assert!(
        demo.requested_documents[..reviews_before]
            .iter()
            .all(|d| d.document_review_id.is_some() && d.received_on.is_some())
    );
    store
        .apply(&Command::RequestDocuments {
            titles: vec!["Øvingsplaner".into(), " Planmal ".into()],
        })
        .unwrap();
    // Asked for again (in another case of letters): not added twice.
    store
        .apply(&Command::RequestDocuments {
            titles: vec!["øVINGSPLANER".into(), "Oppmøtelister".into()],
        })
        .unwrap();
    assert!(matches!(
        store.apply(&Command::RequestDocuments {
            titles: vec!["  ".into()]
        }),
        Err(StoreError::Rejected(Rejection::Empty { .. }))
    ));
    let case = store.snapshot().unwrap();
    let titles: Vec<&str> = case.requested_documents[base..]
        .iter()
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(titles, ["Øvingsplaner", "Planmal", "Oppmøtelister"]);
    assert!(
        case.requested_documents[base..]
            .iter()
            .all(|d| d.received_on.is_none())
    );

    let matrix = case.requested_documents[base].id;
    let started = store
        .apply(&Command::StartReviewFromRequest {
            requested_document_id: matrix,
            kind: DocumentKind::CompetenceMatrix,
        })
        .unwrap();
    let case = store.snapshot().unwrap();
    assert_eq!(case.document_reviews.len(), reviews_before + 1);
    let review = case
        .document_reviews
        .iter()
        .find(|r| Some(r.id.0) == started.created_id)
        .expect("the review started");
    assert_eq!(review.fields.title, "Øvingsplaner");
    assert_eq!(review.fields.kind, DocumentKind::CompetenceMatrix);
    let requested = &case.requested_documents[base];
    assert_eq!(requested.document_review_id, Some(review.id));
    assert_eq!(requested.received_on, Some(jiff::Zoned::now().date()));
    assert!(matches!(
        store.apply(&Command::StartReviewFromRequest {
            requested_document_id: matrix,
            kind: DocumentKind::Other,
        }),
        Err(StoreError::Rejected(Rejection::ReviewAlreadyStarted { .. }))
    ));

    let plan = case.requested_documents[base + 1].id;
    let day = jiff::civil::date(2026, 1, 20);
    store
        .apply(&Command::SetDocumentReceived {
            requested_document_id: plan,
            received_on: Some(day),
        })
        .unwrap();
    assert_eq!(
        store.snapshot().unwrap().requested_documents[base + 1].received_on,
        Some(day)
    );
    store
        .apply(&Command::RemoveRequestedDocument {
            requested_document_id: plan,
        })
        .unwrap();
    assert_eq!(
        store.snapshot().unwrap().requested_documents.len(),
        base + 2
    );
    store.undo().unwrap();
    assert_eq!(
        store.snapshot().unwrap().requested_documents[base + 1].received_on,
        Some(day),
        "undo puts it back as it was"
    );

    store
        .apply(&Command::SetPlannedInterviews {
            role: RoleId::new("participant"),
            count: 4,
        })
        .unwrap();
    store
        .apply(&Command::SetPlannedInterviews {
            role: RoleId::new("job_specialist"),
            count: 2,
        })
        .unwrap();
    store
        .apply(&Command::SetPlannedInterviews {
            role: RoleId::new("job_specialist"),
            count: 0,
        })
        .unwrap();
    assert!(matches!(
        store.apply(&Command::SetPlannedInterviews {
            role: RoleId::new("nav_manager"),
            count: 1000,
        }),
        Err(StoreError::Rejected(
            Rejection::PlannedInterviewsOutOfRange { .. }
        ))
    ));
    let planned = store.snapshot().unwrap().planned_interviews;
    assert_eq!(planned.get(&RoleId::new("participant")), Some(&4));
    assert_eq!(
        planned.get(&RoleId::new("job_specialist")),
        None,
        "0 takes the role off"
    );
    assert_eq!(
        planned.get(&RoleId::new("nav_manager")),
        Some(&1),
        "the refused 1000 changed nothing"
    );
    store.close().unwrap();
}

#[test]
fn the_notice_letter_names_documents_and_roles_and_no_participant() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    store
        .apply(&Command::RequestDocuments {
            titles: vec!["Kompetansematrise".into(), "Rutine for planarbeid".into()],
        })
        .unwrap();
    store
        .apply(&Command::SetPlannedInterviews {
            role: RoleId::new("participant"),
            count: 4,
        })
        .unwrap();
    let case = store.snapshot().unwrap();
    store.close().unwrap();

    evalbench(
        dir.path(),
        &[
            "notice",
            "case.evalcase",
            "--out",
            "varsel.pdf",
            "--lang",
            "nb",
        ],
    );
    evalbench(
        dir.path(),
        &[
            "notice",
            "case.evalcase",
            "--out",
            "varsel.docx",
            "--lang",
            "nb",
        ],
    );
    let pdf = std::fs::read(dir.path().join("varsel.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let docx = std::fs::read(dir.path().join("varsel.docx")).unwrap();
    assert!(docx_rs::read_docx(&docx).is_ok());
    let codes: Vec<&String> = case
        .interviews
        .iter()
        .filter(|i| i.fields.role == RoleId::new("participant"))
        .flat_map(|i| &i.fields.interviewees)
        .collect();
    assert!(!codes.is_empty());
    let check = |text: &str, what: &str| {
        for expected in [
            "Varsel om kvalitetsevaluering",
            "Fjordlys Arbeid og Kompetanse AS",
            "Kompetansematrise",
            "Rutine for planarbeid",
            "4 intervjuer",
            "12.01.2026",
        ] {
            assert!(text.contains(expected), "{what} lacks «{expected}»: {text}");
        }
        for code in &codes {
            assert!(!text.contains(code.as_str()), "{what} names {code}");
        }
    };
    if let Some(text) = common::pdf_text(&dir.path().join("varsel.pdf")) {
        check(&text, "the PDF");
    }
    // LibreOffice converts the DOCX, and reads what we wrote.
    let soffice = Process::new("soffice").arg("--version").output();
    if soffice.is_ok_and(|o| o.status.success()) {
        let converted = Process::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path().join("lo"))
            .arg(dir.path().join("varsel.docx"))
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(converted.status.success(), "{converted:?}");
        if let Some(text) = common::pdf_text(&dir.path().join("lo/varsel.pdf")) {
            check(&text, "LibreOffice's conversion");
        }
    } else {
        assert!(
            std::env::var_os("EVALBENCH_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice (soffice) is required here but missing"
        );
    }
}

/// Two evaluators each add a document to ask for in their own copy; a merge brings both, and a
/// review started in one copy stays linked in the other.
#[test]
fn requested_documents_come_together_in_a_merge() {
    use evalbench::merge::Resolutions;

    let dir = common::temp_dir();
    let mine = common::case_path(&dir, "mine.evalcase");
    evalbench::demo::write_demo(&mine).unwrap();
    let theirs = common::case_path(&dir, "theirs.evalcase");
    let store = CaseStore::open(&mine).unwrap();
    store.save_copy(&theirs).unwrap();
    store.close().unwrap();

    let mut other = CaseStore::open(&theirs).unwrap();
    other
        .apply(&Command::RequestDocuments {
            titles: vec!["Oppmøtelister".into()],
        })
        .unwrap();
    let id = other
        .snapshot()
        .unwrap()
        .requested_documents
        .last()
        .unwrap()
        .id;
    other
        .apply(&Command::StartReviewFromRequest {
            requested_document_id: id,
            kind: DocumentKind::Plan,
        })
        .unwrap();
    other.close().unwrap();

    let mut store = CaseStore::open(&mine).unwrap();
    store
        .apply(&Command::RequestDocuments {
            titles: vec!["Øvingsplaner".into()],
        })
        .unwrap();
    let plan = store.prepare_merge(&theirs, None).unwrap();
    let merged = plan.merged(&Resolutions::new());
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    store.merge_copy(&plan, plan.step(merged), None).unwrap();
    let case = store.snapshot().unwrap();
    for title in ["Oppmøtelister", "Øvingsplaner"] {
        assert_eq!(
            case.requested_documents
                .iter()
                .filter(|d| d.title == title)
                .count(),
            1,
            "{title}"
        );
    }
    let timeplaner = case
        .requested_documents
        .iter()
        .find(|d| d.title == "Oppmøtelister")
        .unwrap();
    let review = case
        .document_reviews
        .iter()
        .find(|r| Some(r.id) == timeplaner.document_review_id)
        .expect("the review came along, linked");
    assert_eq!(review.fields.title, "Oppmøtelister");
}
