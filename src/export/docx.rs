//! The report as DOCX, for readers who edit it further in Word or LibreOffice. Headings use
//! real heading styles ("heading 1" …), so the navigation pane and the table of contents work.

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Footer, IndentLevel, Level, LevelJc,
    LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, PageNum, Paragraph, Run,
    RunFonts, Shading, SpecialIndentType, Start, Style, StyleType, Table, TableCell,
    TableCellBorder, TableCellBorderPosition, TableLayoutType, TableOfContents, TableRow,
    WidthType,
};

use super::report::Report;
use super::status_report::StatusReport;

/// Why no DOCX came out: the package could not be written.
#[derive(Debug, thiserror::Error)]
#[error("The DOCX file could not be written: {0}")]
pub struct DocxError(String);

const BULLETS: usize = 1;
/// Sizes are in half-points, as Word counts them.
const BODY_SIZE: usize = 21;

fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, level: usize, size: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(size)
            .bold()
            .color("1F3864")
            .outline_lvl(level - 1)
            .line_spacing(LineSpacing::new().before(240).after(80))
    };
    docx.default_fonts(
        RunFonts::new()
            .ascii("Calibri")
            .hi_ansi("Calibri")
            .cs("Calibri")
            .east_asia("Calibri"),
    )
    .default_size(BODY_SIZE)
    .add_style(
        Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .q_format(true)
            .line_spacing(LineSpacing::new().after(100)),
    )
    .add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .q_format(true)
            .size(52)
            .bold()
            .color("1F3864"),
    )
    .add_style(
        Style::new("Subtitle", StyleType::Paragraph)
            .name("Subtitle")
            .based_on("Normal")
            .q_format(true)
            .size(34),
    )
    .add_style(heading("Heading1", 1, 32))
    .add_style(heading("Heading2", 2, 26))
    .add_style(heading("Heading3", 3, 22))
    .add_style(
        Style::new("Small", StyleType::Paragraph)
            .name("Small")
            .based_on("Normal")
            .size(17)
            .color("595959"),
    )
    .add_style(
        Style::new("ListBullet", StyleType::Paragraph)
            .name("List Bullet")
            .based_on("Normal")
            .line_spacing(LineSpacing::new().after(40)),
    )
    .add_abstract_numbering(
        AbstractNumbering::new(BULLETS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )
            .indent(Some(360), Some(SpecialIndentType::Hanging(240)), None, None),
        ),
    )
    .add_numbering(Numbering::new(BULLETS, BULLETS))
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn styled(style: &str, text: &str) -> Paragraph {
    para(text).style(style)
}

fn heading(level: usize, text: &str) -> Paragraph {
    styled(&format!("Heading{level}"), text).keep_next(true)
}

fn bullet(text: &str) -> Paragraph {
    styled("ListBullet", text).numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(para(text))
}

fn header_cell(text: &str) -> TableCell {
    TableCell::new()
        .shading(Shading::new().fill("D9E2F3"))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold()))
}

/// A full-width table; the first row is the header when `header` is given.
fn table(header: Option<&[String]>, rows: &[Vec<String>]) -> Table {
    let mut all = Vec::new();
    if let Some(header) = header {
        all.push(TableRow::new(
            header.iter().map(|h| header_cell(h)).collect(),
        ));
    }
    all.extend(
        rows.iter()
            .map(|row| TableRow::new(row.iter().map(|c| cell(c)).collect()).cant_split()),
    );
    Table::new(all).width(5000, WidthType::Pct)
}

/// The outcomes table's column widths in twips: year, ended, to work, to education, other, share.
const OUTCOME_COLUMNS: [usize; 6] = [1000, 1500, 1300, 1700, 1100, 2500];
/// The requirements appendix: code, title, text.
const REQUIREMENT_COLUMNS: [usize; 3] = [1100, 2700, 5700];

/// Twips (1/1440 inch) per percent of the outcomes chart's bar: 100 % is 10 cm, as in the PDF.
const BAR_TWIPS_PER_PERCENT: usize = 57;
/// Border widths in eighths of a point.
const BAR_TARGET_LINE: usize = 16;
const BAR_GAP: usize = 24;
const BAR_MET: &str = "43A047";
const BAR_BELOW: &str = "EF8C00";
const BAR_EMPTY: &str = "F2F2F2";
const BAR_SECTION: &str = "3F6FB5";

