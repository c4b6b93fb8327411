//! Benchmarks of the layers that matter, on the embedded national default (25,000 staff):
//! sampling one iteration's inputs, one whole iteration, and the parallel engine.
//!
//! Run with `cargo bench --bench engine`. Throughput is reported in staff-iterations.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use icbsim::engine::{self, RunConfig};
use icbsim::scenario::{load_str, LoadOptions, Scenario};
use std::hint::black_box;
use std::path::Path;

fn national() -> Scenario {
    let text = include_str!("../scenarios/england-icbs-2025.toml");
    load_str(
        "england-icbs-2025.toml",
        text,
        Path::new("scenarios"),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|p| panic!("{p}"))
}

fn benches(c: &mut Criterion) {
    let sc = national();
    let staff = sc.staff_count() as u64;
    let prepared = engine::Prepared::new(&sc);
    let keys = prepared.path_keys();

    let mut g = c.benchmark_group("national");
    g.bench_function("sample_inputs", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(engine::sample_inputs(&sc, 1, i, keys))
        })
    });
    g.throughput(Throughput::Elements(staff));
    g.bench_function("one_iteration", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(prepared.iteration(&sc, 1, i, None))
        })
    });
    g.sample_size(10);
    let n = 1000;
    g.throughput(Throughput::Elements(staff * n));
    g.bench_function("engine_1000_iterations", |b| {
        let cfg = RunConfig {
            iterations: n,
            seed: 1,
            threads: 0,
            range: None,
        };
        b.iter(|| black_box(engine::run(&sc, &cfg, &|_| {}).map(|r| r.len())))
    });
    g.finish();
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
