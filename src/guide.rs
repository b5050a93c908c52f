//! Interview guides: for one role, the catalog's suggested questions grouped by requirement
//! area, for printing before an interview and for ticking off during it.

use std::fmt::Write as _;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::domain::programme::{Names, name_in};
use crate::domain::{CaseSnapshot, Programme, QuestionRef, RoleId};
use crate::i18n::{self, Lang};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Guide {
    pub role: RoleId,
    /// The role's names as the catalog declares them.
    pub role_names: Names,
    pub areas: Vec<GuideArea>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuideArea {
    pub title: String,
    pub questions: Vec<GuideQuestion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuideQuestion {
    pub requirement_code: String,
    pub text: String,
    /// Where the question lives in the case (absent in a guide made from a catalog file).
    pub question: Option<QuestionRef>,
}

impl Guide {
    pub fn question_count(&self) -> usize {
        self.areas.iter().map(|a| a.questions.len()).sum()
    }

    pub fn questions(&self) -> impl Iterator<Item = &GuideQuestion> {
        self.areas.iter().flat_map(|a| &a.questions)
    }

    /// The role's name in `lang`, or its id when the catalog does not declare it.
    pub fn role_name(&self, lang: Lang) -> String {
        name_in(&self.role_names, lang.code()).map_or_else(|| self.role.to_string(), str::to_owned)
    }
}

fn role_names(programme: &Programme, role: &RoleId) -> Names {
    programme
        .role(role)
        .map(|r| r.names.clone())
        .unwrap_or_default()
}

/// The guide for `role` from the case's own copy of its catalog.
pub fn for_case(snapshot: &CaseSnapshot, role: RoleId) -> Guide {
    let areas = snapshot
        .areas
        .iter()
        .map(|area| GuideArea {
            title: area.title.clone(),
            questions: snapshot
                .requirements
                .iter()
                .filter(|r| r.area_code == area.code)
                .flat_map(|r| {
                    r.questions
                        .iter()
                        .enumerate()
                        .filter(|(_, q)| q.roles.contains(&role))
                        .map(|(n, q)| GuideQuestion {
                            requirement_code: r.code.clone(),
                            text: q.text.clone(),
                            question: Some(QuestionRef {
                                requirement_id: r.id,
                                question: n,
                            }),
                        })
                })
                .collect(),
        })
        .filter(|a: &GuideArea| !a.questions.is_empty())
        .collect();
    Guide {
        role_names: role_names(&snapshot.programme, &role),
        role,
        areas,
    }
}

/// The guide for `role` from a catalog, before any case uses it.
pub fn for_catalog(catalog: &Catalog, role: RoleId) -> Guide {
    let areas = catalog
        .areas
        .iter()
        .map(|area| GuideArea {
            title: area.title.clone(),
            questions: area
                .requirements
                .iter()
                .flat_map(|r| {
                    r.questions
                        .iter()
                        .filter(|q| q.roles.contains(&role))
                        .map(|q| GuideQuestion {
                            requirement_code: r.code.clone(),
                            text: q.text.clone(),
                            question: None,
                        })
                })
                .collect(),
        })
        .filter(|a: &GuideArea| !a.questions.is_empty())
        .collect();
    Guide {
        role_names: role_names(&catalog.programme(), &role),
        role,
        areas,
    }
}

/// How a guide is written out: chosen by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuideFormat {
    Markdown,
    Docx,
}

impl GuideFormat {
    /// `.docx` gives Word's format; anything else (and standard output) Markdown.
    pub fn for_path(path: &std::path::Path) -> GuideFormat {
        let docx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        if docx {
            GuideFormat::Docx
        } else {
            GuideFormat::Markdown
        }
    }
}

/// The guide's bytes in `format`.
pub fn render(
    guide: &Guide,
    catalog_title: &str,
    lang: Lang,
    format: GuideFormat,
) -> Result<Vec<u8>, crate::export::docx::DocxError> {
    match format {
        GuideFormat::Markdown => Ok(markdown(guide, catalog_title, lang).into_bytes()),
        GuideFormat::Docx => crate::export::docx::guide_docx(guide, catalog_title, lang),
    }
}

/// A printable guide: a heading per area, numbered questions with a tick box, the requirement
/// code after each so answers can be filed as evidence.
pub fn markdown(guide: &Guide, catalog_title: &str, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        i18n::tf(lang, "guide.heading", &[("role", &guide.role_name(lang))])
    );
    let _ = writeln!(out, "{catalog_title}\n");
    let _ = writeln!(
        out,
        "{}: ____________________   {}: ____________\n",
        i18n::t(lang, "guide.interviewees"),
        i18n::t(lang, "guide.date")
    );
    if guide.areas.is_empty() {
        let _ = writeln!(out, "{}", i18n::t(lang, "guide.none"));
    }
    let mut number = 0;
    for area in &guide.areas {
        let _ = writeln!(out, "## {}\n", area.title);
        for question in &area.questions {
            number += 1;
            let _ = writeln!(
                out,
                "{number}. [ ] {} *({})*",
                question.text, question.requirement_code
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Question, Requirement, RequirementArea, RequirementId};

    fn snapshot() -> CaseSnapshot {
        let question = |roles: &[&str], text: &str| Question {
            roles: roles.iter().map(|r| RoleId::new(*r)).collect(),
            text: text.into(),
        };
        CaseSnapshot {
            areas: vec![
                RequirementArea {
                    code: "A".into(),
                    title: "Area A".into(),
                },
                RequirementArea {
                    code: "B".into(),
                    title: "Area B".into(),
                },
            ],
            requirements: vec![
                Requirement {
                    id: RequirementId(1),
                    area_code: "A".into(),
                    code: "A-1".into(),
                    title: "t".into(),
                    text: "t".into(),
                    guidance: String::new(),
                    evidence_sources: Vec::new(),
                    questions: vec![
                        question(&["participant"], "Q1 participant"),
                        question(&["job_specialist", "participant"], "Q2 both"),
                    ],
                },
                Requirement {
                    id: RequirementId(2),
                    area_code: "B".into(),
                    code: "B-1".into(),
                    title: "t".into(),
                    text: "t".into(),
                    guidance: String::new(),
                    evidence_sources: Vec::new(),
                    questions: vec![question(&["job_specialist"], "Q3 specialist")],
                },
            ],
            ..CaseSnapshot::default()
        }
    }

    #[test]
    fn guide_holds_only_the_roles_questions_grouped_by_area() {
        let s = snapshot();
        let participant = for_case(&s, RoleId::new("participant"));
        assert_eq!(
            participant.areas.len(),
            1,
            "area B has nothing for participants"
        );
        let texts: Vec<&str> = participant.questions().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["Q1 participant", "Q2 both"]);
        assert_eq!(
            participant.questions().nth(1).and_then(|q| q.question),
            Some(QuestionRef {
                requirement_id: RequirementId(1),
                question: 1
            })
        );
        let specialist = for_case(&s, RoleId::new("job_specialist"));
        assert_eq!(specialist.question_count(), 2);
        assert_eq!(specialist.areas[1].title, "Area B");
        assert_eq!(for_case(&s, RoleId::new("nav_manager")).question_count(), 0);
    }

    #[test]
    fn markdown_numbers_questions_under_area_headings() {
        let guide = for_case(&snapshot(), RoleId::new("job_specialist"));
        let text = markdown(&guide, "Catalog", Lang::En);
        assert!(
            text.starts_with("# Interview guide – Job specialist"),
            "{text}"
        );
        assert!(
            text.contains("## Area A\n\n1. [ ] Q2 both *(A-1)*"),
            "{text}"
        );
        assert!(
            text.contains("## Area B\n\n2. [ ] Q3 specialist *(B-1)*"),
            "{text}"
        );
    }
}
