//! The Monte Carlo engine: sampling inputs, running iterations in parallel, ordered collection.
//!
//! Iterations run in parallel here (statistics and file formatting run in parallel in
//! [`crate::output`], in output order). Iteration `i` draws everything from streams keyed by
//! `(seed, i)` (see [`rng`]), results are collected in iteration order, and every later sum runs in
//! that order, so the outputs are byte-identical at any thread count.

pub use crate::rng;
pub mod sampling;

use crate::metric::Metric;
use crate::model::derive::{derive_org, derive_total, npv_factors, DeriveContext, OrgResult};
use crate::model::merger::{combine, simulate_merger, MemberRun, MergerTerms};
use crate::model::phase::{self, Phase};
use crate::model::results::OrgPaths;
use crate::model::{simulate_org, IterationContext, PreparedOrg};
use crate::scenario::{Band, OrgRole, Scenario, TargetBasis};
use rayon::prelude::*;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Number of iterations in the full run.
    pub iterations: u64,
    /// Run seed.
    pub seed: u64,
    /// Worker threads (0: rayon's default, one per core).
    pub threads: usize,
    /// Iteration indices to run (a shard); `None` runs all.
    pub range: Option<std::ops::Range<u64>>,
}

/// One iteration's sampled inputs and results.
#[derive(Debug, Clone, PartialEq)]
pub struct IterationOutput {
    /// Global iteration index.
    pub index: u64,
    /// Every input's value in registry order (months as offsets).
    pub values: Vec<f64>,
    /// Results per organisation, then the total last.
    pub orgs: Vec<OrgResult>,
}

/// A run's per-iteration scalar results, read a group of columns at a time: the results held in
/// memory (`[IterationOutput]`) or collected by the output's streaming sink (kept exactly, on disk
/// beyond a bound). Every column is in iteration order.
pub trait Columns: Sync {
    /// Iterations held.
    fn iterations(&self) -> usize;
    /// Metrics `m0..m1` (in [`Metric::ALL`] order) of organisation `org` (0..=orgs, the total
    /// last), metric-major: metric `m0 + k` is `out[k * n..(k + 1) * n]`.
    ///
    /// # Errors
    /// When values kept on disk cannot be read.
    fn metrics(&self, org: usize, m0: usize, m1: usize) -> std::io::Result<Vec<f64>>;
    /// How many metric columns to ask for at once to keep memory bounded.
    fn group(&self) -> usize {
        Metric::COUNT
    }
    /// The draws of `sc.inputs[i]`, an uncertain input.
    ///
    /// # Errors
    /// When values kept on disk cannot be read.
    fn input(&self, i: usize) -> std::io::Result<Vec<f64>>;
    /// One metric of one organisation.
    ///
    /// # Errors
    /// When values kept on disk cannot be read.
    fn column(&self, org: usize, metric: Metric) -> std::io::Result<Vec<f64>> {
        let m = metric as usize;
        self.metrics(org, m, m + 1)
    }
}

impl Columns for [IterationOutput] {
    fn iterations(&self) -> usize {
        self.len()
    }

    fn metrics(&self, org: usize, m0: usize, m1: usize) -> std::io::Result<Vec<f64>> {
        let n = self.len();
        let mut out = vec![0.0; (m1 - m0) * n];
        for (it, r) in self.iter().enumerate() {
            for (k, x) in r.orgs[org].scalars.0[m0..m1].iter().enumerate() {
                out[k * n + it] = *x;
            }
        }
        Ok(out)
    }

    fn input(&self, i: usize) -> std::io::Result<Vec<f64>> {
        Ok(self.iter().map(|r| r.values[i]).collect())
    }
}

/// Sampled values of every input for iteration `index` (plain Monte Carlo).
pub fn sample_inputs(sc: &Scenario, seed: u64, index: u64, path_keys: &[u64]) -> Vec<f64> {
    sample_inputs_planned(sc, seed, index, path_keys, None)
}

/// Sampled values of every input for iteration `index`, reading the uniforms of a Latin
/// hypercube or correlated `plan` where there is one.
pub fn sample_inputs_planned(
    sc: &Scenario,
    seed: u64,
    index: u64,
    path_keys: &[u64],
    plan: Option<&sampling::Plan>,
) -> Vec<f64> {
    let key = rng::iteration_key(seed, index);
    let mut k = 0;
    sc.inputs
        .iter()
        .zip(path_keys)
        .map(|(d, &pk)| {
            if !d.is_uncertain() {
                return d.value_at(0.5);
            }
            let u = match plan {
                Some(p) => {
                    let u = p.u[(index - p.first) as usize * p.columns.len() + k];
                    k += 1;
                    u
                }
                None => rng::to_open01(rng::mix(key, pk)),
            };
            d.value_at(u)
        })
        .collect()
}

