//! An organisation's staff laid out column by column for the per-person loops.
//!
//! Built once per run (not per iteration) from the scenario's staff records: each attribute the
//! simulation reads is its own vector, so the hot loops stream through plain numbers. Per-person
//! constants that depend only on fixed scenario inputs (the VR application odds factor, whether a
//! person's function is in scope, who may transfer, who has the senior clawback window, whose
//! pay is programme-funded) are computed here once as well.

use super::exit_terms::{annual_employer_cost, OnCosts};
use crate::scenario::{Band, Funding, Org, Param, Scenario, Terms};

/// An organisation's staff laid out column by column for the hot loop (built once per run).
#[derive(Debug, Clone)]
pub struct PreparedOrg {
    /// Annual salary (full-time equivalent, start-month prices).
    pub(crate) salary: Vec<f64>,
    /// Full-time equivalent.
    pub(crate) fte: Vec<f64>,
    /// Age in years at the start.
    pub(crate) age: Vec<f64>,
    /// Continuous NHS service in years at the start.
    pub(crate) service: Vec<f64>,
    /// Index of the person's function.
    pub(crate) function: Vec<u32>,
    /// Position of the person's band in [`Band::ALL`].
    pub(crate) band: Vec<usize>,
    /// Whether the person is on local (not Agenda for Change) terms.
    pub(crate) local: Vec<bool>,
    /// Whether the person is a member of the NHS Pension Scheme.
    pub(crate) member: Vec<bool>,
    /// `e^(−tilt)` of each person's VR application odds, when the tilts are fixed inputs.
    pub(crate) vr_odds_factor: Option<Vec<f64>>,
    /// Whether each person's function is in scope for VR, MARS and CR.
    pub(crate) in_scope: Vec<bool>,
    /// The people whose function may transfer out (has a transfer month input).
    pub(crate) in_transferring_function: Vec<u32>,
    /// Whether the person's band is one of `clawback.senior_bands` (the senior clawback window).
    pub(crate) senior: Vec<bool>,
    /// Whether the person's pay is programme-funded (outside the running-cost allowance).
    pub(crate) programme: Vec<bool>,
    /// The people whose function arrives (transfers in) during the horizon.
    pub(crate) in_arriving_function: Vec<u32>,
    /// Each person's annual employer cost under the scenario's on-costs, when those are fixed
    /// inputs (the usual case): the cost is then a per-person constant of the run, used whenever
    /// an iteration's on-costs are these.
    pub(crate) annual_cost: Option<(OnCosts, Vec<f64>)>,
}

