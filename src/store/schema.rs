//! The case file's schema as an append-only list of migrations on `PRAGMA user_version`.
//! Never edit or remove a migration that has shipped; add a new one.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of every case file: "EvBc" in ASCII. Lets us refuse other SQLite files.
pub const APPLICATION_ID: i32 = 0x4576_4263;

const MIGRATION_LIST: &[M<'static>] = &[
    M::up(include_str!("schema_v1.sql")),
    M::up(include_str!("schema_v2.sql")),
    M::up(include_str!("schema_v3.sql")),
    M::up(include_str!("schema_v4.sql")),
    M::up(include_str!("schema_v5.sql")),
    M::up(include_str!("schema_v6.sql")),
    M::up(include_str!("schema_v7.sql")),
    M::up(include_str!("schema_v8.sql")),
    M::up(include_str!("schema_v9.sql")),
    M::up(include_str!("schema_v10.sql")),
    M::up(include_str!("schema_v11.sql")),
    M::up(include_str!("schema_v12.sql")),
    M::up(include_str!("schema_v13.sql")),
    M::up(include_str!("schema_v14.sql")),
    M::up(include_str!("schema_v15.sql")),
    M::up(include_str!("schema_v16.sql")),
    M::up(include_str!("schema_v17.sql")),
    M::up(include_str!("schema_v18.sql")),
];

pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// The schema version this build writes.
pub const LATEST_VERSION: usize = MIGRATION_LIST.len();

/// One object of a database's schema as `sqlite_schema` lists it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(super) struct SchemaObject {
    pub kind: String,
    pub name: String,
    pub sql: Option<String>,
}

/// How a file's schema differs from the one this version writes at the file's version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaDifference {
    pub change: SchemaChange,
    /// `table`, `index`, `trigger` or `view`.
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaChange {
    Extra,
    Missing,
    Changed,
}

impl SchemaChange {
    pub fn code(self) -> &'static str {
        match self {
            SchemaChange::Extra => "extra",
            SchemaChange::Missing => "missing",
            SchemaChange::Changed => "changed",
        }
    }
}

impl std::fmt::Display for SchemaDifference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let change = match self.change {
            SchemaChange::Extra => "an extra",
            SchemaChange::Missing => "no",
            SchemaChange::Changed => "a changed",
        };
        write!(f, "{change} {} «{}»", self.kind, self.name)
    }
}

/// Every object in `conn`'s main schema, except SQLite's own statistics tables (which
/// `ANALYZE` in any SQLite tool adds, and which run nothing).
pub(super) fn objects(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut objects = conn
        .prepare(
            "SELECT type, name, sql FROM main.sqlite_schema
             WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
        )?
        .query_map([], |row| {
            Ok(SchemaObject {
                kind: row.get(0)?,
                name: row.get(1)?,
                sql: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    objects.sort();
    Ok(objects)
}

/// The schema this build writes at `version`, made once per version and process.
fn expected(version: usize) -> rusqlite::Result<std::sync::Arc<Vec<SchemaObject>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static MADE: OnceLock<Mutex<HashMap<usize, Arc<Vec<SchemaObject>>>>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    if let Some(objects) = made.lock().ok().and_then(|b| b.get(&version).cloned()) {
        return Ok(objects);
    }
    let objects = match shipped().filter(|s| s.version == version) {
        Some(shipped) => shipped.objects,
        None => built(version)?,
    };
    let objects = Arc::new(objects);
    if let Ok(mut made) = made.lock() {
        made.insert(version, Arc::clone(&objects));
    }
    Ok(objects)
}

/// The latest schema as the migrations leave it, written down when it last changed
/// (`schema_latest.json`): building it by running every migration took 15 ms of each command's
/// first open. A test keeps the file equal to what the migrations build.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct ShippedSchema {
    version: usize,
    objects: Vec<SchemaObject>,
}

const SHIPPED_SCHEMA: &str = include_str!("schema_latest.json");

fn shipped() -> Option<ShippedSchema> {
    serde_json::from_str(SHIPPED_SCHEMA).ok()
}

/// The schema at `version`, built by running the migrations in memory.
fn built(version: usize) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    super::register_stable_uuid(&conn)?;
    if version > 0 {
        MIGRATIONS.to_version(&mut conn, version).map_err(|e| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                Some(format!("the schema cannot be built: {e}")),
            )
        })?;
    }
    objects(&conn)
}

