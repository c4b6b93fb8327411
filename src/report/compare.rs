//! The report of `icbsim compare`: `report.html` in the comparison folder. It reads only what
//! the command wrote there — `paired.csv` (each pair's differences, option A − option B, iteration
//! by iteration), `compare.json` (the options and pairs) and the pair charts — and says, pair by
//! pair, how likely each option is to be the cheaper and by how much, and how often one meets its
//! target while the other misses. Every number is a `paired.csv` value, tagged with where it came
//! from (`data-org` is `A_SLUG|B_SLUG`, `data-metric` and `data-stat` its row).

use super::findings::Shown;
use super::html::{self, esc};
use super::{charts_section, data, replace_file, ReportError, REPORT_FILE};
use crate::format;
use crate::metric::Metric;
use crate::output::paired::{
    label, CompareManifest, PairStat, PairedRecord, COMPARE_FILE, PAIRED_METRICS, PAIRED_TARGET,
};
use crate::output::records::read_records;
use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// One pair's rows of `paired.csv`, by (metric, statistic).
struct PairRows<'a> {
    a: &'a str,
    b: &'a str,
    rows: HashMap<(Metric, String), f64>,
}

impl PairRows<'_> {
    /// The value of `stat` for `metric` as a tagged figure, or "n/a" when the row is missing.
    fn fig(&self, metric: Metric, stat: PairStat, shown: Shown) -> String {
        let name = stat.name();
        match self.rows.get(&(metric, name.clone())) {
            Some(&v) => html::figure(
                &format!("{}|{}", self.a, self.b),
                metric.name(),
                &name,
                shown,
                v,
            ),
            None => "n/a".to_string(),
        }
    }

    fn value(&self, metric: Metric, stat: PairStat) -> f64 {
        self.rows
            .get(&(metric, stat.name()))
            .copied()
            .unwrap_or(f64::NAN)
    }
}

/// Reads a comparison folder (`paired.csv`, `compare.json`, the pair charts) and writes its
/// `report.html`; returns its path.
///
/// # Errors
/// A missing or malformed `paired.csv` or `compare.json`, an unreadable chart, or the report
/// cannot be written.
pub fn write_compare_report(dir: &Path) -> Result<PathBuf, ReportError> {
    let records: Vec<PairedRecord> = read_records(dir)?;
    let manifest = CompareManifest::read(dir).map_err(|what| ReportError::Manifest {
        path: dir.join(COMPARE_FILE),
        what,
    })?;
    let charts = data::read_charts(dir)?;
    let linked: Vec<bool> = manifest
        .options
        .iter()
        .map(|o| dir.join(&o.slug).join(REPORT_FILE).is_file())
        .collect();
    let path = dir.join(REPORT_FILE);
    replace_file(
        &path,
        compare_html(&manifest, &records, &charts, &linked).as_bytes(),
    )?;
    Ok(path)
}

/// The page: a finding per pair, the pair charts, a table of each pair's differences, the
/// options and the reproducibility footer.
fn compare_html(
    m: &CompareManifest,
    records: &[PairedRecord],
    charts: &[data::ChartImage],
    linked: &[bool],
) -> String {
    let pairs: Vec<PairRows> = m
        .pairs
        .iter()
        .map(|p| PairRows {
            a: &p.option_a,
            b: &p.option_b,
            rows: records
                .iter()
                .filter(|r| r.option_a == p.option_a && r.option_b == p.option_b)
                .map(|r| ((r.metric, r.statistic.name()), r.value))
                .collect(),
        })
        .collect();
    let letters: Vec<String> = m.options.iter().map(|o| o.letter.clone()).collect();
    // "A and B", "A, B and C".
    let letters = match letters.split_last() {
        Some((last, rest)) if !rest.is_empty() => vec![format!("{} and {last}", rest.join(", "))],
        _ => letters,
    };
    let mut body = format!(
        "<header>\n<p class=\"kicker\">Board report · options compared</p>\n<h1>Options {} compared</h1>\n\
         <p class=\"sub\">Each option run on the same {} futures (seed {}); every difference is option A − option B in the same future.</p>\n</header>\n",
        esc(&letters.join(", ")),
        format::count(m.iterations as f64),
        m.seed
    );
    body.push_str(
        "<section id=\"findings\">\n<h2>Headline findings</h2>\n<ol class=\"findings\">\n",
    );
    for p in &pairs {
        let _ = writeln!(body, "<li>{}</li>", finding(m, p));
    }
    body.push_str("</ol>\n</section>\n");
    body.push_str(&charts_section(
        charts,
        "icbsim compare (without --no-charts)",
    ));
    body.push_str("<section id=\"pairs\">\n<h2>Differences, option A − option B</h2>\n");
    for p in &pairs {
        let _ = writeln!(body, "<h3>{}</h3>", esc(&pair_title(m, p)));
        body.push_str(&pair_table(p));
    }
    body.push_str("</section>\n");
    body.push_str(&options_section(m, linked));
    body.push_str(&footer(m));
    html::page("Options compared — board report", &body)
}

