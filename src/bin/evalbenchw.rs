//! `evalbenchw`: the same program without a console window, for Windows' Start menu and file
//! types (built with `--features windowed`, only for the Windows installer; see `entry`).
#![windows_subsystem = "windows"]

fn main() -> std::process::ExitCode {
    evalbench::entry::main(evalbench::entry::Console::None)
}