/// Financial-year index of each month and the number of years.
pub fn fiscal_years(sc: &Scenario) -> (Vec<usize>, Vec<String>) {
    let first = sc.start.fy_start_year();
    let idx: Vec<usize> = (0..sc.horizon)
        .map(|m| (sc.start.plus(m).fy_start_year() - first) as usize)
        .collect();
    let n = idx.last().map_or(0, |l| l + 1);
    let labels = (0..n)
        .map(|k| sc.start.plus(12 * k as i32).fy_label())
        .collect::<Vec<_>>();
    // Label by the first month of each year actually simulated.
    let labels = labels
        .iter()
        .enumerate()
        .map(|(k, l)| {
            (0..sc.horizon)
                .find(|&m| idx[m as usize] == k)
                .map_or(l.clone(), |m| sc.start.plus(m).fy_label())
        })
        .collect();
    (idx, labels)
}

/// What every iteration of a run shares, built once per run: the input and organisation stream
/// keys, the financial year of each month and each organisation's staff laid out for the hot loop.
#[derive(Debug, Clone)]
pub struct Prepared {
    path_keys: Vec<u64>,
    org_keys: Vec<u64>,
    fy: Vec<usize>,
    staff: Vec<PreparedOrg>,
    /// Each merger's members' staff laid end to end, for the successor's restructure.
    merged: Vec<PreparedOrg>,
}

impl Prepared {
    /// Prepares scenario `sc` for its iterations.
    pub fn new(sc: &Scenario) -> Prepared {
        Prepared {
            path_keys: sc.inputs.iter().map(|d| rng::hash_str(&d.path)).collect(),
            org_keys: sc.orgs.iter().map(|o| rng::hash_str(&o.slug)).collect(),
            fy: fiscal_years(sc).0,
            staff: sc.orgs.iter().map(|o| PreparedOrg::new(sc, o)).collect(),
            merged: Vec::new(),
        }
        .with_mergers(sc)
    }

    fn with_mergers(mut self, sc: &Scenario) -> Prepared {
        self.merged = sc
            .mergers
            .iter()
            .map(|g| {
                let parts: Vec<&PreparedOrg> = g.members.iter().map(|&m| &self.staff[m]).collect();
                combine(&parts)
            })
            .collect();
        self
    }

    /// The stream key of each input, in registry order (for [`sample_inputs`]).
    pub fn path_keys(&self) -> &[u64] {
        &self.path_keys
    }

    /// Runs iteration `index` of scenario `sc` (the one this was prepared from) with run seed
    /// `seed`: samples its inputs (from `plan` where there is one), resolves them once into an
    /// [`IterationContext`], simulates each organisation and derives the results.
    pub fn iteration(
        &self,
        sc: &Scenario,
        seed: u64,
        index: u64,
        plan: Option<&sampling::Plan>,
    ) -> IterationOutput {
        phase::start();
        let values = sample_inputs_planned(sc, seed, index, &self.path_keys, plan);
        let cx = IterationContext::new(sc, &values);
        let key = rng::iteration_key(seed, index);
        let appraisal_months = 12 * sc.appraisal_years as usize;
        let (deflate, discount) = npv_factors(
            cx.deflator,
            cx.discount_rate,
            appraisal_months.max(cx.horizon),
        );
        let dcx = DeriveContext {
            deadline: cx.deadline,
            counts_transfers: cx.restructure.counts_transfers,
            indexation: sc.target.indexation,
            pay_index: &cx.pay_index,
            discount_rate: cx.discount_rate,
            deflator: cx.deflator,
            appraisal_months,
            fy_of_month: &self.fy,
            n_fy: self.fy.last().map_or(0, |l| l + 1),
            deflate: &deflate,
            discount: &discount,
        };
        // Organisations that set inputs of their own get their own context.
        let own: Vec<Option<IterationContext>> = sc
            .orgs
            .iter()
            .map(|o| o.overrides.then(|| cx.for_org(o, &values)))
            .collect();
        let cx_of = |o: usize| own[o].as_ref().unwrap_or(&cx);
        phase::done(Phase::Sampling);
        let stream = |o: usize| rng::PersonStream::new(key, self.org_keys[o]);
        let mut paths: Vec<OrgPaths> = vec![OrgPaths::default(); sc.orgs.len()];
        for (o, org) in sc.orgs.iter().enumerate() {
            if org.role == OrgRole::Standalone {
                paths[o] = simulate_org(&self.staff[o], cx_of(o), &cx.orgs[o], stream(o));
            }
        }
        for (g, merger) in sc.mergers.iter().enumerate() {
            let members: Vec<MemberRun> = merger
                .members
                .iter()
                .map(|&m| MemberRun {
                    staff: &self.staff[m],
                    cx: cx_of(m),
                    org: &cx.orgs[m],
                    rs: stream(m),
                })
                .collect();
            let terms = merger_terms(sc, g, &values, &cx);
            let (rows, successor) =
                simulate_merger(&members, &self.merged[g], stream(merger.successor), &terms);
            for (&m, row) in merger.members.iter().zip(rows) {
                paths[m] = row;
            }
            paths[merger.successor] = successor;
        }
        phase::start();
        let mut total = OrgPaths::zeros(cx.horizon);
        let mut derived = Vec::with_capacity(self.staff.len());
        for (o, p) in paths.iter().enumerate() {
            total.add(p);
            let deadline = match sc.orgs[o].role {
                OrgRole::Successor(g) => cx_of(sc.mergers[g].members[0]).deadline,
                _ => cx_of(o).deadline,
            };
            derived.push(derive_org(p, &DeriveContext { deadline, ..dcx }));
        }
        let total = derive_total(&total, &derived, cx.central_pot, &dcx);
        let mut orgs: Vec<OrgResult> = derived.into_iter().map(|d| d.result).collect();
        orgs.push(total);
        phase::done(Phase::Derive);
        IterationOutput {
            index,
            values,
            orgs,
        }
    }

