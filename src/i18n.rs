//! The UI's words. Every text a user sees comes from `assets/i18n/<lang>.json` through `t`;
//! views never hold literal prose. Norwegian Bokmål is the default language.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::domain::{
    ActionStatus, CaseSnapshot, DocumentKind, EntityRef, EvidenceRef, FindingKind,
    InterviewChannel, InterviewSetting, Measure, Phase, Rejection, ResponseStance, RoleId, Stance,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Nb,
    En,
    Sv,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::En, Lang::Sv];

    /// The language's ISO 639-1 code, as catalogs name their languages.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nb => "Norsk bokmål",
            Lang::En => "English",
            Lang::Sv => "Svenska",
        }
    }
}

type Table = HashMap<String, String>;

fn parse(text: &str) -> Table {
    // The tables ship inside the binary and are checked by a unit test; an unreadable one
    // degrades to showing keys rather than stopping the program.
    serde_json::from_str(text).unwrap_or_default()
}

fn table(lang: Lang) -> &'static Table {
    static NB: OnceLock<Table> = OnceLock::new();
    static EN: OnceLock<Table> = OnceLock::new();
    static SV: OnceLock<Table> = OnceLock::new();
    match lang {
        Lang::Nb => NB.get_or_init(|| parse(include_str!("../assets/i18n/nb.json"))),
        Lang::En => EN.get_or_init(|| parse(include_str!("../assets/i18n/en.json"))),
        Lang::Sv => SV.get_or_init(|| parse(include_str!("../assets/i18n/sv.json"))),
    }
}

/// The text for `key`; the key itself when a translation is missing, so a gap is visible.
pub fn t(lang: Lang, key: &str) -> &str {
    table(lang).get(key).map_or(key, String::as_str)
}

/// A placeholder's name and the value that fills it.
pub type Arg<'a> = (&'a str, &'a dyn std::fmt::Display);

/// `t` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &str, args: &[Arg<'_>]) -> String {
    fill(t(lang, key), args)
}

/// The text for a count beside a noun: `key.one` when `count` is 1, else `key.other` (the rule
/// is the same in Bokmål, English and Swedish), with `{count}` and `args` filled in.
/// «Bygger på 1 kilde», «Bygger på 2 kilder».
pub fn tn(lang: Lang, key: &str, count: usize, args: &[Arg<'_>]) -> String {
    let form = if count == 1 { "one" } else { "other" };
    let key = format!("{key}.{form}");
    let mut all: Vec<Arg<'_>> = args.to_vec();
    all.push(("count", &count));
    fill(t(lang, &key), &all)
}

/// A count with its noun, «1 intervju», «2 intervjuer»: `count.<noun>` in the tables, for texts
/// with several counts.
pub fn counted(lang: Lang, noun: &str, count: usize) -> String {
    tn(lang, &format!("count.{noun}"), count, &[])
}

/// Fills `{name}` placeholders in one pass over `template`: a value is never scanned again, so
/// a value that itself contains `{reason}` stays as it is. Unknown placeholders stay visible.
fn fill(template: &str, args: &[Arg<'_>]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(candidate, _)| *candidate == name)
                .map(|(_, value)| (close, value))
        });
        if let Some((close, value)) = value {
            // Writing to a String cannot fail.
            let _ = write!(out, "{value}");
            rest = &after[close + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

impl Lang {
    /// The language of the user's environment for the command line, as POSIX picks the
    /// messages' locale: the first set of `LC_ALL`, `LC_MESSAGES` and `LANG`. Norwegian
    /// (`nb`, `no`, `nn`) gives Bokmål, Swedish (`sv`) Swedish; anything else, `C` included,
    /// English.
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok();
        Lang::from_locale(var("LC_ALL"), var("LC_MESSAGES"), var("LANG"))
    }

    /// The app's language on its first start: Swedish or English where the environment's
    /// locale is, else (Norwegian, `C`, anything else) the default, Bokmål.
    pub fn for_first_start() -> Lang {
        let var = |name: &str| std::env::var(name).ok();
        Lang::first_start_for(var("LC_ALL"), var("LC_MESSAGES"), var("LANG"))
    }

    /// `for_first_start` on given values.
    pub fn first_start_for(
        lc_all: Option<String>,
        lc_messages: Option<String>,
        lang: Option<String>,
    ) -> Lang {
        let is_set = [&lc_all, &lc_messages, &lang]
            .into_iter()
            .flatten()
            .find(|value| !value.is_empty())
            .is_some_and(|value| value.to_ascii_lowercase().starts_with("en"));
        match Lang::from_locale(lc_all, lc_messages, lang) {
            Lang::En if !is_set => Lang::Nb,
            chosen => chosen,
        }
    }

    /// `from_env` on given values, so the rule can be tested without touching the process.
    pub fn from_locale(
        lc_all: Option<String>,
        lc_messages: Option<String>,
        lang: Option<String>,
    ) -> Lang {
        let locale = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|value| !value.is_empty())
            .unwrap_or_default();
        let language = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "nb" | "no" | "nn" => Lang::Nb,
            "sv" => Lang::Sv,
            _ => Lang::En,
        }
    }
}

