//! Whole-run sampling plans: Latin hypercube stratification and rank correlation (Iman–Conover).
//!
//! Plain Monte Carlo draws each input of each iteration from its own keyed stream, so any
//! iteration can be computed alone. Latin hypercube sampling and correlated inputs need the whole
//! run at once: this module builds, once per run, the matrix of uniforms (iterations × uncertain
//! inputs) that the iterations then read. It depends only on the seed, the iteration count and
//! the input paths — not on threads or shards — so results stay reproducible and shardable.

// Small dense linear algebra (Cholesky, Jacobi) reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

use super::rng::{hash_str, iteration_key, mix, to_open01};
use crate::scenario::{Sampling, Scenario};
use statrs::distribution::{ContinuousCDF, Normal};

/// The uniforms of every uncertain input in every iteration, when the plan is not plain Monte Carlo.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Iteration index of the first row.
    pub first: u64,
    /// Registry index of each column.
    pub columns: Vec<usize>,
    /// Row-major: `u[iteration * columns.len() + column]`.
    pub u: Vec<f64>,
}

impl Plan {
    /// The uniform for registry input `input` in iteration `i`, if it is a planned column.
    pub fn get(&self, i: u64, input: usize) -> Option<f64> {
        let k = self.columns.iter().position(|&c| c == input)?;
        Some(self.u[(i - self.first) as usize * self.columns.len() + k])
    }
}

/// A pair whose target correlation had to change to make the matrix valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// First input path.
    pub a: String,
    /// Second input path.
    pub b: String,
    /// Correlation asked for.
    pub asked: f64,
    /// Correlation used.
    pub used: f64,
}

/// Builds the plan for `n` iterations, or `None` for plain Monte Carlo without correlations.
/// Also returns the repairs made to a correlation matrix that was not positive semi-definite.
///
/// The engine builds the plan once per run; a caller that only wants the repairs (to report them)
/// should call [`repairs`], which gives the same list without building the plan again.
pub fn plan(sc: &Scenario, seed: u64, n: u64) -> (Option<Plan>, Vec<Repair>) {
    plan_range(sc, seed, 0, n)
}

/// The plan for iterations `first..first + n` as a block of its own (its own strata and
/// correlation ordering, keyed by `first`), used when iterations are added block by block.
pub fn plan_range(sc: &Scenario, seed: u64, first: u64, n: u64) -> (Option<Plan>, Vec<Repair>) {
    if sc.sampling == Sampling::Random && sc.correlations.is_empty() {
        return (None, Vec::new());
    }
    let columns: Vec<usize> = sc.uncertain_inputs().map(|(i, _)| i).collect();
    let k = columns.len();
    let n_us = n as usize;
    let mut u = vec![0.0; n_us * k];
    for (c, &input) in columns.iter().enumerate() {
        let pk = hash_str(&sc.inputs[input].path);
        for i in 0..n {
            u[i as usize * k + c] = to_open01(mix(iteration_key(seed, first + i), pk));
        }
        if sc.sampling == Sampling::Lhs {
            // Stratum of iteration i: its rank under a keyed random permutation of 0..n.
            let strata = permutation(mix(mix(seed, first), pk ^ 0x4C48_5300), n_us);
            for (i, &s) in strata.iter().enumerate() {
                let v = &mut u[i * k + c];
                *v = (s as f64 + *v) / n as f64;
            }
        }
    }
    let mut repairs = Vec::new();
    if !sc.correlations.is_empty() && n_us > columns.len() + 1 {
        repairs = correlate(sc, mix(seed, first), &columns, &mut u, n_us);
    }
    (Some(Plan { first, columns, u }), repairs)
}

/// The repairs that [`plan`] makes for a run of `n` iterations (the same list), without building
/// the plan: they depend only on the scenario's target correlations. Empty when there are no
/// correlations or too few iterations to impose them.
pub fn repairs(sc: &Scenario, n: u64) -> Vec<Repair> {
    let columns = sc.uncertain_inputs().count();
    if sc.correlations.is_empty() || n as usize <= columns + 1 {
        return Vec::new();
    }
    repaired_target(sc).report
}

/// The target rank correlations among the inputs involved in any, made valid.
struct Target {
    /// Registry index of each input involved, in order of first mention.
    involved: Vec<usize>,
    /// The nearest valid correlation matrix over `involved`.
    valid: Vec<Vec<f64>>,
    /// The pairs that had to change.
    report: Vec<Repair>,
}

