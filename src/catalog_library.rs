//! The catalogs a user can choose from: the shipped ones and those imported into the data
//! folder (`catalogs/ID-VERSION.json`). Importing validates first; a refused file changes nothing.

use std::path::{Path, PathBuf};

use crate::catalog::{self, Catalog, CatalogError};

/// Where a catalog comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Imported(PathBuf),
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("Cannot read «{path}»: {source}.")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("«{0}» is not a valid catalog: {1}. Nothing was imported.")]
    Invalid(PathBuf, CatalogError),
    #[error(
        "A different catalog {id} version {version} is already there ({existing}). Give the new one another version; nothing was imported."
    )]
    Conflict {
        id: String,
        version: String,
        existing: String,
    },
    #[error("Cannot write «{path}»: {source}.")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The shipped and imported catalogs in one folder.
#[derive(Clone, Debug)]
pub struct CatalogLibrary {
    folder: PathBuf,
}

impl Default for CatalogLibrary {
    fn default() -> Self {
        CatalogLibrary::at(crate::backups::data_dir().join("catalogs"))
    }
}

impl CatalogLibrary {
    pub fn at(folder: impl Into<PathBuf>) -> CatalogLibrary {
        CatalogLibrary {
            folder: folder.into(),
        }
    }

    /// Every catalog: shipped first, then imported ones in name order. An imported file that no
    /// longer parses is left out and logged, never fatal.
    pub fn all(&self) -> Vec<(Catalog, Origin)> {
        let mut all: Vec<(Catalog, Origin)> = catalog::builtin_all()
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c, Origin::Builtin))
            .collect();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.folder)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        for path in files {
            match read_catalog(&path) {
                Ok(catalog) => all.push((catalog, Origin::Imported(path))),
                Err(e) => log::warn!("skipping catalog {}: {e}", path.display()),
            }
        }
        all
    }

    /// The newest version of catalog `id` (or exactly `version`).
    pub fn find(&self, id: &str, version: Option<&str>) -> Option<(Catalog, Origin)> {
        self.all()
            .into_iter()
            .filter(|(c, _)| c.id == id && version.is_none_or(|v| c.version == v))
            .max_by(|(a, _), (b, _)| a.version.cmp(&b.version))
    }

    /// Validates `file` and copies it into the library as `ID-VERSION.json`.
    pub fn import(&self, file: &Path) -> Result<(Catalog, PathBuf), ImportError> {
        let catalog = read_catalog(file)?;
        let path = self.add(&catalog)?;
        Ok((catalog, path))
    }

    /// Adds a catalog (e.g. one written in the app's editor) as `ID-VERSION.json`, after the
    /// same validation as an import. The same catalog again is a no-op; a different one under
    /// an id and version that is taken is refused.
    pub fn add(&self, catalog: &Catalog) -> Result<PathBuf, ImportError> {
        let name = format!("{}-{}", catalog.id, catalog.version);
        let text = serde_json::to_string_pretty(catalog).map_err(|e| ImportError::Write {
            path: self.folder.clone(),
            source: std::io::Error::other(e),
        })?;
        let catalog = Catalog::parse(&name, &text)
            .map_err(|e| ImportError::Invalid(PathBuf::from(&name), e))?;
        if let Some((existing, origin)) = self.find(&catalog.id, Some(&catalog.version)) {
            if existing == catalog
                && let Origin::Imported(path) = origin
            {
                return Ok(path);
            }
            return Err(ImportError::Conflict {
                id: catalog.id,
                version: catalog.version,
                existing: match origin {
                    Origin::Builtin => "shipped with Evalbench".into(),
                    Origin::Imported(path) => path.display().to_string(),
                },
            });
        }
        std::fs::create_dir_all(&self.folder).map_err(|source| ImportError::Write {
            path: self.folder.clone(),
            source,
        })?;
        let name: String = format!("{}-{}", catalog.id, catalog.version)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let target = self.folder.join(format!("{name}.json"));
        let partial = self.folder.join(format!(".{name}.json.partial"));
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, &target))
            .map_err(|source| {
                let _ = std::fs::remove_file(&partial);
                ImportError::Write {
                    path: target.clone(),
                    source,
                }
            })?;
        Ok(target)
    }
}

fn read_catalog(path: &Path) -> Result<Catalog, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_owned(),
        source,
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Catalog::parse(&name, &text).map_err(|e| ImportError::Invalid(path.to_owned(), e))
}
