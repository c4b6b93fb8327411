//! The paired comparison as the terminal prints it, in the house number style
//! ([`crate::format`]).

use super::{label, PairedComparison};
use crate::format::gbp;
use crate::metric::Metric;
use crate::output::format::pct;
use std::fmt::Write;

/// The comparison for the terminal: the options, then per pair the difference in each result
/// (mean, P5, P50, P95 and the share where A is lower) and the target's joint outcomes.
pub fn paired_table(c: &PairedComparison) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} options compared with common random numbers: {} iterations each, seed {}",
        c.options.len(),
        crate::format::count(c.iterations as f64),
        c.seed
    );
    for o in &c.options {
        let _ = writeln!(s, "  {}  {} ({})", o.letter, o.name, o.file);
    }
    for pair in &c.pairs {
        let (a, b) = (&c.options[pair.a], &c.options[pair.b]);
        let _ = writeln!(s, "\n{}", c.headline(pair));
        let _ = writeln!(
            s,
            "{:<44}{:>10}{:>10}{:>10}{:>10}{:>12}",
            format!("{} − {}, per iteration", a.letter, b.letter),
            "mean",
            "P5",
            "P50",
            "P95",
            format!("{} lower", a.letter)
        );
        for d in &pair.differences {
            let x = &d.summary;
            let _ = writeln!(
                s,
                "{:<44}{:>10}{:>10}{:>10}{:>10}{:>12}",
                label(d.metric),
                gbp(x.mean),
                gbp(x.p5),
                gbp(x.p50),
                gbp(x.p95),
                pct(d.a_lower.p)
            );
        }
        if let Some(d) = pair.difference(Metric::ExitCostGbp) {
            let _ = writeln!(
                s,
                "Exit cost: {} cheaper in {}, {} cheaper in {}, equal in {} (a tie counts as neither)",
                a.letter,
                pct(d.a_lower.p),
                b.letter,
                pct(d.b_lower.p),
                pct(d.equal.p)
            );
        }
        let t = &pair.target;
        let _ = writeln!(
            s,
            "Target met (held 12 months): {a} only {}, {b} only {}, both {}, neither {}",
            pct(t.a_meets_b_misses.p),
            pct(t.b_meets_a_misses.p),
            pct(t.both_meet.p),
            pct(t.neither_meets.p),
            a = a.letter,
            b = b.letter
        );
    }
    s
}