/// The scenario's target correlation matrix, repaired to the nearest valid one if it is not.
fn repaired_target(sc: &Scenario) -> Target {
    let mut involved: Vec<usize> = Vec::new();
    for &(a, b, _) in &sc.correlations {
        for x in [a, b] {
            if !involved.contains(&x) {
                involved.push(x);
            }
        }
    }
    let mut target = identity(involved.len());
    for &(a, b, r) in &sc.correlations {
        let (i, j) = (pos(&involved, a), pos(&involved, b));
        target[i][j] = r;
        target[j][i] = r;
    }
    let (valid, repairs) = nearest_correlation(&target);
    let report = repairs
        .into_iter()
        .map(|(i, j, asked, used)| Repair {
            a: sc.inputs[involved[i]].path.clone(),
            b: sc.inputs[involved[j]].path.clone(),
            asked,
            used,
        })
        .collect();
    Target {
        involved,
        valid,
        report,
    }
}

/// `rank[i]` of each index under a random permutation keyed by `key`.
fn permutation(key: u64, n: usize) -> Vec<u32> {
    let mut order: Vec<(u64, u32)> = (0..n as u32).map(|i| (mix(key, u64::from(i)), i)).collect();
    order.sort_unstable();
    let mut rank = vec![0u32; n];
    for (r, &(_, i)) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

/// Imposes the scenario's rank correlations on the planned uniforms (Iman and Conover 1982):
/// normal scores in random order get the target correlation through Cholesky factors, then each
/// input's own values are reordered to the scores' ranks, so every marginal is unchanged.
fn correlate(sc: &Scenario, seed: u64, columns: &[usize], u: &mut [f64], n: usize) -> Vec<Repair> {
    let k = columns.len();
    let Target {
        involved,
        valid,
        report,
    } = repaired_target(sc);
    let m = involved.len();
    // Spearman's rho of the target maps to the Pearson correlation of normal scores.
    let pearson: Vec<Vec<f64>> = valid
        .iter()
        .map(|row| {
            row.iter()
                .map(|r| 2.0 * (std::f64::consts::PI * r / 6.0).sin())
                .collect()
        })
        .collect();
    let normal = Normal::standard();
    let scores: Vec<f64> = (0..n)
        .map(|i| normal.inverse_cdf((i as f64 + 1.0) / (n as f64 + 1.0)))
        .collect();
    let mut mat = vec![vec![0.0; m]; n];
    for (c, &input) in involved.iter().enumerate() {
        let perm = permutation(mix(seed, hash_str(&sc.inputs[input].path) ^ 0x4943), n);
        for (i, row) in mat.iter_mut().enumerate() {
            row[c] = scores[perm[i] as usize];
        }
    }
    let (Some(p), Some(q)) = (cholesky(&pearson), cholesky(&corr_matrix(&mat, m))) else {
        return report;
    };
    let q_inv_t = transpose(&invert_lower(&q));
    let p_t = transpose(&p);
    let transform = mat_mul(&q_inv_t, &p_t);
    let target_scores: Vec<Vec<f64>> = mat.iter().map(|row| vec_mat(row, &transform)).collect();
    for (c, &input) in involved.iter().enumerate() {
        let col = pos(columns, input);
        let mut values: Vec<f64> = (0..n).map(|i| u[i * k + col]).collect();
        values.sort_unstable_by(f64::total_cmp);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| {
            target_scores[a][c]
                .total_cmp(&target_scores[b][c])
                .then(a.cmp(&b))
        });
        for (r, &i) in order.iter().enumerate() {
            u[i * k + col] = values[r];
        }
    }
    report
}

fn pos(v: &[usize], x: usize) -> usize {
    v.iter().position(|&y| y == x).unwrap_or(0)
}

fn identity(m: usize) -> Vec<Vec<f64>> {
    (0..m)
        .map(|i| (0..m).map(|j| f64::from(u8::from(i == j))).collect())
        .collect()
}

fn transpose(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    (0..a[0].len())
        .map(|j| a.iter().map(|row| row[j]).collect())
        .collect()
}

fn mat_mul(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    a.iter().map(|row| vec_mat(row, b)).collect()
}

fn vec_mat(v: &[f64], b: &[Vec<f64>]) -> Vec<f64> {
    (0..b[0].len())
        .map(|j| v.iter().zip(b).map(|(x, row)| x * row[j]).sum())
        .collect()
}

