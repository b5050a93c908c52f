//! Encrypted cases: what each way of opening one costs beyond the same work on the plain case,
//! beside what SQLCipher itself costs to open the same files with the same passphrase (PBKDF2,
//! 256 000 rounds, per file). Every run starts from a fresh passphrase, as after typing it.
//!
//! The ratio is the encryption's cost (encrypted minus plain) to SQLCipher's own opens of the
//! files the work must open: at 1× the work derives each file's key once, as SQLCipher must.

use std::path::{Path, PathBuf};

use evalbench::app::{Settings, Workbench};
use evalbench::backups::Backups;
use evalbench::command::Command;
use evalbench::demo::DEMO_TODAY;
use evalbench::dialogs::ScriptedDialogs;
use evalbench::domain::{ActionStatus, FindingFields, FindingKind, RequirementLink, Stance};
use evalbench::export::{self, Format};
use evalbench::i18n::Lang;
use evalbench::store::{self, CaseStore, Passphrase};
use rayon::prelude::*;

use crate::cases::Cases;
use crate::figures::{Table, measure, millis, ms, ratio};
use crate::probes::frame;

const PASSPHRASE: &str = "benk passord 2026";
/// Encrypted network cases read by the aggregate figure (each has its own salt, so its own key).
const NETWORK_ENCRYPTED: usize = 24;

fn key() -> Passphrase {
    Passphrase::new(PASSPHRASE).unwrap()
}

fn encrypt(path: &Path) {
    let mut store = CaseStore::open(path).unwrap();
    store.set_passphrase(&key()).unwrap();
    store.close().unwrap();
}

/// SQLCipher opening each of `files` with the passphrase and running a first query (in parallel
/// on the same threads as the work it is compared with).
fn sqlcipher_open(files: &[PathBuf]) -> f64 {
    let (median, _) = measure(1, 5, || {
        files.par_iter().for_each(|path| {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.pragma_update(None, "key", PASSPHRASE).unwrap();
            let _: i64 = conn
                .query_row("SELECT count(*) FROM interview", [], |row| row.get(0))
                .unwrap();
        });
    });
    ms(median)
}

/// One row: the encrypted work, the plain work, and the difference against SQLCipher's opens.
fn row(figure: &str, encrypted: f64, plain: f64, sqlcipher: f64, files: usize) {
    Table::row(
        figure,
        format!("{} (plain {})", millis(encrypted), millis(plain)),
        "≤ 1.3× SQLCipher",
        format!(
            "SQLCipher, {files} open{} {}",
            if files == 1 { "" } else { "s" },
            millis(sqlcipher)
        ),
        ratio(encrypted - plain, sqlcipher),
    );
}

pub fn figures(cases: &Cases, dir: &Path) {
    Table::heading(
        "Encrypted cases (ratio: encrypted − plain, against SQLCipher's own open of the same files)",
    );
    let plain = cases.copy_of(1, dir, "plain-demo.evalcase");
    let encrypted = cases.copy_of(1, dir, "encrypted-demo.evalcase");
    encrypt(&encrypted);
    let one = sqlcipher_open(std::slice::from_ref(&encrypted));

    // `evalbench check`: open, check, read.
    let check = |path: &Path, key: Option<&Passphrase>| {
        let store = CaseStore::open_read_only_keyed(path, key).unwrap();
        assert!(store.check().unwrap().is_healthy());
        let _ = store.snapshot().unwrap();
    };
    let (with_key, _) = measure(1, 7, || check(&encrypted, Some(&key())));
    let (without, _) = measure(1, 7, || check(&plain, None));
    row(
        "check: open + check + read",
        ms(with_key),
        ms(without),
        one,
        1,
    );

    // `evalbench export`: read, then the PDF report.
    let export = |path: &Path, key: Option<&Passphrase>| {
        let snapshot = store::read_case_keyed(path, key).unwrap();
        let bytes = export::render(&snapshot, Format::Pdf, Lang::Nb, DEMO_TODAY).unwrap();
        assert!(!bytes.is_empty());
    };
    let (with_key, _) = measure(1, 7, || export(&encrypted, Some(&key())));
    let (without, _) = measure(1, 7, || export(&plain, None));
    row(
        "export: read + PDF report",
        ms(with_key),
        ms(without),
        one,
        1,
    );

    // The app's unlock: the case opened with the typed passphrase (with the day's backup copy,
    // as the app takes one), then the first frame.
    let backups = dir.join("backups");
    let unlock = |path: &Path, key: Option<Passphrase>| {
        let _ = std::fs::remove_dir_all(&backups);
        let ctx = egui::Context::default();
        let mut workbench =
            Workbench::new(Settings::default(), Box::new(ScriptedDialogs::default()))
                .with_today(DEMO_TODAY)
                .with_backups(Backups::at(&backups));
        match key {
            Some(key) => workbench.open_with_passphrase(path, key),
            None => workbench.open(path),
        }
        assert!(workbench.case().is_some(), "{:?}", workbench.notice());
        frame(&ctx, &mut workbench, 0.0);
        workbench.shutdown();
    };
    let (with_key, _) = measure(1, 7, || unlock(&encrypted, Some(key())));
    let (without, _) = measure(1, 7, || unlock(&plain, None));
    row(
        "app: unlock + backup + first frame",
        ms(with_key),
        ms(without),
        one,
        1,
    );

    // `evalbench aggregate` over encrypted cases, each with its own salt.
    let network = &cases.network(500)[0];
    let originals: Vec<PathBuf> = evalbench::network::case_files(std::slice::from_ref(network))
        .unwrap()
        .into_iter()
        .take(NETWORK_ENCRYPTED)
        .collect();
    let plain_dir = dir.join("network-plain");
    let encrypted_dir = dir.join("network-encrypted");
    std::fs::create_dir_all(&plain_dir).unwrap();
    std::fs::create_dir_all(&encrypted_dir).unwrap();
    let mut plain_files = Vec::new();
    let mut encrypted_files = Vec::new();
    for original in &originals {
        let name = original.file_name().unwrap();
        std::fs::copy(original, plain_dir.join(name)).unwrap();
        std::fs::copy(original, encrypted_dir.join(name)).unwrap();
        encrypt(&encrypted_dir.join(name));
        plain_files.push(plain_dir.join(name));
        encrypted_files.push(encrypted_dir.join(name));
    }
    let out = dir.join("encrypted.parquet");
    let aggregate = |files: &[PathBuf], key: Option<&Passphrase>| {
        crate::probes::aggregate_to_parquet(files, key, &out);
    };
    let (with_key, _) = measure(1, 5, || aggregate(&encrypted_files, Some(&key())));
    let (without, _) = measure(1, 5, || aggregate(&plain_files, None));
    let opens = sqlcipher_open(&encrypted_files);
    row(
        &format!("aggregate {NETWORK_ENCRYPTED} cases (2 threads)"),
        ms(with_key),
        ms(without),
        opens,
        NETWORK_ENCRYPTED,
    );

    // The merge of two encrypted copies, 200 commands on each since the fork.
    let copies = |source: &Path, key: Option<&Passphrase>, name: &str| {
        let (a, b) = (dir.join(format!("{name}-a")), dir.join(format!("{name}-b")));
        std::fs::copy(source, &a).unwrap();
        std::fs::copy(source, &b).unwrap();
        edit_apart(&a, key, "Anne", 0, 200);
        edit_apart(&b, key, "Bjørn", 1, 200);
        (a, b)
    };
    let (plain_a, plain_b) = copies(&plain, None, "merge-plain");
    let (enc_a, enc_b) = copies(&encrypted, Some(&key()), "merge-encrypted");
    let merge = |a: &Path, b: &Path, key: Option<&Passphrase>| {
        let mine = dir.join("merging");
        std::fs::copy(a, &mine).unwrap();
        let started = std::time::Instant::now();
        let mut store = CaseStore::open_keyed(&mine, key).unwrap();
        let merging = store.prepare_merge(b, key).unwrap();
        let (_, merged) = merging.decide_all(|_| Some(evalbench::merge::Choice::Mine));
        store
            .merge_copy(&merging, merging.step(merged), key)
            .unwrap();
        store.close().unwrap();
        started.elapsed()
    };
    let time = |a: &Path, b: &Path, encrypted: bool| {
        let mut times: Vec<_> = (0..6)
            .map(|_| merge(a, b, encrypted.then(key).as_ref()))
            .skip(1)
            .collect();
        crate::figures::percentiles(&mut times).0
    };
    let with_key = time(&enc_a, &enc_b, true);
    let without = time(&plain_a, &plain_b, false);
    let both = sqlcipher_open(&[enc_a.clone(), enc_b.clone()]);
    row(
        "merge two copies, 200 commands each",
        ms(with_key),
        ms(without),
        both,
        2,
    );
}

