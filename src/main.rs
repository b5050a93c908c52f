//! `evalbench`: the app, and the command line in a terminal (see `entry`).

fn main() -> std::process::ExitCode {
    evalbench::entry::main(evalbench::entry::Console::Attached)
}