/// A role's name in `lang`, as the case's catalog declares it.
pub fn role_name(snapshot: &CaseSnapshot, role: &RoleId, lang: Lang) -> String {
    snapshot.programme.role_name(role, lang.code())
}

/// An enum whose variants have translated names under `<PREFIX>.<serde code>`.
pub trait Labelled: Serialize {
    const PREFIX: &'static str;

    fn label(&self, lang: Lang) -> Cow<'static, str> {
        let code = serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let key = format!("{}.{code}", Self::PREFIX);
        match table(lang).get(&key) {
            Some(text) => Cow::Borrowed(text.as_str()),
            None => Cow::Owned(key),
        }
    }
}

impl Labelled for Measure {
    const PREFIX: &'static str = "measure";
}
impl Labelled for Phase {
    const PREFIX: &'static str = "phase";
}
impl Labelled for InterviewSetting {
    const PREFIX: &'static str = "setting";
}
impl Labelled for InterviewChannel {
    const PREFIX: &'static str = "channel";
}
impl Labelled for DocumentKind {
    const PREFIX: &'static str = "document_kind";
}
impl Labelled for FindingKind {
    const PREFIX: &'static str = "finding_kind";
}
impl Labelled for Stance {
    const PREFIX: &'static str = "stance";
}
impl Labelled for ActionStatus {
    const PREFIX: &'static str = "action_status";
}
impl Labelled for ResponseStance {
    const PREFIX: &'static str = "response";
}

/// Dates as the language's users write them: `dd.mm.yyyy` in Norway (and in our English),
/// ISO `yyyy-mm-dd` in Sweden.
pub fn date(lang: Lang, value: Option<jiff::civil::Date>) -> String {
    value.map_or_else(
        || "–".to_owned(),
        |d| d.strftime(date_format(lang)).to_string(),
    )
}

/// The `strftime` pattern of `date`, for date pickers.
pub fn date_format(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb | Lang::En => "%d.%m.%Y",
        Lang::Sv => "%Y-%m-%d",
    }
}

/// An entity as a user reads it: «funn 3», «resultatåret 2025».
pub fn entity_text(lang: Lang, entity: EntityRef) -> String {
    let n = entity.number().map(|n| n.to_string()).unwrap_or_default();
    tf(lang, &format!("entity.{}", entity.kind()), &[("n", &n)])
}

/// What the OS said about a file, in plain words in `lang` (never «os error 21»).
pub fn io_text(lang: Lang, error: &std::io::Error) -> String {
    let problem = crate::store::FileProblem::of_io(error);
    t(lang, &format!("file_problem.{}", problem.code())).to_owned()
}

/// Two evaluators' agreement in one line: «68 % like · 100 % innen ±1 · vektet kappa 0,69
/// (25 punkter)»; `None` when no item has both scores.
pub fn agreement_text(
    lang: Lang,
    agreement: &crate::domain::agreement::Agreement,
) -> Option<String> {
    if agreement.items == 0 {
        return None;
    }
    let percent = |share: f64| format!("{:.0} %", share * 100.0);
    let kappa = agreement.weighted_kappa.map_or_else(
        || t(lang, "fidelity.kappa_undefined").to_owned(),
        |kappa| format!("{kappa:.2}").replace('.', t(lang, "number.decimal_separator")),
    );
    Some(tf(
        lang,
        "fidelity.agreement_value",
        &[
            ("exact", &percent(agreement.exact)),
            ("within_one", &percent(agreement.within_one)),
            ("kappa", &kappa),
            ("items", &counted(lang, "items", agreement.items)),
        ],
    ))
}

