//! The participants' personal data a case holds, which *Slett personopplysninger* deletes at
//! the end of the case (`store::purge` does it): the notes of participant interviews, the
//! participant codes, the quotes from those interviews not marked shareable, and the files of
//! documents marked as personal. Findings, counts, coverage links, the kept report versions
//! and the plan are not personal data in this sense and stay.

use super::CaseSnapshot;

/// How much of each kind there is (or was deleted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PersonalData {
    /// Participant interviews with notes.
    pub interview_notes: usize,
    /// Participant codes (the interviewee labels of participant interviews).
    pub participant_codes: usize,
    /// Quotes from participant interviews not marked shareable.
    pub quotes: usize,
    /// Attached files of documents marked as holding personal data.
    pub attachments: usize,
}

impl PersonalData {
    /// What the case holds now, as the deletion would count it.
    pub fn in_case(case: &CaseSnapshot) -> PersonalData {
        let mut found = PersonalData::default();
        for interview in case
            .interviews
            .iter()
            .filter(|i| case.programme.is_participant(&i.fields.role))
        {
            found.interview_notes += usize::from(!interview.notes.is_empty());
            found.participant_codes += interview.fields.interviewees.len();
            found.quotes += interview
                .excerpts
                .iter()
                .filter(|e| !e.shareable && !e.quote.is_empty())
                .count();
        }
        found.attachments = case
            .document_reviews
            .iter()
            .filter(|d| d.personal && d.attachment.is_some())
            .count();
        found
    }

    pub fn is_empty(&self) -> bool {
        *self == PersonalData::default()
    }
}

/// Takes the personal data out of a view of the case (for what leaves the program, such as the
/// archive package's summary), as the deletion takes it out of the file.
pub fn remove_from(case: &mut CaseSnapshot) {
    let programme = &case.programme;
    for interview in case
        .interviews
        .iter_mut()
        .filter(|i| programme.is_participant(&i.fields.role))
    {
        interview.notes.clear();
        interview.fields.interviewees.clear();
        for excerpt in interview.excerpts.iter_mut().filter(|e| !e.shareable) {
            excerpt.quote.clear();
            excerpt.anchored = false;
        }
    }
    for document in case.document_reviews.iter_mut().filter(|d| d.personal) {
        document.attachment = None;
    }
}

/// Whether `typed` confirms deleting the personal data of the case with this provider: the
/// provider's name, as the case has it, ignoring case and outer spaces. A deliberate act, so a
/// stray click or Enter never deletes anything.
pub fn confirms_deletion(provider_name: &str, typed: &str) -> bool {
    let expected = provider_name.trim();
    !expected.is_empty() && typed.trim().to_lowercase() == expected.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_is_confirmed_by_the_providers_name_only() {
        assert!(confirms_deletion(
            "Arbeid & Vekst AS",
            " arbeid & vekst as "
        ));
        assert!(!confirms_deletion(
            "Arbeid & Vekst AS",
            "Arbeid og Vekst AS"
        ));
        assert!(!confirms_deletion("Arbeid & Vekst AS", ""));
        assert!(!confirms_deletion("", ""));
    }
}
