//! One iteration of the simulation for one organisation.
//!
//! Every member of staff ends the horizon in exactly one state: in post, natural leaver,
//! transferred, VR, MARS, CR or redeployed. Each person's story is decided by a handful of events
//! (a natural leaving month from one geometric draw, a function transfer, a restructure decision at
//! the VR window) and the earliest event wins. Costs are then accumulated into monthly "drop"
//! arrays and prefix-summed, so an iteration costs O(staff + months), never O(staff × months).
//!
//! All randomness comes from a [`PersonStream`] addressed by person and purpose, so the same
//! person draws the same numbers in every scenario variant that shares a seed.

use super::exit_terms::{annual_employer_cost, exit_cost, ExitRules, Leaver, OnCosts, Route};
use super::results::{OrgPaths, Tally};
use crate::engine::rng::{Draw, PersonStream};
use crate::scenario::{Band, Org, Scenario, TargetBasis, Terms};

/// Sampled, scenario-wide values for one iteration (shared by its organisations).
#[derive(Debug, Clone)]
pub struct IterationContext {
    /// Horizon in months.
    pub horizon: usize,
    /// Pay index by month (1 in the start month, × (1 + award) each April after it).
    pub pay_index: Vec<f64>,
    /// Deadline month offset.
    pub deadline: usize,
    /// Exit-pay rules.
    pub rules: ExitRules,
    /// On-cost rates.
    pub oncosts: OnCosts,
    /// Monthly natural leaving hazard.
    pub hazard: f64,
    /// Share of natural leavers replaced.
    pub replacement_share: f64,
    /// Transfer month of each function (None when it does not transfer in the horizon).
    pub transfer_month: Vec<Option<usize>>,
    /// Share of each function's staff who move with it.
    pub share_moving: Vec<f64>,
    /// Extra reduction planned beyond the target, as a share of the pay budget.
    pub planning_margin: f64,
}

impl IterationContext {
    /// Builds the context from one iteration's sampled values.
    pub fn new(sc: &Scenario, v: &[f64]) -> IterationContext {
        let h = sc.horizon as usize;
        let award = sc.pay.award.of(v);
        let mut pay_index = Vec::with_capacity(h);
        let mut level = 1.0;
        for m in 0..h {
            if m > 0 && sc.start.plus(m as i32).month() == 4 {
                level *= 1.0 + award;
            }
            pay_index.push(level);
        }
        let e = &sc.exit_terms;
        let rules = ExitRules {
            salary_floor: e.salary_floor.of(v),
            salary_cap: e.salary_cap.of(v),
            max_years: e.max_years.of(v),
            min_service_years: e.min_service_years.of(v),
            termination_ni_threshold: e.ni_threshold.of(v),
            termination_ni_rate: e.ni_rate.of(v),
            earnings_ni_rate: sc.pay.employer_ni_rate.of(v),
            weekly_basis: e.weekly_basis,
            mars_months_per_year: sc.mars.months_per_year.of(v),
            mars_min_months: sc.mars.min_months.of(v),
            mars_max_months: sc.mars.max_months.of(v),
            mars_salary_cap: sc.mars.salary_cap.of(v),
            legal_cost: sc.cr.legal_cost.of(v),
        };
        let oncosts = OnCosts {
            ni_rate: sc.pay.employer_ni_rate.of(v),
            ni_threshold: sc.pay.ni_threshold.of(v),
            pension_rate: sc.pay.pension_rate.of(v),
            levy_rate: sc.pay.levy_rate.of(v),
        };
        let annual = sc.attrition.annual_rate.of(v);
        IterationContext {
            horizon: h,
            pay_index,
            deadline: (sc.target.deadline.month_of(v).max(0) as usize).min(h - 1),
            rules,
            oncosts,
            hazard: 1.0 - (1.0 - annual).powf(1.0 / 12.0),
            replacement_share: sc.attrition.replacement_share.of(v),
            transfer_month: sc
                .functions
                .iter()
                .map(|f| {
                    f.transfer
                        .map(|p| p.month_of(v))
                        .filter(|m| (0..h as i32).contains(m))
                        .map(|m| m as usize)
                })
                .collect(),
            share_moving: sc.functions.iter().map(|f| f.share_moving.of(v)).collect(),
            planning_margin: sc.target.planning_margin.of(v),
        }
    }
}

