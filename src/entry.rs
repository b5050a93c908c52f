//! The program's entry, shared by both binaries: parse the command line, then run a subcommand
//! or start the app. `evalbench` is the one to use in a terminal; on Windows the Start menu and
//! the file types start `evalbenchw`, the same program without a console window (as `pythonw`),
//! which shows what went wrong in a message box since it has no terminal to print to.

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{self, Cli};

/// Where the program can tell its user that something went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Console {
    /// Standard error: a terminal, or a script reading it.
    Attached,
    /// No terminal (a GUI-subsystem program on Windows): errors in a message box.
    None,
}

pub fn main(console: Console) -> ExitCode {
    let started = std::time::Instant::now();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if console == Console::None && error.use_stderr() => {
            tell(console, &error.to_string());
            return ExitCode::from(2);
        }
        Err(error) => error.exit(),
    };
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
            tell(
                console,
                &format!("evalbench: {}", cli::error_message(&error)),
            );
            ExitCode::from(2)
        }
    }
}

fn tell(console: Console, message: &str) {
    match console {
        Console::Attached => eprintln!("{message}"),
        Console::None => {
            rfd::MessageDialog::new()
                .set_level(rfd::MessageLevel::Error)
                .set_title("Evalbench")
                .set_description(message)
                .set_buttons(rfd::MessageButtons::Ok)
                .show();
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
        (_, Some(folder), _) => crate::app::Start::Network(folder),
        (Some(case), None, Some(theirs)) => crate::app::Start::Merge { case, theirs },
        (Some(file), None, None) => crate::app::Start::Case(file),
        (None, None, _) => crate::app::Start::Case(cli::demo_copy()?),
    };
    crate::app::run(start, started)
        .map_err(|e| anyhow::anyhow!("the window could not start: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
