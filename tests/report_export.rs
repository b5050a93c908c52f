//! The evaluation report in each format, made from the demo case: the PDF is PDF/A-2b and its
//! text (read back with poppler's `pdftotext`) holds every finding; the DOCX re-reads with its
//! headings in the report's order and converts in LibreOffice; the Markdown report is pinned by a
//! snapshot. `pdftotext`/`pdfinfo` and `soffice` are system tools: CI installs them and sets
//! `EVALBENCH_REQUIRE_POPPLER=1` / `EVALBENCH_REQUIRE_LIBREOFFICE=1`, turning their absence into
//! a failure; elsewhere those parts are skipped with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is a failed test

mod common;

use std::path::Path;
use std::process::Command;

use evalbench::demo::{DEMO_TODAY, write_demo};
use evalbench::domain::{CaseSnapshot, RoleId};
use evalbench::export::{self, Format, report::Report};
use evalbench::i18n::Lang;
use evalbench::store::CaseStore;

fn demo_snapshot(dir: &Path) -> CaseSnapshot {
    let case = dir.join("demo.evalcase");
    write_demo(&case).unwrap();
    CaseStore::open_read_only(&case)
        .unwrap()
        .snapshot()
        .unwrap()
}

fn tool_available(program: &str, version_arg: &str) -> bool {
    Command::new(program)
        .arg(version_arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// False (after a message) when the tool is missing and this run does not require it.
fn require(program: &str, version_arg: &str, env: &str) -> bool {
    if tool_available(program, version_arg) {
        return true;
    }
    assert!(
        std::env::var_os(env).is_none(),
        "{program} is required here ({env} is set) but missing"
    );
    eprintln!("skipped: {program} is not installed");
    false
}

/// Text compared without line breaks, spaces or hyphens: layout may break a title anywhere.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
        .collect()
}

#[test]
fn pdf_report_is_pdfa_and_holds_every_finding() {
    let dir = common::temp_dir();
    let snapshot = demo_snapshot(dir.path());
    let bytes = export::render(&snapshot, Format::Pdf, Lang::Nb, DEMO_TODAY).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    // PDF/A-2b identifies itself in the XMP metadata (poppler 22's pdfinfo does not print it).
    let xmp = String::from_utf8_lossy(&bytes);
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>")
            && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "no PDF/A-2b identification in the XMP metadata"
    );
    if !require("pdftotext", "-v", "EVALBENCH_REQUIRE_POPPLER") {
        return;
    }
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let squeezed = squeeze(&text);
    assert!(!snapshot.findings.is_empty());
    for finding in &snapshot.findings {
        assert!(
            squeezed.contains(&squeeze(&finding.fields.title)),
            "finding «{}» is missing from the PDF text",
            finding.fields.title
        );
    }
    // Every finding's heading carries its number, «3.area.finding», which the template writes
    // out itself (not Typst's heading counters).
    let numbered = text
        .lines()
        // A page's first line starts with pdftotext's form feed.
        .filter_map(|l| l.trim_start_matches('\u{c}').split(' ').next())
        .filter(|n| {
            n.starts_with("3.")
                && n.split('.').count() == 3
                && n.split('.').all(|p| p.parse::<u32>().is_ok())
        })
        .count();
    assert_eq!(numbered, snapshot.findings.len(), "{text}");
    assert!(text.lines().any(|l| l.starts_with("3.1.1 ")), "{text}");
    // Norwegian letters survive as text, not as unmapped glyphs.
    assert!(text.contains("Arrangør") || text.contains("arrangør"));
    assert!(text.contains(&snapshot.facts.provider_name));

    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Metadata Stream: yes"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages >= 5, "only {pages} pages");
    let title_line = info.lines().find(|l| l.starts_with("Title:")).unwrap();
    assert!(title_line.contains(&snapshot.facts.provider_name));
}