/// An organisation's staff laid out column by column for the hot loop (built once per run).
#[derive(Debug, Clone)]
pub struct PreparedOrg {
    salary: Vec<f64>,
    fte: Vec<f64>,
    age: Vec<f64>,
    service: Vec<f64>,
    function: Vec<u32>,
    band: Vec<usize>,
    local: Vec<bool>,
    member: Vec<bool>,
    /// `e^(−tilt)` of each person's VR application odds, when the tilts are fixed inputs.
    vr_odds_factor: Option<Vec<f64>>,
    /// Whether each person's function is in scope for VR, MARS and CR.
    in_scope: Vec<bool>,
    /// The people whose function may transfer (has a transfer month input).
    in_transferring_function: Vec<u32>,
}

impl PreparedOrg {
    /// Columns of `org`'s staff records, with per-person constants of scenario `sc`.
    pub fn new(sc: &Scenario, org: &Org) -> PreparedOrg {
        let st = &org.staff;
        let fixed = |p: crate::scenario::Param| {
            let d = &sc.inputs[p.0 as usize];
            (!d.is_uncertain()).then(|| d.value_at(0.5))
        };
        let vr_odds_factor = match (fixed(sc.vr.service_tilt), fixed(sc.vr.age_tilt)) {
            (Some(ts), Some(ta)) => Some(
                st.iter()
                    .map(|s| (-vr_tilt(ts, ta, s.service, s.age)).exp())
                    .collect(),
            ),
            _ => None,
        };
        PreparedOrg {
            vr_odds_factor,
            in_scope: st
                .iter()
                .map(|s| sc.functions[s.function].in_scope)
                .collect(),
            salary: st.iter().map(|s| s.salary).collect(),
            fte: st.iter().map(|s| s.fte).collect(),
            age: st.iter().map(|s| s.age).collect(),
            service: st.iter().map(|s| s.service).collect(),
            function: st.iter().map(|s| s.function as u32).collect(),
            band: st
                .iter()
                .map(|s| Band::ALL.iter().position(|b| *b == s.band).unwrap_or(0))
                .collect(),
            local: st.iter().map(|s| s.terms == Terms::Local).collect(),
            member: st.iter().map(|s| s.pension_member).collect(),
            in_transferring_function: (0..st.len() as u32)
                .filter(|&i| sc.functions[st[i as usize].function].transfer.is_some())
                .collect(),
        }
    }

    /// Number of staff.
    pub fn len(&self) -> usize {
        self.salary.len()
    }

    /// True when there are no staff.
    pub fn is_empty(&self) -> bool {
        self.salary.is_empty()
    }
}

/// How a person's story ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    InPost,
    Natural,
    Transferred,
    Vr,
    Mars,
    Cr,
    Redeployed,
}

const NEVER: usize = usize::MAX;

/// Scratch state of one organisation's iteration.
struct People {
    cost: Vec<f64>,
    exit: Vec<usize>,
    fate: Vec<Fate>,
    mover: Vec<bool>,
    pilon: Vec<f64>,
}