/// The evaluator's name for a rater of the fidelity review: the case's first and second
/// evaluator, or a generic word.
pub fn rater_name(
    snapshot: &crate::domain::CaseSnapshot,
    rater: crate::domain::Rater,
    lang: Lang,
) -> String {
    let index = match rater {
        crate::domain::Rater::First => 0,
        crate::domain::Rater::Second => 1,
        crate::domain::Rater::Consensus => return t(lang, "fidelity.consensus").to_owned(),
    };
    snapshot
        .evaluators
        .get(index)
        .cloned()
        .unwrap_or_else(|| tf(lang, "fidelity.evaluator_n", &[("n", &(index + 1))]))
}

/// Why the store refused a change, in `lang`; the CLI's English is this with `Lang::En`.
pub fn rejection_text(lang: Lang, rejection: &Rejection) -> String {
    let key = format!("rejection.{}", rejection.code());
    let entity = |e: EntityRef| entity_text(lang, e);
    match rejection {
        Rejection::Missing { entity: e } => tf(lang, &key, &[("entity", &entity(*e))]),
        Rejection::Empty { field } => {
            let field_key = format!("field.{}", field.code());
            let field = t(lang, &field_key);
            capitalised(&tf(lang, &key, &[("field", &field)]))
        }
        Rejection::TooLong {
            field,
            length_chars,
            max_chars,
        } => tf(
            lang,
            &key,
            &[
                ("field", field),
                ("length", length_chars),
                ("max", max_chars),
            ],
        ),
        Rejection::NoGuideQuestion {
            requirement,
            questions,
            question,
        } => tf(
            lang,
            &key,
            &[
                ("requirement", &entity((*requirement).into())),
                ("questions", questions),
                ("question", question),
            ],
        ),
        Rejection::ExcerptOutsideNotes {
            interview,
            start_char,
            end_char,
            length_chars,
        } => tf(
            lang,
            &key,
            &[
                ("interview", &entity((*interview).into())),
                ("start", start_char),
                ("end", end_char),
                ("length", length_chars),
            ],
        ),
        Rejection::NotLinked {
            entity: e,
            requirement,
        } => tf(
            lang,
            &key,
            &[
                ("entity", &entity(*e)),
                ("requirement", &entity((*requirement).into())),
            ],
        ),
        Rejection::NoStoredFile { sha256 } => tf(lang, &key, &[("sha256", sha256)]),
        Rejection::KindHasActions { finding, actions }
        | Rejection::FindingHasActions { finding, actions } => tn(
            lang,
            &key,
            *actions,
            &[
                ("finding", &entity((*finding).into())),
                ("actions", actions),
            ],
        ),
        Rejection::EvidenceNotLinked { finding } | Rejection::NotADeviation { finding } => {
            tf(lang, &key, &[("finding", &entity((*finding).into()))])
        }
        Rejection::NoOutcomes { year } | Rejection::YearOutOfRange { year } => {
            tf(lang, &key, &[("year", year)])
        }
        Rejection::OutcomeSumTooLarge { sum, ended, year } => tf(
            lang,
            &key,
            &[("sum", sum), ("ended", ended), ("year", year)],
        ),
        Rejection::PeriodEndsBeforeStart { start, end } => tf(
            lang,
            &key,
            &[
                ("start", &date(lang, Some(*start))),
                ("end", &date(lang, Some(*end))),
            ],
        ),
        Rejection::CatalogIsFidelityScale { catalog }
        | Rejection::NotAFidelityScale { catalog } => tf(lang, &key, &[("catalog", catalog)]),
        Rejection::OtherCatalog { current, offered } => {
            tf(lang, &key, &[("current", current), ("offered", offered)])
        }
        Rejection::SameCatalogVersion { catalog, version } => {
            tf(lang, &key, &[("catalog", catalog), ("version", version)])
        }
        Rejection::DuplicateRequirementCode { code } => tf(lang, &key, &[("code", code)]),
        Rejection::ScoreOutsideScale { score, min, max } => {
            tf(lang, &key, &[("score", score), ("min", min), ("max", max)])
        }
        Rejection::FidelitySealed { rater } | Rejection::FidelityNotSealed { rater } => tf(
            lang,
            &key,
            &[("rater", &t(lang, &format!("rater.{}", rater.code())))],
        ),
        Rejection::FidelityItemsUnscored { rater, missing } => tf(
            lang,
            &key,
            &[
                ("rater", &t(lang, &format!("rater.{}", rater.code()))),
                ("missing", missing),
            ],
        ),
        Rejection::NoScore { item, rater } => tf(
            lang,
            &key,
            &[
                ("item", &entity((*item).into())),
                ("rater", &t(lang, &format!("rater.{}", rater.code()))),
            ],
        ),
        Rejection::PassphraseTooShort { min_chars } => tf(lang, &key, &[("min", min_chars)]),
        Rejection::PlanNotClosed { open } => tf(lang, &key, &[("open", open)]),
        Rejection::RetentionOutOfRange { days } => tf(lang, &key, &[("days", days)]),
        Rejection::PlannedInterviewsOutOfRange { count } => tf(lang, &key, &[("count", count)]),
        Rejection::ReviewAlreadyStarted { document_review } => tf(
            lang,
            &key,
            &[("review", &entity_text(lang, (*document_review).into()))],
        ),
        Rejection::ImportedRowsMismatch { rows, actions } => {
            tf(lang, &key, &[("rows", rows), ("actions", actions)])
        }
        Rejection::UndeclaredRole { role } => tf(lang, &key, &[("role", role)]),
        Rejection::UndeclaredStage { stage } => tf(lang, &key, &[("stage", stage)]),
        Rejection::RoleStillUsed { role, count } => {
            tf(lang, &key, &[("role", role), ("count", count)])
        }
        Rejection::MergeDoesNotFit { table, id } => tf(lang, &key, &[("table", table), ("id", id)]),
        Rejection::ProviderPackage
        | Rejection::Stopped
        | Rejection::StageOnlyForParticipants
        | Rejection::CatalogAlreadyAdopted
        | Rejection::NoCatalog
        | Rejection::FidelityScaleAlreadyAdopted
        | Rejection::NoFidelityReview
        | Rejection::FidelityStillBlind
        | Rejection::FidelityNotARater
        | Rejection::FidelityBothSealed
        | Rejection::FidelityNotBlind
        | Rejection::ReportAlreadyFinal
        | Rejection::ReportNoDraft
        | Rejection::AlreadyClosed
        | Rejection::NotClosed
        | Rejection::DeletionNeedsClosedCase
        | Rejection::DeletionNotConfirmed
        | Rejection::PassphraseEmpty
        | Rejection::NotUndoable
        | Rejection::UndoConflict => t(lang, &key).to_owned(),
    }
}