/// Every paragraph in heading style, as (level, text), in document order.
fn headings(docx: &docx_rs::Docx) -> Vec<(usize, String)> {
    docx.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => {
                let style = p.property.style.as_ref()?.val.clone();
                let level = style.strip_prefix("Heading")?.parse().ok()?;
                Some((level, p.raw_text()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn docx_report_has_its_headings_in_order() {
    let dir = common::temp_dir();
    let snapshot = demo_snapshot(dir.path());
    let report = Report::new(&snapshot, Lang::Nb, DEMO_TODAY);
    let bytes = export::render(&snapshot, Format::Docx, Lang::Nb, DEMO_TODAY).unwrap();
    let docx = docx_rs::read_docx(&bytes).unwrap();

    let labels = &report.labels;
    let mut expected = vec![
        (1, labels.summary.clone()),
        (2, labels.deviations.clone()),
        (1, labels.method.clone()),
        (2, labels.documents.clone()),
        (1, labels.findings.clone()),
    ];
    for area in &report.areas {
        expected.push((2, area.title.clone()));
        for f in &area.findings {
            expected.push((3, format!("{}: {}", f.kind, f.title)));
        }
    }
    if let Some(fidelity) = &report.fidelity {
        expected.push((1, format!("{}: {}", labels.fidelity, fidelity.title)));
        if !fidelity.strengths.is_empty() {
            expected.push((2, fidelity.strengths_label.clone()));
        }
        if !fidelity.recommendations.is_empty() {
            expected.push((2, fidelity.recommendations_label.clone()));
        }
    }
    expected.push((1, labels.outcomes.clone()));
    expected.push((1, labels.requirements.clone()));
    assert_eq!(headings(&docx), expected);

    // Every finding of the case is in the report, under some area.
    let reported: usize = report.areas.iter().map(|a| a.findings.len()).sum();
    assert_eq!(reported, snapshot.findings.len());
    // The heading styles are the ones Word's navigation pane knows.
    for level in 1..=3 {
        let name = docx_rs::Name::new(format!("heading {level}"));
        assert!(
            docx.styles.styles.iter().any(|s| s.name == name),
            "no style named heading {level}"
        );
    }
}

#[test]
fn docx_report_converts_in_libreoffice() {
    if !require("soffice", "--version", "EVALBENCH_REQUIRE_LIBREOFFICE") {
        return;
    }
    let dir = common::temp_dir();
    let snapshot = demo_snapshot(dir.path());
    let bytes = export::render(&snapshot, Format::Docx, Lang::Nb, DEMO_TODAY).unwrap();
    let docx = dir.path().join("report.docx");
    std::fs::write(&docx, bytes).unwrap();
    let profile = dir.path().join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "soffice failed: {stderr}");
    // Complaints about the document, not about the machine (a missing Java runtime is noise).
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.contains("javaldx") && !l.trim().is_empty())
        .filter(|l| {
            let l = l.to_lowercase();
            l.contains("error") || l.contains("warn")
        })
        .collect();
    assert!(complaints.is_empty(), "LibreOffice complained: {stderr}");
    let pdf = dir.path().join("report.pdf");
    assert!(
        std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 10_000),
        "no PDF came out of LibreOffice"
    );
}

#[test]
fn markdown_report_matches_its_snapshot() {
    let dir = common::temp_dir();
    let snapshot = demo_snapshot(dir.path());
    let bytes = export::render(&snapshot, Format::Markdown, Lang::Nb, DEMO_TODAY).unwrap();
    insta::assert_snapshot!("demo_report_nb", String::from_utf8(bytes).unwrap());
}

#[test]
fn english_report_uses_english_headings() {
    let dir = common::temp_dir();
    let snapshot = demo_snapshot(dir.path());
    let report = Report::new(&snapshot, Lang::En, DEMO_TODAY);
    assert_eq!(report.lang, "en");
    assert_eq!(report.labels.findings, "Findings");
    let bytes = export::render(&snapshot, Format::Docx, Lang::En, DEMO_TODAY).unwrap();
    let docx = docx_rs::read_docx(&bytes).unwrap();
    assert!(headings(&docx).contains(&(1, "Findings".to_owned())));
}

/// The outcomes chart in the DOCX: per year a bar of one grid column per percent, filled up to
/// the year's share (orange below the target, green at or above it), the target marked by a
/// line after its column, and the share written beside it.
#[test]
fn docx_report_charts_the_outcomes_against_the_target() {
    use std::io::Read;

    let dir = common::temp_dir();
    let snapshot = demo_snapshot(dir.path());
    let bytes = export::render(&snapshot, Format::Docx, Lang::Nb, DEMO_TODAY).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut document = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut document)
        .unwrap();
    // The fidelity section's bars (one per section, in their own colour) come first.
    assert_eq!(document.matches("3F6FB5").count(), 3);
    // Then the outcomes: their table (years, no spans) and the chart.
    let after_fidelity = &document[document.rfind("3F6FB5").unwrap()..];
    let first_year = format!(">{}</w:t>", snapshot.outcomes[0].year);
    let outcomes = &after_fidelity[after_fidelity.find(&first_year).unwrap()..];
    let chart = &outcomes[outcomes.find("w:gridSpan").unwrap()..];
    let spans: Vec<u32> = chart
        .split("w:gridSpan w:val=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect();
    let target = evalbench::domain::outcome::TARGET_SHARE_PERCENT.round() as u32;
    let mut expected = Vec::new();
    let mut fills = Vec::new();
    for outcome in &snapshot.outcomes {
        let share = (outcome.work_or_education_share().unwrap() * 100.0).round() as u32;
        assert!(
            chart.contains(&format!("<w:t xml:space=\"preserve\">{share} %</w:t>")),
            "{share} %"
        );
        if share < target {
            expected.extend([share, target - share, 100 - target]);
            fills.push("EF8C00");
        } else {
            expected.extend([target, share - target, 100 - share]);
            fills.extend(["43A047", "43A047"]);
        }
    }
    expected.retain(|span| *span > 0);
    assert_eq!(spans, expected);
    let filled: Vec<&str> = ["EF8C00", "43A047"]
        .into_iter()
        .flat_map(|colour| {
            let needle = format!("w:fill=\"{colour}\"");
            std::iter::repeat_n(colour, chart.matches(&needle).count())
        })
        .collect();
    let mut fills_sorted = fills.clone();
    fills_sorted.sort_unstable_by_key(|colour| *colour != "EF8C00");
    assert_eq!(filled, fills_sorted);
    // One target line per year.
    assert_eq!(
        chart
            .matches("<w:right w:val=\"single\" w:sz=\"16\"")
            .count(),
        snapshot.outcomes.len()
    );
}

/// A part of a DOCX package as text.
fn docx_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The value of attribute `name` on an element.
fn xml_attribute(start: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.clone().into_owned())
}