/// Simulates one organisation for one iteration.
pub fn simulate_org(
    sc: &Scenario,
    org: &Org,
    st: &PreparedOrg,
    v: &[f64],
    cx: &IterationContext,
    rs: PersonStream,
) -> OrgPaths {
    let h = cx.horizon;
    let n = st.len();
    let mut p = People {
        cost: (0..n)
            .map(|i| annual_employer_cost(&cx.oncosts, st.salary[i], st.fte[i], st.member[i]))
            .collect(),
        exit: vec![NEVER; n],
        fate: vec![Fate::InPost; n],
        mover: vec![false; n],
        pilon: vec![0.0; n],
    };
    natural_attrition(&mut p, cx, rs);
    let displaced = transfers(&mut p, st, cx, rs);
    let nonpay_base = org.nonpay_baseline.of(v);
    let nonpay: Vec<f64> = (0..h).map(|m| nonpay_at(sc, v, nonpay_base, m)).collect();
    let total_cost: f64 = p.cost.iter().sum();
    let baseline = total_cost * cx.pay_index[0] + nonpay_base;
    let target = match sc.target.basis {
        TargetBasis::Share(s) => baseline * (1.0 - s.of(v)),
        TargetBasis::Envelope(per_head) => per_head.of(v) * org.population.of(v),
    };
    if sc.vr.enabled || sc.mars.enabled || sc.cr.enabled {
        restructure(
            &mut p,
            sc,
            st,
            v,
            cx,
            rs,
            target - nonpay[cx.deadline],
            &displaced,
        );
    }
    // Staff whose function left without them are made redundant when it goes (consultation and
    // notice served beforehand), unless something else happened first.
    for &(i, t) in &displaced {
        if t < p.exit[i] {
            p.exit[i] = t;
            p.fate[i] = if rs.u(i, Draw::Redeploy) < sc.cr.redeploy_share.of(v) {
                Fate::Redeployed
            } else {
                Fate::Cr
            };
            p.pilon[i] = 0.0;
        }
    }
    let mut paths = accumulate(&p, sc, st, v, cx, rs, &nonpay, nonpay_base);
    paths.baseline = baseline;
    paths.target = target;
    paths.funding = org.funding.of(v);
    paths
}

fn nonpay_at(sc: &Scenario, v: &[f64], base: f64, m: usize) -> f64 {
    let (s, f) = (
        sc.nonpay.ramp_start.month_of(v) as f64,
        sc.nonpay.ramp_full.month_of(v) as f64,
    );
    let m = m as f64;
    let ramp = if m < s {
        0.0
    } else if m >= f || f <= s {
        1.0
    } else {
        (m - s) / (f - s)
    };
    base * (1.0 - sc.nonpay.reduction_share.of(v) * ramp)
}

/// One geometric draw per person: the month they would leave (never, when replaced).
fn natural_attrition(p: &mut People, cx: &IterationContext, rs: PersonStream) {
    if cx.hazard <= 0.0 {
        return;
    }
    let log_stay = (1.0 - cx.hazard).ln();
    // P(still in post after k months) = (1 − h)^k. The leaving month of a uniform u is
    // floor(ln u / ln(1 − h)): the largest k with (1 − h)^k ≥ u, found by binary search in this
    // table instead of a logarithm per person. Staying the whole horizon needs no search at all.
    let survival: Vec<f64> = (1..=cx.horizon)
        .map(|k| (log_stay * k as f64).exp())
        .collect();
    let stays = survival[cx.horizon - 1];
    for i in 0..p.exit.len() {
        let u = rs.u(i, Draw::Leave);
        if u <= stays {
            continue;
        }
        let k = survival.partition_point(|&s| s >= u);
        if cx.replacement_share <= 0.0 || rs.u(i, Draw::Replace) >= cx.replacement_share {
            p.exit[i] = k;
            p.fate[i] = Fate::Natural;
        }
    }
}

/// Marks movers and transfers those still in post at the transfer month; returns the displaced
/// (non-movers of a transferring function) with their function's transfer month.
fn transfers(
    p: &mut People,
    st: &PreparedOrg,
    cx: &IterationContext,
    rs: PersonStream,
) -> Vec<(usize, usize)> {
    let mut displaced = Vec::new();
    for &i in &st.in_transferring_function {
        let i = i as usize;
        let f = st.function[i];
        let Some(t) = cx.transfer_month[f as usize] else {
            continue;
        };
        if rs.u(i, Draw::Move) < cx.share_moving[f as usize] {
            p.mover[i] = true;
            if t < p.exit[i] {
                p.exit[i] = t;
                p.fate[i] = Fate::Transferred;
            }
        } else {
            displaced.push((i, t));
        }
    }
    displaced
}