/// "A (name)" for the option with `slug`.
fn who(m: &CompareManifest, slug: &str) -> String {
    m.option(slug).map_or_else(
        || slug.to_string(),
        |o| format!("Option {} ({})", o.letter, o.name),
    )
}

fn pair_title(m: &CompareManifest, p: &PairRows) -> String {
    format!("{} against {}", who(m, p.a), who(m, p.b))
}

/// The pair's finding: which option is cheaper in more futures and the difference in exit cost,
/// then the joint target outcomes.
fn finding(m: &CompareManifest, p: &PairRows) -> String {
    let cost = Metric::ExitCostGbp;
    let (a, b) = (who(m, p.a), who(m, p.b));
    let mut s = if p.value(cost, PairStat::Equal) >= 1.0 {
        format!(
            "{} and {} have the same exit cost in every future ({}).",
            esc(&a),
            esc(&b),
            p.fig(cost, PairStat::Equal, Shown::Percent)
        )
    } else {
        let (cheaper, other, stat) =
            if p.value(cost, PairStat::ALower) >= p.value(cost, PairStat::BLower) {
                (&a, &b, PairStat::ALower)
            } else {
                (&b, &a, PairStat::BLower)
            };
        format!(
            "{} costs less in exit costs than {} in {} of futures: the exit cost of A less that of B is most likely {} (P50), between {} (P10) and {} (P90).",
            esc(cheaper),
            esc(other),
            p.fig(cost, stat, Shown::Percent),
            p.fig(cost, PairStat::P(50), Shown::Gbp),
            p.fig(cost, PairStat::P(10), Shown::Gbp),
            p.fig(cost, PairStat::P(90), Shown::Gbp),
        )
    };
    let met = PAIRED_TARGET;
    let _ = write!(
        s,
        " A meets its target while B misses in {} of futures, B while A misses in {}.",
        p.fig(met, PairStat::AMeetsBMisses, Shown::Percent),
        p.fig(met, PairStat::BMeetsAMisses, Shown::Percent),
    );
    s
}

/// The pair's table: each compared result's difference (mean, P10, P50, P90) and the chances
/// that each option is the lower.
fn pair_table(p: &PairRows) -> String {
    let rows: Vec<Vec<String>> = PAIRED_METRICS
        .iter()
        .map(|&k| {
            vec![
                esc(label(k)),
                p.fig(k, PairStat::Mean, Shown::Gbp),
                p.fig(k, PairStat::P(10), Shown::Gbp),
                p.fig(k, PairStat::P(50), Shown::Gbp),
                p.fig(k, PairStat::P(90), Shown::Gbp),
                p.fig(k, PairStat::ALower, Shown::Percent),
                p.fig(k, PairStat::BLower, Shown::Percent),
            ]
        })
        .collect();
    html::table(
        &[
            "Result (A − B)",
            "Mean",
            "P10",
            "P50",
            "P90",
            "A lower",
            "B lower",
        ],
        &rows,
        &[1, 2, 3, 4, 5, 6],
    )
}

/// The options, each linked to its own report where it has one.
fn options_section(m: &CompareManifest, linked: &[bool]) -> String {
    let rows: Vec<Vec<String>> = m
        .options
        .iter()
        .zip(linked.iter().chain(std::iter::repeat(&false)))
        .map(|(o, &has)| {
            let name = html::own_report_link(&o.slug, &o.name, has);
            vec![
                esc(&o.letter),
                name,
                format!("<code>{}</code>", esc(&o.file)),
            ]
        })
        .collect();
    let mut s = String::from("<section id=\"options\">\n<h2>Options</h2>\n");
    s.push_str(&html::table(&["", "Option", "Scenario file"], &rows, &[]));
    s.push_str("<p class=\"note\">Each option's own results, charts and report are in its folder beside this page.</p>\n</section>\n");
    s
}

fn footer(m: &CompareManifest) -> String {
    let mut cmd = String::from("icbsim compare");
    for o in &m.options {
        let _ = write!(cmd, " {}", o.file);
    }
    let _ = write!(cmd, " --iterations {} --seed {}", m.iterations, m.seed);
    for o in &m.overrides {
        let _ = write!(cmd, " --set '{o}'");
    }
    let rows = [
        ("icbsim version", esc(&m.icbsim_version)),
        ("Seed", m.seed.to_string()),
        ("Iterations", format::count(m.iterations as f64)),
        ("Reproduce", format!("<code>{}</code>", esc(&cmd))),
    ];
    let mut s = String::from("<footer id=\"reproduce\">\n<dl>\n");
    for (k, v) in rows {
        let _ = writeln!(s, "<dt>{k}</dt><dd>{v}</dd>");
    }
    s.push_str("</dl>\n</footer>\n");
    s
}