fn corr_matrix(mat: &[Vec<f64>], m: usize) -> Vec<Vec<f64>> {
    let n = mat.len() as f64;
    let mean: Vec<f64> = (0..m)
        .map(|c| mat.iter().map(|r| r[c]).sum::<f64>() / n)
        .collect();
    let mut cov = vec![vec![0.0; m]; m];
    for r in mat {
        for i in 0..m {
            for j in 0..m {
                cov[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]);
            }
        }
    }
    (0..m)
        .map(|i| {
            (0..m)
                .map(|j| cov[i][j] / (cov[i][i] * cov[j][j]).sqrt())
                .collect()
        })
        .collect()
}

/// Lower Cholesky factor; `None` when the matrix is not positive definite.
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let m = a.len();
    let mut l = vec![vec![0.0; m]; m];
    for i in 0..m {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                if d <= 0.0 {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

fn invert_lower(l: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let m = l.len();
    let mut inv = vec![vec![0.0; m]; m];
    for i in 0..m {
        inv[i][i] = 1.0 / l[i][i];
        for j in 0..i {
            let s: f64 = (j..i).map(|k| l[i][k] * inv[k][j]).sum();
            inv[i][j] = -s / l[i][i];
        }
    }
    inv
}

/// Symmetric eigen-decomposition by cyclic Jacobi rotations: (eigenvalues, eigenvectors as columns).
fn jacobi_eigen(a: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let m = a.len();
    let mut a = a.to_vec();
    let mut v = identity(m);
    for _ in 0..100 {
        let off: f64 = (0..m)
            .flat_map(|i| (0..m).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..m {
            for q in p + 1..m {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
                for k in 0..m {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..m {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..m).map(|i| a[i][i]).collect(), v)
}

/// A changed pair: (row, column, asked, used).
pub type Changed = (usize, usize, f64, f64);

/// The nearest valid correlation matrix by eigenvalue clipping (negative eigenvalues raised to a
/// small positive floor, then rescaled to a unit diagonal), with the pairs that changed by more
/// than 0.001 as (i, j, asked, used). A valid matrix is returned unchanged.
pub fn nearest_correlation(c: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<Changed>) {
    let m = c.len();
    let (vals, vecs) = jacobi_eigen(c);
    if vals.iter().all(|&l| l > 1e-8) {
        return (c.to_vec(), Vec::new());
    }
    let floor = 1e-4;
    let clipped: Vec<f64> = vals.iter().map(|&l| l.max(floor)).collect();
    let mut out = vec![vec![0.0; m]; m];
    for i in 0..m {
        for j in 0..m {
            out[i][j] = (0..m).map(|k| vecs[i][k] * clipped[k] * vecs[j][k]).sum();
        }
    }
    let d: Vec<f64> = (0..m).map(|i| out[i][i].sqrt()).collect();
    for i in 0..m {
        for j in 0..m {
            out[i][j] = if i == j {
                1.0
            } else {
                out[i][j] / (d[i] * d[j])
            };
        }
    }
    let mut changed = Vec::new();
    for i in 0..m {
        for j in i + 1..m {
            if (out[i][j] - c[i][j]).abs() > 0.001 {
                changed.push((i, j, c[i][j], out[i][j]));
            }
        }
    }
    (out, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_matrix_is_left_alone() {
        let c = vec![vec![1.0, 0.5], vec![0.5, 1.0]];
        let (out, changed) = nearest_correlation(&c);
        assert_eq!(out, c);
        assert!(changed.is_empty());
    }

    #[test]
    fn an_impossible_matrix_is_repaired_to_a_valid_one() {
        // A and B strongly positive, B and C strongly positive, but A and C strongly negative:
        // eigenvalues of this matrix include 1 − 0.9·√3·… < 0, so it is not a correlation matrix.
        let c = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        let (out, changed) = nearest_correlation(&c);
        assert!(!changed.is_empty());
        assert!(cholesky(&out).is_some(), "{out:?}");
        for (i, row) in out.iter().enumerate() {
            assert!((row[i] - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn cholesky_reproduces_its_matrix() {
        let a = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let l = cholesky(&a).unwrap();
        // L = [[2, 0], [1, √2]].
        assert!((l[0][0] - 2.0).abs() < 1e-12 && (l[1][0] - 1.0).abs() < 1e-12);
        assert!((l[1][1] - 2f64.sqrt()).abs() < 1e-12);
        let inv = invert_lower(&l);
        let prod = mat_mul(&l, &inv);
        assert!((prod[0][0] - 1.0).abs() < 1e-12 && prod[1][0].abs() < 1e-12);
    }

    #[test]
    fn permutation_is_a_permutation() {
        let p = permutation(42, 1000);
        let mut seen = vec![false; 1000];
        for &r in &p {
            seen[r as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}
