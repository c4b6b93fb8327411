//! The error every distribution constructor returns, and the small checks that produce it. Kept
//! apart so the wording of messages (which users read when a scenario file is wrong) lives in one
//! place: each names the TOML key at fault and says how to fix the value.

/// A distribution parameter that cannot be used, with the TOML key at fault and a plain-English
/// message that says how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DistError {
    /// The TOML key of the offending parameter ("sd", "max", "weights", "p90"...).
    pub field: &'static str,
    /// What is wrong and how to fix it, e.g. "min (5) must be less than max (3)".
    pub message: String,
}

/// Builds an error for `field`.
pub(crate) fn err(field: &'static str, message: String) -> DistError {
    DistError { field, message }
}

/// A number for messages: plain when moderate, in exponent form (1e10) when huge or tiny.
pub(crate) fn show(v: f64) -> String {
    if v != 0.0 && !(1e-6..1e9).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Passes v through when finite.
pub(crate) fn finite(field: &'static str, v: f64) -> Result<f64, DistError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(err(
            field,
            format!("{field} must be a finite number, not {v}"),
        ))
    }
}

/// Largest magnitude any distribution parameter may have (1e15, a thousand trillion): beyond it
/// the quantile arithmetic (min + u·(max − min), mean + sd·z) can overflow to infinity.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Passes v through when finite and no larger in magnitude than [`MAX_MAGNITUDE`].
pub(crate) fn bounded(field: &'static str, v: f64) -> Result<f64, DistError> {
    if finite(field, v)?.abs() <= MAX_MAGNITUDE {
        Ok(v)
    } else {
        Err(err(
            field,
            format!(
                "{field} ({}) is beyond the limit of ±1e15 for a distribution parameter; \
                 express the input in larger units or use a plain number",
                show(v)
            ),
        ))
    }
}

/// Passes v through when it lies in [lo, hi] (the limits that keep a family's quantile
/// finite and quick to compute); `what` names the limit in the message.
pub(crate) fn within(
    field: &'static str,
    v: f64,
    lo: f64,
    hi: f64,
    what: &str,
) -> Result<f64, DistError> {
    if finite(field, v)? >= lo && v <= hi {
        Ok(v)
    } else {
        Err(err(
            field,
            format!(
                "{field} ({}) must be between {lo:e} and {hi:e} {what}",
                show(v)
            ),
        ))
    }
}

/// Passes v through when finite and greater than zero.
pub(crate) fn positive(field: &'static str, v: f64) -> Result<f64, DistError> {
    if finite(field, v)? > 0.0 {
        Ok(v)
    } else {
        Err(err(
            field,
            format!("{field} ({}) must be greater than 0", show(v)),
        ))
    }
}

/// Checks lo < hi, blaming `hi_field`.
pub(crate) fn increasing(
    lo_field: &'static str,
    lo: f64,
    hi_field: &'static str,
    hi: f64,
) -> Result<(), DistError> {
    if lo < hi {
        Ok(())
    } else {
        Err(err(
            hi_field,
            format!("{lo_field} ({lo}) must be less than {hi_field} ({hi})"),
        ))
    }
}

/// Checks min < max and min ≤ mode ≤ max, all finite and within [`MAX_MAGNITUDE`].
pub(crate) fn min_mode_max(min: f64, mode: f64, max: f64) -> Result<(), DistError> {
    bounded("min", min)?;
    bounded("mode", mode)?;
    bounded("max", max)?;
    increasing("min", min, "max", max)?;
    if mode < min || mode > max {
        return Err(err(
            "mode",
            format!("mode ({mode}) must lie between min ({min}) and max ({max})"),
        ));
    }
    Ok(())
}