/// The share going on to work or education each year against the target, as the PDF draws it:
/// a bar per year, green where the target is met, orange where not, and a line at the target.
fn outcomes_chart(shares: &[(i32, f64)], target: f64) -> Table {
    let bars: Vec<(String, f64, &str)> = shares
        .iter()
        .map(|&(year, share)| {
            let fill = if share >= target { BAR_MET } else { BAR_BELOW };
            (year.to_string(), share, fill)
        })
        .collect();
    bar_chart(&bars, Some(target), 1000)
}

/// Each section's consensus as a share of its highest sum, one bar per section.
fn sections_chart(sections: &[crate::export::report::FidelitySectionLine]) -> Table {
    let bars: Vec<(String, f64, &str)> = sections
        .iter()
        .map(|s| (s.title.clone(), s.percent, BAR_SECTION))
        .collect();
    bar_chart(&bars, None, 2400)
}

/// Horizontal bars of shares (0–100), with a line at `target` where there is one. Built from
/// table cells (a grid of one column per percent) so Word and LibreOffice show it without an
/// image, and it reads as text (label, bar, share) to a screen reader.
fn bar_chart(bars: &[(String, f64, &str)], target: Option<f64>, label_twips: usize) -> Table {
    let percent = |value: f64| value.round().clamp(0.0, 100.0) as usize;
    let rows = bars
        .iter()
        .map(|(label, share, fill)| {
            let reached = percent(*share);
            // (from, to, filled, the target line on its right), in percent.
            let segments = match target.map(percent) {
                Some(target_at) if reached < target_at => [
                    (0, reached, true, false),
                    (reached, target_at, false, true),
                    (target_at, 100, false, false),
                ],
                Some(target_at) => [
                    (0, target_at, true, true),
                    (target_at, reached, true, false),
                    (reached, 100, false, false),
                ],
                None => [
                    (0, reached, true, false),
                    (reached, 100, false, false),
                    (100, 100, false, false),
                ],
            };
            let mut cells = vec![chart_text(label, AlignmentType::Left)];
            for (from, to, filled, line) in segments {
                if to <= from {
                    continue;
                }
                // White above and below keep neighbouring bars apart.
                let gap = |position| TableCellBorder::new(position).size(BAR_GAP).color("FFFFFF");
                let mut cell = TableCell::new()
                    .grid_span(to - from)
                    .width((to - from) * BAR_TWIPS_PER_PERCENT, WidthType::Dxa)
                    .clear_all_border()
                    .set_border(gap(TableCellBorderPosition::Top))
                    .set_border(gap(TableCellBorderPosition::Bottom))
                    .shading(Shading::new().fill(if filled { fill } else { BAR_EMPTY }))
                    .add_paragraph(Paragraph::new().size(12));
                if line {
                    cell = cell.set_border(
                        TableCellBorder::new(TableCellBorderPosition::Right)
                            .size(BAR_TARGET_LINE)
                            .color("000000"),
                    );
                }
                cells.push(cell);
            }
            cells.push(chart_text(
                &format!("{} %", share.round()),
                AlignmentType::Right,
            ));
            TableRow::new(cells).cant_split()
        })
        .collect();
    let mut grid = vec![label_twips];
    grid.extend(std::iter::repeat_n(BAR_TWIPS_PER_PERCENT, 100));
    grid.push(800);
    Table::without_borders(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
}

fn chart_text(text: &str, align: AlignmentType) -> TableCell {
    TableCell::new()
        .clear_all_border()
        .add_paragraph(para(text).align(align))
}

fn pairs(rows: &[(String, usize)]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|(label, n)| vec![label.clone(), n.to_string()])
        .collect()
}

