//! The identity-number guard: finds what must never leave a case in free text — Norwegian
//! fødselsnummer, D-nummer and H-nummer (with their check digits, the 2032 rule included),
//! Swedish personnummer and samordningsnummer (Luhn check digit, a real date), e-mail addresses
//! and Norwegian and Swedish phone numbers. Digit runs that fail the checks are not reported, so
//! dates, organisation numbers (a Swedish one has a «month» of 20 or more) and amounts give no
//! false alarms.

use std::collections::HashMap;

use crate::domain::CaseSnapshot;

/// What was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HitKind {
    /// Fødselsnummer.
    BirthNumber,
    /// D-nummer: the day is increased by 40.
    DNumber,
    /// H-nummer (health sector): the month is increased by 40.
    HNumber,
    /// Swedish personnummer: `YYMMDD-NNNC` (`+` from the age of 100) or `YYYYMMDDNNNC`.
    Personnummer,
    /// Swedish samordningsnummer: a personnummer whose day is increased by 60.
    Samordningsnummer,
    Email,
    Phone,
}

impl HitKind {
    /// The name printed by `evalbench scan`.
    pub fn code(self) -> &'static str {
        match self {
            HitKind::BirthNumber => "fodselsnummer",
            HitKind::DNumber => "d-nummer",
            HitKind::HNumber => "h-nummer",
            HitKind::Personnummer => "personnummer",
            HitKind::Samordningsnummer => "samordningsnummer",
            HitKind::Email => "e-post",
            HitKind::Phone => "telefon",
        }
    }
}

/// One finding in a text: where (characters, and line and column from 1) and a masked form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: HitKind,
    pub start_char: usize,
    pub end_char: usize,
    pub line: usize,
    pub column: usize,
    /// The text with all but its last two digits (or, for e-mail, all but its first letter and
    /// domain) replaced by `*`: enough to find it again, not enough to misuse it.
    pub masked: String,
}

/// Every hit in `text`, in order of position.
pub fn scan(text: &str) -> Vec<Hit> {
    let chars: Vec<char> = text.chars().collect();
    let mut hits = Vec::new();
    let mut taken = vec![false; chars.len()];
    for (kind, start, end) in identity_numbers(&chars)
        .into_iter()
        .chain(swedish_identity_numbers(&chars))
        .chain(emails(&chars))
        .chain(phone_numbers(&chars))
    {
        if taken[start..end].iter().any(|t| *t) {
            continue;
        }
        taken[start..end].iter_mut().for_each(|t| *t = true);
        let (line, column) = line_column(&chars, start);
        let found: String = chars[start..end].iter().collect();
        hits.push(Hit {
            kind,
            start_char: start,
            end_char: end,
            line,
            column,
            masked: mask(kind, &found),
        });
    }
    hits.sort_by_key(|hit| hit.start_char);
    hits
}

