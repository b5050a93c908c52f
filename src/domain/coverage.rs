//! The coverage matrix as a model: requirements × source groups, each cell the evidence links
//! from that side. It computes; the Dekningsmatrise page (`ui::coverage`) only draws it, and the
//! overview's warnings count from it.

use std::collections::HashMap;

use super::{
    CaseSnapshot, EvidenceRef, FindingId, FindingKind, GroupId, Programme, RequirementId,
    RequirementLink, Stance,
};

/// A column of the matrix: one side's interviews, or the provider's documents. The sides are
/// what triangulation compares, so an interview counts under its role's source group.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Group(GroupId),
    Documents,
}

impl Source {
    /// The columns for a programme: its source groups in the catalog's order, then documents.
    pub fn all(programme: &Programme) -> Vec<Source> {
        programme
            .source_groups
            .iter()
            .map(|g| Source::Group(g.id.clone()))
            .chain([Source::Documents])
            .collect()
    }
}

/// Which way the evidence in a cell points; decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mix {
    Empty,
    Supports,
    Contradicts,
    Mixed,
}

/// The evidence links of one requirement from one source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// In snapshot order; an excerpt linked twice to the requirement counts twice.
    pub links: Vec<(EvidenceRef, Stance)>,
}

impl Cell {
    pub fn count(&self) -> usize {
        self.links.len()
    }

    pub fn with(&self, stance: Stance) -> usize {
        self.links.iter().filter(|(_, s)| *s == stance).count()
    }

    pub fn mix(&self) -> Mix {
        match (self.with(Stance::Supports), self.with(Stance::Contradicts)) {
            (0, 0) => Mix::Empty,
            (_, 0) => Mix::Supports,
            (0, _) => Mix::Contradicts,
            _ => Mix::Mixed,
        }
    }
}

/// One requirement's line of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub requirement_id: RequirementId,
    /// Indexed like `Coverage::sources`.
    pub cells: Vec<Cell>,
    /// The findings that name this requirement.
    pub findings: Vec<(FindingId, FindingKind)>,
}

impl Row {
    /// How many source columns hold any evidence: below two, the requirement is not triangulated.
    pub fn sources(&self) -> usize {
        self.cells.iter().filter(|c| c.count() > 0).count()
    }

    /// Findings per kind, in the kinds' order, leaving out kinds with none.
    pub fn finding_kinds(&self) -> Vec<(FindingKind, usize)> {
        FindingKind::ALL
            .into_iter()
            .map(|kind| {
                (
                    kind,
                    self.findings.iter().filter(|(_, k)| *k == kind).count(),
                )
            })
            .filter(|(_, count)| *count > 0)
            .collect()
    }
}

/// The whole matrix, one row per requirement in the case's catalog order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The columns, from the case's programme.
    pub sources: Vec<Source>,
    pub rows: Vec<Row>,
}

impl Coverage {
    pub fn row(&self, id: RequirementId) -> Option<&Row> {
        self.rows.iter().find(|r| r.requirement_id == id)
    }

    pub fn column(&self, source: &Source) -> Option<usize> {
        self.sources.iter().position(|s| s == source)
    }

    /// One cell, or `None` when the requirement or the source is not in the matrix.
    pub fn cell(&self, id: RequirementId, source: &Source) -> Option<&Cell> {
        self.row(id)?.cells.get(self.column(source)?)
    }

    pub fn without_evidence(&self) -> usize {
        self.rows.iter().filter(|r| r.sources() == 0).count()
    }

    pub fn single_source(&self) -> usize {
        self.rows.iter().filter(|r| r.sources() == 1).count()
    }
}