    /// Runs batch `b` in parallel blocks of 8 on `pool`, collected in index order.
    fn run_indices(&self, b: Batch<'_>, pool: &rayon::ThreadPool) -> Vec<IterationOutput> {
        pool.install(|| self.run_here(b))
    }

    /// Runs batch `b` on `pool`, handing its iterations to `consume` in blocks, in index order:
    /// while the consumer takes one block the workers simulate the next, so at most two blocks
    /// are held at once. Stops at the consumer's first error.
    fn stream<E: Send>(
        &self,
        b: Batch<'_>,
        pool: &rayon::ThreadPool,
        consume: &mut (dyn FnMut(&[IterationOutput]) -> Result<(), E> + Send),
    ) -> Result<(), E> {
        let block =
            (STREAM_BLOCK_PER_THREAD * pool.current_num_threads().max(2)).min(STREAM_BLOCK_MAX);
        pool.install(|| {
            let mut held: Vec<IterationOutput> = Vec::new();
            for part in b.indices.chunks(block) {
                let (taken, next) = rayon::join(
                    || consume(&held),
                    || self.run_here(Batch { indices: part, ..b }),
                );
                taken?;
                held = next;
            }
            consume(&held)
        })
    }

    /// [`Self::run_indices`] on the current pool.
    fn run_here(&self, b: Batch<'_>) -> Vec<IterationOutput> {
        b.indices
            .par_chunks(8)
            .flat_map_iter(|chunk| {
                let block: Vec<IterationOutput> = chunk
                    .iter()
                    .map(|&i| self.iteration(b.sc, b.seed, i, b.plan))
                    .collect();
                (b.progress)(block.len() as u64);
                block
            })
            .collect()
    }
}

/// Iterations to run: the scenario, the run seed, their indices, the sampling plan covering them
/// (if any) and the progress callback, told how many finish as blocks complete.
#[derive(Clone, Copy)]
struct Batch<'a> {
    sc: &'a Scenario,
    seed: u64,
    indices: &'a [u64],
    plan: Option<&'a sampling::Plan>,
    progress: &'a (dyn Fn(u64) + Sync),
}

/// Iterations per block handed to [`run_streaming`]'s consumer, per worker thread: large enough
/// that the wait for a block's last iterations is small beside the block, small enough that two
/// blocks (one being consumed, one being simulated) stay a few tens of MB.
const STREAM_BLOCK_PER_THREAD: usize = 64;
/// The most iterations in one streamed block, whatever the thread count.
const STREAM_BLOCK_MAX: usize = 512;