/// `count` commands on one copy, as an evaluator's days of work: plan follow-up, findings,
/// excerpts and their links, notes, new interviews. `side` shifts which rows are touched, so
/// the two copies mostly edit different rows and sometimes the same.
pub fn edit_apart(path: &Path, key: Option<&Passphrase>, author: &str, side: usize, count: usize) {
    let mut case = CaseStore::open_keyed(path, key).unwrap();
    case.set_author(author);
    let snapshot = case.snapshot().unwrap();
    case.set_record_day(Some(DEMO_TODAY));
    let statuses = [
        ActionStatus::Agreed,
        ActionStatus::InProgress,
        ActionStatus::Done,
    ];
    for n in 0..count {
        let pick = n * 7 + side * 3;
        let command = match n % 10 {
            0..=3 => {
                let action = &snapshot.actions[pick % snapshot.actions.len()];
                Command::SetActionStatus {
                    action_id: action.id,
                    status: statuses[(n + side) % 3],
                }
            }
            4 => Command::AddFinding {
                kind: FindingKind::ImprovementArea,
                finding: FindingFields {
                    title: format!("{author}s funn {n}"),
                    description: "Beskrevet under arbeidet.".into(),
                },
                requirement_ids: vec![],
                evidence: vec![],
            },
            5 => {
                let finding = &snapshot.findings[pick % snapshot.findings.len()];
                Command::UpdateFinding {
                    finding_id: finding.id,
                    finding: FindingFields {
                        title: finding.fields.title.clone(),
                        description: format!(
                            "{}\n{author} la til {n}.",
                            finding.fields.description
                        ),
                    },
                }
            }
            6 | 7 => {
                let interview = &snapshot.interviews[pick % snapshot.interviews.len()];
                let length = interview.notes.chars().count();
                let start = (pick * 13) % length.saturating_sub(20).max(1);
                Command::AddExcerpt {
                    interview_id: interview.id,
                    start_char: start,
                    end_char: start + 12,
                    links: vec![RequirementLink {
                        requirement_id: snapshot.requirements[pick % snapshot.requirements.len()]
                            .id,
                        stance: Stance::Supports,
                    }],
                    shareable: false,
                }
            }
            8 => {
                let interview =
                    &snapshot.interviews[(pick + side * 50) % snapshot.interviews.len()];
                Command::SetInterviewNotes {
                    interview_id: interview.id,
                    notes: format!("{}\n{author}: tillegg {n}.", interview.notes),
                }
            }
            _ => Command::SetEvaluators {
                evaluators: vec!["Anne".into(), "Bjørn".into()],
            },
        };
        case.apply(&command).unwrap();
    }
    case.close().unwrap();
}