/// The restructure at the VR window: VR, then MARS, then CR, until the pay gap to the target at
/// the deadline is closed. `pay_budget` is the target less non-pay at the deadline (£ a year).
#[allow(clippy::too_many_arguments)]
fn restructure(
    p: &mut People,
    sc: &Scenario,
    st: &PreparedOrg,
    v: &[f64],
    cx: &IterationContext,
    rs: PersonStream,
    pay_budget: f64,
    displaced: &[(usize, usize)],
) {
    let w = sc.vr.window.month_of(v).max(0) as usize;
    let d = cx.deadline;
    // Expected share of today's staff still in post `m` months on, if attrition is credited.
    let stay = 1.0 - cx.hazard * (1.0 - cx.replacement_share);
    let survive_to = |m: usize| {
        if sc.attrition.credit_expected {
            stay.powf(m.saturating_sub(w) as f64)
        } else {
            1.0
        }
    };
    let survive = survive_to(d);
    let survive_until: Vec<f64> = cx
        .transfer_month
        .iter()
        .map(|t| t.map_or(survive, survive_to))
        .collect();
    let mut displaced_at = vec![NEVER; p.cost.len()];
    for &(i, t) in displaced {
        displaced_at[i] = t;
    }
    // What each person still in post at the window is expected to contribute at the deadline.
    let mut keep = vec![0.0; p.cost.len()];
    let mut projected = 0.0;
    let mut pool = Vec::new();
    for (i, &f) in st.function.iter().enumerate() {
        if p.exit[i] <= w {
            // Gone before the window; a function already transferred out still counts against a
            // target measured on the system run-rate.
            if p.fate[i] == Fate::Transferred && !sc.target.counts_transfers {
                projected += p.cost[i];
            }
            continue;
        }
        let f = f as usize;
        let moves_by_deadline = p.mover[i] && cx.transfer_month[f].is_some_and(|t| t <= d);
        // Movers stay in the system run-rate at full cost (the receiving body replaces leavers);
        // displaced staff leave when their function goes.
        keep[i] = if moves_by_deadline {
            if sc.target.counts_transfers {
                0.0
            } else {
                survive_until[f]
            }
        } else if displaced_at[i] <= d {
            0.0
        } else {
            survive
        };
        projected += p.cost[i] * keep[i];
        if !p.mover[i] && st.in_scope[i] {
            pool.push(i as u32);
        }
    }
    let mut gap = projected - pay_budget * (1.0 - cx.planning_margin) / cx.pay_index[d];
    if gap <= 0.0 {
        return;
    }
    let mut taken = vec![false; p.cost.len()];
    if sc.vr.enabled {
        let lag = sc.vr.approval_lag.of(v).round() as usize;
        let (uptake, tilt_s, tilt_a) = (
            sc.vr.uptake.of(v),
            sc.vr.service_tilt.of(v),
            sc.vr.age_tilt.of(v),
        );
        // P(apply) = 1 / (1 + e^(−logit(uptake) − tilt)): the uptake's log-odds shifted by a tilt
        // linear in service and age.
        let odds_against = (1.0 - uptake) / uptake;
        let applies =
            |i: usize, factor: f64| rs.u(i, Draw::VrApply) * (1.0 + odds_against * factor) < 1.0;
        let applicants: Vec<u32> =
            if tilt_s == 0.0 && tilt_a == 0.0 || uptake <= 0.0 || uptake >= 1.0 {
                pool.iter()
                    .copied()
                    .filter(|&i| rs.u(i as usize, Draw::VrApply) < uptake)
                    .collect()
            } else if let Some(factor) = &st.vr_odds_factor {
                pool.iter()
                    .copied()
                    .filter(|&i| applies(i as usize, factor[i as usize]))
                    .collect()
            } else {
                pool.iter()
                    .copied()
                    .filter(|&i| {
                        let i = i as usize;
                        applies(
                            i,
                            (-vr_tilt(tilt_s, tilt_a, st.service[i], st.age[i])).exp(),
                        )
                    })
                    .collect()
            };
        voluntary(
            p,
            &pool,
            &applicants,
            &displaced_at,
            rs,
            Draw::VrOrder,
            &keep,
            &mut gap,
            &mut taken,
            w + lag,
            cx.horizon,
            Fate::Vr,
        );
    }
    if sc.mars.enabled && gap > 0.0 {
        let lag = sc.mars.lag.of(v).round() as usize;
        let uptake = sc.mars.uptake.of(v);
        let applicants: Vec<u32> = pool
            .iter()
            .copied()
            .filter(|&i| !taken[i as usize] && rs.u(i as usize, Draw::MarsApply) < uptake)
            .collect();
        voluntary(
            p,
            &pool,
            &applicants,
            &displaced_at,
            rs,
            Draw::MarsOrder,
            &keep,
            &mut gap,
            &mut taken,
            w + lag,
            cx.horizon,
            Fate::Mars,
        );
    }
    if sc.cr.enabled && gap > 0.0 {
        compulsory(p, sc, st, v, cx, rs, &pool, &keep, gap, &taken, w);
    }
}

