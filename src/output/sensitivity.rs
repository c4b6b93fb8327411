//! `sensitivity.csv`: how strongly each uncertain input drives the key outputs — the Spearman
//! rank correlation, its share of the rank variance, and where the input sits when the output is
//! in its top decile — per organisation and for the total.

use super::records::SensitivityRecord;
use super::tables::{column, org_columns};
use crate::engine::IterationOutput;
use crate::metric::Metric;
use crate::scenario::Scenario;
use crate::stats::{quantile_sorted, ranks, spearman};

/// The outputs whose drivers `sensitivity.csv` ranks.
pub const SENSITIVITY_OUTPUTS: [Metric; 3] = [
    Metric::ExitCostGbp,
    Metric::RunRateAtDeadlineGbp,
    Metric::NpvGbp,
];

/// Spearman rank correlations of every uncertain input with each sensitivity output, per org.
pub fn sensitivity_rows(sc: &Scenario, results: &[IterationOutput]) -> Vec<SensitivityRecord> {
    let uncertain: Vec<usize> = sc.uncertain_inputs().map(|(i, _)| i).collect();
    let inputs: Vec<Vec<f64>> = uncertain
        .iter()
        .map(|&i| results.iter().map(|r| r.values[i]).collect())
        .collect();
    // Each input's draws as percentile ranks in (0, 1): (rank − ½) / n.
    let n = results.len() as f64;
    let input_pct: Vec<Vec<f64>> = inputs
        .iter()
        .map(|x| ranks(x).iter().map(|r| (r - 0.5) / n).collect())
        .collect();
    let mut rows = Vec::new();
    for (o, name) in org_columns(sc) {
        for out in SENSITIVITY_OUTPUTS {
            let y = column(results, o, out);
            let rhos: Vec<f64> = inputs.iter().map(|x| spearman(x, &y)).collect();
            let total: f64 = rhos.iter().filter(|r| r.is_finite()).map(|r| r * r).sum();
            let top = top_decile(&y);
            for (j, &i) in uncertain.iter().enumerate() {
                let rho = rhos[j];
                let top_decile = if top.is_empty() {
                    f64::NAN
                } else {
                    top.iter().map(|&t| input_pct[j][t]).sum::<f64>() / top.len() as f64
                };
                rows.push(SensitivityRecord {
                    org: name.clone(),
                    output: out,
                    input: sc.inputs[i].path.clone(),
                    label: sc.inputs[i].label.clone(),
                    rho,
                    contribution: if total > 0.0 && rho.is_finite() {
                        rho * rho / total
                    } else {
                        f64::NAN
                    },
                    top_decile,
                });
            }
        }
    }
    rows
}

/// Indices of the iterations whose output is in its top decile (at or above its P90); empty when
/// the output does not vary.
fn top_decile(y: &[f64]) -> Vec<usize> {
    let mut sorted: Vec<f64> = y.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    if sorted.first() == sorted.last() {
        return Vec::new();
    }
    let p90 = quantile_sorted(&sorted, 0.9);
    (0..y.len()).filter(|&t| y[t] >= p90).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_decile_is_at_or_above_the_p90() {
        // 1..=20: P90 by type 7 = 18.1, so 19 and 20 (indices 18, 19) are the top decile.
        let y: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(top_decile(&y), vec![18, 19]);
        assert!(top_decile(&[3.0; 10]).is_empty());
    }
}
