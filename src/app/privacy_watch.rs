//! The identity-number guard of the open case. The first scan of a case reads all of its text,
//! which for a big case takes longer than opening it, so it runs on a worker thread and the
//! first frame does not wait for it. Later scans look again only at the sections an edit
//! changed, and within them only at texts not seen before.

use std::sync::Arc;
use std::thread::JoinHandle;

use crate::domain::CaseSnapshot;
use crate::privacy::{CaseHit, ScanCache, Section};

pub(super) struct PrivacyWatch {
    hits: Vec<CaseHit>,
    cache: ScanCache,
    first: Option<FirstScan>,
}

/// The first scan while it runs, and the sections edited since it started (scanned again when
/// it is done).
struct FirstScan {
    worker: JoinHandle<(ScanCache, Vec<CaseHit>)>,
    edited: Vec<Section>,
}

impl PrivacyWatch {
    /// Starts the first scan of `snapshot` on a worker thread (here and now when no thread can
    /// be had).
    pub(super) fn start(snapshot: &Arc<CaseSnapshot>) -> PrivacyWatch {
        let shared = Arc::clone(snapshot);
        let spawned = std::thread::Builder::new()
            .name("privacy-scan".to_owned())
            .spawn(move || {
                let mut cache = ScanCache::default();
                let hits = cache.scan_case(&shared);
                (cache, hits)
            });
        match spawned {
            Ok(worker) => PrivacyWatch {
                hits: Vec::new(),
                cache: ScanCache::default(),
                first: Some(FirstScan {
                    worker,
                    edited: Vec::new(),
                }),
            },
            Err(e) => {
                log::warn!("no thread for the privacy scan: {e}");
                let mut cache = ScanCache::default();
                let hits = cache.scan_case(snapshot);
                PrivacyWatch {
                    hits,
                    cache,
                    first: None,
                }
            }
        }
    }

    /// The hits known now: none yet while the first scan runs. For drawing.
    pub(super) fn hits(&self) -> &[CaseHit] {
        &self.hits
    }

    /// Every hit in the case, waiting for the first scan if it still runs. For what must not
    /// miss one: an export.
    pub(super) fn settled(&mut self, snapshot: &CaseSnapshot) -> &[CaseHit] {
        if let Some(first) = self.first.take() {
            self.take_first(first, snapshot);
        }
        &self.hits
    }

    /// True while the first scan runs.
    pub(super) fn is_scanning(&self) -> bool {
        self.first.is_some()
    }

    /// Takes the first scan's result when it is done; true when it was picked up now.
    pub(super) fn poll(&mut self, snapshot: &CaseSnapshot) -> bool {
        match self.first.take() {
            Some(first) if first.worker.is_finished() => {
                self.take_first(first, snapshot);
                true
            }
            still => {
                self.first = still;
                false
            }
        }
    }

    /// Looks again at the sections `changed` names (after the first scan, if it still runs).
    pub(super) fn rescan(&mut self, snapshot: &CaseSnapshot, changed: impl Fn(Section) -> bool) {
        match self.first.as_mut() {
            Some(first) => first
                .edited
                .extend(Section::ALL.into_iter().filter(|s| changed(*s))),
            None => self.hits = self.cache.rescan(snapshot, changed),
        }
    }

    /// Looks again at the texts of only the `entities` of `section` (after the first scan, if
    /// it still runs: then the whole section).
    pub(super) fn rescan_entities(
        &mut self,
        snapshot: &CaseSnapshot,
        section: Section,
        entities: &[String],
    ) {
        match self.first.as_mut() {
            Some(first) => first.edited.extend([section]),
            None => self.hits = self.cache.rescan_entities(snapshot, section, entities),
        }
    }

    fn take_first(&mut self, first: FirstScan, snapshot: &CaseSnapshot) {
        match first.worker.join() {
            Ok((cache, hits)) => {
                self.cache = cache;
                self.hits = hits;
                if !first.edited.is_empty() {
                    self.hits = self
                        .cache
                        .rescan(snapshot, |section| first.edited.contains(&section));
                }
            }
            // The scan panicked on some text (a bug): the window stays up; the log says so.
            Err(_) => log::error!("the privacy scan of the case stopped"),
        }
    }
}
