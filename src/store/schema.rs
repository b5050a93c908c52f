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
];

pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// The schema version this build writes.
pub const LATEST_VERSION: usize = MIGRATION_LIST.len();
