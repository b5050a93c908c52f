//! The fidelity review's file work: a copy of the case for the other evaluator to score in,
//! blind (`CaseStore::save_blind_copy`); the merge brings the scores back.

use crate::domain::Rater;
use crate::i18n::{rater_name, t, tf};

use super::{Notice, Workbench, error_text};

impl Workbench {
    /// Asks where to write a copy for `rater` and writes it, holding none of the other
    /// evaluator's scores.
    pub(super) fn save_blind_copy_with_dialog(&mut self, rater: Rater) {
        let lang = self.settings.lang;
        let Some(case) = &self.case else { return };
        let name = rater_name(&case.snapshot, rater, lang);
        let suggested = format!(
            "{} – {name}.evalcase",
            case.snapshot.facts.provider_name.trim()
        );
        let Some(path) = self.dialogs.pick_file_to_save(
            &suggested,
            t(lang, "fidelity.copy_kind"),
            &["evalcase"],
        ) else {
            return;
        };
        self.notice = Some(match case.store.save_blind_copy(&path, rater) {
            Ok(_) => Notice::Info(tf(
                lang,
                "fidelity.copy_written",
                &[("name", &name), ("path", &path.display())],
            )),
            Err(e) => Notice::Error(error_text(lang, &e)),
        });
    }
}
