//! Timing, memory and the printed table; figures handed from a probe process to the bench.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Median and 99th percentile of `runs` timings of `work`, after `warmup` untimed runs.
pub fn measure(warmup: usize, runs: usize, mut work: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..warmup {
        work();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    percentiles(&mut times)
}

/// Median and 99th percentile of `times` (sorted in place).
pub fn percentiles(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak and current resident memory of this process in MB, from /proc (Linux).
pub fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Figures a probe process prints as `figure NAME VALUE` lines, read back by the bench.
#[derive(Default)]
pub struct Figures(pub BTreeMap<String, f64>);

impl Figures {
    /// Prints one figure for the bench to read (in a probe process).
    pub fn say(name: &str, value: f64) {
        println!("figure {name} {value}");
    }

    pub fn parse(output: &str) -> Figures {
        Figures(
            output
                .lines()
                .filter_map(|line| {
                    let mut words = line.strip_prefix("figure ")?.split_whitespace();
                    let name = words.next()?.to_owned();
                    let value = words.next()?.parse().ok()?;
                    Some((name, value))
                })
                .collect(),
        )
    }

    /// The figure, or NaN (printed as such) when the probe did not give it.
    pub fn get(&self, name: &str) -> f64 {
        self.0.get(name).copied().unwrap_or(f64::NAN)
    }
}

/// Runs this bench binary again as a probe of `kind` on `args`, so its memory is the probe's
/// alone, and returns what it printed.
pub fn probe(kind: &str, args: &[&str]) -> Figures {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .env("EVALBENCH_BENCH_PROBE", kind)
        .env("EVALBENCH_BENCH_ARGS", args.join("\n"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        eprintln!(
            "probe {kind} {args:?} failed: {}\n{said}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for line in said.lines().filter(|line| line.starts_with("note ")) {
        println!("   ({})", &line[5..]);
    }
    Figures::parse(&said)
}

/// The printed table: one line per figure, with its target, baseline and ratio.
pub struct Table;

impl Table {
    pub fn heading(title: &str) {
        println!("\n{title}");
        println!(
            "{:<50} {:>26}   {:<22} {:>26} {:>8}",
            "figure", "measured", "target", "baseline", "ratio"
        );
    }

    pub fn row(figure: &str, measured: String, target: &str, baseline: String, ratio: String) {
        println!("{figure:<50} {measured:>26}   {target:<22} {baseline:>26} {ratio:>8}");
    }
}

pub fn ratio(a: f64, b: f64) -> String {
    format!("{:.2}×", a / b)
}

pub fn millis(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0} ms")
    } else if value >= 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.2} ms")
    }
}
