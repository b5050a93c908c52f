//! Evalbench: a desktop workbench for quality evaluations of labour-market measures.
//! One case is one SQLite file; every change to it is a `Command` applied by the `store`.

pub mod app; // eframe::App: owns the open case, applies the UI's commands after each frame
pub mod attachments; // attached files: read in with a size limit, opened with the system viewer
pub mod backups; // rotating backup copies of cases in the user's data folder
pub mod catalog; // requirement catalogs as data: format, validation, the shipped catalogs
pub mod catalog_library; // shipped and imported catalogs; import validates first
pub mod catalog_update; // what moving a case to another catalog version changes, shown before it is applied
pub mod cli; // the command line: flag definitions (cli/args), the subcommands by role (case, plan, catalog, network, passphrase)
pub mod command; // the enum of every change to a case: the one door
pub mod demo; // the invented demo case built from assets/demo
pub mod dialogs; // native file dialogs behind a trait, so tests never open one
pub mod domain; // plain types and rules; no I/O
pub mod entry; // the program's entry for both binaries: a subcommand or the app
pub mod export; // JSON and Markdown outputs of a case
pub mod files; // whole output files: written beside and renamed, devices and pipes written as they are
pub mod guide; // interview guides: the catalog's questions for one role, grouped by area
pub mod i18n; // the UI's words in Norwegian Bokmål and English
pub mod json_errors; // where in a JSON document serde's complaint is (unknown fields by path)
pub mod merge; // two copies of a case brought together: three-way by row and field, conflicts for the user
pub mod network; // many cases compared: per area, outcomes, plan closure, shared good practice
pub mod plan_exchange; // the provider's plan out to a workbook and back, checked and previewed
pub mod privacy; // the identity-number guard: finds personal numbers, e-mail and phone numbers in text
pub mod response_workbook; // the provider's response to the draft, as a workbook and back
pub mod store; // the only place with SQL: open/migrate, apply, queries
pub mod ui; // one module per page, plus shared widgets
