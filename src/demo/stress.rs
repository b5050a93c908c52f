//! Invented text for the scaled demo (`evalbench demo FILE --scale N`): long interview notes and
//! extra plan actions, made from a small vocabulary by a seeded generator so every run gives the
//! same case. No real person, provider or story is in it.

use crate::domain::{ActionFields, ActionStatus};

/// Words of filler added to each interview's notes in a scaled demo: 300 interviews at scale 25
/// make about a million words.
pub const WORDS_PER_INTERVIEW: usize = 3300;

/// One excerpt is cut for every this many invented sentences: about 3 000 excerpts at scale 25.
pub const SENTENCES_PER_EXCERPT: usize = 45;

/// Actions added per round beside the demo's own, so scale 25 has about a thousand.
pub const EXTRA_ACTIONS_PER_ROUND: usize = 31;

const SUBJECTS: [&str; 8] = [
    "Deltakeren",
    "Veilederen",
    "Jobbspesialisten",
    "Tiltakskoordinatoren",
    "Arrangøren",
    "Lederen for tiltaket",
    "Arbeidsgiveren",
    "NAV-kontoret",
];
const VERBS: [&str; 8] = [
    "beskriver",
    "forteller om",
    "følger opp",
    "planlegger",
    "vurderer",
    "dokumenterer",
    "drøfter",
    "etterlyser",
];
const OBJECTS: [&str; 10] = [
    "arbeidstreningen i verkstedet",
    "oppstartsmøtet og målene i planen",
    "kontakten med arbeidsgivere i nærområdet",
    "fremdriften hver tredje måned",
    "tilretteleggingen på arbeidsplassen",
    "kartleggingen av grunnleggende ferdigheter",
    "fraværet de siste ukene",
    "sluttrapporten og veien videre",
    "samarbeidet med helsetjenesten",
    "ønsket om mer praksis i ordinært arbeidsliv",
];
const ENDINGS: [&str; 6] = [
    "og mener det går bedre nå.",
    "men savner tydeligere frister.",
    "og viser til referat fra forrige møte.",
    "selv om ikke alt er avklart ennå.",
    "slik det står i rutinen.",
    "og ønsker tettere oppfølging fremover.",
];

/// A small deterministic generator (64-bit LCG); quality is beside the point, repeatability is not.
/// A seeded generator (a linear congruential one: plenty for invented demo data).
pub(super) struct Sequence(pub(super) u64);

impl Sequence {
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len() as u64) as usize]
    }

    /// A number in `0..n` (`n` > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// About `words` words of invented notes, in paragraphs, the same for the same `seed`.
pub fn filler(seed: u64, words: usize) -> String {
    let mut sequence = Sequence(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut text = String::with_capacity(words * 8);
    let mut count = 0;
    let mut sentences = 0;
    while count < words {
        let sentence = format!(
            "{} {} {} {}",
            sequence.pick(&SUBJECTS),
            sequence.pick(&VERBS),
            sequence.pick(&OBJECTS),
            sequence.pick(&ENDINGS)
        );
        count += sentence.split_whitespace().count();
        text.push_str(&sentence);
        sentences += 1;
        text.push_str(if sentences % 6 == 0 { "\n\n" } else { " " });
    }
    text.trim_end().to_owned()
}

/// Character spans of the sentences in `text` from character `from` on (sentences end with
/// ". " or ".\n" or the end).
pub fn sentence_spans(text: &str, from: usize) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = from;
    for (i, c) in chars.iter().enumerate().skip(from) {
        if *c == '.' {
            if i + 1 > start {
                spans.push((start, i + 1));
            }
            start = i + 1;
            while start < chars.len() && chars[start].is_whitespace() {
                start += 1;
            }
        }
    }
    spans.retain(|(a, b)| b > a && chars[*a..*b].iter().any(|c| c.is_alphanumeric()));
    spans
}

/// An invented plan action, the same for the same `seed`.
pub fn action(seed: u64) -> ActionFields {
    let mut sequence = Sequence(seed ^ 0x51_7cc1_b727_220a);
    let statuses = ActionStatus::ALL;
    let status = statuses[(seed % statuses.len() as u64) as usize];
    let month = i8::try_from(seed % 12).unwrap_or(0) + 1;
    ActionFields {
        description: format!(
            "{} {} {}",
            sequence.pick(&SUBJECTS),
            sequence.pick(&VERBS),
            sequence.pick(&OBJECTS)
        ),
        owner: sequence.pick(&SUBJECTS).to_owned(),
        due_date: jiff::civil::Date::new(2026, month, 15).ok(),
        status,
        closure_evidence: sequence.pick(&ENDINGS).to_owned(),
        nav_comment: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_spans_cover_whole_sentences() {
        let text = "Kort. To ord.\n\nTre små ord.";
        let spans = sentence_spans(text, 0);
        let quotes: Vec<String> = spans
            .iter()
            .map(|(a, b)| text.chars().skip(*a).take(b - a).collect())
            .collect();
        assert_eq!(quotes, ["Kort.", "To ord.", "Tre små ord."]);
        assert_eq!(sentence_spans(text, 6).len(), 2);
    }

    #[test]
    fn filler_is_repeatable_and_about_the_asked_length() {
        let text = filler(7, 500);
        assert_eq!(text, filler(7, 500));
        assert_ne!(text, filler(8, 500));
        let words = text.split_whitespace().count();
        assert!((500..520).contains(&words), "{words}");
        assert!(
            crate::privacy::scan(&text).is_empty(),
            "no personal data in filler"
        );
    }
}
