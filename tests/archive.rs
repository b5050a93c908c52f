//! *Eksporter arkivpakke* from the command line: the report versions exactly as kept, the status
//! report, the plan workbook, the provider's response and a JSON summary without the
//! participants' personal data, each listed in `SHA256SUMS` with its hash; as a folder and as a
//! zip with the same files; a folder that holds files already is refused with nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::io::Read as _;
use std::path::Path;

use evalbench::command::Command;
use evalbench::domain::{ProviderResponse, ResponseStance, RoleId};
use evalbench::store::CaseStore;
use sha2::{Digest, Sha256};

fn evalbench(dir: &Path, args: &[&str]) -> std::process::Output {
    common::cli(dir, args)
}

fn ok(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The lines of a `SHA256SUMS`: (hash, name).
fn sums(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|line| {
            let (hash, name) = line.split_once("  ").expect("hash, two spaces, name");
            (hash.to_owned(), name.to_owned())
        })
        .collect()
}

#[test]
fn the_archive_package_holds_the_versions_as_sent_and_checks_out() {
    let dir = common::temp_dir();
    let path = common::case_path(&dir, "case.evalcase");
    evalbench::demo::write_demo(&path).unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    let finding = store.snapshot().unwrap().findings[0].id;
    store
        .apply(&Command::SetFindingResponse {
            finding_id: finding,
            response: Some(ProviderResponse {
                stance: ResponseStance::CorrectsFact,
                text: "Planene ble skrevet innen fire uker.".to_owned(),
                changed: true,
            }),
        })
        .unwrap();
    let case = store.snapshot().unwrap();
    store.close().unwrap();
    ok(&evalbench(
        dir.path(),
        &[
            "report",
            "draft",
            "case.evalcase",
            "--out",
            "utkast.pdf",
            "--lang",
            "nb",
        ],
    ));
    ok(&evalbench(
        dir.path(),
        &[
            "report",
            "final",
            "case.evalcase",
            "--out",
            "rapport.pdf",
            "--lang",
            "nb",
        ],
    ));

    ok(&evalbench(
        dir.path(),
        &["archive", "case.evalcase", "--out", "arkiv", "--lang", "nb"],
    ));
    let folder = dir.path().join("arkiv");
    let listed = sums(&std::fs::read_to_string(folder.join("SHA256SUMS")).unwrap());
    let names: Vec<&str> = listed.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "rapport-1-utkast.pdf",
            "rapport-2-endelig.pdf",
            "statusrapport.pdf",
            "handlingsplan.xlsx",
            "tilsvar.md",
            "sammendrag.json",
        ]
    );
    let mut on_disk = common::files_in(&folder);
    on_disk.sort();
    assert_eq!(on_disk.len(), names.len() + 1, "{on_disk:?}");
    for (hash, name) in &listed {
        let bytes = std::fs::read(folder.join(name)).unwrap();
        assert_eq!(&format!("{:x}", Sha256::digest(&bytes)), hash, "{name}");
    }
    // The versions are the files sent, byte for byte.
    assert_eq!(
        std::fs::read(folder.join("rapport-1-utkast.pdf")).unwrap(),
        std::fs::read(dir.path().join("utkast.pdf")).unwrap()
    );
    assert_eq!(
        std::fs::read(folder.join("rapport-2-endelig.pdf")).unwrap(),
        std::fs::read(dir.path().join("rapport.pdf")).unwrap()
    );
    let response = std::fs::read_to_string(folder.join("tilsvar.md")).unwrap();
    assert!(
        response.contains("Planene ble skrevet innen fire uker."),
        "{response}"
    );
    // The summary is the case without the participants' personal data.
    let summary = std::fs::read_to_string(folder.join("sammendrag.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(
        json["case"]["findings"].as_array().unwrap().len(),
        case.findings.len()
    );
    for interview in case
        .interviews
        .iter()
        .filter(|i| i.fields.role == RoleId::new("participant"))
    {
        assert!(!interview.notes.is_empty());
        assert!(!summary.contains(&interview.notes));
        for code in &interview.fields.interviewees {
            assert!(!summary.contains(&format!("\"{code}\"")), "{code}");
        }
    }
    let nav_notes = &case
        .interviews
        .iter()
        .find(|i| i.fields.role != RoleId::new("participant"))
        .unwrap()
        .notes;
    assert!(summary.contains(&serde_json::to_string(nav_notes).unwrap()[1..20]));
    // The workbook and the PDFs open in programs we did not write.
    let _plan = common::workbook_sheets(&std::fs::read(folder.join("handlingsplan.xlsx")).unwrap());
    for name in ["rapport-2-endelig.pdf", "statusrapport.pdf"] {
        if let Some(text) = common::pdf_text(&folder.join(name)) {
            assert!(text.contains(&case.facts.provider_name), "{name}: {text}");
        }
    }

    // A folder that holds files already: refused, nothing written.
    let again = evalbench(
        dir.path(),
        &["archive", "case.evalcase", "--out", "arkiv", "--lang", "nb"],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("holds files already"));
    assert_eq!(common::files_in(&folder).len(), names.len() + 1);

    // As a zip: the same files.
    ok(&evalbench(
        dir.path(),
        &[
            "archive",
            "case.evalcase",
            "--out",
            "arkiv.zip",
            "--lang",
            "nb",
        ],
    ));
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(dir.path().join("arkiv.zip")).unwrap()).unwrap();
    let mut in_zip = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        in_zip.push((file.name().unwrap().into_owned(), bytes));
    }
    let zip_names: Vec<&str> = in_zip.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(zip_names[..names.len()], names[..]);
    assert_eq!(zip_names.last(), Some(&"SHA256SUMS"));
    for (name, bytes) in &in_zip[..names.len()] {
        if name.starts_with("rapport-") {
            assert_eq!(bytes, &std::fs::read(folder.join(name)).unwrap(), "{name}");
        }
    }
}