/// Compares the file's schema with the one this version writes at the file's version. A case
/// from someone else may carry triggers or views of its own that would run when we write to or
/// read through it: such a file is refused, whatever else it holds.
pub(super) fn differences(
    conn: &rusqlite::Connection,
    version: usize,
) -> rusqlite::Result<Vec<SchemaDifference>> {
    // By reference: the comparison is 76 × 76 pairs on every open.
    fn key(o: &SchemaObject) -> (&str, &str) {
        (&o.kind, &o.name)
    }
    let expected = expected(version)?;
    let found = objects(conn)?;
    let mut differences = Vec::new();
    for object in &found {
        match expected.iter().find(|e| key(e) == key(object)) {
            None => differences.push(SchemaDifference {
                change: SchemaChange::Extra,
                kind: object.kind.clone(),
                name: object.name.clone(),
            }),
            Some(wanted) if wanted.sql != object.sql => differences.push(SchemaDifference {
                change: SchemaChange::Changed,
                kind: object.kind.clone(),
                name: object.name.clone(),
            }),
            Some(_) => {}
        }
    }
    for object in expected.iter() {
        if !found.iter().any(|f| key(f) == key(object)) {
            differences.push(SchemaDifference {
                change: SchemaChange::Missing,
                kind: object.kind.clone(),
                name: object.name.clone(),
            });
        }
    }
    Ok(differences)
}

/// The largest string or blob read from or written to a case: above the 100 MB attachment limit.
pub const MAX_VALUE_BYTES: i32 = 128 * 1024 * 1024;

/// SQLite's defences for a database that may come from someone else (a provider's package, a
/// colleague's copy, a folder of cases): nothing in its schema runs functions or virtual tables
/// that are not marked harmless, the schema cannot be written to directly, every cell's size is
/// checked as it is read, and the file is read, not memory-mapped.
pub(super) fn harden(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::config::DbConfig;
    use rusqlite::limits::Limit;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    // No value we write is larger than an attachment (100 MB); a crafted record of gigabytes is
    // refused as it is read instead of being taken into memory.
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.execute_batch(
        "PRAGMA trusted_schema = OFF;
         PRAGMA cell_size_check = ON;
         PRAGMA mmap_size = 0;",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schema_latest.json` must be what the migrations build, or a case would be compared with
    /// a schema this build does not write. After a new migration, write the file again with
    /// `EVALBENCH_WRITE_SCHEMA=1 cargo test --lib shipped_schema`.
    #[test]
    fn the_shipped_schema_is_what_the_migrations_build() {
        let built = ShippedSchema {
            version: LATEST_VERSION,
            objects: built(LATEST_VERSION).expect("the migrations run"),
        };
        if std::env::var_os("EVALBENCH_WRITE_SCHEMA").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/schema_latest.json");
            let json = serde_json::to_string_pretty(&built).expect("a schema is JSON");
            std::fs::write(path, json + "\n").expect("schema_latest.json is written");
            return;
        }
        assert_eq!(
            shipped(),
            Some(built),
            "src/store/schema_latest.json is not the schema the migrations build; write it again \
             with `EVALBENCH_WRITE_SCHEMA=1 cargo test --lib shipped_schema`"
        );
    }

    #[test]
    fn an_older_version_is_built_from_the_migrations() {
        let older = expected(LATEST_VERSION - 1).expect("the migrations run");
        assert_eq!(
            *older,
            built(LATEST_VERSION - 1).expect("the migrations run")
        );
        assert_ne!(
            *older,
            *expected(LATEST_VERSION).expect("the shipped schema reads")
        );
    }
}
