//! A readable Markdown report of the case, in the chosen language. Interviewees appear only by
//! role and date; quotes only where an excerpt is marked shareable.

use std::fmt::Write as _;

use crate::domain::{CaseSnapshot, FindingKind};
use crate::i18n::{Labelled, Lang, Quote, date, evidence_reference, t, tn};

/// The report as Markdown text.
pub fn report(snapshot: &CaseSnapshot, lang: Lang) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let facts = &snapshot.facts;
    let title = if facts.self_evaluation {
        t(lang, "report.title_self_evaluation")
    } else {
        t(lang, "report.title")
    };
    let _ = writeln!(out, "# {title}: {}\n", facts.provider_name);
    if facts.self_evaluation {
        let _ = writeln!(out, "*{}*\n", t(lang, "report.self_evaluation_note"));
    }
    let period = format!(
        "{} – {}",
        date(lang, facts.period_start),
        date(lang, facts.period_end)
    );
    for (label, value) in [
        (
            t(lang, "facts.measure"),
            facts.measure.label(lang).into_owned(),
        ),
        (
            t(lang, "facts.org_number"),
            facts
                .org_number
                .as_ref()
                .map_or_else(|| "–".to_owned(), ToString::to_string),
        ),
        (t(lang, "facts.nav_unit"), facts.nav_unit.clone()),
        (t(lang, "facts.period"), period),
        (t(lang, "facts.evaluators"), snapshot.evaluators.join(", ")),
        (
            t(lang, "facts.plan_deadline"),
            date(lang, snapshot.key_dates.plan_deadline),
        ),
    ] {
        let _ = writeln!(out, "- **{label}:** {value}");
    }

    let _ = writeln!(out, "\n## {}\n", t(lang, "report.summary"));
    let _ = writeln!(
        out,
        "| {} | {} |",
        t(lang, "page.findings"),
        t(lang, "report.count")
    );
    let _ = writeln!(out, "|---|---:|");
    for kind in FindingKind::ALL {
        let _ = writeln!(
            out,
            "| {} | {} |",
            kind.label(lang),
            snapshot.findings_of(kind)
        );
    }
    let _ = writeln!(out, "\n### {}\n", t(lang, "report.deviations"));
    let deviations: Vec<_> = snapshot
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Deviation)
        .collect();
    if deviations.is_empty() {
        let _ = writeln!(out, "{}", t(lang, "report.none"));
    }
    for finding in &deviations {
        let _ = writeln!(
            out,
            "- {} ({})",
            finding.fields.title,
            codes(snapshot, finding)
        );
    }

    let _ = writeln!(out, "\n## {}\n", t(lang, "report.method"));
    let _ = writeln!(
        out,
        "| {} | {} |",
        t(lang, "page.interviews"),
        t(lang, "report.count")
    );
    let _ = writeln!(out, "|---|---:|");
    for role in snapshot.programme.role_ids() {
        let count = snapshot.interviews_with(role);
        if count > 0 {
            let name = snapshot.programme.role_name(role, lang.code());
            let _ = writeln!(out, "| {name} | {count} |");
        }
    }
    let _ = writeln!(out, "\n{}:\n", t(lang, "page.documents"));
    for review in &snapshot.document_reviews {
        let _ = writeln!(
            out,
            "- {} ({}, {})",
            review.fields.title,
            review.fields.kind.label(lang),
            date(lang, review.fields.document_date)
        );
    }

    let _ = writeln!(out, "\n## {}\n", t(lang, "report.findings"));
    for area in &snapshot.areas {
        let in_area: Vec<_> = snapshot
            .findings
            .iter()
            .filter(|f| {
                f.requirement_ids.iter().any(|id| {
                    snapshot
                        .requirement(*id)
                        .is_some_and(|r| r.area_code == area.code)
                })
            })
            .collect();
        if in_area.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", area.title);
        for finding in in_area {
            let _ = writeln!(
                out,
                "#### {}: {} ({})\n",
                finding.kind.label(lang),
                finding.fields.title,
                codes(snapshot, finding)
            );
            let _ = writeln!(out, "{}\n", finding.fields.description);
            let _ = writeln!(out, "*{}:*\n", t(lang, "report.evidence"));
            for evidence in &finding.evidence {
                let _ = writeln!(
                    out,
                    "- {}",
                    evidence_reference(snapshot, *evidence, lang, Quote::IfShareable)
                );
            }
            let _ = writeln!(out);
        }
    }

    let _ = writeln!(out, "## {}\n", t(lang, "report.plan"));
    for finding in &deviations {
        let _ = writeln!(out, "### {}\n", finding.fields.title);
        for action in snapshot
            .actions
            .iter()
            .filter(|a| a.finding_id == finding.id)
        {
            let fields = &action.fields;
            let _ = writeln!(
                out,
                "- {} — {} — {} — {}",
                fields.description,
                fields.owner,
                date(lang, fields.due_date),
                fields.status.label(lang)
            );
        }
        let _ = writeln!(out);
    }

    if let Some(review) = &snapshot.fidelity {
        fidelity(&mut out, snapshot, review, lang);
    }

    let _ = writeln!(out, "## {}\n", t(lang, "report.outcomes"));
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n|---:|---:|---:|---:|---:|---:|",
        t(lang, "outcomes.year"),
        t(lang, "outcomes.ended"),
        t(lang, "outcomes.to_work"),
        t(lang, "outcomes.to_education"),
        t(lang, "outcomes.to_other"),
        t(lang, "outcomes.share"),
    );
    for o in &snapshot.outcomes {
        let share = o
            .work_or_education_share()
            .map_or_else(|| "–".to_owned(), |s| format!("{:.0} %", s * 100.0));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {share} |",
            o.year, o.ended, o.to_work, o.to_education, o.to_other
        );
    }

    let responses = super::report::response_lines(snapshot, lang);
    if !responses.is_empty() {
        let _ = writeln!(out, "\n## {}\n", t(lang, "report.responses"));
        for r in responses {
            let text = if r.text.is_empty() {
                String::new()
            } else {
                format!(": {}", r.text)
            };
            let changed = r.changed.map_or_else(String::new, |c| format!(" {c}"));
            let _ = writeln!(out, "- **{}** — *{}*{text}{changed}", r.finding, r.stance);
        }
    }

    let _ = writeln!(out, "\n## {}\n", t(lang, "report.requirements"));
    for requirement in &snapshot.requirements {
        let _ = writeln!(
            out,
            "- **{}** {}: {}",
            requirement.code, requirement.title, requirement.text
        );
    }
    // Whatever an older file holds, the report carries no control characters.
    crate::domain::text::clean(&out).into_owned()
}

