//! The manifest of a run (`manifest.json`): what was run, with which seed, iterations and
//! overrides, on which machine threads, when, and which correlations had to be repaired.

use super::load::{sampling_name, DEFAULT_NAME};
use crate::engine::{self, RunConfig};
use crate::output::RunMeta;
use crate::scenario::Scenario;
use std::time::Instant;

/// The manifest of a run of `sc` under `cfg` with `overrides`, finished now.
pub fn run_meta(sc: &Scenario, cfg: &RunConfig, overrides: &[String], started: Instant) -> RunMeta {
    RunMeta {
        icbsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: sc.name.clone(),
        scenario_slug: sc.slug.clone(),
        scenario_file: sc.file.as_ref().map_or(DEFAULT_NAME.to_string(), |p| p.display().to_string()),
        scenario_sha256: sc.sha256.clone(),
        overrides: overrides.to_vec(),
        seed: cfg.seed,
        iterations: cfg.iterations,
        rng: "SplitMix64 counter-based streams keyed by (seed, iteration, input path / organisation, person, purpose); synthetic staff from Xoshiro256++".into(),
        threads: if cfg.threads == 0 { rayon::current_num_threads() } else { cfg.threads },
        wall_seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
        start: sc.start.to_string(),
        deadline: sc.nominal_deadline().to_string(),
        horizon_months: sc.horizon,
        counts_transfers: sc.target.counts_transfers,
        sampling: sampling_name(sc.sampling).into(),
        correlation_repairs: correlation_notes(sc, cfg),
        stop_reason: None,
        orgs: sc.orgs.iter().map(|o| o.name.clone()).collect(),
        regions: sc
            .orgs
            .iter()
            .map(|o| o.region.clone().unwrap_or_default())
            .collect(),
        staff: sc.staff_count(),
        finished_utc: utc_now(),
    }
}

/// In words, each target correlation that had to change to make the matrix valid.
pub fn correlation_notes(sc: &Scenario, cfg: &RunConfig) -> Vec<String> {
    let repairs = engine::sampling::repairs(sc, cfg.iterations);
    repairs
        .iter()
        .map(|r| {
            format!(
                "correlation of {} and {} changed from {} to {:.3} to make the matrix valid",
                r.a, r.b, r.asked, r.used
            )
        })
        .collect()
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ` (for the manifest only).
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    utc_from_unix(secs)
}

/// `secs` since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_from_unix(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_become_civil_utc_time() {
        assert_eq!(utc_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_from_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_from_unix(1_798_761_599), "2026-12-31T23:59:59Z");
    }
}