/// The shift in log-odds of applying for VR: per year of service above 10 and of age above 50.
fn vr_tilt(per_service_year: f64, per_age_year: f64, service: f64, age: f64) -> f64 {
    per_service_year * (service - 10.0) + per_age_year * (age - 50.0)
}

/// Approves applicants in random priority order, as many posts as the gap needs.
///
/// The number of posts is fixed before looking at who applied — the gap divided by the average
/// saving of a post in the pool, rounded up — and the first applicants in priority order get them.
/// People who would leave anyway before the exit date (naturally, with a transfer, or because
/// their function goes) do not apply. So a variant with higher uptake (a superset of applicants
/// under common random numbers) never approves fewer exits.
#[allow(clippy::too_many_arguments)]
fn voluntary(
    p: &mut People,
    pool: &[u32],
    applicants: &[u32],
    displaced_at: &[usize],
    rs: PersonStream,
    order: Draw,
    keep: &[f64],
    gap: &mut f64,
    taken: &mut [bool],
    exit: usize,
    horizon: usize,
    fate: Fate,
) {
    if exit >= horizon || *gap <= 0.0 {
        return;
    }
    let (mut sum, mut n) = (0.0, 0usize);
    for &i in pool {
        let saving = p.cost[i as usize] * keep[i as usize];
        if !taken[i as usize] && saving > 0.0 {
            sum += saving;
            n += 1;
        }
    }
    if n == 0 {
        return;
    }
    let posts = (*gap / (sum / n as f64)).ceil() as usize;
    let eligible: Vec<u32> = applicants
        .iter()
        .copied()
        .filter(|&i| {
            !taken[i as usize] && p.exit[i as usize] > exit && displaced_at[i as usize] > exit
        })
        .collect();
    // The first `posts` applicants in priority order are approved; their order among themselves
    // does not matter, so selecting the smallest keys (O(n)) replaces sorting.
    let mut chosen: Vec<(u64, u32)> = eligible
        .iter()
        .map(|&i| (rs.bits(i as usize, order), i))
        .collect();
    if posts < chosen.len() {
        if posts == 0 {
            return;
        }
        chosen.select_nth_unstable(posts - 1);
        chosen.truncate(posts);
    }
    for &(_, i) in &chosen {
        let i = i as usize;
        taken[i] = true;
        *gap -= p.cost[i] * keep[i];
        p.exit[i] = exit;
        p.fate[i] = fate;
    }
}

