//! Thin entry point: parse the command line, then run a subcommand or start the app.

use std::process::ExitCode;

use clap::Parser;
use evalbench::cli::{self, Cli};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => cli::run(command),
        None => start_app(cli.file, cli.network, cli.merge, started),
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`evalbench check FILE | head -1`): not an error.
        Err(error) if cli::is_broken_pipe(&error) => ExitCode::SUCCESS,
        // 2, not 1: `check` and `scan` use 1 for "the file has problems", an answer, not an error.
        Err(error) => {
            eprintln!("evalbench: {}", cli::error_message(&error));
            ExitCode::from(2)
        }
    }
}

fn start_app(
    file: Option<std::path::PathBuf>,
    network: Option<std::path::PathBuf>,
    merge: Option<std::path::PathBuf>,
    started: std::time::Instant,
) -> anyhow::Result<ExitCode> {
    let start = match (file, network, merge) {
        (_, Some(folder), _) => evalbench::app::Start::Network(folder),
        (Some(case), None, Some(theirs)) => evalbench::app::Start::Merge { case, theirs },
        (Some(file), None, None) => evalbench::app::Start::Case(file),
        (None, None, _) => evalbench::app::Start::Case(cli::demo_copy()?),
    };
    evalbench::app::run(start, started)
        .map_err(|e| anyhow::anyhow!("the window could not start: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