/// Counts every excerpt and document link per requirement and source. Cheap enough to run
/// each frame, so the matrix never lags behind an edit.
pub fn coverage(snapshot: &CaseSnapshot) -> Coverage {
    let sources = Source::all(&snapshot.programme);
    let mut rows: Vec<Row> = snapshot
        .requirements
        .iter()
        .map(|requirement| Row {
            requirement_id: requirement.id,
            cells: vec![Cell::default(); sources.len()],
            findings: snapshot
                .findings
                .iter()
                .filter(|f| f.requirement_ids.contains(&requirement.id))
                .map(|f| (f.id, f.kind))
                .collect(),
        })
        .collect();
    let index: HashMap<RequirementId, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| (row.requirement_id, i))
        .collect();
    let documents = sources.len() - 1;
    let mut add = |links: &[RequirementLink], column: usize, evidence: EvidenceRef| {
        for link in links {
            if let Some(&i) = index.get(&link.requirement_id) {
                rows[i].cells[column].links.push((evidence, link.stance));
            }
        }
    };
    for interview in &snapshot.interviews {
        // The store only takes declared roles, so an undeclared one has no column to go in.
        let Some(column) = snapshot
            .programme
            .role(&interview.fields.role)
            .and_then(|role| {
                sources
                    .iter()
                    .position(|s| *s == Source::Group(role.group.clone()))
            })
        else {
            continue;
        };
        for excerpt in &interview.excerpts {
            add(&excerpt.links, column, EvidenceRef::Excerpt(excerpt.id));
        }
    }
    for review in &snapshot.document_reviews {
        add(
            &review.links,
            documents,
            EvidenceRef::DocumentReview(review.id),
        );
    }
    Coverage { sources, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        DocumentKind, DocumentReview, DocumentReviewFields, DocumentReviewId, Excerpt, ExcerptId,
        Finding, FindingFields, Interview, InterviewChannel, InterviewFields, InterviewId,
        InterviewSetting,
    };
    use crate::domain::{Requirement, RoleId};

    fn requirement(id: i64, code: &str) -> Requirement {
        Requirement {
            id: RequirementId(id),
            area_code: "IP".into(),
            code: code.into(),
            title: code.into(),
            text: String::new(),
            guidance: String::new(),
            evidence_sources: Vec::new(),
            questions: Vec::new(),
        }
    }

    fn link(id: i64, stance: Stance) -> RequirementLink {
        RequirementLink {
            requirement_id: RequirementId(id),
            stance,
        }
    }

    fn interview(id: i64, role: &str, excerpts: Vec<(i64, Vec<RequirementLink>)>) -> Interview {
        Interview {
            id: InterviewId(id),
            fields: InterviewFields {
                date: jiff::civil::date(2026, 2, 12),
                role: RoleId::new(role),
                interviewees: Vec::new(),
                stage: None,
                setting: InterviewSetting::Individual,
                channel: InterviewChannel::InPerson,
            },
            notes: String::new(),
            excerpts: excerpts
                .into_iter()
                .map(|(excerpt_id, links)| Excerpt {
                    id: ExcerptId(excerpt_id),
                    interview_id: InterviewId(id),
                    start_char: 0,
                    end_char: 0,
                    quote: String::new(),
                    anchored: true,
                    shareable: false,
                    links,
                })
                .collect(),
            covered_questions: Vec::new(),
        }
    }

    /// Three requirements: 1 seen by NAV, a provider adviser, a participant and a document with
    /// mixed stances; 2 contradicted by one NAV source only; 3 without evidence.
    fn snapshot() -> CaseSnapshot {
        use Stance::{Contradicts, Supports};
        CaseSnapshot {
            requirements: vec![
                requirement(1, "IP-1"),
                requirement(2, "IP-2"),
                requirement(3, "IP-3"),
            ],
            interviews: vec![
                interview(
                    10,
                    "measure_coordinator",
                    vec![
                        (100, vec![link(1, Supports), link(2, Contradicts)]),
                        (101, vec![link(2, Contradicts)]),
                    ],
                ),
                interview(11, "nav_adviser", vec![(110, vec![link(1, Supports)])]),
                interview(
                    12,
                    "job_specialist",
                    vec![(120, vec![link(1, Contradicts)])],
                ),
                interview(
                    13,
                    "participant",
                    vec![(130, vec![link(1, Supports), link(1, Contradicts)])],
                ),
            ],
            document_reviews: vec![DocumentReview {
                id: DocumentReviewId(20),
                fields: DocumentReviewFields {
                    title: "Rutine".into(),
                    kind: DocumentKind::Routine,
                    version_label: String::new(),
                    document_date: None,
                    assessment: String::new(),
                },
                attachment: None,
                // A link to a requirement that is not in the case is ignored.
                links: vec![link(1, Supports), link(99, Supports)],
                personal: false,
            }],
            findings: vec![
                Finding {
                    id: FindingId(30),
                    kind: FindingKind::Deviation,
                    fields: FindingFields {
                        title: "Sen plan".into(),
                        description: String::new(),
                    },
                    requirement_ids: vec![RequirementId(2)],
                    evidence: Vec::new(),
                    fidelity_item: None,
                    response: None,
                },
                Finding {
                    id: FindingId(31),
                    kind: FindingKind::GoodPractice,
                    fields: FindingFields {
                        title: "God oppfølging".into(),
                        description: String::new(),
                    },
                    requirement_ids: vec![RequirementId(1), RequirementId(2)],
                    evidence: Vec::new(),
                    fidelity_item: None,
                    response: None,
                },
            ],
            ..CaseSnapshot::default()
        }
    }

    fn group(id: &str) -> Source {
        Source::Group(GroupId::new(id))
    }

    #[test]
    fn counts_links_per_requirement_and_source_group() {
        let matrix = coverage(&snapshot());
        assert_eq!(matrix.rows.len(), 3);
        assert_eq!(
            matrix.sources,
            [
                group("nav"),
                group("provider"),
                group("participants"),
                Source::Documents
            ]
        );
        let first = matrix
            .row(RequirementId(1))
            .map(|r| r.cells.iter().map(Cell::count).collect::<Vec<_>>());
        // Two NAV roles add up in one column; both links of excerpt 130 count.
        assert_eq!(first, Some(vec![2, 1, 2, 1]));
        let second = matrix
            .cell(RequirementId(2), &group("nav"))
            .map(|c| c.links.clone());
        assert_eq!(
            second,
            Some(vec![
                (EvidenceRef::Excerpt(ExcerptId(100)), Stance::Contradicts),
                (EvidenceRef::Excerpt(ExcerptId(101)), Stance::Contradicts),
            ])
        );
        let third = matrix
            .row(RequirementId(3))
            .map(|r| r.cells.iter().map(Cell::count).sum::<usize>());
        assert_eq!(third, Some(0));
        assert!(matrix.row(RequirementId(99)).is_none());
    }

    #[test]
    fn stance_mix_decides_the_colour_class() {
        let matrix = coverage(&snapshot());
        let mix = |id: i64, source: Source| matrix.cell(RequirementId(id), &source).map(Cell::mix);
        assert_eq!(mix(1, group("nav")), Some(Mix::Supports));
        assert_eq!(mix(1, group("provider")), Some(Mix::Contradicts));
        assert_eq!(mix(1, group("participants")), Some(Mix::Mixed));
        assert_eq!(mix(1, Source::Documents), Some(Mix::Supports));
        assert_eq!(mix(2, group("nav")), Some(Mix::Contradicts));
        assert_eq!(mix(3, group("nav")), Some(Mix::Empty));
        assert_eq!(mix(1, group("county")), None);
    }

    #[test]
    fn source_count_marks_weak_triangulation() {
        let matrix = coverage(&snapshot());
        let sources: Vec<usize> = matrix.rows.iter().map(Row::sources).collect();
        assert_eq!(sources, [4, 1, 0]);
        assert_eq!(matrix.without_evidence(), 1);
        assert_eq!(matrix.single_source(), 1);
    }

    #[test]
    fn findings_are_counted_by_kind() {
        let matrix = coverage(&snapshot());
        let kinds = |id: i64| matrix.row(RequirementId(id)).map(Row::finding_kinds);
        assert_eq!(kinds(1), Some(vec![(FindingKind::GoodPractice, 1)]));
        assert_eq!(
            kinds(2),
            Some(vec![
                (FindingKind::Deviation, 1),
                (FindingKind::GoodPractice, 1)
            ])
        );
        assert_eq!(kinds(3), Some(Vec::new()));
    }
}