/// Selects compulsory redundancies at random from the rest of the pool until the gap is closed.
#[allow(clippy::too_many_arguments)]
fn compulsory(
    p: &mut People,
    sc: &Scenario,
    st: &PreparedOrg,
    v: &[f64],
    cx: &IterationContext,
    rs: PersonStream,
    pool: &[u32],
    keep: &[f64],
    mut gap: f64,
    taken: &[bool],
    w: usize,
) {
    let candidates: Vec<u32> = pool
        .iter()
        .copied()
        .filter(|&i| !taken[i as usize])
        .collect();
    let mut selected = Vec::new();
    let (sum, count) = candidates.iter().fold((0.0, 0usize), |(s, c), &i| {
        let saving = p.cost[i as usize] * keep[i as usize];
        (s + saving, c + usize::from(saving > 0.0))
    });
    let expected = if count > 0 {
        (gap / (sum / count as f64)).ceil() as usize
    } else {
        candidates.len()
    };
    in_random_order(&candidates, rs, Draw::CrOrder, expected, |i| {
        if gap <= 0.0 {
            return false;
        }
        gap -= p.cost[i] * keep[i];
        selected.push(i);
        true
    });
    // Collective consultation minimums: 45 days for 100+ proposed redundancies, 30 for 20–99.
    let statutory = match selected.len() {
        100.. => 45.0,
        20..=99 => 30.0,
        _ => 0.0,
    };
    let days = sc.cr.consultation_days.of(v).max(statutory);
    let consult = (days / 30.4375).ceil() as usize;
    let redeploy = sc.cr.redeploy_share.of(v);
    let notice_by_band: Vec<f64> = sc.cr.notice_months.iter().map(|(_, n)| n.of(v)).collect();
    for i in selected {
        let notice = notice_by_band[st.band[i]];
        let (exit, pilon) = if sc.cr.pilon {
            (w + consult, notice)
        } else {
            (w + consult + notice.round() as usize, 0.0)
        };
        if exit < p.exit[i] && exit < cx.horizon {
            p.exit[i] = exit;
            let redeployed = rs.u(i, Draw::Redeploy) < redeploy;
            p.fate[i] = if redeployed {
                Fate::Redeployed
            } else {
                Fate::Cr
            };
            p.pilon[i] = if redeployed { 0.0 } else { pilon };
        }
    }
}

/// Visits `items` in the order of their random priority keys (a uniformly random order that is
/// the same for a person in every scenario variant sharing the seed), calling `visit` until it
/// returns false. `expected` is a guess of how many visits will be needed: keys are uniform, so
/// only the items whose key falls in a first band sized for that many are ordered; the band doubles
/// while `visit` wants more. Each band is ordered by a bucket sort on the keys' top bits, so a call
/// costs O(n) whatever the guess.
fn in_random_order(
    items: &[u32],
    rs: PersonStream,
    order: Draw,
    expected: usize,
    mut visit: impl FnMut(usize) -> bool,
) {
    let n = items.len();
    if n == 0 {
        return;
    }
    let share = ((expected as f64 * 1.25 + 32.0) / n as f64).min(1.0);
    let mut width = (share * u64::MAX as f64) as u64;
    let mut lo = 0u64;
    let mut band: Vec<(u64, u32)> = Vec::with_capacity((share * n as f64) as usize + 16);
    loop {
        let hi = lo.saturating_add(width);
        let last = hi == u64::MAX;
        band.clear();
        band.extend(items.iter().filter_map(|&i| {
            let k = rs.bits(i as usize, order);
            (k >= lo && (k < hi || last)).then_some((k, i))
        }));
        bucket_sort(&mut band, lo, hi);
        for &(_, i) in &band {
            if !visit(i as usize) {
                return;
            }
        }
        if last {
            return;
        }
        lo = hi;
        width = width.saturating_mul(2);
    }
}

/// Sorts `(key, item)` pairs whose keys are spread uniformly over [lo, hi) in O(n): one counting
/// pass into about n buckets by key, then insertion sort inside each (tiny) bucket.
fn bucket_sort(v: &mut Vec<(u64, u32)>, lo: u64, hi: u64) {
    let n = v.len();
    if n < 32 {
        v.sort_unstable();
        return;
    }
    let span = (hi - lo).max(1) as f64;
    let buckets = n;
    let bucket = |k: u64| (((k - lo) as f64 / span * buckets as f64) as usize).min(buckets - 1);
    let mut start = vec![0u32; buckets + 1];
    for &(k, _) in v.iter() {
        start[bucket(k) + 1] += 1;
    }
    for b in 1..=buckets {
        start[b] += start[b - 1];
    }
    let mut out = vec![(0u64, 0u32); n];
    for &(k, i) in v.iter() {
        let b = bucket(k);
        out[start[b] as usize] = (k, i);
        start[b] += 1;
    }
    // `start[b]` now holds the end of bucket b; insertion sort runs over the whole array, which is
    // already ordered between buckets, so each element moves only within its bucket.
    for j in 1..n {
        let x = out[j];
        let mut k = j;
        while k > 0 && out[k - 1] > x {
            out[k] = out[k - 1];
            k -= 1;
        }
        out[k] = x;
    }
    *v = out;
}