/// `text` with every hit replaced by its masked form (for `--redact`).
pub fn redact(text: &str) -> String {
    let hits = scan(text);
    let mut out = String::with_capacity(text.len());
    let mut position = 0;
    for (index, c) in text.chars().enumerate() {
        if let Some(hit) = hits.get(position)
            && index >= hit.start_char
        {
            if index == hit.start_char {
                out.push_str(&hit.masked);
            }
            if index + 1 == hit.end_char {
                position += 1;
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// A hit in one field of a case: `interview/3` `notes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseHit {
    pub entity: String,
    pub field: &'static str,
    pub hit: Hit,
}

/// Every hit in every free-text field of a case.
pub fn scan_case(snapshot: &CaseSnapshot) -> Vec<CaseHit> {
    ScanCache::default().scan_case(snapshot)
}

/// The parts of a case whose free text is scanned apart, in the order hits are listed: after
/// an edit only the part it changed is scanned again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The case's own fields: provider, NAV unit, evaluators.
    Case,
    Interviews,
    Documents,
    Findings,
    Meeting,
    Actions,
    Fidelity,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Case,
        Section::Interviews,
        Section::Documents,
        Section::Findings,
        Section::Meeting,
        Section::Actions,
        Section::Fidelity,
    ];
}

/// Scan results by section and by text, so a case re-scanned after one edit scans only the
/// text that changed, and looks only at the sections the edit touched. The app keeps one per
/// open case.
#[derive(Default)]
pub struct ScanCache {
    by_text: [HashMap<u64, Vec<Hit>>; Section::ALL.len()],
    hits: [Vec<CaseHit>; Section::ALL.len()],
}

impl ScanCache {
    /// Every hit in every free-text field of a case; texts seen in the last scan are not
    /// scanned again.
    pub fn scan_case(&mut self, snapshot: &CaseSnapshot) -> Vec<CaseHit> {
        self.rescan(snapshot, |_| true)
    }

    /// Every hit in the case, with only the sections `changed` says changed looked at again;
    /// the others' hits are the last scan's.
    pub fn rescan(
        &mut self,
        snapshot: &CaseSnapshot,
        changed: impl Fn(Section) -> bool,
    ) -> Vec<CaseHit> {
        for section in Section::ALL {
            if changed(section) {
                self.scan_section(snapshot, section);
            }
        }
        self.hits.iter().flatten().cloned().collect()
    }

    /// Every hit in the case after an edit of only the `entities` of `section` (e.g.
    /// `interview/3`): their texts are scanned again and every other entity keeps its hits
    /// without its text being hashed, which at 100× the demo case was 25 MB of notes per edit.
    pub fn rescan_entities(
        &mut self,
        snapshot: &CaseSnapshot,
        section: Section,
        entities: &[String],
    ) -> Vec<CaseHit> {
        let index = section as usize;
        let mut kept: HashMap<String, Vec<CaseHit>> = HashMap::new();
        for hit in std::mem::take(&mut self.hits[index]) {
            kept.entry(hit.entity.clone()).or_default().push(hit);
        }
        let seen = &mut self.by_text[index];
        let mut hits = Vec::new();
        visit_text_ref(snapshot, &|s| s == section, &mut |entity, field, text| {
            if !entities.iter().any(|e| e == entity) {
                // An entity's fields are visited one after the other: its hits go in at the first.
                hits.extend(kept.remove(entity).into_iter().flatten());
                return;
            }
            if text.is_empty() {
                return;
            }
            let found = seen
                .entry(text_key(text))
                .or_insert_with(|| scan(text))
                .clone();
            hits.extend(found.into_iter().map(|hit| CaseHit {
                entity: entity.to_owned(),
                field,
                hit,
            }));
        });
        self.hits[index] = hits;
        self.hits.iter().flatten().cloned().collect()
    }

    fn scan_section(&mut self, snapshot: &CaseSnapshot, section: Section) {
        let index = section as usize;
        let mut previous = std::mem::take(&mut self.by_text[index]);
        let seen = &mut self.by_text[index];
        let mut hits = Vec::new();
        visit_text_ref(snapshot, &|s| s == section, &mut |entity, field, text| {
            if text.is_empty() {
                return;
            }
            let key = text_key(text);
            let found = match (previous.remove(&key), seen.get(&key)) {
                (Some(found), _) => found,
                (None, Some(found)) => found.clone(),
                (None, None) => scan(text),
            };
            hits.extend(found.iter().map(|hit| CaseHit {
                entity: entity.to_owned(),
                field,
                hit: hit.clone(),
            }));
            seen.insert(key, found);
        });
        self.hits[index] = hits;
    }
}

/// A 64-bit hash of the text; with the length mixed in, a collision between two texts of one
/// case is far less likely than a disk error.
fn text_key(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish() ^ (text.len() as u64).rotate_left(32)
}

/// The case with every hit in its free text masked, for `--redact` exports. Masks keep the
/// text's length, so excerpt offsets still point at their quotes.
pub fn redact_case(snapshot: &CaseSnapshot) -> CaseSnapshot {
    let mut copy = snapshot.clone();
    visit_text(&mut copy, &mut |_, _, text| {
        if !scan(text).is_empty() {
            *text = redact(text);
        }
    });
    copy
}

/// Calls `visit` with every free-text field of the case: the entity (`interview/3`), the field
/// name and the text. The one list of what a person may have typed into; written once for
/// shared and for mutable access (`mut` as the second argument).
macro_rules! visit_fields {
    ($snapshot:expr, $($mut:ident)?; $want:expr, $visit:expr) => {{
        let snapshot = $snapshot;
        let want = $want;
        let visit = $visit;
        if want(Section::Case) {
            let facts = &$($mut)? snapshot.facts;
            visit("case", "provider_name", &$($mut)? facts.provider_name);
            visit("case", "nav_unit", &$($mut)? facts.nav_unit);
            for evaluator in &$($mut)? snapshot.evaluators {
                visit("case", "evaluators", evaluator);
            }
        }
        for interview in (&$($mut)? snapshot.interviews)
            .into_iter()
            .filter(|_| want(Section::Interviews))
        {
            let entity = interview.id.to_string();
            for label in &$($mut)? interview.fields.interviewees {
                visit(&entity, "interviewees", label);
            }
            visit(&entity, "notes", &$($mut)? interview.notes);
            for excerpt in &$($mut)? interview.excerpts {
                visit(&excerpt.id.to_string(), "quote", &$($mut)? excerpt.quote);
            }
        }
        for review in (&$($mut)? snapshot.document_reviews)
            .into_iter()
            .filter(|_| want(Section::Documents))
        {
            let entity = review.id.to_string();
            visit(&entity, "title", &$($mut)? review.fields.title);
            visit(&entity, "assessment", &$($mut)? review.fields.assessment);
        }
        for finding in (&$($mut)? snapshot.findings)
            .into_iter()
            .filter(|_| want(Section::Findings))
        {
            let entity = finding.id.to_string();
            visit(&entity, "title", &$($mut)? finding.fields.title);
            visit(&entity, "description", &$($mut)? finding.fields.description);
        }
        if want(Section::Meeting) {
            let meeting = &$($mut)? snapshot.feedback_meeting;
            for participant in &$($mut)? meeting.participants {
                visit("feedback_meeting", "participants", participant);
            }
            visit("feedback_meeting", "summary", &$($mut)? meeting.summary);
            visit(
                "feedback_meeting",
                "provider_comments",
                &$($mut)? meeting.provider_comments,
            );
        }
        for action in (&$($mut)? snapshot.actions)
            .into_iter()
            .filter(|_| want(Section::Actions))
        {
            let entity = action.id.to_string();
            let fields = &$($mut)? action.fields;
            visit(&entity, "description", &$($mut)? fields.description);
            visit(&entity, "owner", &$($mut)? fields.owner);
            visit(&entity, "closure_evidence", &$($mut)? fields.closure_evidence);
            visit(&entity, "nav_comment", &$($mut)? fields.nav_comment);
        }
        if want(Section::Fidelity)
            && let Some(review) = &$($mut)? snapshot.fidelity
        {
            for score in &$($mut)? review.scores {
                visit(&score.item_id.to_string(), "rationale", &$($mut)? score.rationale);
            }
        }
    }};
}

fn visit_text(snapshot: &mut CaseSnapshot, visit: &mut dyn FnMut(&str, &'static str, &mut String)) {
    visit_fields!(snapshot, mut; |_| true, visit);
}

/// The free-text fields of the sections `want` names.
fn visit_text_ref(
    snapshot: &CaseSnapshot,
    want: &dyn Fn(Section) -> bool,
    visit: &mut dyn FnMut(&str, &'static str, &String),
) {
    visit_fields!(snapshot, ; want, visit);
}

/// Weights of the first and second check digit of an identity number.
const W1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// The kind of an 11-digit number if it is a valid fødselsnummer, D- or H-nummer.
pub fn identity_number_kind(digits: &[u8; 11]) -> Option<HitKind> {
    let d = digits.map(u32::from);
    let mut day = d[0] * 10 + d[1];
    let mut month = d[2] * 10 + d[3];
    let mut kind = HitKind::BirthNumber;
    if day > 40 {
        day -= 40;
        kind = HitKind::DNumber;
    }
    if month > 40 {
        month -= 40;
        if kind == HitKind::DNumber {
            return None;
        }
        kind = HitKind::HNumber;
    }
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29, // the century is not known; 29.02 is possible in a leap year
        _ => return None,
    };
    if day == 0 || day > days_in_month {
        return None;
    }
    let sum1: u32 = W1.iter().zip(&d).map(|(w, x)| w * x).sum();
    // Before 2032 the first check digit makes the sum divisible by 11; numbers issued from 2032
    // may leave a remainder of 1, 2 or 3 instead (k1 shifted by +1, +2 or +3).
    if (sum1 + d[9]) % 11 > 3 {
        return None;
    }
    let sum2: u32 = W2.iter().zip(&d).map(|(w, x)| w * x).sum();
    if !(sum2 + d[10]).is_multiple_of(11) {
        return None;
    }
    Some(kind)
}

fn is_boundary(chars: &[char], index: Option<usize>) -> bool {
    index
        .and_then(|i| chars.get(i))
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Runs of exactly 11 digits, or 6 + 5 with one space or dot between, that pass the checks.
fn identity_numbers(chars: &[char]) -> Vec<(HitKind, usize, usize)> {
    let mut found = Vec::new();
    for start in 0..chars.len() {
        if !chars[start].is_ascii_digit() || !is_boundary(chars, start.checked_sub(1)) {
            continue;
        }
        let mut digits = Vec::with_capacity(11);
        let mut index = start;
        while index < chars.len() && digits.len() < 11 {
            let c = chars[index];
            if let Some(digit) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
                digits.push(digit as u8);
            } else if digits.len() == 6
                && (c == ' ' || c == '.')
                && index == start + 6
                && chars.get(index + 1).is_some_and(char::is_ascii_digit)
            {
                // the one separator allowed, between birth date and individual number
            } else {
                break;
            }
            index += 1;
        }
        if digits.len() != 11 || !is_boundary(chars, Some(index)) {
            continue;
        }
        let mut array = [0u8; 11];
        array.copy_from_slice(&digits);
        if let Some(kind) = identity_number_kind(&array) {
            found.push((kind, start, index));
        }
    }
    found
}

/// Whether a date is a real one; with the century unknown (`year` `None`), 29 February is.
fn is_date(year: Option<u32>, month: u32, day: u32) -> bool {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y)
                if !(y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))) =>
            {
                28
            }
            _ => 29,
        },
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The kind of a Swedish number from its ten digits `YYMMDDNNNC` (and the century when
/// written with twelve): a Luhn check digit over the ten, and a real date, the day increased
/// by 60 for a samordningsnummer. An organisationsnummer passes Luhn too, but its «month» is
/// 20 or more, so it is never a date.
pub fn swedish_number_kind(digits: &[u8; 10], century: Option<u32>) -> Option<HitKind> {
    let d = digits.map(u32::from);
    if !crate::domain::case::luhn_valid(&d) {
        return None;
    }
    let year = century.map(|c| c * 100 + d[0] * 10 + d[1]);
    let month = d[2] * 10 + d[3];
    let day = d[4] * 10 + d[5];
    if is_date(year, month, day) {
        Some(HitKind::Personnummer)
    } else if day > 60 && is_date(year, month, day - 60) {
        Some(HitKind::Samordningsnummer)
    } else {
        None
    }
}

/// Swedish personnummer and samordningsnummer in their written forms: `YYMMDD-NNNC`,
/// `YYMMDD+NNNC`, ten digits together, `YYYYMMDD-NNNC` and twelve digits together (century
/// 18, 19 or 20). A digit run of any other length is not one.
fn swedish_identity_numbers(chars: &[char]) -> Vec<(HitKind, usize, usize)> {
    let mut found = Vec::new();
    for start in 0..chars.len() {
        if !chars[start].is_ascii_digit() || !is_boundary(chars, start.checked_sub(1)) {
            continue;
        }
        // A phone number's digits after +46 or a leading - are not an identity number.
        if start > 0 && matches!(chars[start - 1], '+' | '-') {
            continue;
        }
        let mut digits: Vec<u8> = Vec::with_capacity(12);
        let mut separator = None;
        let mut index = start;
        while index < chars.len() && digits.len() <= 12 {
            let c = chars[index];
            if c.is_ascii_digit() {
                digits.push(c as u8 - b'0');
            } else if separator.is_none()
                && (c == '-' || c == '+')
                && (digits.len() == 6 || digits.len() == 8)
                && chars.get(index + 1).is_some_and(char::is_ascii_digit)
            {
                separator = Some((digits.len(), c));
            } else {
                break;
            }
            index += 1;
        }
        if !is_boundary(chars, Some(index)) || chars.get(index).is_some_and(|c| *c == '-') {
            continue;
        }
        let (ten, century) = match (digits.len(), separator) {
            (10, None | Some((6, _))) => (&digits[..], None),
            (12, None | Some((8, '-'))) => {
                let century = u32::from(digits[0]) * 10 + u32::from(digits[1]);
                if !(18..=20).contains(&century) {
                    continue;
                }
                (&digits[2..], Some(century))
            }
            _ => continue,
        };
        let mut array = [0u8; 10];
        array.copy_from_slice(ten);
        if let Some(kind) = swedish_number_kind(&array, century) {
            found.push((kind, start, index));
        }
    }
    found
}

fn emails(chars: &[char]) -> Vec<(HitKind, usize, usize)> {
    let local = |c: char| c.is_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_alphanumeric() || c == '.' || c == '-';
    let mut found = Vec::new();
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        let mut start = at;
        while start > 0 && local(chars[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < chars.len() && domain(chars[end]) {
            end += 1;
        }
        // A sentence's full stop after the address is not part of it.
        while end > at + 1 && chars[end - 1] == '.' {
            end -= 1;
        }
        let host: String = chars[at + 1..end].iter().collect();
        let tld_ok = host.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
        });
        if start < at && tld_ok {
            found.push((HitKind::Email, start, end));
        }
    }
    found
}