/// The report as the bytes of a DOCX file.
pub fn report_docx(report: &Report) -> Result<Vec<u8>, DocxError> {
    let labels = &report.labels;
    let mut docx = styles(Docx::new()).footer(footer(
        &format!("{}: {}", report.title, report.provider),
        &labels.page,
    ));

    // Front page.
    docx = docx
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(2400)))
        .add_paragraph(styled("Title", &report.title))
        .add_paragraph(styled("Subtitle", &report.provider));
    if let Some(note) = &report.self_evaluation_note {
        docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(note).italic()));
    }
    let facts: Vec<Vec<String>> = report
        .facts
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect();
    docx = docx
        .add_table(table(None, &facts))
        .add_paragraph(para(""))
        .add_paragraph(para(&report.date))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));

    // Contents: Word and LibreOffice fill in page numbers when the field is updated.
    docx = docx
        .add_paragraph(styled("Subtitle", &labels.contents))
        .add_table_of_contents(
            TableOfContents::new()
                .heading_styles_range(1, 2)
                .alias(labels.contents.clone())
                .auto(),
        )
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));

    // Summary.
    docx = docx
        .add_paragraph(heading(1, &labels.summary))
        .add_table(table(
            Some(&[labels.kind.clone(), labels.count.clone()]),
            &pairs(&report.counts),
        ))
        .add_paragraph(heading(2, &labels.deviations));
    if report.deviations.is_empty() {
        docx = docx.add_paragraph(para(&labels.none));
    } else {
        for d in &report.deviations {
            docx = docx.add_paragraph(bullet(&format!("{} ({})", d.title, d.codes)));
        }
        if let Some((label, deadline)) = report
            .facts
            .iter()
            .find(|(k, _)| *k == labels.plan_deadline)
        {
            docx = docx.add_paragraph(para(&format!("{label}: {deadline}")));
        }
    }

    // Method.
    docx = docx.add_paragraph(heading(1, &labels.method));
    if !report.interviews.is_empty() {
        docx = docx.add_table(table(
            Some(&[labels.interviews.clone(), labels.count.clone()]),
            &pairs(&report.interviews),
        ));
    }
    docx = docx.add_paragraph(heading(2, &labels.documents));
    if report.documents.is_empty() {
        docx = docx.add_paragraph(para(&labels.none));
    }
    for doc in &report.documents {
        docx = docx.add_paragraph(bullet(doc));
    }

    // Findings by requirement area.
    docx = docx.add_paragraph(heading(1, &labels.findings));
    if report.areas.is_empty() {
        docx = docx.add_paragraph(para(&labels.none));
    }
    for area in &report.areas {
        docx = docx.add_paragraph(heading(2, &area.title));
        for f in &area.findings {
            docx = docx
                .add_paragraph(heading(3, &format!("{}: {}", f.kind, f.title)))
                .add_paragraph(styled("Small", &f.codes));
            for line in f.description.lines().filter(|l| !l.trim().is_empty()) {
                docx = docx.add_paragraph(para(line));
            }
            if !f.evidence.is_empty() {
                docx = docx.add_paragraph(
                    Paragraph::new().keep_next(true).add_run(
                        Run::new()
                            .add_text(format!("{}:", labels.evidence))
                            .italic(),
                    ),
                );
                for e in &f.evidence {
                    docx = docx.add_paragraph(bullet(e));
                }
            }
        }
    }

    if let Some(fidelity) = &report.fidelity {
        let sections: Vec<Vec<String>> = fidelity
            .sections
            .iter()
            .map(|s| vec![s.title.clone(), s.sum.clone(), s.agreement.clone()])
            .collect();
        docx = docx
            .add_paragraph(heading(
                1,
                &format!("{}: {}", labels.fidelity, fidelity.title),
            ))
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(&fidelity.total).bold())
                    .add_run(Run::new().add_text(format!(" · {}", fidelity.band))),
            );
        if !fidelity.agreement.is_empty() {
            docx = docx
                .add_paragraph(para(&fidelity.agreement))
                .add_paragraph(styled("Small", &fidelity.agreement_note));
        }
        docx = docx
            .add_table(table(Some(&fidelity.section_header), &sections))
            .add_paragraph(para(""));
        // The consensus share of each section as a bar, as in the PDF.
        docx = docx
            .add_table(sections_chart(&fidelity.sections))
            .add_paragraph(para(""))
            .add_table(table(Some(&fidelity.item_header), &fidelity.items));
        if !fidelity.strengths.is_empty() {
            docx = docx.add_paragraph(heading(2, &fidelity.strengths_label));
            for strength in &fidelity.strengths {
                docx = docx.add_paragraph(bullet(strength));
            }
        }
        if !fidelity.recommendations.is_empty() {
            docx = docx.add_paragraph(heading(2, &fidelity.recommendations_label));
            for r in &fidelity.recommendations {
                let mut title = format!("{} ({})", r.item, r.score);
                if r.improve {
                    title = format!("{title} – {}", fidelity.improve_label);
                }
                docx = docx
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(title).bold()))
                    .add_paragraph(para(&r.text));
            }
        }
        docx = docx.add_paragraph(styled("Small", &fidelity.source));
    }

    docx = docx
        .add_paragraph(heading(1, &labels.outcomes))
        .add_paragraph(para(&report.outcomes.caption))
        .add_table(
            // Wider columns for the long headers ("Til utdanning", "Andel arbeid eller
            // utdanning"), so no word is split.
            table(Some(&report.outcomes.header), &report.outcomes.rows)
                .set_grid(OUTCOME_COLUMNS.to_vec()),
        );
    if !report.outcomes.shares.is_empty() {
        docx = docx.add_paragraph(para("")).add_table(outcomes_chart(
            &report.outcomes.shares,
            report.outcomes.target,
        ));
    }

    if !report.responses.is_empty() {
        docx = docx.add_paragraph(heading(1, &labels.responses));
        for r in &report.responses {
            let mut line = format!("{} — {}", r.finding, r.stance);
            if !r.text.is_empty() {
                line.push_str(": ");
                line.push_str(&r.text);
            }
            if let Some(changed) = &r.changed {
                line.push(' ');
                line.push_str(changed);
            }
            docx = docx.add_paragraph(para(&line));
        }
    }

    let requirements: Vec<Vec<String>> = report
        .requirements
        .iter()
        .map(|r| vec![r.code.clone(), r.title.clone(), r.text.clone()])
        .collect();
    docx = docx
        .add_paragraph(heading(1, &labels.requirements))
        .add_table(table(None, &requirements).set_grid(REQUIREMENT_COLUMNS.to_vec()));

    pack(docx)
}

