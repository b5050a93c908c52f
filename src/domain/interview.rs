//! Interviews and the excerpts of their notes that serve as evidence.
//! Interviewees are pseudonymous labels (participants as codes such as `D-03`), never names.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ids::{ExcerptId, InterviewId, RequirementId};
use super::programme::{Programme, RoleId, StageId};
use super::requirement::RequirementLink;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum InterviewSetting {
    #[default]
    Individual,
    Group,
}

impl InterviewSetting {
    pub const ALL: [InterviewSetting; 2] = [InterviewSetting::Individual, InterviewSetting::Group];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum InterviewChannel {
    #[default]
    InPerson,
    Video,
    Phone,
}

impl InterviewChannel {
    pub const ALL: [InterviewChannel; 3] = [
        InterviewChannel::InPerson,
        InterviewChannel::Video,
        InterviewChannel::Phone,
    ];
}

/// The editable metadata of an interview (everything but notes and excerpts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterviewFields {
    pub date: Date,
    /// One of the roles the case's catalog declares.
    pub role: RoleId,
    /// Pseudonymous labels: a position ("Tiltakskoordinator") or a participant code ("D-03").
    #[serde(default)]
    pub interviewees: Vec<String>,
    /// Where a participant is in the measure, as the catalog names its stages.
    #[serde(default)]
    pub stage: Option<StageId>,
    #[serde(default)]
    pub setting: InterviewSetting,
    #[serde(default)]
    pub channel: InterviewChannel,
}

impl InterviewFields {
    pub fn validate(&self, programme: &Programme) -> Result<(), super::Rejection> {
        if programme.role(&self.role).is_none() {
            return Err(super::Rejection::UndeclaredRole {
                role: self.role.to_string(),
            });
        }
        if let Some(stage) = &self.stage {
            if !programme.is_participant(&self.role) {
                return Err(super::Rejection::StageOnlyForParticipants);
            }
            if programme.stage(stage).is_none() {
                return Err(super::Rejection::UndeclaredStage {
                    stage: stage.to_string(),
                });
            }
        }
        if self.interviewees.iter().any(|l| l.trim().is_empty()) {
            return Err(super::Rejection::Empty {
                field: super::RequiredText::IntervieweeLabel,
            });
        }
        Ok(())
    }
}

/// A span of an interview's notes, linked to requirements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    pub id: ExcerptId,
    pub interview_id: InterviewId,
    /// Character offsets into the notes (not bytes), as a text editor counts them.
    pub start_char: usize,
    pub end_char: usize,
    /// The quoted text as it was when the excerpt was made; lets the excerpt be re-anchored.
    pub quote: String,
    /// False when the notes were edited so that the quote is no longer found in them.
    pub anchored: bool,
    /// Whether the quote may appear in material shared with the provider.
    pub shareable: bool,
    pub links: Vec<RequirementLink>,
}

/// An interview with its notes and excerpts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interview {
    pub id: InterviewId,
    #[serde(flatten)]
    pub fields: InterviewFields,
    pub notes: String,
    pub excerpts: Vec<Excerpt>,
    /// Guide questions the evaluator ticked off as covered.
    #[serde(default)]
    pub covered_questions: Vec<QuestionRef>,
}

/// A guide question: the requirement it comes from and its place in that requirement's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QuestionRef {
    pub requirement_id: RequirementId,
    pub question: usize,
}

/// The text between two character offsets, or `None` when the span does not fit the text.
pub fn char_span(text: &str, start_char: usize, end_char: usize) -> Option<&str> {
    if start_char >= end_char {
        return None;
    }
    let mut indices = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let start = indices.nth(start_char)?;
    let end = indices.nth(end_char - start_char - 1)?;
    text.get(start..end)
}

/// The character span of the first occurrence of `quote` in `text`.
pub fn find_char_span(text: &str, quote: &str) -> Option<(usize, usize)> {
    if quote.is_empty() {
        return None;
    }
    let byte_start = text.find(quote)?;
    let start_char = text[..byte_start].chars().count();
    Some((start_char, start_char + quote.chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_span_counts_characters_not_bytes() {
        let text = "Æøå er norske bokstaver";
        assert_eq!(char_span(text, 0, 3), Some("Æøå"));
        assert_eq!(char_span(text, 4, 6), Some("er"));
        assert_eq!(char_span(text, 14, 23), Some("bokstaver"));
        assert_eq!(char_span(text, 14, 24), None);
        assert_eq!(char_span(text, 3, 3), None);
        assert_eq!(find_char_span(text, "er norske"), Some((4, 13)));
        assert_eq!(find_char_span(text, "svensk"), None);
    }

    #[test]
    fn stage_only_for_participants() {
        let mut fields = InterviewFields {
            date: jiff::civil::date(2026, 1, 20),
            role: RoleId::new("nav_adviser"),
            interviewees: vec!["Veileder 1".into()],
            stage: Some(StageId::new("clarification")),
            setting: InterviewSetting::Individual,
            channel: InterviewChannel::InPerson,
        };
        let programme = Programme::standard();
        assert!(fields.validate(programme).is_err());
        fields.role = RoleId::new("participant");
        assert!(fields.validate(programme).is_ok());
        fields.role = RoleId::new("coach");
        fields.stage = None;
        assert_eq!(
            fields.validate(programme),
            Err(crate::domain::Rejection::UndeclaredRole {
                role: "coach".into()
            })
        );
    }
}