/// Norwegian and Swedish phone numbers.
fn phone_numbers(chars: &[char]) -> Vec<(HitKind, usize, usize)> {
    let mut found = norwegian_phone_numbers(chars);
    found.extend(swedish_phone_numbers(chars));
    found
}

/// Swedish phone numbers: after +46 or 0046, nine digits (`70 123 45 67`, `701234567`,
/// `8 123 456 78` …); at home, mobile numbers `07X-XXX XX XX`, `07X XXX XX XX`,
/// `07X-XXXXXXX` or `07XXXXXXXX`. Landline numbers without the country code are left alone:
/// their shapes are those of too many other numbers.
fn swedish_phone_numbers(chars: &[char]) -> Vec<(HitKind, usize, usize)> {
    const INTERNATIONAL: [&[usize]; 5] = [&[2, 3, 2, 2], &[9], &[2, 7], &[1, 3, 3, 2], &[1, 8]];
    const MOBILE: [&[usize]; 2] = [&[3, 2, 2], &[7]];
    let mut found = Vec::new();
    for start in 0..chars.len() {
        if !is_boundary(chars, start.checked_sub(1)) {
            continue;
        }
        let international = if chars[start..].starts_with(&['+', '4', '6']) {
            Some(start + 3)
        } else if chars[start..].starts_with(&['0', '0', '4', '6']) {
            Some(start + 4)
        } else {
            None
        };
        if let Some(mut at) = international {
            if chars.get(at) == Some(&' ') {
                at += 1;
            }
            if chars
                .get(at)
                .and_then(|c| c.to_digit(10))
                .is_some_and(|d| d >= 1)
                && let Some(end) = INTERNATIONAL
                    .iter()
                    .filter_map(|groups| grouped_digits(chars, at, groups))
                    .find(|end| is_boundary(chars, Some(*end)))
            {
                found.push((HitKind::Phone, start, end));
            }
            continue;
        }
        // 07X, then '-', ' ' or nothing, then the subscriber number.
        if !(chars[start..].starts_with(&['0', '7'])
            && chars.get(start + 2).is_some_and(char::is_ascii_digit))
        {
            continue;
        }
        let after_prefix = start + 3;
        let candidates = match chars.get(after_prefix) {
            Some('-' | ' ') => vec![after_prefix + 1],
            Some(c) if c.is_ascii_digit() => vec![after_prefix],
            _ => Vec::new(),
        };
        if let Some(end) = candidates.into_iter().find_map(|at| {
            MOBILE
                .iter()
                .filter_map(|groups| grouped_digits(chars, at, groups))
                .find(|end| is_boundary(chars, Some(*end)))
        }) {
            found.push((HitKind::Phone, start, end));
        }
    }
    found
}

