//! A set of invented cases for the network view (`evalbench demo DIR --cases N`): the demo case
//! under other invented providers, years, findings, outcomes and plan progress, each the same for
//! the same number. No real provider is in it: names are made from invented parts and the
//! organisation numbers, though valid by their check digit, are drawn at random.

use std::path::Path;

use rayon::prelude::*;

use super::stress::Sequence;
use crate::command::Command;
use crate::domain::{ActionStatus, FindingKind, OrgNumber, Outcome};
use crate::store::{CaseStore, StoreError};

const PLACES: [&str; 12] = [
    "Fjellgard",
    "Kystlys",
    "Dalheim",
    "Vikbyen",
    "Nordvang",
    "Sørbakken",
    "Elvetun",
    "Lyngmo",
    "Bjørkly",
    "Havbris",
    "Solvoll",
    "Furulund",
];
const TRADES: [&str; 8] = [
    "Arbeid og Kompetanse",
    "Vekst",
    "Arbeidstrening",
    "Ressurs",
    "Produkter",
    "Inkludering",
    "Verksted",
    "Karriere",
];

/// An organisation number with a valid check digit, from the generator.
fn org_number(sequence: &mut Sequence) -> Option<OrgNumber> {
    loop {
        let body: String = std::iter::once(8 + sequence.below(2))
            .chain((0..7).map(|_| sequence.below(10)))
            .map(|d| char::from(b'0' + d as u8))
            .collect();
        for check in 0..10 {
            if let Ok(number) = OrgNumber::parse(&format!("{body}{check}")) {
                return Some(number);
            }
        }
    }
}

/// The evaluation year of invented case number `index`: 2022 to 2026, turning with the number,
/// so a provider's later case (`index + 97`) falls in another year than its first.
pub fn network_case_year(index: u32) -> i16 {
    let turn = (index % 97 + index / 97) % 5;
    2022 + i16::try_from(turn).unwrap_or(0)
}

/// Writes invented case number `index` to `path` (which must not exist).
pub fn write_network_case(path: &Path, index: u32) -> Result<(), StoreError> {
    let year = network_case_year(index);
    // The demo is told in its own year; moved as a whole, every date stays in step.
    let years = year - super::DEMO_TODAY.year();
    super::write_demo_shifted(path, years)?;
    let today = super::years_later(super::DEMO_TODAY, years);
    let mut sequence = Sequence(u64::from(index).wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x5eed);
    let mut store = CaseStore::open(path)?;
    let snapshot = store.snapshot()?;
    // Providers repeat across years: number i and i + 97 are the same provider.
    let provider_seed = u64::from(index % 97);
    let mut provider_sequence = Sequence(provider_seed.wrapping_mul(0x9e37_79b9) ^ 0xfeed);
    let name = format!(
        "{} {} AS",
        PLACES[provider_sequence.below(PLACES.len() as u64) as usize],
        TRADES[provider_sequence.below(TRADES.len() as u64) as usize]
    );
    let mut facts = snapshot.facts.clone();
    facts.provider_name = name;
    facts.org_number = org_number(&mut provider_sequence);
    store.apply(&Command::UpdateCaseFacts { facts })?;
    // Findings shift between kinds; a deviation with actions keeps its kind.
    let kinds = [
        FindingKind::Deviation,
        FindingKind::ImprovementArea,
        FindingKind::GoodPractice,
        FindingKind::MeetsRequirement,
    ];
    for finding in &snapshot.findings {
        if sequence.below(3) != 0 {
            continue;
        }
        let kind = kinds[sequence.below(kinds.len() as u64) as usize];
        match store.apply(&Command::SetFindingKind {
            finding_id: finding.id,
            kind,
        }) {
            Ok(_) | Err(StoreError::Rejected(_)) => {}
            Err(e) => return Err(e),
        }
    }
    // Plan progress varies too; each new status is recorded on a day of the case's own year,
    // after the action's earlier changes and never after the case's "today".
    let statuses = ActionStatus::ALL;
    let changes = store.status_changes()?;
    for action in &store.snapshot()?.actions {
        let status = statuses[sequence.below(statuses.len() as u64) as usize];
        let latest = changes
            .iter()
            .filter(|change| change.action_id == action.id)
            .map(|change| change.on)
            .max()
            .unwrap_or(today);
        let day = today
            .checked_sub(jiff::Span::new().days(sequence.below(21) as i64))
            .unwrap_or(today)
            .max(latest);
        store.set_record_day(Some(day));
        store.apply(&Command::SetActionStatus {
            action_id: action.id,
            status,
        })?;
    }
    store.set_record_day(None);
    for outcome in &snapshot.outcomes {
        store.apply(&Command::RemoveOutcome { year: outcome.year })?;
    }
    // The years before the evaluation, as in the demo (evaluated in 2026, outcomes 2023–2025).
    for back in 1..=3 {
        let ended = 8 + sequence.below(40) as u32;
        let to_work = sequence.below(u64::from(ended / 2)) as u32;
        let to_education = sequence.below(u64::from((ended - to_work) / 3 + 1)) as u32;
        let to_other = sequence.below(u64::from(ended - to_work - to_education + 1)) as u32;
        store.apply(&Command::SetOutcome {
            outcome: Outcome {
                year: i32::from(year) - back,
                ended,
                to_work,
                to_education,
                to_other,
            },
        })?;
    }
    store.close()
}

/// Writes `count` invented cases into `folder` (created if missing) as `case-0001.evalcase`….
pub fn write_network(folder: &Path, count: u32) -> Result<Vec<std::path::PathBuf>, StoreError> {
    std::fs::create_dir_all(folder).map_err(|source| StoreError::Io {
        path: folder.to_owned(),
        error: source,
    })?;
    (1..=count)
        .into_par_iter()
        .map(|index| {
            let path = folder.join(format!("case-{index:04}.evalcase"));
            write_network_case(&path, index).map(|()| path)
        })
        .collect()
}
