//! Where the time of a national run goes, phase by phase, in nanoseconds per member of staff per
//! iteration: the six phases of the simulation kernel (timed inside it by
//! `icbsim::model::phase`), then the statistics of every table, then formatting and writing the
//! files. Runs the 2026 national default (42 ICBs, their mergers, 25,000 staff) on one thread.
//!
//! `cargo bench --bench phases` (or `-- 2000` for 2,000 iterations; default 1,000).

use icbsim::engine::{self, RunConfig};
use icbsim::model::phase::{self, Phase};
use icbsim::output::{self, RunMeta};
use icbsim::scenario::{load_str, LoadOptions, Scenario};
use std::path::Path;
use std::time::Instant;

fn national() -> Scenario {
    let text = include_str!("../scenarios/england-icbs-2026.toml");
    load_str(
        "england-icbs-2026.toml",
        text,
        Path::new("scenarios"),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|p| panic!("{p}"))
}

/// The manifest of the bench's run (seed 1, one thread), as `icbsim run` writes it.
fn meta(sc: &Scenario, iterations: u64) -> RunMeta {
    let cfg = RunConfig {
        iterations,
        seed: 1,
        threads: 1,
        range: None,
    };
    icbsim::workflow::run_meta(sc, &cfg, &[], Instant::now())
}

fn main() {
    // `cargo bench` passes `--bench`; a bare number is the iteration count.
    let n: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000);
    let sc = national();
    let staff = sc.staff_count() as f64;
    let per = |secs: f64| secs * 1e9 / (staff * n as f64);
    // The kernel on this thread, iteration by iteration as the engine runs them (plain Monte
    // Carlo), so its phases are timed on the thread that runs them.
    let prepared = engine::Prepared::new(&sc);
    phase::switch(true);
    let t = Instant::now();
    let results: Vec<_> = (0..n)
        .map(|i| prepared.iteration(&sc, 1, i, None))
        .collect();
    let wall = t.elapsed().as_secs_f64();
    let phases = [phase::totals()];
    phase::switch(false);
    // Statistics and files on one worker thread too.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one worker thread");
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Files: the sink writing iterations.csv and keeping the columns as blocks arrive, then the
    // tables; statistics: what the tables hold, computed from the kept columns.
    let (keep, kept) = pool.install(|| {
        let t = Instant::now();
        let mut sink = output::Sink::new(dir.path(), &sc, n).expect("sink");
        for block in results.chunks(128) {
            sink.push(block).expect("iterations written");
        }
        let kept = sink.finish().expect("iterations written");
        (t.elapsed().as_secs_f64(), kept)
    });
    let (stats, tables) = pool.install(|| {
        let t = Instant::now();
        let tables = output::statistics(&kept).expect("statistics");
        (t.elapsed().as_secs_f64(), tables)
    });
    let files = keep
        + pool.install(|| {
            let t = Instant::now();
            output::write_tables(dir.path(), &sc, &tables, &meta(&sc, n)).expect("files written");
            t.elapsed().as_secs_f64()
        });
    println!(
        "2026 national default: {} staff, {n} iterations, one thread\n",
        sc.staff_count()
    );
    println!(
        "{:<14} {:>10} {:>22}",
        "phase", "seconds", "ns per staff-iteration"
    );
    let mut timed = 0.0;
    for (k, p) in Phase::ALL.iter().enumerate() {
        let secs: f64 = phases.iter().map(|t| t[k].as_secs_f64()).sum();
        timed += secs;
        println!("{:<14} {:>10.3} {:>22.1}", p.name(), secs, per(secs));
    }
    let other = (wall - timed).max(0.0);
    println!(
        "{:<14} {:>10.3} {:>22.1}",
        "(collection)",
        other,
        per(other)
    );
    println!("{:<14} {:>10.3} {:>22.1}", "statistics", stats, per(stats));
    println!("{:<14} {:>10.3} {:>22.1}", "files", files, per(files));
    let all = wall + stats + files;
    println!("{:<14} {:>10.3} {:>22.1}", "total", all, per(all));
    println!(
        "\nkernel: {:.1} million staff-iterations a second on one core",
        staff * n as f64 / wall / 1e6
    );
}