/// Norwegian phone numbers: eight digits starting with 2–9, written together or as
/// "12 34 56 78" / "123 45 678", optionally after +47 or 0047.
fn norwegian_phone_numbers(chars: &[char]) -> Vec<(HitKind, usize, usize)> {
    const GROUPINGS: [&[usize]; 3] = [&[8], &[2, 2, 2, 2], &[3, 2, 3]];
    let mut found = Vec::new();
    for start in 0..chars.len() {
        if !is_boundary(chars, start.checked_sub(1)) {
            continue;
        }
        let mut number_start = start;
        if chars[start] == '+' {
            if !(chars.get(start + 1) == Some(&'4') && chars.get(start + 2) == Some(&'7')) {
                continue;
            }
            number_start = start + 3;
        } else if chars[start..].starts_with(&['0', '0', '4', '7']) {
            number_start = start + 4;
        }
        if number_start != start && chars.get(number_start) == Some(&' ') {
            number_start += 1;
        }
        for grouping in GROUPINGS {
            if let Some(end) = grouped_digits(chars, number_start, grouping)
                && is_boundary(chars, Some(end))
                && chars[number_start].to_digit(10).is_some_and(|d| d >= 2)
            {
                found.push((HitKind::Phone, start, end));
                break;
            }
        }
    }
    found
}