impl PreparedOrg {
    /// Columns of `org`'s staff records, with per-person constants of scenario `sc`.
    pub fn new(sc: &Scenario, org: &Org) -> PreparedOrg {
        let st = &org.staff;
        let fixed = |p: Param| {
            let d = &sc.inputs[p.0 as usize];
            (!d.is_uncertain()).then(|| d.value_at(0.5))
        };
        let oncosts = (|| {
            Some(OnCosts {
                ni_rate: fixed(sc.pay.employer_ni_rate)?,
                ni_threshold: fixed(sc.pay.ni_threshold)?,
                pension_rate: fixed(sc.pay.pension_rate)?,
                levy_rate: fixed(sc.pay.levy_rate)?,
            })
        })();
        let annual_cost = oncosts.map(|on| {
            let cost = st
                .iter()
                .map(|s| annual_employer_cost(&on, s.salary, s.fte, s.pension_member))
                .collect();
            (on, cost)
        });
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
                .filter(|&i| {
                    let f = &sc.functions[st[i as usize].function];
                    f.transfer.is_some() && !f.arriving
                })
                .collect(),
            in_arriving_function: (0..st.len() as u32)
                .filter(|&i| sc.functions[st[i as usize].function].arriving)
                .collect(),
            senior: st
                .iter()
                .map(|s| sc.clawback.senior_bands.contains(&s.band))
                .collect(),
            programme: st.iter().map(|s| s.funding == Funding::Programme).collect(),
            annual_cost,
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

    /// `e^(−tilt)` of person `i`'s VR application odds under the tilts of one iteration.
    #[inline]
    pub(crate) fn vr_odds_factor(&self, i: usize, service_tilt: f64, age_tilt: f64) -> f64 {
        match &self.vr_odds_factor {
            Some(factor) => factor[i],
            None => (-vr_tilt(service_tilt, age_tilt, self.service[i], self.age[i])).exp(),
        }
    }
}

/// The shift in log-odds of applying for VR: per year of service above 10 and of age above 50.
pub(crate) fn vr_tilt(per_service_year: f64, per_age_year: f64, service: f64, age: f64) -> f64 {
    per_service_year * (service - 10.0) + per_age_year * (age - 50.0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A prepared organisation of `n` people with the given salaries; everyone is band 2 (index
    /// 0), full time, aged 40 with 5 years' service, a pension member, in function 0 (in scope).
    pub(crate) fn staff(salary: &[f64]) -> PreparedOrg {
        let n = salary.len();
        PreparedOrg {
            salary: salary.to_vec(),
            fte: vec![1.0; n],
            age: vec![40.0; n],
            service: vec![5.0; n],
            function: vec![0; n],
            band: vec![0; n],
            local: vec![false; n],
            member: vec![true; n],
            vr_odds_factor: None,
            in_scope: vec![true; n],
            in_transferring_function: Vec::new(),
            senior: vec![false; n],
            programme: vec![false; n],
            in_arriving_function: Vec::new(),
            annual_cost: None,
        }
    }

    #[test]
    fn fixed_on_costs_give_each_persons_cost_once_per_run_and_other_on_costs_recompute_it() {
        use crate::model::context::tests::context;
        use crate::model::people::{OrgRun, People};
        use crate::rng::PersonStream;
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example-icb.toml");
        let sc = crate::scenario::load(&path, &Default::default()).unwrap();
        let st = PreparedOrg::new(&sc, &sc.orgs[0]);
        // The template's on-costs are fixed: 15% NI above £5,000, 14.38% pension, 0.5% levy.
        let (on, cost) = st.annual_cost.as_ref().expect("fixed on-costs");
        assert_eq!((on.ni_rate, on.ni_threshold), (0.15, 5_000.0));
        assert_eq!((on.pension_rate, on.levy_rate), (0.1438, 0.005));
        let s = &sc.orgs[0].staff[0];
        let pay = s.salary * s.fte;
        let pension = if s.pension_member { 0.1438 * pay } else { 0.0 };
        let want = pay + 0.15 * (pay - 5_000.0).max(0.0) + pension + 0.005 * pay;
        assert!((cost[0] - want).abs() < 1e-9 * want, "{} {want}", cost[0]);
        // An iteration on those on-costs takes the constants; one on others computes afresh.
        let mut cx = context(0.0, 12);
        cx.oncosts = *on;
        let rs = PersonStream::new(1, 2);
        let p = People::in_post(&OrgRun {
            staff: &st,
            cx: &cx,
            rs,
        });
        assert_eq!(&p.cost, cost);
        cx.oncosts.pension_rate = 0.2;
        let p = People::in_post(&OrgRun {
            staff: &st,
            cx: &cx,
            rs,
        });
        let higher = if s.pension_member {
            (0.2 - 0.1438) * pay
        } else {
            0.0
        };
        assert!((p.cost[0] - (want + higher)).abs() < 1e-9 * want);
    }

    #[test]
    fn the_vr_tilt_is_zero_at_ten_years_service_and_age_fifty() {
        assert_eq!(vr_tilt(0.3, 0.2, 10.0, 50.0), 0.0);
        assert!((vr_tilt(0.1, 0.05, 12.0, 40.0) - (0.2 - 0.5)).abs() < 1e-15);
    }

    #[test]
    fn the_odds_factor_is_computed_when_the_tilts_are_not_fixed() {
        let st = staff(&[30_000.0]);
        // Service 5, age 40: tilt = 0.1·(−5) + 0.05·(−10) = −1, factor e^1.
        let f = st.vr_odds_factor(0, 0.1, 0.05);
        assert!((f - 1f64.exp()).abs() < 1e-12);
    }
}
