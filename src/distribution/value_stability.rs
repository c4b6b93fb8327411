//! Value-stability tests: every family's `quantile(u)` pinned at fixed u to exact expected values,
//! as rand_distr does for its samplers. A change to a family's arithmetic that moves a sampled
//! input moves every result of every scenario that uses it, so it must show up here first.
//!
//! Where to look for the expected values:
//! - **by hand**: closed forms worked out in the comments (uniform, triangular, discrete, the
//!   beta shapes with a closed-form quantile, the lognormal and normal P10/P90 forms at their own
//!   percentiles, the metalog at u = ¼ and ¾);
//! - **reference**: computed independently with mpmath at 40 significant digits (the standard
//!   normal quantiles, truncations, beta and PERT shapes without a closed form), rounded to 19
//!   digits here. The snippet is in each test's comment.
//!
//! None of these is the implementation's own output copied back: the only pinned outputs for a
//! fixed seed are in `seeded_draws_are_pinned_to_the_bit`, which says so. Tolerances follow the
//! accuracy each family states: 1e-12 relative where the standard normal quantile is involved
//! (`normal.rs`), 1e-13 for the beta root finder (accurate to about 1e-15 in x on [0, 1]), and a
//! few ulps for pure arithmetic.

use super::Dist;

/// |got − want| ≤ rel · max(1, |want|): relative for large values, absolute near zero.
fn assert_close(got: f64, want: f64, rel: f64, what: &str) {
    let tol = rel * want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.19}, want {want:.19} (tolerance {tol:e})"
    );
}

/// Checks `d.quantile(u)` against `want` for each `(u, want)` pair.
fn assert_quantiles(d: &Dist, cases: &[(f64, f64)], rel: f64) {
    for &(u, want) in cases {
        assert_close(
            d.quantile(u),
            want,
            rel,
            &format!("{} at u = {u}", d.kind()),
        );
    }
}

/// Tolerance for pure arithmetic (a few ulps).
const ARITH: f64 = 1e-15;
/// Tolerance where the standard normal quantile is involved (`normal.rs`: about 1e-12).
const NORMAL: f64 = 1e-12;
/// Tolerance for the beta root finder (about 1e-15 in x on [0, 1], scaled).
const BETA: f64 = 1e-13;

/// Φ⁻¹(0.9) (mpmath: √2·erfinv(0.8) at the f64 value of 0.9).
const Z90: f64 = 1.281_551_565_544_600_6;
/// Φ⁻¹(0.75).
const Z75: f64 = 0.674_489_750_196_081_7;

#[test]
fn fixed_quantile_is_its_value_at_every_u() {
    let d = Dist::fixed(42.5).unwrap();
    for u in [0.0, 1e-300, 0.1, 0.5, 0.9, 1.0] {
        assert_eq!(d.quantile(u), 42.5);
    }
}

#[test]
fn uniform_quantile_is_min_plus_u_times_width() {
    // By hand: 10 + u·20.
    let d = Dist::uniform(10.0, 30.0).unwrap();
    assert_quantiles(&d, &[(0.1, 12.0), (0.5, 20.0), (0.9, 28.0)], ARITH);
}

#[test]
fn normal_quantile_is_mean_plus_z_times_sd() {
    // By hand from the standard normal quantiles: 100 ± 15 × 1.2815515655446006.
    let d = Dist::normal(100.0, 15.0, None, None).unwrap();
    let cases = [
        (0.1, 100.0 - 15.0 * Z90),
        (0.5, 100.0),
        (0.9, 100.0 + 15.0 * Z90),
    ];
    assert_quantiles(&d, &cases, NORMAL);
    // Reference (mpmath): 80.77672651683099347, 119.2232734831690089.
    assert_quantiles(
        &d,
        &[(0.1, 80.776_726_516_830_99), (0.9, 119.223_273_483_169_01)],
        NORMAL,
    );
}