/// The styles of `styles.xml` as (id, type, default, children's names in order).
fn docx_styles(xml: &str) -> Vec<(String, String, bool, Vec<String>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut styles = Vec::new();
    let mut depth_in_style = 0usize;
    loop {
        let event = reader.read_event().unwrap();
        let (start, empty) = match &event {
            Event::Eof => break,
            Event::Start(start) => (Some(start.clone()), false),
            Event::Empty(start) => (Some(start.clone()), true),
            Event::End(_) => {
                depth_in_style = depth_in_style.saturating_sub(1);
                (None, false)
            }
            _ => (None, false),
        };
        let Some(start) = start else { continue };
        let name = start.name().as_ref().to_owned();
        if name == "w:style" {
            styles.push((
                xml_attribute(&start, "w:styleId").unwrap_or_default(),
                xml_attribute(&start, "w:type").unwrap_or_default(),
                xml_attribute(&start, "w:default").as_deref() == Some("1"),
                Vec::new(),
            ));
            depth_in_style = usize::from(!empty);
        } else if depth_in_style > 0 {
            if depth_in_style == 1 {
                styles.last_mut().unwrap().3.push(name);
            }
            if !empty {
                depth_in_style += 1;
            }
        }
    }
    styles
}

/// Every `w:pStyle` value in a document part (body paragraphs and those in table cells).
fn paragraph_styles(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(start) | Event::Empty(start) if start.name().as_ref() == "w:pStyle" => {
                found.push(xml_attribute(&start, "w:val").unwrap());
            }
            _ => {}
        }
    }
    found
}