/// The first letter in upper case, for a field name that starts a sentence.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Whether `evidence_reference` quotes an excerpt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// Only excerpts marked shareable (what leaves the evaluator's laptop).
    IfShareable,
    /// Always (inside the app).
    Always,
}

/// "intervju med tiltakskoordinator 12.02.2026", with the excerpt's quote as `quote` allows.
/// Sources are named by role and date, never by person.
pub fn evidence_reference(
    snapshot: &CaseSnapshot,
    evidence: EvidenceRef,
    lang: Lang,
    quote: Quote,
) -> String {
    match evidence {
        EvidenceRef::Excerpt(excerpt_id) => snapshot
            .excerpt(excerpt_id)
            .map(|(interview, excerpt)| {
                let reference = tf(
                    lang,
                    "report.interview_ref",
                    &[
                        (
                            "role",
                            &in_sentence(&role_name(snapshot, &interview.fields.role, lang)),
                        ),
                        ("date", &date(lang, Some(interview.fields.date))),
                    ],
                );
                if quote == Quote::Always || excerpt.shareable {
                    format!("{reference}: «{}»", excerpt.quote)
                } else {
                    reference
                }
            })
            .unwrap_or_default(),
        EvidenceRef::DocumentReview(id) => snapshot
            .document_reviews
            .iter()
            .find(|d| d.id == id)
            .map(|d| tf(lang, "report.document_ref", &[("title", &d.fields.title)]))
            .unwrap_or_default(),
    }
}

/// Compares two texts as the language's alphabet orders them (CLDR collation): «Ærlig» after
/// «Zebra» and before «Østre» in Norwegian; å, ä, ö after z in Swedish. Equal texts by the
/// collation are then ordered by code point, so the order is total.
pub fn collate(lang: Lang, a: &str, b: &str) -> std::cmp::Ordering {
    use icu_collator::{Collator, CollatorBorrowed, options::CollatorOptions};
    fn collator(locale: icu_locale_core::Locale) -> Option<CollatorBorrowed<'static>> {
        Collator::try_new((&locale).into(), CollatorOptions::default()).ok()
    }
    static NB: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    static EN: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    static SV: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    let (cell, locale) = match lang {
        Lang::Nb => (&NB, icu_locale_core::locale!("nb")),
        Lang::En => (&EN, icu_locale_core::locale!("en")),
        Lang::Sv => (&SV, icu_locale_core::locale!("sv")),
    };
    let by_alphabet = cell
        .get_or_init(|| collator(locale))
        .as_ref()
        .map_or(std::cmp::Ordering::Equal, |c| c.compare(a, b));
    by_alphabet.then_with(|| a.cmp(b))
}