/// Turns each person's fate into monthly run-rates, headcount, exit costs and counts.
#[allow(clippy::too_many_arguments)]
fn accumulate(
    p: &People,
    sc: &Scenario,
    st: &PreparedOrg,
    v: &[f64],
    cx: &IterationContext,
    rs: PersonStream,
    nonpay: &[f64],
    nonpay_base: f64,
) -> OrgPaths {
    let h = cx.horizon;
    let mut out = OrgPaths::zeros(h);
    // Base-price annual cost leaving each measure in each month (or, for rejoiners, returning).
    let mut own_drop = vec![0.0; h];
    let mut sys_drop = vec![0.0; h];
    let mut nhs_drop = vec![0.0; h];
    let mut paid_drop = vec![0.0; h];
    let mut hc_drop = vec![0.0; h];
    let mut fte_drop = vec![0.0; h];
    let er_age = sc.early_retirement.min_age.of(v);
    let er_take = sc.early_retirement.take_up.of(v);
    let strain = sc.early_retirement.strain_multiple.of(v);
    let rejoin_share = sc.clawback.rejoin_share.of(v);
    let rejoin_span = sc.clawback.rejoin_horizon_months.of(v).max(1.0);
    let claw_window = sc.clawback.window_months.of(v);
    let repay = sc.clawback.repay_share.of(v);
    // A local tally (not a field of `out`) lets the compiler keep it in registers.
    let mut tally = Tally::default();
    let t = &mut tally;
    for i in 0..st.len() {
        let fte = st.fte[i];
        t.headcount += 1.0;
        t.fte += fte;
        let m = p.exit[i];
        if m >= h {
            continue;
        }
        let c = p.cost[i];
        own_drop[m] += c;
        hc_drop[m] += 1.0;
        fte_drop[m] += fte;
        let route = match p.fate[i] {
            Fate::InPost => continue,
            Fate::Natural => {
                sys_drop[m] += c;
                nhs_drop[m] += c;
                t.natural += 1.0;
                t.natural_fte += fte;
                continue;
            }
            Fate::Transferred => {
                t.transferred += 1.0;
                t.transferred_fte += fte;
                continue;
            }
            Fate::Redeployed => {
                sys_drop[m] += c;
                t.redeployed += 1.0;
                t.redeployed_fte += fte;
                t.legal += cx.rules.legal_cost;
                t.cost_cr += cx.rules.legal_cost;
                out.exit_cost[m] += cx.rules.legal_cost;
                continue;
            }
            Fate::Vr => Route::Vr,
            Fate::Mars => Route::Mars,
            Fate::Cr => Route::Cr,
        };
        sys_drop[m] += c;
        nhs_drop[m] += c;
        paid_drop[m] += c;
        let years = m as f64 / 12.0;
        let retire = route != Route::Mars
            && st.member[i]
            && st.age[i] + years >= er_age
            && st.service[i] + years >= 2.0
            && rs.u(i, Draw::Retire) < er_take;
        let leaver = Leaver {
            salary: st.salary[i] * cx.pay_index[m],
            fte,
            service_years: st.service[i] + years,
            local_terms: st.local[i],
            pilon_months: p.pilon[i],
            early_retirement: retire,
            strain_multiple: strain,
        };
        let ec = exit_cost(&cx.rules, route, &leaver);
        t.redundancy_pay += ec.redundancy_pay_gbp;
        t.mars_pay += ec.mars_pay_gbp;
        t.pilon += ec.pilon_gbp;
        t.employer_ni += ec.employer_ni_gbp;
        t.pension_strain += ec.pension_strain_gbp;
        t.legal += ec.legal_gbp;
        t.early_retirements += f64::from(u8::from(retire));
        out.exit_cost[m] += ec.total_gbp;
        let mut route_cost = ec.total_gbp;
        if route != Route::Cr && rs.u(i, Draw::Rejoin) < rejoin_share {
            // Rejoins the NHS 1..=span months after leaving: the NHS-wide saving is lost from then,
            // and within the clawback window part of the payment comes back.
            let after = 1 + (rs.u(i, Draw::RejoinWhen) * rejoin_span).floor() as usize;
            let r = m + after;
            if r < h {
                t.rejoiners += 1.0;
                nhs_drop[r] -= c;
                paid_drop[r] -= c;
                if after as f64 <= claw_window {
                    let back = repay * (ec.redundancy_pay_gbp + ec.mars_pay_gbp);
                    t.clawback += back;
                    out.exit_cost[r] -= back;
                    route_cost -= back;
                }
            }
        }
        match route {
            Route::Vr => {
                t.vr += 1.0;
                t.vr_fte += fte;
                t.cost_vr += route_cost;
            }
            Route::Mars => {
                t.mars += 1.0;
                t.mars_fte += fte;
                t.cost_mars += route_cost;
            }
            Route::Cr => {
                t.cr += 1.0;
                t.cr_fte += fte;
                t.cost_cr += route_cost;
            }
        }
    }
    out.tally = tally;
    let total: f64 = p.cost.iter().sum();
    let (mut own, mut sys, mut nhs, mut paid, mut hc, mut fte) =
        (total, total, total, 0.0, out.tally.headcount, out.tally.fte);
    for m in 0..h {
        own -= own_drop[m];
        sys -= sys_drop[m];
        nhs -= nhs_drop[m];
        paid += paid_drop[m];
        hc -= hc_drop[m];
        fte -= fte_drop[m];
        let idx = cx.pay_index[m];
        out.own[m] = own * idx + nonpay[m];
        out.system[m] = sys * idx + nonpay[m];
        out.nhs[m] = nhs * idx + nonpay[m];
        out.counterfactual[m] = total * idx + nonpay_base;
        out.paid_saving[m] = paid * idx;
        out.headcount[m] = hc;
        out.fte[m] = fte;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::{hash_str, iteration_key};

    fn context(annual: f64, horizon: usize) -> IterationContext {
        IterationContext {
            horizon,
            pay_index: vec![1.0; horizon],
            deadline: horizon - 1,
            rules: ExitRules::default(),
            oncosts: OnCosts::default(),
            hazard: 1.0 - (1.0 - annual).powf(1.0 / 12.0),
            replacement_share: 0.0,
            transfer_month: Vec::new(),
            share_moving: Vec::new(),
            planning_margin: 0.0,
        }
    }

    #[test]
    fn natural_leaving_months_are_geometric_with_the_annual_rate() {
        let n = 200_000;
        let cx = context(0.1, 24);
        let mut p = People {
            cost: vec![1.0; n],
            exit: vec![NEVER; n],
            fate: vec![Fate::InPost; n],
            mover: vec![false; n],
            pilon: vec![0.0; n],
        };
        natural_attrition(
            &mut p,
            &cx,
            PersonStream::new(iteration_key(5, 0), hash_str("x")),
        );
        let share = |pred: &dyn Fn(usize) -> bool| {
            p.exit.iter().filter(|&&m| pred(m)).count() as f64 / n as f64
        };
        // Within a year: the annual rate, 0.1; SE √(0.09/n) = 0.00067, allow 4.
        assert!((share(&|m| m < 12) - 0.1).abs() < 0.0027);
        // Within two years: 1 − 0.9² = 0.19; SE √(0.19·0.81/n) = 0.00088.
        assert!((share(&|m| m < 24) - 0.19).abs() < 0.0036);
        // The first month: the monthly hazard h = 1 − 0.9^(1/12) = 0.008742; SE 0.00021.
        assert!((share(&|m| m == 0) - cx.hazard).abs() < 0.00084);
        assert!(p.exit.iter().all(|&m| m == NEVER || m < 24));
    }
}