/// The children of `w:style` in the order ECMA-376 Part 1 (CT_Style) requires.
const STYLE_SCHEMA_ORDER: [&str; 22] = [
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

/// Readers that follow the schema (python-docx, Word's validator) resolve every paragraph's
/// style: one definition per style, one default paragraph style (what an unstyled paragraph or
/// table cell uses), each style's children in schema order, and every `w:pStyle` defined.
#[test]
fn every_docx_has_one_default_style_in_schema_order() {
    let dir = common::temp_dir();
    let case = dir.path().join("demo.evalcase");
    write_demo(&case).unwrap();
    let (snapshot, changes) = evalbench::store::read_case_with_status(&case).unwrap();
    let guide = evalbench::guide::for_case(&snapshot, RoleId::new("participant"));
    let outputs = [
        (
            "report",
            export::render(&snapshot, Format::Docx, Lang::Nb, DEMO_TODAY).unwrap(),
        ),
        (
            "status report",
            export::render_status_report(&snapshot, &changes, Format::Docx, Lang::En, DEMO_TODAY)
                .unwrap(),
        ),
        (
            "guide",
            evalbench::guide::render(
                &guide,
                "Katalog",
                Lang::Nb,
                evalbench::guide::GuideFormat::Docx,
            )
            .unwrap(),
        ),
    ];
    for (what, bytes) in outputs {
        let styles = docx_styles(&docx_part(&bytes, "word/styles.xml"));
        let mut ids: Vec<&str> = styles.iter().map(|s| s.0.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(
            ids.len(),
            before,
            "{what}: a style is defined twice: {styles:?}"
        );
        let defaults: Vec<&str> = styles
            .iter()
            .filter(|s| s.1 == "paragraph" && s.2)
            .map(|s| s.0.as_str())
            .collect();
        assert_eq!(defaults, ["Normal"], "{what}: default paragraph styles");
        for (id, _, _, children) in &styles {
            let ranks: Vec<usize> = children
                .iter()
                .map(|c| {
                    STYLE_SCHEMA_ORDER
                        .iter()
                        .position(|known| known == c)
                        .unwrap_or_else(|| panic!("{what}: {id} has an unknown child {c}"))
                })
                .collect();
            assert!(
                ranks.is_sorted(),
                "{what}: the children of {id} are out of schema order: {children:?}"
            );
        }
        let used = paragraph_styles(&docx_part(&bytes, "word/document.xml"));
        assert!(!used.is_empty(), "{what}: no styled paragraph");
        for style in used {
            assert!(
                ids.contains(&style.as_str()),
                "{what}: {style} is not defined"
            );
        }
    }
}

/// The fidelity review's agreement between the evaluators stands in every report format, with
/// what kappa means (a footnote in the PDF, a small paragraph in the DOCX).
#[test]
fn every_report_states_the_evaluators_agreement() {
    let dir = common::temp_dir();
    let snapshot = demo_snapshot(dir.path());
    let line = "68 % like · 100 % innen ±1 · vektet kappa 0,69 (25 punkter)";
    let markdown = export::render(&snapshot, Format::Markdown, Lang::Nb, DEMO_TODAY).unwrap();
    assert!(String::from_utf8_lossy(&markdown).contains(line));
    let docx = export::render(&snapshot, Format::Docx, Lang::Nb, DEMO_TODAY).unwrap();
    let document = docx_part(&docx, "word/document.xml");
    assert!(document.contains(line), "the DOCX has no agreement line");
    assert!(document.contains("Vektet kappa (kvadratiske vekter, Cohen)"));
    let english = export::render(&snapshot, Format::Markdown, Lang::En, DEMO_TODAY).unwrap();
    assert!(
        String::from_utf8_lossy(&english)
            .contains("68 % the same · 100 % within ±1 · weighted kappa 0.69 (25 items)")
    );
    if !require("pdftotext", "-v", "EVALBENCH_REQUIRE_POPPLER") {
        return;
    }
    let pdf = dir.path().join("agreement.pdf");
    std::fs::write(
        &pdf,
        export::render(&snapshot, Format::Pdf, Lang::Nb, DEMO_TODAY).unwrap(),
    )
    .unwrap();
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = squeeze(&String::from_utf8_lossy(&out.stdout));
    assert!(
        text.contains(&squeeze(line)),
        "the PDF has no agreement line"
    );
    assert!(
        text.contains(&squeeze("Vektet kappa (kvadratiske vekter")),
        "the PDF has no note on kappa"
    );
}