/// Items as a sentence lists them: «NAV, tiltaksarrangør og deltakere».
pub fn listed(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} {} {last}", first.join(", "), t(lang, "list.and")),
    }
}

/// A label as it reads inside a sentence: "Tiltakskoordinator" → "tiltakskoordinator",
/// but acronyms such as "NAV-leder" keep their capitals.
pub fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string in a JSON value, with its path.
    fn strings(value: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::String(text) => out.push((path.to_owned(), text.clone())),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    strings(item, &format!("{path}[{i}]"), out);
                }
            }
            serde_json::Value::Object(fields) => {
                for (name, item) in fields {
                    strings(item, &format!("{path}.{name}"), out);
                }
            }
            _ => {}
        }
    }

    /// A character the UI font lacks is drawn as a box (or, in tests, panics): every word of
    /// both languages must be drawable with egui's own fonts.
    #[test]
    fn every_text_has_glyphs_in_the_ui_font() {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let font = egui::FontId::proportional(14.0);
        let mut texts: Vec<(String, String)> = Vec::new();
        for lang in Lang::ALL {
            for (key, text) in table(lang) {
                texts.push((format!("{lang:?} {key}"), text.clone()));
            }
        }
        // The shipped catalogs and the demo case are shown in the UI too.
        for catalog in crate::catalog::builtin_all().unwrap_or_default() {
            let value = serde_json::to_value(&catalog).unwrap_or_default();
            strings(&value, &catalog.id, &mut texts);
        }
        let demo: serde_json::Value =
            serde_json::from_str(include_str!("../assets/demo/demo-case.json")).unwrap_or_default();
        strings(&demo, "demo", &mut texts);
        assert!(texts.len() > 1000, "{}", texts.len());
        for (place, text) in texts {
            let missing: Vec<char> = text
                .chars()
                .filter(|c| !c.is_control() && !ctx.fonts_mut(|f| f.has_glyph(&font, *c)))
                .collect();
            assert!(missing.is_empty(), "{place}: no glyph for {missing:?}");
        }
    }

    #[test]
    fn each_language_sorts_by_its_own_alphabet() {
        let sorted = |lang: Lang| {
            let mut words = vec![
                "Åpen", "ärlig", "ærlig", "Zebra", "öst", "øvrig", "apen", "Bø",
            ];
            words.sort_by(|a, b| collate(lang, a, b));
            words
        };
        // Norwegian: æ ø å after z, the Swedish ä and ö with æ and ø.
        let norwegian = sorted(Lang::Nb);
        assert_eq!(&norwegian[..3], ["apen", "Bø", "Zebra"]);
        assert_eq!(norwegian.last(), Some(&"Åpen"));
        // Swedish: å ä ö after z, in that order; æ with ä and ø with ö.
        let swedish = sorted(Lang::Sv);
        assert_eq!(&swedish[..3], ["apen", "Bø", "Zebra"]);
        assert_eq!(swedish[3], "Åpen");
        assert!(
            swedish[4..6].contains(&"ärlig") && swedish[4..6].contains(&"ærlig"),
            "{swedish:?}"
        );
        assert!(
            swedish[6..].contains(&"öst") && swedish[6..].contains(&"øvrig"),
            "{swedish:?}"
        );
        // English: the letters with their base letters (æ as «ae»).
        let english = sorted(Lang::En);
        let at = |word: &str| english.iter().position(|w| *w == word);
        assert_eq!(at("Åpen").map(|i| i - 1), at("apen"), "{english:?}");
        assert_eq!(english.last(), Some(&"Zebra"));
    }

    #[test]
    fn labels_in_sentences_keep_acronyms() {
        assert_eq!(in_sentence("Tiltakskoordinator"), "tiltakskoordinator");
        assert_eq!(in_sentence("NAV-leder"), "NAV-leder");
        assert_eq!(in_sentence("Øvrig ansatt"), "øvrig ansatt");
    }

    fn parsed(text: &str) -> Table {
        let table: Result<Table, _> = serde_json::from_str(text);
        assert!(table.is_ok(), "{table:?}");
        table.unwrap_or_default()
    }

    /// Every language has every key of every other, with the same `{placeholders}`: a missing
    /// or half-translated text fails here rather than showing a key or a raw brace to a user.
    #[test]
    fn every_language_has_every_key_with_its_placeholders() {
        fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
            text.split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .collect()
        }
        let tables = [
            (Lang::Nb, parsed(include_str!("../assets/i18n/nb.json"))),
            (Lang::En, parsed(include_str!("../assets/i18n/en.json"))),
            (Lang::Sv, parsed(include_str!("../assets/i18n/sv.json"))),
        ];
        assert!(tables.iter().map(|(lang, _)| lang).eq(Lang::ALL.iter()));
        let mut problems = Vec::new();
        for (lang, table) in &tables {
            for (other, other_table) in &tables {
                let mut missing: Vec<_> = other_table
                    .keys()
                    .filter(|k| !table.contains_key(*k))
                    .collect();
                missing.sort();
                if !missing.is_empty() {
                    problems.push(format!("{lang:?} lacks {other:?}'s {missing:?}"));
                }
            }
            let (_, nb) = &tables[0];
            for (key, text) in table {
                if let Some(source) = nb.get(key)
                    && placeholders(text) != placeholders(source)
                {
                    problems.push(format!("{lang:?} {key}: placeholders differ from nb"));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    fn assert_labelled<T: Labelled>(values: &[T]) {
        for lang in Lang::ALL {
            for value in values {
                let label = value.label(lang);
                assert!(
                    !label.starts_with(T::PREFIX),
                    "{lang:?} has no label for {label}"
                );
            }
        }
    }

    #[test]
    fn every_enum_value_has_a_label() {
        assert_labelled(&Measure::ALL);
        assert_labelled(&Phase::ALL);
        assert_labelled(&[InterviewSetting::Individual, InterviewSetting::Group]);
        assert_labelled(&[
            InterviewChannel::InPerson,
            InterviewChannel::Video,
            InterviewChannel::Phone,
        ]);
        assert_labelled(&DocumentKind::ALL);
        assert_labelled(&FindingKind::ALL);
        assert_labelled(&[Stance::Supports, Stance::Contradicts]);
        assert_labelled(&ActionStatus::ALL);
    }

    /// Every refusal of the store has words in both languages, with every placeholder filled.
    #[test]
    fn every_rejection_is_worded_in_every_language() {
        for lang in Lang::ALL {
            for rejection in Rejection::examples() {
                let text = rejection_text(lang, &rejection);
                assert!(
                    !text.contains("rejection.")
                        && !text.contains('{')
                        && !text.contains("entity."),
                    "{lang:?} {rejection:?}: {text}"
                );
            }
        }
        let refused = Rejection::FindingHasActions {
            finding: crate::domain::FindingId(3),
            actions: 2,
        };
        assert_eq!(
            rejection_text(Lang::Nb, &refused),
            "funn 3 har 2 tiltak i planen; slett dem først"
        );
        assert_eq!(
            refused.to_string(),
            "finding 3 has 2 actions in the plan; delete them first"
        );
        let one = Rejection::FindingHasActions {
            finding: crate::domain::FindingId(3),
            actions: 1,
        };
        assert_eq!(
            one.to_string(),
            "finding 3 has 1 action in the plan; delete it first"
        );
    }

    /// The serde names of every command (from serde's own "expected one of" list): each has a
    /// label for "Angre: …" in both languages.
    #[test]
    fn every_command_has_a_label_in_every_language() {
        let error = serde_json::from_str::<crate::command::Command>(r#"{"op":"no_such_op"}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let ops: Vec<&str> = error
            .split('`')
            .skip(3)
            .step_by(2)
            .filter(|name| !name.is_empty())
            .collect();
        assert!(ops.len() >= 41, "{error}");
        for lang in Lang::ALL {
            for op in &ops {
                let key = format!("op.{op}");
                assert_ne!(t(lang, &key), key, "{lang:?} has no label for {op}");
            }
        }
    }

    #[test]
    fn substitution_is_one_pass() {
        // A value that holds another placeholder's name is written as it is, not filled again.
        assert_eq!(
            tf(
                Lang::En,
                "missing {title}: {reason}",
                &[("title", &"the {reason} file"), ("reason", &"gone")]
            ),
            "missing the {reason} file: gone"
        );
        assert_eq!(
            tf(
                Lang::En,
                "{a}{b} {unknown} {",
                &[("a", &"{b}"), ("b", &"x")]
            ),
            "{b}x {unknown} {"
        );
    }

    #[test]
    fn every_plural_has_both_forms_in_every_language() {
        for lang in Lang::ALL {
            let keys = table(lang);
            for key in keys.keys() {
                if let Some(stem) = key.strip_suffix(".one") {
                    assert!(
                        keys.contains_key(&format!("{stem}.other")),
                        "{lang:?}: {key} has no {stem}.other"
                    );
                }
            }
        }
        assert!(table(Lang::Nb).contains_key("findings.evidence_count.one"));
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        let sources = |lang, n| tn(lang, "findings.evidence_count", n, &[]);
        assert_eq!(sources(Lang::Nb, 1), "Bygger på 1 kilde");
        assert_eq!(sources(Lang::Nb, 2), "Bygger på 2 kilder");
        assert_eq!(sources(Lang::Nb, 0), "Bygger på 0 kilder");
        assert_eq!(sources(Lang::En, 1), "Rests on 1 source");
        assert_eq!(sources(Lang::En, 3), "Rests on 3 sources");
        assert_eq!(
            tn(Lang::Nb, "overview.warn_privacy", 1, &[]),
            "1 personopplysning (fødselsnummer, e-post, telefon) i teksten"
        );
        assert_eq!(
            tn(Lang::En, "plan.import_problems", 1, &[("file", &"a.xlsx")]),
            "1 problem in «a.xlsx». Nothing was changed. Fix it and try again:"
        );
        // No text with a count beside a noun hedges with «(er)» or «(s)».
        for lang in Lang::ALL {
            for (key, text) in table(lang) {
                assert!(
                    !text.contains("(er)") && !text.contains("(s)") && !text.contains("(es)"),
                    "{lang:?} {key}: {text}"
                );
            }
        }
    }

    #[test]
    fn the_command_line_follows_the_locale() {
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(Lang::from_locale(None, None, s("nb_NO.UTF-8")), Lang::Nb);
        assert_eq!(Lang::from_locale(None, None, s("nn_NO")), Lang::Nb);
        assert_eq!(Lang::from_locale(None, None, s("no")), Lang::Nb);
        assert_eq!(Lang::from_locale(None, None, s("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(None, None, s("sv_SE.UTF-8")), Lang::Sv);
        assert_eq!(Lang::from_locale(None, s("sv_FI"), None), Lang::Sv);
        // The app's first start keeps Bokmål unless the locale is Swedish or English.
        assert_eq!(
            Lang::first_start_for(None, None, s("sv_SE.UTF-8")),
            Lang::Sv
        );
        assert_eq!(
            Lang::first_start_for(None, None, s("en_GB.UTF-8")),
            Lang::En
        );
        assert_eq!(Lang::first_start_for(None, None, s("C.UTF-8")), Lang::Nb);
        assert_eq!(Lang::first_start_for(None, None, None), Lang::Nb);
        assert_eq!(Lang::first_start_for(None, None, s("de_DE")), Lang::Nb);
        assert_eq!(Lang::from_locale(None, None, s("C")), Lang::En);
        assert_eq!(Lang::from_locale(None, None, None), Lang::En);
        // LC_ALL wins over LC_MESSAGES, which wins over LANG; an empty one counts as unset.
        assert_eq!(Lang::from_locale(s("C"), s("nb_NO"), s("nb_NO")), Lang::En);
        assert_eq!(Lang::from_locale(s(""), s("nb_NO"), s("en_GB")), Lang::Nb);
        assert_eq!(Lang::from_locale(None, s("en_GB"), s("nb_NO")), Lang::En);
    }

    #[test]
    fn dates_are_written_day_first() {
        let day = Some(jiff::civil::date(2026, 4, 15));
        assert_eq!(date(Lang::Nb, day), "15.04.2026");
        assert_eq!(date(Lang::En, day), "15.04.2026");
        assert_eq!(date(Lang::Nb, None), "–");
        assert_eq!(date(Lang::Sv, day), "2026-04-15");
        assert_eq!(
            tf(Lang::En, "missing.key {n}", &[("n", &3)]),
            "missing.key 3"
        );
    }
}