#[test]
fn normal_from_p10_p90_returns_its_inputs_and_interpolates_between() {
    // By hand: mean (90 + 130)/2 = 110, sd 40/(2·z90); at u = ¼ and ¾, 110 ∓ sd·z75.
    let d = Dist::normal_p10_p90(90.0, 130.0).unwrap();
    let sd = 40.0 / (2.0 * Z90);
    let cases = [
        (0.1, 90.0),
        (0.25, 110.0 - sd * Z75),
        (0.5, 110.0),
        (0.75, 110.0 + sd * Z75),
        (0.9, 130.0),
    ];
    assert_quantiles(&d, &cases, NORMAL);
    // Reference (mpmath) at u = ¼: 99.47385702877348431.
    assert_close(d.quantile(0.25), 99.473_857_028_773_48, NORMAL, "u = 0.25");
}

#[test]
fn half_normal_quantile_is_the_standard_quantile_of_one_plus_u_over_two() {
    // Normal(0, 1) truncated to [0, ∞): Q(u) = Φ⁻¹((1 + u)/2).
    // Reference (mpmath): Φ⁻¹(0.55), Φ⁻¹(0.75), Φ⁻¹(0.95).
    let d = Dist::normal(0.0, 1.0, Some(0.0), None).unwrap();
    let cases = [
        (0.1, 0.125_661_346_855_074_04),
        (0.5, Z75),
        (0.9, 1.644_853_626_951_472_8),
    ];
    assert_quantiles(&d, &cases, NORMAL);
}

#[test]
fn two_sided_truncated_normal_quantile_matches_reference_values() {
    // Normal(50, 10) on [40, 70]: Q(u) = 50 + 10·Φ⁻¹(Φ(−1) + u·(Φ(2) − Φ(−1))).
    // Reference (mpmath): [50 + 10*z(a + u*(b - a)) for u in (0.1, 0.5, 0.9)],
    // a = ncdf(-1), b = ncdf(2).
    let d = Dist::normal(50.0, 10.0, Some(40.0), Some(70.0)).unwrap();
    let cases = [
        (0.1, 42.953_521_789_052_548),
        (0.5, 51.711_639_180_178_248),
        (0.9, 62.557_153_641_502_153),
    ];
    assert_quantiles(&d, &cases, NORMAL);
}

#[test]
fn lognormal_from_mean_and_cv_quantile_matches_reference_values() {
    // Mean 1000, CV 0.5: σ² = ln 1.25, μ = ln 1000 − σ²/2, Q(u) = exp(μ + σ·Φ⁻¹(u)).
    // The median is exactly 1000/√1.25 = 894.4271909999158786 (by hand).
    // Reference (mpmath) for u = 0.1 and 0.9.
    let d = Dist::lognormal_mean_cv(1000.0, 0.5).unwrap();
    let cases = [
        (0.1, 488.238_122_608_321_1),
        (0.5, 1000.0 / 1.25_f64.sqrt()),
        (0.9, 1_638.544_724_295_901_5),
    ];
    assert_quantiles(&d, &cases, NORMAL);
}

#[test]
fn lognormal_from_p10_p90_returns_its_inputs_and_the_geometric_mean_at_p50() {
    // By hand: Q(0.1) = 2, Q(0.9) = 8, Q(0.5) = √(2·8) = 4.
    // Reference (mpmath) at u = ¼ and ¾: 2.777318919720197724, 5.760951645269433942.
    let d = Dist::lognormal_p10_p90(2.0, 8.0).unwrap();
    let cases = [
        (0.1, 2.0),
        (0.25, 2.777_318_919_720_197_7),
        (0.5, 4.0),
        (0.75, 5.760_951_645_269_434),
        (0.9, 8.0),
    ];
    assert_quantiles(&d, &cases, NORMAL);
}

#[test]
fn truncated_lognormal_quantile_matches_reference_values() {
    // The mean-and-CV lognormal above, conditioned on (0, 1500]:
    // Q(u) = exp(μ + σ·Φ⁻¹(u·F(1500))). Reference (mpmath).
    let inner = Dist::lognormal_mean_cv(1000.0, 0.5).unwrap();
    let d = Dist::truncated(inner, None, Some(1500.0)).unwrap();
    let cases = [
        (0.1, 469.630_763_158_912_1),
        (0.5, 824.481_758_150_991),
        (0.9, 1_281.657_183_275_685_1),
    ];
    assert_quantiles(&d, &cases, NORMAL);
}

