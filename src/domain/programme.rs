//! Who is interviewed and which sides are triangulated: the programme's roles and source groups.
//! They are data from the case's catalog (AFT talks to job specialists, VTA to work leaders, a
//! Swedish programme to coaches and APL supervisors), so no role is named in code.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// An id a catalog declares (lower-case `a–z`, digits and `_`), kept as the text it is.
macro_rules! catalog_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

catalog_id!(
    /// A role as the catalog declares it, e.g. `job_specialist`. Interviews, guide questions
    /// and planned interviews refer to roles by this id.
    RoleId
);
catalog_id!(
    /// A side whose views are compared with the others', e.g. `nav`, `provider`,
    /// `participants`.
    GroupId
);
catalog_id!(
    /// A stage of the measure a participant can be in when interviewed, e.g.
    /// `clarification`.
    StageId
);

/// A name in each language the catalog gives, by language code (`nb`, `en`, `sv`).
pub type Names = BTreeMap<String, String>;

/// The name for `language`, else the English one, else the Norwegian, else any: a catalog in
/// one language still shows a name in every UI language.
pub fn name_in<'a>(names: &'a Names, language: &str) -> Option<&'a str> {
    [language, "en", "nb"]
        .iter()
        .find_map(|code| names.get(*code))
        .or_else(|| names.values().next())
        .map(String::as_str)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceGroup {
    pub id: GroupId,
    pub names: Names,
    /// One of the palette's `COLOUR_SLOTS` colours, so the matrix columns stay apart.
    pub colour: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: RoleId,
    pub names: Names,
    pub group: GroupId,
    /// The interviewees are the measure's participants: labelled by code, their notes are
    /// personal data (deleted at the end), and only they have a course stage.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub participant: bool,
}

/// A stage of the measure, in the course's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: StageId,
    pub names: Names,
}

/// How many colours the palette has for source groups.
pub const COLOUR_SLOTS: u8 = 6;

/// The roles and source groups of one programme, in the catalog's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub source_groups: Vec<SourceGroup>,
    pub roles: Vec<Role>,
    /// The stages a participant can be in (AFT: clarification … near the end); none where the
    /// programme has no such course.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
}

impl Default for Programme {
    fn default() -> Programme {
        Programme::standard().clone()
    }
}