/// An interview guide for printing: the role and catalog on top, a line for who was
/// interviewed and when, then each area's questions numbered with a tick box and the
/// requirement code, with room under each for notes by hand.
pub fn guide_docx(
    guide: &crate::guide::Guide,
    catalog_title: &str,
    lang: crate::i18n::Lang,
) -> Result<Vec<u8>, DocxError> {
    use crate::i18n::{t, tf};

    let heading_text = tf(lang, "guide.heading", &[("role", &guide.role_name(lang))]);
    let mut docx = styles(Docx::new())
        .footer(footer(&heading_text, t(lang, "report.page")))
        .add_paragraph(styled("Title", &heading_text))
        .add_paragraph(styled("Subtitle", catalog_title))
        .add_paragraph(para(&format!(
            "{}: ______________________________    {}: ______________",
            t(lang, "guide.interviewees"),
            t(lang, "guide.date")
        )));
    if guide.areas.is_empty() {
        docx = docx.add_paragraph(para(t(lang, "guide.none")));
    }
    let mut number = 0;
    for area in &guide.areas {
        docx = docx.add_paragraph(heading(1, &area.title));
        for question in &area.questions {
            number += 1;
            docx = docx.add_paragraph(
                Paragraph::new()
                    .keep_lines(true)
                    .indent(Some(567), Some(SpecialIndentType::Hanging(567)), None, None)
                    // Room to write the answer by hand.
                    .line_spacing(LineSpacing::new().after(720))
                    .add_run(
                        Run::new()
                            .add_text(format!("☐ {number}."))
                            .add_tab()
                            .add_text(&question.text),
                    )
                    .add_run(
                        Run::new()
                            .add_text(format!(" ({})", question.requirement_code))
                            .color("595959"),
                    ),
            );
        }
    }
    pack(docx)
}

/// The one way out for every DOCX (report, status report, interview guide): docx-rs packs it,
/// then its style part is put right (see `docx_styles`).
fn pack(docx: Docx) -> Result<Vec<u8>, DocxError> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx.pack(&mut out).map_err(|e| DocxError(e.to_string()))?;
    let repaired = super::docx_styles::repair_package(&out.into_inner()).map_err(DocxError)?;
    super::xml_package::clean(repaired).map_err(DocxError)
}

/// The footer on every page: what the document is, and the page number.
fn footer(label: &str, page: &str) -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .style("Small")
            .align(AlignmentType::Right)
            .add_run(Run::new().add_text(format!("{label}    {page} ")))
            .add_page_num(PageNum::new()),
    )
}