/// The end of digits in groups of the given sizes separated by single spaces, if they are there.
fn grouped_digits(chars: &[char], start: usize, groups: &[usize]) -> Option<usize> {
    let mut index = start;
    for (n, size) in groups.iter().enumerate() {
        if n > 0 {
            if chars.get(index) != Some(&' ') {
                return None;
            }
            index += 1;
        }
        for _ in 0..*size {
            if !chars.get(index)?.is_ascii_digit() {
                return None;
            }
            index += 1;
        }
    }
    Some(index)
}

fn line_column(chars: &[char], at: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for c in &chars[..at] {
        if *c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

fn mask(kind: HitKind, found: &str) -> String {
    if kind == HitKind::Email {
        // As long as the address, so offsets into the text (excerpts) still fit after redaction.
        let (local, domain) = found.split_once('@').unwrap_or((found, ""));
        let masked: String = local
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c } else { '*' })
            .collect();
        return format!("{masked}@{domain}");
    }
    let digits = found.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    found
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 2 > digits { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_scan_follows_edits_like_a_fresh_scan() {
        let mut snapshot = CaseSnapshot::default();
        snapshot.facts.provider_name = "Testbedrift".into();
        snapshot.feedback_meeting.summary = "Ring 02013299997 i morgen.".into();
        snapshot.feedback_meeting.provider_comments = "Ring 02013299997 i morgen.".into();
        let mut cache = ScanCache::default();
        let first = cache.scan_case(&snapshot);
        assert_eq!(first.len(), 2, "the same text in two fields is two hits");
        assert_eq!(first, scan_case(&snapshot));
        snapshot.feedback_meeting.summary = "Ingen nummer her.".into();
        let second = cache.scan_case(&snapshot);
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].field, "provider_comments");
        assert_eq!(second, scan_case(&snapshot));
        snapshot.feedback_meeting.summary = "Nå 30108299920.".into();
        assert_eq!(cache.scan_case(&snapshot), scan_case(&snapshot));
        assert_eq!(cache.scan_case(&snapshot).len(), 2);
    }

    #[test]
    fn a_rescan_looks_again_only_at_the_sections_named() {
        let mut snapshot = CaseSnapshot::default();
        snapshot.feedback_meeting.summary = "Ring 02013299997 i morgen.".into();
        let mut cache = ScanCache::default();
        assert_eq!(cache.scan_case(&snapshot).len(), 1);
        // A number typed into the provider comments: found when the meeting is named...
        snapshot.feedback_meeting.provider_comments = "Eller 30108299920.".into();
        let meeting = cache.rescan(&snapshot, |s| s == Section::Meeting);
        assert_eq!(meeting, scan_case(&snapshot));
        assert_eq!(meeting.len(), 2);
        // ...and the meeting's hits are kept when another section changes.
        snapshot.facts.nav_unit = "NAV Testby, tlf 99887766".into();
        let both = cache.rescan(&snapshot, |s| s == Section::Case);
        assert_eq!(both, scan_case(&snapshot));
        assert_eq!(both.len(), 3);
        // The hits keep the order of a whole scan: the case's own fields first.
        assert_eq!(both[0].entity, "case");
        snapshot.feedback_meeting.summary.clear();
        snapshot.feedback_meeting.provider_comments.clear();
        assert_eq!(cache.rescan(&snapshot, |s| s == Section::Meeting).len(), 1);
    }

    fn kinds(text: &str) -> Vec<HitKind> {
        scan(text).into_iter().map(|hit| hit.kind).collect()
    }

    #[test]
    fn the_documented_examples_validate() {
        assert_eq!(kinds("02013299997"), [HitKind::BirthNumber]);
        assert_eq!(kinds("fnr 30108299920."), [HitKind::BirthNumber]);
    }

    #[test]
    fn separators_d_and_h_numbers() {
        assert_eq!(kinds("nr 020132 99997 her"), [HitKind::BirthNumber]);
        assert_eq!(kinds("nr 020132.99997"), [HitKind::BirthNumber]);
        // D-nummer: 02.01.32 with the day raised by 40, check digits recomputed.
        let d = numbered([4, 2, 0, 1, 3, 2], 0);
        assert_eq!(kinds(&d), [HitKind::DNumber], "{d}");
        let h = numbered([0, 2, 4, 1, 3, 2], 0);
        assert_eq!(kinds(&h), [HitKind::HNumber], "{h}");
    }

    #[test]
    fn numbers_after_2032_may_shift_the_first_check_digit() {
        // k1 + 1 (mod 11) with k2 recomputed for it is valid from 2032.
        for shift in 1..=3 {
            let number = numbered([0, 2, 0, 1, 3, 2], shift);
            assert_eq!(kinds(&number), [HitKind::BirthNumber], "{number}");
        }
        let too_far = numbered([0, 2, 0, 1, 3, 2], 4);
        assert!(kinds(&too_far).is_empty(), "{too_far}");
    }

    #[test]
    fn digit_runs_that_fail_are_not_flagged() {
        assert!(kinds("02013299998").is_empty(), "wrong k2");
        assert!(kinds("32013299997").is_empty(), "day 32");
        assert!(kinds("021302 12345").is_empty(), "month 13");
        assert!(kinds("org.nr. 921 734 581, dato 12.02.2026, kl. 10.30").is_empty());
        assert!(kinds("020132999970").is_empty(), "12 digits");
        assert!(kinds("beløp 1234567 kr, år 2025 2026").is_empty());
        assert!(
            kinds("D-03 sa at 12345678 ikke").is_empty(),
            "starts with 1"
        );
    }

    #[test]
    fn emails_and_phone_numbers() {
        assert_eq!(
            kinds("Skriv til ola.nordmann@eksempel.no. Ring 912 34 567 eller +47 22 33 44 55."),
            [HitKind::Email, HitKind::Phone, HitKind::Phone]
        );
        assert_eq!(kinds("tlf 99887766"), [HitKind::Phone]);
        assert!(kinds("@ikke en adresse, a@b").is_empty());
    }

    #[test]
    fn hits_are_masked_and_placed() {
        let hits = scan("Notat\nD-03: 020132 99997 og ola@y.no");
        assert_eq!(hits[0].masked, "****** ***97");
        assert_eq!((hits[0].line, hits[0].column), (2, 7));
        assert_eq!(hits[1].masked, "o**@y.no");
        assert_eq!(redact("fnr 02013299997."), "fnr *********97.");
    }

    /// The first number with birth digits `six` whose first check digit is shifted by `shift`
    /// and whose check digits are both single digits.
    fn numbered(six: [u32; 6], shift: u32) -> String {
        (0..1000)
            .find_map(|individual: u32| {
                let mut digits = six.to_vec();
                digits.extend([individual / 100, individual / 10 % 10, individual % 10]);
                let sum1: u32 = W1.iter().zip(&digits).map(|(w, x)| w * x).sum();
                let k1 = (11 - sum1 % 11 + shift) % 11;
                digits.push(k1);
                let sum2: u32 = W2.iter().zip(&digits).map(|(w, x)| w * x).sum();
                let k2 = (11 - sum2 % 11) % 11;
                digits.push(k2);
                (k1 < 10 && k2 < 10).then(|| digits.iter().map(ToString::to_string).collect())
            })
            .unwrap_or_default()
    }
}
