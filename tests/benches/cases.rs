//! The cases the bench measures, generated once and kept in the target directory: the 100× case
//! takes a while to write and the 5 000-case network set longer, and neither changes between
//! runs of the same code. A fingerprint of what they are made from names the folder, so a new
//! schema or new demo data writes them again; `EVALBENCH_BENCH_FRESH=1` always does.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

use evalbench::demo::{write_demo, write_demo_scaled};

/// The scales of the cost model: the demo, the stress case and the next scale up.
pub const SCALES: [u32; 3] = [1, 25, 100];
/// The network sets: today's size and a national set.
pub const NETWORK_SIZES: [u32; 2] = [500, 5000];

pub struct Cases {
    folder: PathBuf,
}

impl Cases {
    pub fn prepare() -> Cases {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        include_bytes!("../../assets/demo/demo-case.json").hash(&mut hasher);
        include_bytes!("../../src/demo.rs").hash(&mut hasher);
        include_bytes!("../../src/demo/stress.rs").hash(&mut hasher);
        include_bytes!("../../src/demo/network.rs").hash(&mut hasher);
        evalbench::store::LATEST_VERSION.hash(&mut hasher);
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-cases");
        let folder = root.join(format!("{:016x}", hasher.finish()));
        if std::env::var_os("EVALBENCH_BENCH_FRESH").is_some() {
            let _ = std::fs::remove_dir_all(&folder);
        }
        // Older fingerprints' cases are only disk space now.
        if let Ok(entries) = std::fs::read_dir(&root) {
            for entry in entries.flatten() {
                if entry.path() != folder {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        std::fs::create_dir_all(&folder).unwrap();
        Cases { folder }
    }

    /// The demo case `scale` times over.
    pub fn scaled(&self, scale: u32) -> PathBuf {
        let path = self.folder.join(format!("scale-{scale}.evalcase"));
        if !path.exists() {
            let started = Instant::now();
            let partial = self.folder.join(format!("scale-{scale}.partial"));
            let _ = std::fs::remove_file(&partial);
            if scale == 1 {
                write_demo(&partial).unwrap();
            } else {
                write_demo_scaled(&partial, scale).unwrap();
            }
            std::fs::rename(&partial, &path).unwrap();
            println!(
                "(wrote the {scale}× case, {:.1} MB, in {:.1} s; kept for later runs)",
                size_mb(&path),
                started.elapsed().as_secs_f64()
            );
        }
        path
    }

    /// A copy of the `scale`× case that a figure may change.
    pub fn copy_of(&self, scale: u32, dir: &Path, name: &str) -> PathBuf {
        let copy = dir.join(name);
        std::fs::copy(self.scaled(scale), &copy).unwrap();
        copy
    }

    /// The folder of the first `count` network cases (one folder per 500, so the 500-case set is
    /// the first folder and the 5 000-case set all of them). Every 25th case is the demo 4 times
    /// over and every 100th 10 times over, so the set mixes sizes as a real one does.
    pub fn network(&self, count: u32) -> Vec<PathBuf> {
        let root = self.folder.join("network");
        let folders: Vec<PathBuf> = (0..count.div_ceil(500))
            .map(|part| root.join(format!("part-{part:02}")))
            .collect();
        for (part, folder) in folders.iter().enumerate() {
            if folder.exists() {
                continue;
            }
            let started = Instant::now();
            let partial = root.join(format!("part-{part:02}.partial"));
            let _ = std::fs::remove_dir_all(&partial);
            std::fs::create_dir_all(&partial).unwrap();
            write_part(&partial, part as u32 * 500, 500);
            std::fs::rename(&partial, folder).unwrap();
            println!(
                "(wrote network cases {}–{} in {:.1} s; kept for later runs)",
                part * 500,
                part * 500 + 499,
                started.elapsed().as_secs_f64()
            );
        }
        folders
    }
}

/// Cases `first..first + count` of the network set: the invented network demo, with some of
/// them replaced by bigger cases.
fn write_part(folder: &Path, first: u32, count: u32) {
    use rayon::prelude::*;
    (first..first + count).into_par_iter().for_each(|index| {
        let path = folder.join(format!("case-{index:05}.evalcase"));
        let scale = match index {
            i if i % 100 == 99 => 10,
            i if i % 25 == 24 => 4,
            _ => 1,
        };
        if scale == 1 {
            evalbench::demo::write_network_case(&path, index).unwrap();
        } else {
            write_demo_scaled(&path, scale).unwrap();
        }
    });
}

pub fn size_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

pub fn folder_mb(folders: &[PathBuf]) -> f64 {
    folders
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).into_iter().flatten().flatten())
        .map(|entry| entry.metadata().map_or(0, |m| m.len()))
        .sum::<u64>() as f64
        / 1e6
}