/// The notice letter to the provider as the bytes of a DOCX file.
pub fn notice_docx(letter: &super::notice::NoticeLetter) -> Result<Vec<u8>, DocxError> {
    let mut docx = styles(Docx::new())
        .footer(footer(
            &format!("{} · {}", letter.title, letter.provider),
            &letter.page,
        ))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&letter.provider).bold()));
    if !letter.org_number.is_empty() {
        docx = docx.add_paragraph(para(&letter.org_number));
    }
    docx = docx
        .add_paragraph(para(&letter.sender).align(AlignmentType::Right))
        .add_paragraph(para(&letter.date).align(AlignmentType::Right))
        .add_paragraph(styled("Title", &letter.title))
        .add_paragraph(para(&letter.intro))
        .add_paragraph(heading(2, &letter.purpose_heading))
        .add_paragraph(para(&letter.purpose))
        .add_paragraph(heading(2, &letter.period_heading))
        .add_paragraph(para(&letter.period));
    if !letter.areas.is_empty() {
        docx = docx.add_paragraph(heading(2, &letter.areas_heading));
        for area in &letter.areas {
            docx = docx.add_paragraph(bullet(area));
        }
    }
    docx = docx
        .add_paragraph(heading(2, &letter.documents_heading))
        .add_paragraph(para(&letter.documents_intro));
    for document in &letter.documents {
        docx = docx.add_paragraph(bullet(document));
    }
    docx = docx
        .add_paragraph(heading(2, &letter.interviews_heading))
        .add_paragraph(para(&letter.interviews_intro));
    if !letter.interviews.is_empty() {
        docx = docx.add_table(table(None, &pairs_of(&letter.interviews)));
    }
    docx = docx
        .add_paragraph(para(&letter.privacy))
        .add_paragraph(para(&letter.greeting))
        .add_paragraph(para(&letter.evaluators))
        .add_paragraph(para(&letter.sender));
    pack(docx)
}

fn pairs_of(pairs: &[(String, String)]) -> Vec<Vec<String>> {
    pairs
        .iter()
        .map(|(a, b)| vec![a.clone(), b.clone()])
        .collect()
}

/// The plan's status report as the bytes of a DOCX file: a summary, then one page per deviation.
pub fn status_report_docx(report: &StatusReport) -> Result<Vec<u8>, DocxError> {
    let labels = &report.labels;
    let mut docx = styles(Docx::new())
        .footer(footer(
            &format!("{}: {}", report.title, report.provider),
            &labels.page,
        ))
        .add_paragraph(styled("Title", &report.title))
        .add_paragraph(styled("Subtitle", &report.provider))
        .add_paragraph(para(&format!(
            "{}: {} · {}",
            labels.plan_deadline, report.plan_deadline, report.date
        )))
        .add_paragraph(heading(1, &labels.summary))
        .add_table(table(
            Some(&[labels.status.clone(), labels.count.clone()]),
            &pairs(&report.totals),
        ))
        .add_paragraph(para(&report.overdue));
    let overview: Vec<Vec<String>> = report
        .deviations
        .iter()
        .map(|d| vec![d.codes.clone(), d.title.clone(), d.progress.clone()])
        .collect();
    docx = docx.add_table(table(
        Some(&[
            String::new(),
            labels.deviation.clone(),
            labels.progress.clone(),
        ]),
        &overview,
    ));
    for deviation in &report.deviations {
        docx = docx
            .add_paragraph(heading(1, &deviation.title).page_break_before(true))
            .add_paragraph(styled(
                "Small",
                &format!(
                    "{} · {} · {}",
                    labels.deviation, deviation.codes, deviation.progress
                ),
            ));
        for line in deviation
            .description
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            docx = docx.add_paragraph(para(line));
        }
        if deviation.actions.is_empty() {
            docx = docx.add_paragraph(
                Paragraph::new().add_run(Run::new().add_text(&labels.no_actions).italic()),
            );
            continue;
        }
        let rows: Vec<Vec<String>> = deviation
            .actions
            .iter()
            .map(|a| {
                let due = if a.overdue {
                    format!("{} (!)", a.due)
                } else {
                    a.due.clone()
                };
                vec![
                    a.description.clone(),
                    a.owner.clone(),
                    due,
                    a.status.clone(),
                ]
            })
            .collect();
        docx = docx.add_table(table(
            Some(&[
                labels.action.clone(),
                labels.owner.clone(),
                labels.due.clone(),
                labels.status.clone(),
            ]),
            &rows,
        ));
        for a in deviation
            .actions
            .iter()
            .filter(|a| !a.closure_evidence.is_empty() || !a.nav_comment.is_empty())
        {
            docx = docx.add_paragraph(
                Paragraph::new()
                    .keep_next(true)
                    .add_run(Run::new().add_text(&a.description).bold()),
            );
            for (label, text) in [
                (&labels.closure_evidence, &a.closure_evidence),
                (&labels.nav_comment, &a.nav_comment),
            ] {
                if !text.is_empty() {
                    docx = docx.add_paragraph(
                        Paragraph::new()
                            .add_run(Run::new().add_text(format!("{label}: ")).italic())
                            .add_run(Run::new().add_text(text)),
                    );
                }
            }
        }
    }
    pack(docx)
}