#[test]
fn triangular_quantile_matches_the_closed_form_on_both_sides_of_the_mode() {
    // Triangular(0, 2, 10): F(mode) = 0.2.
    // u = 0.1 < 0.2: 0 + √(0.1·10·2) = √2.
    // u = 0.5: 10 − √(0.5·10·8) = 10 − √40.
    // u = 0.9: 10 − √(0.1·10·8) = 10 − √8.
    let d = Dist::triangular(0.0, 2.0, 10.0).unwrap();
    let cases = [
        (0.1, std::f64::consts::SQRT_2),
        (0.5, 10.0 - 40.0_f64.sqrt()),
        (0.9, 10.0 - 8.0_f64.sqrt()),
    ];
    assert_quantiles(&d, &cases, ARITH * 10.0);
}

#[test]
fn pert_with_the_mode_at_min_is_beta_1_5_with_a_closed_form_quantile() {
    // PERT(0, 0, 1) is Beta(1, 5): F(y) = 1 − (1 − y)⁵, so Q(u) = 1 − (1 − u)^(1/5).
    let d = Dist::pert(0.0, 0.0, 1.0).unwrap();
    let q = |u: f64| 1.0 - (1.0 - u).powf(0.2);
    assert_quantiles(&d, &[(0.1, q(0.1)), (0.5, q(0.5)), (0.9, q(0.9))], BETA);
    // Reference (mpmath): 0.02085163763902321156, 0.1294494367038758609, 0.3690426555198067786.
    let cases = [
        (0.1, 0.020_851_637_639_023_21),
        (0.5, 0.129_449_436_703_875_86),
        (0.9, 0.369_042_655_519_806_8),
    ];
    assert_quantiles(&d, &cases, BETA);
}

#[test]
fn pert_with_an_interior_mode_matches_reference_values() {
    // PERT(10, 20, 50): α = 1 + 4·10/40 = 2, β = 1 + 4·30/40 = 4, i.e. 10 + 40·Beta(2, 4).
    // Reference (mpmath): 10 + 40·y with betainc(2, 4, 0, y, regularized=True) = u (findroot).
    let d = Dist::pert(10.0, 20.0, 50.0).unwrap();
    let cases = [
        (0.1, 14.489_398_341_834_343),
        (0.5, 22.552_406_818_227_898),
        (0.9, 33.355_614_984_781_158),
    ];
    assert_quantiles(&d, &cases, BETA);
}

#[test]
fn beta_quantile_matches_closed_forms_where_they_exist() {
    // Beta(2, 1): F(y) = y², Q(u) = √u.
    let d = Dist::beta(2.0, 1.0, 0.0, 1.0).unwrap();
    let cases = [
        (0.1, 0.1_f64.sqrt()),
        (0.5, std::f64::consts::FRAC_1_SQRT_2),
        (0.9, 0.9_f64.sqrt()),
    ];
    assert_quantiles(&d, &cases, BETA);
    // Beta(½, ½), the arcsine law: F(y) = (2/π)·asin(√y), Q(u) = sin²(πu/2).
    // Reference (mpmath): 0.02447174185242321664, 0.5, 0.9755282581475767968.
    let d = Dist::beta(0.5, 0.5, 0.0, 1.0).unwrap();
    let cases = [
        (0.1, 0.024_471_741_852_423_217),
        (0.5, 0.5),
        (0.9, 0.975_528_258_147_576_8),
    ];
    assert_quantiles(&d, &cases, BETA);
}

#[test]
fn scaled_beta_without_a_closed_form_matches_reference_values() {
    // 100·Beta(2, 5). Reference (mpmath, findroot on betainc as for PERT).
    let d = Dist::beta(2.0, 5.0, 0.0, 100.0).unwrap();
    let cases = [
        (0.1, 9.259_525_891_312_875),
        (0.5, 26.444_998_329_565_996),
        (0.9, 51.031_630_655_149_167),
    ];
    assert_quantiles(&d, &cases, BETA);
}