/// Runs the iterations of `cfg` like [`run`], handing them to `consume` in blocks, in iteration
/// order, instead of collecting them: while the consumer takes one block the workers simulate
/// the next, so at most two blocks are held at once. Stops at the consumer's first error.
///
/// # Errors
/// Fails only if the thread pool cannot be built; the inner result is the consumer's.
pub fn run_streaming<E: Send>(
    sc: &Scenario,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    consume: &mut (dyn FnMut(&[IterationOutput]) -> Result<(), E> + Send),
) -> Result<Result<(), E>, rayon::ThreadPoolBuildError> {
    let s = Setup::new(sc, cfg)?;
    Ok(s.shared
        .stream(s.batch(sc, cfg.seed, progress), &s.pool, consume))
}

/// Merger `g`'s numbers in the iteration whose sampled inputs are `v`.
fn merger_terms(sc: &Scenario, g: usize, v: &[f64], cx: &IterationContext) -> MergerTerms {
    let m = &sc.mergers[g];
    let last = cx.horizon - 1;
    let month = (m.month.month_of(v).max(1) as usize).min(last);
    let delete_at = m
        .clustered
        .map_or(month, |c| (c.month_of(v).max(0) as usize).min(month));
    let envelope = match m.target {
        crate::scenario::MergerTarget::Sum => None,
        crate::scenario::MergerTarget::Envelope => match sc.target.basis {
            TargetBasis::Envelope(per_head) => Some(
                per_head.of(v)
                    * m.members
                        .iter()
                        .map(|&o| sc.orgs[o].population.of(v))
                        .sum::<f64>(),
            ),
            TargetBasis::Share(_) => None,
        },
    };
    MergerTerms {
        month,
        delete_at,
        cost: m.cost.of(v),
        duplicated_bands: m
            .duplicated_bands
            .iter()
            .filter_map(|b| Band::ALL.iter().position(|x| x == b))
            .collect(),
        envelope,
        funding: sc.orgs[m.successor].funding.of(v),
    }
}

/// Runs the iterations of `cfg`, calling `progress(done)` as blocks finish.
///
/// # Errors
/// Fails only if the thread pool cannot be built.
pub fn run(
    sc: &Scenario,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<IterationOutput>, rayon::ThreadPoolBuildError> {
    let s = Setup::new(sc, cfg)?;
    Ok(s.shared
        .run_indices(s.batch(sc, cfg.seed, progress), &s.pool))
}

/// What a run needs before its first iteration: the prepared scenario, the sampling plan (built
/// once per run; [`sampling::repairs`] reports its repairs without it), the indices to run and
/// the worker pool.
struct Setup {
    shared: Prepared,
    plan: Option<sampling::Plan>,
    indices: Vec<u64>,
    pool: rayon::ThreadPool,
}

impl Setup {
    /// The setup of a run of `cfg` on scenario `sc`.
    fn new(sc: &Scenario, cfg: &RunConfig) -> Result<Setup, rayon::ThreadPoolBuildError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cfg.threads)
            .build()?;
        let (plan, _) = sampling::plan(sc, cfg.seed, cfg.iterations);
        let indices: Vec<u64> = cfg.range.clone().unwrap_or(0..cfg.iterations).collect();
        Ok(Setup {
            shared: Prepared::new(sc),
            plan,
            indices,
            pool,
        })
    }

    /// All of the run's iterations, of `sc` with seed `seed`, reporting to `progress`.
    fn batch<'a>(
        &'a self,
        sc: &'a Scenario,
        seed: u64,
        progress: &'a (dyn Fn(u64) + Sync),
    ) -> Batch<'a> {
        Batch {
            sc,
            seed,
            indices: &self.indices,
            plan: self.plan.as_ref(),
            progress,
        }
    }
}

/// When to stop adding iterations in [`run_to_precision`].
#[derive(Debug, Clone, Copy)]
pub struct Precision {
    /// Wanted 95% half-width relative to the value (0.01 for 1%).
    pub relative: f64,
    /// Iterations per block.
    pub block: u64,
    /// At most this many iterations.
    pub max_iterations: u64,
}

impl Precision {
    /// Iterations per block (at least 2).
    fn block(&self) -> u64 {
        self.block.max(2)
    }

