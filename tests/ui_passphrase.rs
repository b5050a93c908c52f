//! Encrypted cases in the app (egui_kittest): opening one asks for the passphrase (a wrong one
//! says so and changes nothing), "Krypter saken" encrypts the open case and its backup copies,
//! "Bytt passord" needs the current passphrase.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use common::ui::{click, harness, type_into, wait_while};
use egui_kittest::kittest::Queryable;
use evalbench::app::{Settings, Workbench};
use evalbench::backups::Backups;
use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::dialogs::ScriptedDialogs;
use evalbench::store::{self, CaseStore, Passphrase, StoreError};

/// Clicks a button that starts work on a worker thread, in one frame: the work is then under
/// way for certain (the app looks for its end only at the start of the next frame).
fn click_to_start(harness: &mut common::ui::Ui, label: &str) {
    harness.get_by_label(label).click();
    harness.step();
}

/// Draws one more frame and, if the work is still going on then, checks that the window said
/// so: a fast worker may already be done, and that is no failure.
fn shows_while(harness: &mut common::ui::Ui, busy: fn(&Workbench) -> bool, text: &str) {
    harness.step();
    if busy(harness.state()) {
        harness.get_by_label_contains(text);
    }
}

/// The demo case as `sak.evalcase`, open in the app with its backups kept in `dir`: the app,
/// the case file, the backups and the case's id.
fn demo_with_backups(
    dir: &tempfile::TempDir,
) -> (common::ui::Ui, std::path::PathBuf, Backups, String) {
    let path = dir.path().join("sak.evalcase");
    write_demo(&path).unwrap();
    let backups = Backups::at(dir.path().join("backups"));
    let mut workbench = empty_workbench().with_backups(backups.clone());
    workbench.open(&path);
    let case_id = workbench.case().unwrap().snapshot().case_id.clone();
    let mut harness = harness(workbench);
    harness.run();
    (harness, path, backups, case_id)
}

fn empty_workbench() -> Workbench {
    Workbench::new(Settings::default(), Box::new(ScriptedDialogs::default())).with_today(DEMO_TODAY)
}

#[test]
fn an_encrypted_case_opens_only_with_its_passphrase() {
    let dir = common::temp_dir();
    let path = dir.path().join("kryptert.evalcase");
    write_demo(&path).unwrap();
    let key = Passphrase::new_chosen("lang nok setning").unwrap();
    let mut store = CaseStore::open(&path).unwrap();
    store.set_passphrase(&key).unwrap();
    store.close().unwrap();
    let before = std::fs::read(&path).unwrap();

    let mut workbench = empty_workbench();
    workbench.open(&path);
    assert!(workbench.case().is_none());
    assert!(workbench.notice().is_none(), "the dialog asks instead");
    let mut harness = harness(workbench);
    harness.run();
    harness.get_by_label_contains("«kryptert.evalcase» er kryptert");

    type_into(&mut harness, "Passord", "feil passord");
    click_to_start(&mut harness, "Åpne");
    wait_while(&mut harness, Workbench::is_opening);
    assert!(harness.state().case().is_none());
    harness.get_by_label_contains("Feil passord");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a wrong try changes nothing"
    );

    type_into(&mut harness, "Passord", "lang nok setning");
    click_to_start(&mut harness, "Åpne");
    assert!(harness.state().is_opening(), "opened on the worker thread");
    shows_while(
        &mut harness,
        Workbench::is_opening,
        "Åpner «kryptert.evalcase»",
    );
    wait_while(&mut harness, Workbench::is_opening);
    let case = harness.state().case().expect("the case is open");
    assert_eq!(case.snapshot().interviews.len(), 12);
    harness.get_by_label("Kryptert");
    assert!(
        harness.query_by_label("Åpne").is_none(),
        "the dialog closed"
    );
}