/// The consensus scores: total, band, section sums, then every item with both evaluators'
/// scores and the consensus, the strengths and the recommendations.
fn fidelity(
    out: &mut String,
    snapshot: &CaseSnapshot,
    review: &crate::domain::FidelityReview,
    lang: Lang,
) {
    use crate::domain::Rater;
    let totals = review.totals(Rater::Consensus);
    let _ = writeln!(out, "## {}: {}\n", t(lang, "report.fidelity"), review.title);
    let _ = writeln!(
        out,
        "- **{}:** {} / {}{}",
        t(lang, "fidelity.total"),
        totals.total,
        totals.max_total,
        if totals.scored < review.items.len() {
            format!(
                " ({})",
                tn(
                    lang,
                    "fidelity.scored_of",
                    review.items.len(),
                    &[("scored", &totals.scored)]
                )
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "- **{}:** {}",
        t(lang, "fidelity.band"),
        totals.band.as_deref().unwrap_or("–")
    );
    if let Some(text) = crate::i18n::agreement_text(lang, &review.agreement()) {
        let _ = writeln!(out, "- **{}:** {text}", t(lang, "fidelity.agreement"));
    }
    for (code, sum, max) in &totals.sections {
        let title = review
            .sections
            .iter()
            .find(|s| &s.code == code)
            .map_or(code.as_str(), |s| s.title.as_str());
        let _ = writeln!(out, "- **{title}:** {sum} / {max}");
    }
    let report = super::report::fidelity_section(snapshot, review, lang);
    let header = &report.item_header;
    let _ = writeln!(
        out,
        "\n| {} |\n|---|---:|---:|---:|---|",
        header.join(" | ")
    );
    for row in &report.items {
        let cells: Vec<String> = row.iter().map(|c| c.replace(['\n', '|'], " ")).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if !report.strengths.is_empty() {
        let _ = writeln!(out, "\n### {}\n", report.strengths_label);
        for strength in &report.strengths {
            let _ = writeln!(out, "- {strength}");
        }
    }
    if !report.recommendations.is_empty() {
        let _ = writeln!(out, "\n### {}\n", report.recommendations_label);
        for r in &report.recommendations {
            let mark = if r.improve {
                format!(" – *{}*", report.improve_label)
            } else {
                String::new()
            };
            let _ = writeln!(out, "**{}** ({}){mark}\n\n{}\n", r.item, r.score, r.text);
        }
    }
    let _ = writeln!(out, "\n{}: {}\n", t(lang, "fidelity.source"), review.source);
}

fn codes(snapshot: &CaseSnapshot, finding: &crate::domain::Finding) -> String {
    snapshot.requirement_codes(&finding.requirement_ids)
}