impl Programme {
    /// NAV's standard roles and sides (those of the AFT catalog): what a case without a catalog,
    /// and a catalog that declares no roles, work with.
    pub fn standard() -> &'static Programme {
        static STANDARD: OnceLock<Programme> = OnceLock::new();
        STANDARD.get_or_init(|| {
            #[derive(Deserialize)]
            struct Declared {
                source_groups: Vec<SourceGroup>,
                roles: Vec<Role>,
                #[serde(default)]
                stages: Vec<Stage>,
            }
            // Shipped in the binary and checked by a unit test.
            serde_json::from_str::<Declared>(include_str!("../../assets/catalogs/aft-2016.json"))
                .map_or(
                    Programme {
                        source_groups: Vec::new(),
                        roles: Vec::new(),
                        stages: Vec::new(),
                    },
                    |d| Programme {
                        source_groups: d.source_groups,
                        roles: d.roles,
                        stages: d.stages,
                    },
                )
        })
    }

    pub fn role(&self, id: &RoleId) -> Option<&Role> {
        self.roles.iter().find(|r| &r.id == id)
    }

    pub fn group(&self, id: &GroupId) -> Option<&SourceGroup> {
        self.source_groups.iter().find(|g| &g.id == id)
    }

    pub fn role_ids(&self) -> impl Iterator<Item = &RoleId> {
        self.roles.iter().map(|r| &r.id)
    }

    /// The roles of one source group, in the catalog's order.
    pub fn roles_in<'a>(&'a self, group: &'a GroupId) -> impl Iterator<Item = &'a Role> {
        self.roles.iter().filter(move |r| &r.group == group)
    }

    pub fn is_participant(&self, role: &RoleId) -> bool {
        self.role(role).is_some_and(|r| r.participant)
    }

    /// The ids of the participants' roles.
    pub fn participant_roles(&self) -> Vec<&RoleId> {
        self.roles
            .iter()
            .filter(|r| r.participant)
            .map(|r| &r.id)
            .collect()
    }

    /// The role's name in `language`; its id when the programme does not declare it (a role
    /// from another catalog version stays readable).
    pub fn role_name(&self, role: &RoleId, language: &str) -> String {
        self.role(role)
            .and_then(|r| name_in(&r.names, language))
            .map_or_else(|| role.to_string(), str::to_owned)
    }

    pub fn stage(&self, id: &StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| &s.id == id)
    }

    pub fn stage_name(&self, stage: &StageId, language: &str) -> String {
        self.stage(stage)
            .and_then(|s| name_in(&s.names, language))
            .map_or_else(|| stage.to_string(), str::to_owned)
    }

    pub fn group_name(&self, group: &GroupId, language: &str) -> String {
        self.group(group)
            .and_then(|g| name_in(&g.names, language))
            .map_or_else(|| group.to_string(), str::to_owned)
    }

    /// Whether both programmes compare the same sides, by group id.
    pub fn same_groups(&self, other: &Programme) -> bool {
        let ids = |p: &Programme| {
            p.source_groups
                .iter()
                .map(|g| g.id.clone())
                .collect::<Vec<_>>()
        };
        ids(self) == ids(other)
    }

    /// The first rule the declaration breaks, as (path, message), or `None`. `language` is the
    /// catalog's own language, in which every name must be given.
    pub fn problem(&self, language: &str) -> Option<(String, String)> {
        let well_formed = |id: &str| {
            id.starts_with(|c: char| c.is_ascii_lowercase())
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        if !(2..=usize::from(COLOUR_SLOTS)).contains(&self.source_groups.len()) {
            return Some((
                "source_groups".into(),
                format!(
                    "declare 2 to {COLOUR_SLOTS} source groups, found {}",
                    self.source_groups.len()
                ),
            ));
        }
        let mut group_ids = HashSet::new();
        let mut colours = HashSet::new();
        for (g, group) in self.source_groups.iter().enumerate() {
            let path = format!("source_groups[{g}]");
            if !well_formed(group.id.as_str()) {
                return Some((format!("{path}.id"), id_message(group.id.as_str())));
            }
            if !group_ids.insert(&group.id) {
                return Some((
                    format!("{path}.id"),
                    format!("source group \"{}\" is declared twice", group.id),
                ));
            }
            if let Some(problem) = names_problem(&path, &group.names, language) {
                return Some(problem);
            }
            if group.colour >= COLOUR_SLOTS {
                return Some((
                    format!("{path}.colour"),
                    format!(
                        "{} is not a colour slot (0 to {})",
                        group.colour,
                        COLOUR_SLOTS - 1
                    ),
                ));
            }
            if !colours.insert(group.colour) {
                return Some((
                    format!("{path}.colour"),
                    format!("colour slot {} is used by another group", group.colour),
                ));
            }
        }
        if self.roles.is_empty() {
            return Some(("roles".into(), "declare at least one role".into()));
        }
        let mut role_ids = HashSet::new();
        for (r, role) in self.roles.iter().enumerate() {
            let path = format!("roles[{r}]");
            if !well_formed(role.id.as_str()) {
                return Some((format!("{path}.id"), id_message(role.id.as_str())));
            }
            if !role_ids.insert(&role.id) {
                return Some((
                    format!("{path}.id"),
                    format!("role \"{}\" is declared twice", role.id),
                ));
            }
            if let Some(problem) = names_problem(&path, &role.names, language) {
                return Some(problem);
            }
            if !group_ids.contains(&role.group) {
                return Some((
                    format!("{path}.group"),
                    format!(
                        "source group \"{}\" is not declared in \"source_groups\"",
                        role.group
                    ),
                ));
            }
        }
        let mut stage_ids = HashSet::new();
        for (s, stage) in self.stages.iter().enumerate() {
            let path = format!("stages[{s}]");
            if !well_formed(stage.id.as_str()) {
                return Some((format!("{path}.id"), id_message(stage.id.as_str())));
            }
            if !stage_ids.insert(&stage.id) {
                return Some((
                    format!("{path}.id"),
                    format!("stage \"{}\" is declared twice", stage.id),
                ));
            }
            if let Some(problem) = names_problem(&path, &stage.names, language) {
                return Some(problem);
            }
        }
        if !self.stages.is_empty() && self.roles.iter().all(|r| !r.participant) {
            return Some((
                "stages".into(),
                "stages are the participants': mark a role \"participant\": true".into(),
            ));
        }
        if let Some((g, group)) = self
            .source_groups
            .iter()
            .enumerate()
            .find(|(_, g)| self.roles_in(&g.id).next().is_none())
        {
            return Some((
                format!("source_groups[{g}]"),
                format!("no role belongs to source group \"{}\"", group.id),
            ));
        }
        None
    }
}

fn id_message(id: &str) -> String {
    format!("\"{id}\" is not an id: use lower-case a–z, digits and _, starting with a letter")
}

fn names_problem(path: &str, names: &Names, language: &str) -> Option<(String, String)> {
    if let Some((code, _)) = names.iter().find(|(_, name)| name.trim().is_empty()) {
        return Some((format!("{path}.names.{code}"), "must not be empty".into()));
    }
    if !names.contains_key(language) {
        return Some((
            format!("{path}.names"),
            format!("give a name in the catalog's language, \"{language}\""),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_programme_is_the_aft_catalogs() {
        let standard = Programme::standard();
        assert_eq!(standard.roles.len(), 9);
        assert_eq!(standard.source_groups.len(), 3);
        assert_eq!(standard.stages.len(), 5);
        assert_eq!(
            standard.stage_name(&StageId::new("clarification"), "nb"),
            "Avklaring"
        );
        assert_eq!(standard.problem("nb"), None);
        let participant = RoleId::new("participant");
        assert!(standard.is_participant(&participant));
        assert!(!standard.is_participant(&RoleId::new("job_specialist")));
        assert_eq!(standard.role_name(&participant, "nb"), "Deltaker");
        assert_eq!(standard.role_name(&participant, "en"), "Participant");
        assert_eq!(standard.role_name(&RoleId::new("gone"), "nb"), "gone");
    }

    #[test]
    fn a_role_in_an_undeclared_group_is_named() {
        let mut programme = Programme::standard().clone();
        programme.roles[0].group = GroupId::new("county");
        let (path, message) = programme.problem("nb").expect("refused");
        assert_eq!(path, "roles[0].group");
        assert!(message.contains("\"county\""), "{message}");
    }

    #[test]
    fn names_fall_back_to_english_then_norwegian() {
        let names: Names = [("nb".to_owned(), "Coach".to_owned())].into();
        assert_eq!(name_in(&names, "sv"), Some("Coach"));
        let names: Names = [
            ("nb".to_owned(), "Veileder".to_owned()),
            ("en".to_owned(), "Adviser".to_owned()),
        ]
        .into();
        assert_eq!(name_in(&names, "sv"), Some("Adviser"));
    }
}
