//! Swedish identity numbers in the privacy guard, measured: personnummer and samordningsnummer
//! generated in every written form (recall), and numbers that must not be taken for one —
//! organisation numbers (Luhn-valid too), wrong check digits, impossible dates, dates, postal
//! codes and phone numbers (precision). The figures are printed; every valid number must be
//! found with its kind and nothing else may be.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

use evalbench::privacy::{HitKind, scan};

/// A small deterministic generator (no seed from the clock: the same numbers every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(below)) as u32
    }
}

/// The Luhn check digit for nine digits (`YYMMDDNNN`).
fn check_digit(nine: &str) -> u32 {
    let sum: u32 = nine
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                (d * 2) / 10 + (d * 2) % 10
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A valid number: (year with century, the ten digits `YYMMDDNNNC`).
fn generated(rng: &mut Lcg, coordination: bool) -> (u32, String) {
    let year = 1930 + rng.next(95);
    let month = 1 + rng.next(12);
    let day = 1 + rng.next(days_in(year, month));
    let day = if coordination { day + 60 } else { day };
    let serial = rng.next(1000);
    let nine = format!("{:02}{month:02}{day:02}{serial:03}", year % 100);
    let ten = format!("{nine}{}", check_digit(&nine));
    (year, ten)
}

/// The written forms of one number.
fn forms(year: u32, ten: &str) -> Vec<String> {
    let (date, rest) = ten.split_at(6);
    let century = year / 100;
    vec![
        format!("{date}-{rest}"),
        format!("{date}+{rest}"),
        ten.to_owned(),
        format!("{century}{date}-{rest}"),
        format!("{century}{ten}"),
    ]
}

fn kinds(text: &str) -> Vec<HitKind> {
    scan(text).into_iter().map(|hit| hit.kind).collect()
}

#[test]
fn every_valid_swedish_number_is_found_in_every_form() {
    let mut rng = Lcg(0x5EED_2026);
    let (mut found, mut total) = (0, 0);
    for coordination in [false, true] {
        let kind = if coordination {
            HitKind::Samordningsnummer
        } else {
            HitKind::Personnummer
        };
        for _ in 0..400 {
            let (year, ten) = generated(&mut rng, coordination);
            for form in forms(year, &ten) {
                total += 1;
                let text = format!("Deltagaren uppgav {form} vid inskrivningen.");
                if kinds(&text) == [kind] {
                    found += 1;
                } else {
                    eprintln!("missed {form}: {:?}", scan(&text));
                }
            }
        }
    }
    println!("personnummer/samordningsnummer recall: {found}/{total}");
    assert_eq!(found, total);
}

#[test]
fn nothing_that_is_not_a_swedish_identity_number_is_taken_for_one() {
    let mut rng = Lcg(0xC0FF_EE00);
    let mut texts: Vec<String> = Vec::new();
    for _ in 0..400 {
        let (year, ten) = generated(&mut rng, false);
        let (date, rest) = ten.split_at(6);
        // A wrong check digit.
        let last = ten.chars().last().and_then(|c| c.to_digit(10)).unwrap();
        texts.push(format!("{date}-{}{}", &rest[..3], (last + 1) % 10));
        // An organisationsnummer: Luhn-valid, third digit 2 or more.
        let nine = format!(
            "5{}{}{:06}",
            5 + rng.next(5),
            2 + rng.next(8),
            rng.next(1_000_000)
        );
        let org = format!("{nine}{}", check_digit(&nine));
        texts.push(format!("{}-{}", &org[..6], &org[6..]));
        texts.push(org);
        // Impossible dates with a right check digit: month 13, day 32, 30 February, and day
        // 60 or 92 for a samordningsnummer.
        for (month, day) in [(13, 1), (1, 32), (2, 30), (3, 60), (3, 92), (0, 10), (5, 0)] {
            let nine = format!("{:02}{month:02}{day:02}{:03}", year % 100, rng.next(1000));
            texts.push(format!(
                "{}-{}{}",
                &nine[..6],
                &nine[6..],
                check_digit(&nine)
            ));
        }
        // 29 February in a year that has none, with the century written.
        let nine = format!("{:02}0229{:03}", 23, rng.next(1000));
        texts.push(format!("20{nine}{}", check_digit(&nine)));
        // Dates, postal codes, amounts, Norwegian organisation numbers, a longer digit run.
        texts.push(format!(
            "{year}-{:02}-{:02}",
            1 + rng.next(12),
            1 + rng.next(28)
        ));
        texts.push(format!(
            "{year}{:02}{:02}",
            1 + rng.next(12),
            1 + rng.next(28)
        ));
        texts.push(format!("{:03} {:02}", 100 + rng.next(900), rng.next(100)));
        texts.push(format!("{} {:03} kr", 1 + rng.next(99), rng.next(1000)));
        texts.push(format!("9{:08}", rng.next(100_000_000)));
        texts.push(format!("{ten}{}", rng.next(10)));
        texts.push(format!("1{ten}"));
    }
    let wrong: Vec<&String> = texts
        .iter()
        .filter(|text| {
            kinds(&format!("Se {text} i listan."))
                .iter()
                .any(|k| matches!(k, HitKind::Personnummer | HitKind::Samordningsnummer))
        })
        .collect();
    println!(
        "Swedish identity numbers, false alarms: {}/{} texts that are not one",
        wrong.len(),
        texts.len()
    );
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn swedish_phone_numbers_are_phones_not_identity_numbers() {
    for phone in [
        "070-123 45 67",
        "073 456 78 90",
        "076-5432109",
        "+46 70 123 45 67",
        "+46701234567",
        "0046 8 123 456 78",
    ] {
        let text = format!("Ring {phone} efter lunch.");
        assert_eq!(kinds(&text), [HitKind::Phone], "{phone}");
    }
    // A Norwegian number is still Norwegian, and the scanner still finds it.
    assert_eq!(kinds("Tlf. 412 34 567."), [HitKind::Phone]);
}

#[test]
fn a_masked_swedish_number_keeps_only_its_last_two_digits() {
    let mut rng = Lcg(7);
    let (_, ten) = generated(&mut rng, false);
    let text = format!("Nummer {}-{} här.", &ten[..6], &ten[6..]);
    let hits = scan(&text);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].masked, format!("******-**{}", &ten[8..]));
    let redacted = evalbench::privacy::redact(&text);
    assert!(!redacted.contains(&ten[..6]), "{redacted}");
}

#[test]
fn hostile_digit_runs_do_not_hang_or_panic() {
    // Each start reads at most a dozen digits ahead, so these end quickly; none is a number.
    let long: String = "1234567890-+".repeat(20_000);
    assert!(!kinds(&long).contains(&HitKind::Personnummer));
    assert!(scan(&"٣".repeat(10_000)).is_empty());
    assert!(scan(&"+46 ".repeat(10_000)).is_empty());
}
