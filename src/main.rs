//! Thin entry point: parse the command line, then run a subcommand or start the app.

use std::process::ExitCode;

use clap::Parser;
use evalbench::cli::{self, Cli};

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => cli::run(command),
        None => start_app(cli.file),
    };
    match result {
        Ok(code) => code,
        // 2, not 1: `check` and `scan` use 1 for "the file has problems", an answer, not an error.
        Err(error) => {
            eprintln!("evalbench: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn start_app(file: Option<std::path::PathBuf>) -> anyhow::Result<ExitCode> {
    let file = match file {
        Some(file) => file,
        None => cli::demo_copy()?,
    };
    evalbench::app::run(&file).map_err(|e| anyhow::anyhow!("the window could not start: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