#[test]
fn discrete_quantile_is_the_first_value_whose_cumulative_weight_reaches_u() {
    // Values 3, 4, 5 with weights 0.5, 0.3, 0.2: cumulative 0.5, 0.8, 1.0. At a boundary
    // (u = 0.5 exactly) the lower value is returned: P(X ≤ 3) = 0.5 ≥ u.
    let d = Dist::discrete(vec![3.0, 4.0, 5.0], vec![0.5, 0.3, 0.2]).unwrap();
    for (u, want) in [(0.1, 3.0), (0.5, 3.0), (0.6, 4.0), (0.79, 4.0), (0.9, 5.0)] {
        assert_eq!(d.quantile(u), want, "u = {u}");
    }
    // Unnormalised weights give the same answers (weights 5, 3, 2).
    let e = Dist::discrete(vec![3.0, 4.0, 5.0], vec![5.0, 3.0, 2.0]).unwrap();
    for u in [0.1, 0.5, 0.6, 0.79, 0.9] {
        assert_eq!(e.quantile(u), d.quantile(u), "u = {u}");
    }
}

#[test]
fn percentiles_metalog_returns_its_three_points_and_the_closed_form_between() {
    // P10 10, P50 15, P90 25: |25 + 10 − 30| = 5 < (2/3)·15, so the metalog.
    // a1 = 15, a2 = 15/(2 ln 9), a3 = 5/(0.8 ln 9). At u = ¼: L = −ln 3 = −(ln 9)/2, so
    // a2·L = −3.75 and a3·(u − ½)·L = 5·0.25/1.6 = 0.78125: Q = 12.03125. At u = ¾: 19.53125.
    let d = Dist::percentiles(10.0, 15.0, 25.0).unwrap();
    let cases = [
        (0.1, 10.0),
        (0.25, 12.031_25),
        (0.5, 15.0),
        (0.75, 19.531_25),
        (0.9, 25.0),
    ];
    assert_quantiles(&d, &cases, 1e-14);
}

#[test]
fn percentiles_split_normal_returns_its_three_points_and_each_half_between() {
    // P10 10, P50 12, P90 30: |30 + 10 − 24| = 16 ≥ (2/3)·20, so the split normal.
    // Lower sd 2/z90, upper sd 18/z90: Q(¼) = 12 − 2·z75/z90, Q(¾) = 12 + 18·z75/z90.
    // Reference (mpmath): 10.94738570287734843, 21.47352867410386412.
    let d = Dist::percentiles(10.0, 12.0, 30.0).unwrap();
    let cases = [
        (0.1, 10.0),
        (0.25, 10.947_385_702_877_348),
        (0.5, 12.0),
        (0.75, 21.473_528_674_103_864),
        (0.9, 30.0),
    ];
    assert_quantiles(&d, &cases, NORMAL);
    assert_close(d.quantile(0.25), 12.0 - 2.0 * Z75 / Z90, NORMAL, "u = 0.25");
}

#[test]
fn seeded_draws_are_pinned_to_the_bit() {
    // Pinned outputs, on purpose: these are the implementation's own draws for seed 20250401,
    // recorded so that a change to the generator, to `uniform_open01` or to the arithmetic of
    // these families (which use only +, −, ×, ÷ and √, exact under IEEE 754 on every platform)
    // shows as a failure rather than as silently different results.
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::SeedableRng;
    let families = [
        Dist::uniform(10.0, 30.0).unwrap(),
        Dist::triangular(0.0, 2.0, 10.0).unwrap(),
        Dist::discrete(vec![3.0, 4.0, 5.0], vec![0.5, 0.3, 0.2]).unwrap(),
    ];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20_250_401);
    let got: Vec<f64> = families
        .iter()
        .flat_map(|d| (0..3).map(|_| d.sample(&mut rng)).collect::<Vec<_>>())
        .collect();
    let pinned: [f64; 9] = PINNED;
    assert_eq!(got, pinned);
}

/// The draws of [`seeded_draws_are_pinned_to_the_bit`], recorded from the implementation
/// (printed with `{:?}`, the shortest text that reads back to the same bits).
const PINNED: [f64; 9] = [
    16.430_881_633_315_778,
    25.209_266_825_945_42,
    21.904_510_570_082_94,
    1.218_751_196_613_745_2,
    6.923_451_780_450_200_5,
    2.806_178_710_747_851_7,
    3.0,
    3.0,
    3.0,
];