#[test]
fn encrypting_the_open_case_protects_the_file_and_its_backups() {
    let dir = common::temp_dir();
    let (mut harness, path, backups, case_id) = demo_with_backups(&dir);
    assert_eq!(
        backups.list(&case_id).len(),
        1,
        "the first opening today took a copy"
    );

    click(&mut harness, "Fil");
    click(&mut harness, "Krypter saken …");
    type_into(&mut harness, "Nytt passord", "kort");
    type_into(&mut harness, "Gjenta passordet", "kort");
    click(&mut harness, "Krypter");
    harness.get_by_label("Passordet må ha minst 8 tegn.");
    assert!(!store::needs_passphrase(&path), "nothing happened yet");

    type_into(&mut harness, "Nytt passord", " og lengre");
    click(&mut harness, "Krypter");
    harness.get_by_label("De to passordene er ulike.");
    assert!(!store::needs_passphrase(&path));

    type_into(&mut harness, "Gjenta passordet", " og lengre");
    let key = Passphrase::new_chosen("kort og lengre").unwrap();
    click_to_start(&mut harness, "Krypter");
    assert!(harness.state().is_encrypting());
    assert!(
        harness.state().case().is_none(),
        "the case is with the worker"
    );
    shows_while(
        &mut harness,
        Workbench::is_encrypting,
        "Krypterer «sak.evalcase»",
    );
    wait_while(&mut harness, Workbench::is_encrypting);
    harness.get_by_label_contains("Saken er kryptert.");
    harness.get_by_label("Kryptert");

    assert!(store::needs_passphrase(&path));
    assert!(matches!(
        CaseStore::open_read_only(&path).err(),
        Some(StoreError::Encrypted { .. })
    ));
    let stored = store::read_case_keyed(&path, Some(&key)).unwrap();
    assert_eq!(stored.interviews.len(), 12);
    for backup in backups.list(&case_id) {
        assert!(
            store::needs_passphrase(&backup.path),
            "{} is encrypted too",
            backup.path.display()
        );
        store::inspect_keyed(&backup.path, Some(&key)).unwrap();
    }

    // Editing goes on in the encrypted file: undo, then the change is on disk.
    harness.state_mut().step(store::Direction::Undo);
    harness.run();
    let after_undo = store::read_case_keyed(&path, Some(&key)).unwrap();
    assert_ne!(after_undo, stored, "undo reached the encrypted file");

    // Changing the passphrase wants the current one.
    click(&mut harness, "Fil");
    click(&mut harness, "Bytt passord …");
    type_into(&mut harness, "Nåværende passord", "ikke dette");
    type_into(&mut harness, "Nytt passord", "helt nytt passord");
    type_into(&mut harness, "Gjenta passordet", "helt nytt passord");
    click(&mut harness, "Lagre nytt passord");
    harness.get_by_label("Nåværende passord stemmer ikke.");
    store::inspect_keyed(&path, Some(&key)).unwrap();

    // The current field is cleared by hand: select all and type over it.
    harness.get_by_label("Nåværende passord").focus();
    harness.run();
    for _ in 0.."ikke dette".len() {
        harness.key_press(egui::Key::Backspace);
    }
    harness.run();
    type_into(&mut harness, "Nåværende passord", "kort og lengre");
    click_to_start(&mut harness, "Lagre nytt passord");
    assert!(harness.state().is_encrypting());
    shows_while(
        &mut harness,
        Workbench::is_encrypting,
        "Gir «sak.evalcase» nytt passord",
    );
    wait_while(&mut harness, Workbench::is_encrypting);
    harness.get_by_label("Passordet er byttet.");
    harness.get_by_label("Kryptert");
    let new_key = Passphrase::new_chosen("helt nytt passord").unwrap();
    assert!(matches!(
        store::inspect_keyed(&path, Some(&key)),
        Err(StoreError::WrongPassphrase { .. })
    ));
    store::inspect_keyed(&path, Some(&new_key)).unwrap();
    for backup in backups.list(&case_id) {
        store::inspect_keyed(&backup.path, Some(&new_key)).unwrap();
    }
}

/// Quitting while the case is being encrypted waits for it: the case and every backup copy end
/// up encrypted, and the case is closed (its lock released).
#[test]
fn quitting_during_encryption_waits_for_it() {
    let dir = common::temp_dir();
    let (mut harness, path, backups, case_id) = demo_with_backups(&dir);
    click(&mut harness, "Fil");
    click(&mut harness, "Krypter saken …");
    type_into(&mut harness, "Nytt passord", "et langt passord");
    type_into(&mut harness, "Gjenta passordet", "et langt passord");
    click_to_start(&mut harness, "Krypter");
    assert!(harness.state().is_encrypting());

    harness.state_mut().shutdown();
    assert!(!harness.state().is_encrypting());
    assert!(harness.state().case().is_none(), "closed on quitting");
    let key = Passphrase::new_chosen("et langt passord").unwrap();
    store::inspect_keyed(&path, Some(&key)).unwrap();
    let copies = backups.list(&case_id);
    assert!(!copies.is_empty());
    for backup in copies {
        store::inspect_keyed(&backup.path, Some(&key)).unwrap();
    }
    assert_eq!(
        common::files_in(dir.path()),
        ["backups", "sak.evalcase"],
        "no lock or partial file is left"
    );
}