    /// After `count` iterations whose totals' exit costs are `cost` and target outcomes `met`:
    /// why to stop, in words, or `None` to add another block.
    pub fn verdict(&self, cost: &[f64], met: &[f64]) -> Option<String> {
        use crate::stats::{summarize, summarize_bool};
        let cost = summarize(cost);
        let met_s = summarize_bool(met);
        let hw_cost = 1.96 * cost.se_mean / cost.mean.abs();
        let hw_met = if met_s.p > 0.0 && met_s.p < 1.0 {
            1.96 * met_s.se / met_s.p
        } else {
            0.0
        };
        let count = met.len() as u64;
        let done = hw_cost <= self.relative && hw_met <= self.relative && count >= 2 * self.block();
        if done {
            Some(format!(
                "converged after {count} iterations: 95% half-widths {:.2}% of mean exit cost and {:.2}% of P(target met), both within {:.2}%",
                hw_cost * 100.0, hw_met * 100.0, self.relative * 100.0
            ))
        } else if count >= self.max_iterations {
            Some(format!(
                "stopped at the maximum of {count} iterations: 95% half-widths {:.2}% of mean exit cost and {:.2}% of P(target met) (wanted {:.2}%)",
                hw_cost * 100.0, hw_met * 100.0, self.relative * 100.0
            ))
        } else {
            None
        }
    }
}

/// Where [`run_to_precision_into`] puts its iterations, and how it reads back the totals its
/// stopping rule needs.
pub trait BlockSink {
    /// What can go wrong keeping or reading back.
    type Error: Send;
    /// Takes the next block of iterations, in order.
    ///
    /// # Errors
    /// When the block cannot be kept.
    fn push(&mut self, block: &[IterationOutput]) -> Result<(), Self::Error>;
    /// Metric `k` of the total, for every iteration kept so far, in order.
    ///
    /// # Errors
    /// When kept values cannot be read back.
    fn total_column(&self, k: Metric) -> Result<Vec<f64>, Self::Error>;
}

impl BlockSink for Vec<IterationOutput> {
    type Error = std::convert::Infallible;

    fn push(&mut self, block: &[IterationOutput]) -> Result<(), Self::Error> {
        self.extend_from_slice(block);
        Ok(())
    }

    fn total_column(&self, k: Metric) -> Result<Vec<f64>, Self::Error> {
        Ok(self
            .iter()
            .filter_map(|r| r.orgs.last().map(|o| o.scalars[k]))
            .collect())
    }
}

/// Adds blocks of iterations until the 95% half-widths of the total's mean exit cost and of
/// P(target met) are both within `relative` of their values (a probability of exactly 0 or 1
/// counts as converged once two blocks agree), or `max_iterations` is reached. Blocks are fixed
/// (iterations `0..b`, `b..2b`, …), each its own Latin hypercube when sampling is `lhs`, so the
/// stopping point and results are the same for a seed at any thread count. Returns the results
/// and why it stopped, in words.
///
/// # Errors
/// Fails only if the thread pool cannot be built.
pub fn run_to_precision(
    sc: &Scenario,
    seed: u64,
    threads: usize,
    p: Precision,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Vec<IterationOutput>, String), rayon::ThreadPoolBuildError> {
    let mut results: Vec<IterationOutput> = Vec::new();
    let Ok(why) = run_to_precision_into(sc, seed, threads, p, progress, &mut results)?;
    Ok((results, why))
}

/// [`run_to_precision`], handing the iterations to `sink` in blocks, in order, as they are
/// simulated (the next part of a block is simulated while the sink takes the last), so memory
/// does not grow with the iterations when the sink keeps them in bounded memory. Returns why it
/// stopped, in words.
///
/// # Errors
/// Fails if the thread pool cannot be built; the inner result is the sink's.
pub fn run_to_precision_into<S: BlockSink + Send>(
    sc: &Scenario,
    seed: u64,
    threads: usize,
    p: Precision,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut S,
) -> Result<Result<String, S::Error>, rayon::ThreadPoolBuildError> {
    let shared = Prepared::new(sc);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let block = p.block();
    let mut count = 0;
    loop {
        let n = block.min(p.max_iterations - count);
        let (plan, _) = sampling::plan_range(sc, seed, count, n);
        let indices: Vec<u64> = (count..count + n).collect();
        let b = Batch {
            sc,
            seed,
            indices: &indices,
            plan: plan.as_ref(),
            progress,
        };
        let streamed = shared.stream(b, &pool, &mut |block| sink.push(block));
        if let Err(e) = streamed {
            return Ok(Err(e));
        }
        count += n;
        let verdict = sink
            .total_column(Metric::ExitCostGbp)
            .and_then(|cost| Ok(p.verdict(&cost, &sink.total_column(Metric::TargetMet)?)));
        match verdict {
            Ok(Some(why)) => return Ok(Ok(why)),
            Ok(None) => {}
            Err(e) => return Ok(Err(e)),
        }
    }
}
