//! Chart 7, `by_organisation` (runs with two or more organisations): each organisation's exit
//! cost as a P10–P90 range with a P50 marker, sorted by P50, largest at the top. Each row is a
//! line of text — the name at the left; its P50 and its own chance of meeting its own target
//! (`target_met`) at the right — with the bar under it, so that the longest names of the 2026
//! organisations print whole on one line at the label size.
//!
//! At most [`MAX_ROWS`] rows are drawn so that every label prints at 8 pt on A4: with more
//! organisations than that, the [`NAMED`] largest are drawn and one last row says how many more
//! there are and the largest P50 among them ("46 more organisations, each with a P50 of £20.9m
//! or less"), formatted by the one £ formatter like every figure.
//!
//! A member of a statutory merger that took effect before the deadline has no target of its own
//! at the deadline (docs/model.md §4, "Clusters and statutory mergers": its results at a deadline
//! on or after the merger are empty), so its row is grey and says "merged" where the others give
//! their chance; its successor has a row of its own with its own results. The chart reads this
//! role from summary.csv, as the model defines it: staff moved out of the organisation by a
//! merger (`moved_by_merger` below zero) and `target_met` undefined in every iteration.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Swatch};
use super::format::{format_count, format_gbp, format_pct, format_tick, money_unit, MoneyUnit};
use super::input::Quantiles;
use super::stats::Axis;
use super::{draw_svg, Chart, ChartError, RunData};
use crate::metric::Metric;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "by_organisation";
/// Organisations drawn one by one when the rest share the last row.
const NAMED: usize = 9;
/// Most rows drawn: every organisation when there are this many or fewer, else [`NAMED`] and
/// the row of the rest.
const MAX_ROWS: usize = NAMED + 1;
/// What the value column says for a member merged before the deadline (the legend explains).
const MERGED: &str = "merged";

/// One organisation's row: its name, exit cost and chance of meeting its own target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OrgRow {
    pub org: String,
    pub exit: Quantiles,
    /// Mean of the organisation's own `target_met` (NaN if absent).
    pub p_met: f64,
    /// A member of a merger that took effect before the deadline (see the module notes).
    pub merged: bool,
}

/// The organisations not drawn one by one: how many, how many of them merged before the
/// deadline, and the largest P50 exit cost among them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rest {
    pub count: usize,
    pub merged: usize,
    pub max_p50: f64,
}

impl Rest {
    /// The last row's words: "46 more organisations, each with a P50 of £13.9m or less", with
    /// "(29 merged before the deadline)" after "organisations" when some did.
    pub(crate) fn label(&self) -> String {
        let merged = if self.merged > 0 {
            format!(
                " ({} merged before the deadline)",
                format_count(self.merged as f64)
            )
        } else {
            String::new()
        };
        format!(
            "{} more organisations{merged}, each with a P50 of {} or less",
            format_count(self.count as f64),
            format_gbp(self.max_p50)
        )
    }
}

/// Whether `org` was merged into its successor before the deadline: the merger moved its staff
/// out (`moved_by_merger` below zero) and it has no target result at the deadline in any
/// iteration (`target_met` empty), as docs/model.md §4 defines a member's rows.
fn merged_before_deadline(d: &RunData, org: &str, p_met: f64) -> bool {
    d.summary.mean(org, Metric::MovedByMerger) < 0.0 && !p_met.is_finite()
}

/// Organisations with a finite P50 exit cost, largest P50 first (by name on a tie).
pub(crate) fn ranked(d: &RunData) -> Vec<OrgRow> {
    let mut v: Vec<OrgRow> = d
        .orgs()
        .iter()
        .filter_map(|o| {
            let p_met = d.summary.mean(o, Metric::TargetMet);
            d.summary.get(o, Metric::ExitCostGbp).map(|q| OrgRow {
                org: o.clone(),
                exit: *q,
                p_met,
                merged: merged_before_deadline(d, o, p_met),
            })
        })
        .filter(|r| r.exit.p50.is_finite())
        .collect();
    v.sort_by(|a, b| {
        b.exit
            .p50
            .total_cmp(&a.exit.p50)
            .then_with(|| a.org.cmp(&b.org))
    });
    v
}

/// The rows drawn from `all` (largest P50 first): every one when there are at most
/// [`MAX_ROWS`], else the [`NAMED`] largest and the [`Rest`].
pub(crate) fn split(mut all: Vec<OrgRow>) -> (Vec<OrgRow>, Option<Rest>) {
    if all.len() <= MAX_ROWS {
        return (all, None);
    }
    let rest = all.split_off(NAMED);
    let max_p50 = rest
        .iter()
        .map(|r| r.exit.p50)
        .fold(f64::NEG_INFINITY, f64::max);
    let rest = Rest {
        count: rest.len(),
        merged: rest.iter().filter(|r| r.merged).count(),
        max_p50,
    };
    (all, Some(rest))
}

/// The value in the right-hand column: "£12.3m · target met 83%", "£14.1m · merged".
fn row_value(r: &OrgRow) -> String {
    if r.merged {
        format!("{} · {MERGED}", format_gbp(r.exit.p50))
    } else if r.p_met.is_finite() {
        format!(
            "{} · target met {}",
            format_gbp(r.exit.p50),
            format_pct(r.p_met)
        )
    } else {
        format_gbp(r.exit.p50)
    }
}

/// The name as shown: "Integrated Care Board" shortened to the usual "ICB".
fn short_name(org: &str) -> String {
    org.replace("Integrated Care Board", "ICB")
}

/// The text alternative: every organisation's numbers, drawn or not.
fn desc(all: &[OrgRow]) -> String {
    let each: Vec<String> = all
        .iter()
        .map(|r| {
            let tail = if r.merged {
                "merged before the deadline".to_string()
            } else {
                format!("target met {}", format_pct(r.p_met))
            };
            format!(
                "{} P50 {} (P10 {}, P90 {}), {tail}",
                r.org,
                format_gbp(r.exit.p50),
                format_gbp(r.exit.p10),
                format_gbp(r.exit.p90),
            )
        })
        .collect();
    format!("Exit cost by organisation: {}.", each.join("; "))
}

/// Builds the chart.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let all = ranked(d);
    let title = match all.first() {
        Some(r) => format!(
            "{} has the largest exit cost: {} (P50)",
            short_name(&r.org),
            format_gbp(r.exit.p50)
        ),
        None => "No exit-cost results by organisation in this run".to_string(),
    };
    let desc = desc(&all);
    let mut page = d.page(
        title.clone(),
        "Target met: each organisation's own target, held for 12 months",
    );
    // The chart shows every organisation of the file, merged members and successors alike, and
    // says so: "55 organisations: the 42 before mergers and 13 successors".
    let (n, successors) = (d.orgs().len(), d.successors());
    let rows = if successors > 0 {
        format!(
            "{n} organisations: the {} before mergers and {successors} successor{}",
            n - successors,
            if successors == 1 { "" } else { "s" }
        )
    } else {
        format!("{n} organisations")
    };
    page.subtitle = page.subtitle.replace(&d.scope(), &rows);
    let (shown, rest) = split(all);
    let drawn = draw_svg(NAME, |root| draw(root, &page, &shown, rest.as_ref()))?;
    Ok(Chart::new(NAME, title, desc, drawn))
}

/// Colours of a row: range bar, median dot and value text; grey for a merged member.
fn colours(merged: bool) -> (RGBColor, RGBColor, RGBColor) {
    if merged {
        (tint(nhs::MID_GREY, 0.55), nhs::DARK_GREY, nhs::DARK_GREY)
    } else {
        (tint(nhs::BRIGHT_BLUE, 0.5), nhs::DARK_BLUE, nhs::DARK_BLUE)
    }
}

/// The legend: range and median, and the grey of a merged member when one is drawn.
fn legend(rows: &[OrgRow]) -> Vec<(Swatch, String)> {
    let (range_c, dot_c, _) = colours(false);
    let mut legend = vec![
        (Swatch::Fill(range_c), "P10–P90 range".to_string()),
        (Swatch::Dot(dot_c), "P50 (median)".to_string()),
    ];
    if rows.iter().any(|r| r.merged) {
        legend.push((
            Swatch::Fill(colours(true).0),
            "Merged: joined its successor before the deadline".to_string(),
        ));
    }
    legend
}

/// Vertical layout of a row: the name line (name at the left, value at the right), then the
/// bar line just under it, then the space before the next row.
struct RowLayout {
    /// Height of a row.
    pitch: f64,
    /// Offset of the bar's centre from the top of its row.
    bar_y: f64,
    /// Height of the P10–P90 bar.
    bar_h: f64,
}

impl RowLayout {
    /// Rows of `pitch` pixels: the bar takes what the name line and [`ROW_GAP`] leave, up to
    /// [`BAR_MAX`].
    fn new(pitch: f64) -> RowLayout {
        let name_h = size::LABEL * 1.1;
        let bar_h = ((pitch - name_h - ROW_GAP) * 0.85).min(BAR_MAX);
        RowLayout {
            pitch,
            bar_y: name_h + (bar_h / 0.85) / 2.0,
            bar_h,
        }
    }
}

/// Tallest a P10–P90 bar is drawn, with few organisations.
const BAR_MAX: f64 = 30.0;
/// Least space between a row's bar and the next row's name.
const ROW_GAP: f64 = 10.0;

/// Draws the page, one row per organisation in `rows` (in order) and the row of the `rest`.
fn draw(
    root: &canvas::Root,
    page: &canvas::Page,
    rows: &[OrgRow],
    rest: Option<&Rest>,
) -> canvas::Drawn {
    if rows.is_empty() {
        return canvas::placeholder(
            root,
            page,
            &format!(
                "summary.csv has no {} rows by organisation",
                Metric::ExitCostGbp
            ),
        );
    }
    let top = canvas::draw_page(root, page, &legend(rows))? as f64;
    let n_rows = (rows.len() + usize::from(rest.is_some())) as f64;
    let room = canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM - top;
    let lay = RowLayout::new(room / n_rows);
    let (ax, unit) = money_axis(rows);
    let (left, right) = (
        canvas::MARGIN as f64,
        (canvas::WIDTH as i32 - canvas::MARGIN) as f64,
    );
    let f = Frame {
        left,
        top,
        right,
        bottom: top + lay.pitch * n_rows,
        xd: (ax.lo, ax.hi),
        yd: (0.0, n_rows),
    };
    let fmt = |v: f64| format_tick(v, ax.decimals());
    // Pale gridlines (the first too: the names start on it), tick marks and labels below.
    for &t in &ax.ticks {
        let x = f.x(t);
        let grid = canvas::Stroke::solid(nhs::PALE_GREY, 2);
        canvas::polyline(root, &[(x, f.top), (x, f.bottom)], grid)?;
    }
    canvas::x_grid(
        root,
        &f,
        &ax.ticks,
        &fmt,
        &format!("Exit cost, {}", unit.label),
        false,
    )?;
    let name_ink = Ink::new(size::LABEL).colour(nhs::TEXT);
    let value_ink = Ink::new(size::LABEL).bold().at(HPos::Right, VPos::Top);
    for (i, r) in rows.iter().enumerate() {
        let t = f.top + i as f64 * lay.pitch;
        let c = colours(r.merged);
        let value = row_value(r);
        let room = right - left - value_ink.width(&value) - 40.0;
        let name = canvas::ellipsize(&short_name(&r.org), name_ink, room);
        canvas::boxed_text(root, &name, left as i32, t as i32, name_ink, 4)?;
        canvas::boxed_text(
            root,
            &value,
            right as i32,
            t as i32,
            value_ink.colour(c.2),
            4,
        )?;
        org_row(root, &f, t + lay.bar_y, lay.bar_h, &r.exit, unit.div, c)?;
    }
    if let Some(rest) = rest {
        let t = f.top + rows.len() as f64 * lay.pitch;
        let ink = name_ink.colour(nhs::DARK_GREY);
        canvas::boxed_text(root, &rest.label(), left as i32, t as i32, ink, 4)?;
    }
    Ok(())
}

/// The money axis over every P10, P50 and P90 drawn, from zero (or the lowest P10 if below).
fn money_axis(rows: &[OrgRow]) -> (Axis, MoneyUnit) {
    let hi = rows
        .iter()
        .flat_map(|r| [r.exit.p90, r.exit.p50])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let lo = rows
        .iter()
        .map(|r| r.exit.p10)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::min);
    let unit = money_unit(hi.abs().max(lo.abs()));
    (Axis::nice(lo / unit.div, hi / unit.div, 6), unit)
}

/// One organisation's P10–P90 bar (`bar_h` tall) and P50 dot, centred on pixel row `yc`, in
/// colours `c`.
fn org_row(
    root: &canvas::Root,
    f: &Frame,
    yc: f64,
    bar_h: f64,
    q: &Quantiles,
    div: f64,
    c: (RGBColor, RGBColor, RGBColor),
) -> canvas::Drawn {
    let (a, b) = (q.p10, q.p90);
    if a.is_finite() && b.is_finite() {
        let (xa, xb) = (f.x(a / div), f.x(b / div));
        canvas::rect(
            root,
            (xa.min(xb), yc - bar_h / 2.0),
            (xa.max(xb).max(xa.min(xb) + 3.0), yc + bar_h / 2.0),
            c.0,
        )?;
    }
    canvas::dot(
        root,
        (f.x(q.p50 / div), yc),
        (bar_h * 0.5 + 1.0).clamp(7.0, 12.0) as i32,
        c.1,
    )
}

/// Runs drawn from synthetic results, for the tests of this chart and of A4 legibility.
#[cfg(test)]
pub(crate) mod synthetic {
    use super::super::input::{ByYear, IterationTotals, Manifest, Summary, Timeseries};
    use super::super::RunData;
    use super::Quantiles;
    use crate::metric::Metric;
    use crate::month::Month;

    /// One organisation: its name, P10, P50 and P90 of exit cost (£), mean of `target_met`
    /// (NaN: undefined in every iteration) and mean of `moved_by_merger`.
    pub(crate) struct Org {
        pub name: String,
        pub exit: (f64, f64, f64),
        pub p_met: f64,
        pub moved: f64,
    }

    /// Quantiles with the given P10, P50 and P90 (the mean is the P50, the tails repeat them).
    pub(crate) fn q(p10: f64, p50: f64, p90: f64) -> Quantiles {
        Quantiles::new(p50, [p10, p10, p50, p50, p50, p90, p90])
    }

    /// A run of `orgs` (300 iterations, seed 1, deadline March 2028) whose summary.csv has the
    /// exit cost, `target_met` and `moved_by_merger` of each.
    pub(crate) fn run(orgs: &[Org]) -> RunData {
        let mut summary = Summary::default();
        for o in orgs {
            let (p10, p50, p90) = o.exit;
            summary.insert(&o.name, Metric::ExitCostGbp, q(p10, p50, p90));
            summary.insert(&o.name, Metric::TargetMet, q(o.p_met, o.p_met, o.p_met));
            summary.insert(&o.name, Metric::MovedByMerger, q(o.moved, o.moved, o.moved));
        }
        RunData {
            manifest: Manifest {
                version: "0.1.0".into(),
                scenario_name: "Synthetic".into(),
                scenario_sha256: "0123456789abcdef".into(),
                seed: 1,
                iterations: 300,
                deadline: Month::parse("2028-03").unwrap(),
                counts_transfers: false,
                orgs: orgs.iter().map(|o| o.name.clone()).collect(),
            },
            summary,
            ts: Timeseries::default(),
            by_year: ByYear::default(),
            sensitivity: Vec::new(),
            iterations: IterationTotals::default(),
        }
    }

    /// The organisations of the 2026 national default (scenarios/england-icbs-2026.toml: 42
    /// ICBs and the successors of its mergers, all before its March 2028 deadline), longest
    /// name first so that the longest names are drawn; members of a merger have no target
    /// at the deadline and staff moved out, successors staff moved in. Exit costs are made up:
    /// P50 £60m, £59m, … in that order, P10 and P90 30% either side.
    pub(crate) fn england_2026() -> Vec<Org> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/england-icbs-2026.toml");
        let sc = crate::scenario::load(&path, &Default::default()).unwrap();
        let mut names: Vec<(String, f64)> = sc
            .orgs
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let member = sc.mergers.iter().any(|m| m.members.contains(&i));
                let successor = sc.mergers.iter().any(|m| m.successor == i);
                let moved = if member {
                    -100.0
                } else if successor {
                    100.0
                } else {
                    0.0
                };
                (o.name.clone(), moved)
            })
            .collect();
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
        names
            .into_iter()
            .enumerate()
            .map(|(k, (name, moved))| {
                let p50 = (60.0 - k as f64) * 1e6;
                Org {
                    name,
                    exit: (0.7 * p50, p50, 1.3 * p50),
                    p_met: if moved < 0.0 { f64::NAN } else { 0.9 },
                    moved,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::synthetic::{run, Org};
    use super::*;

    fn org(name: &str, p50_m: f64) -> Org {
        let p50 = p50_m * 1e6;
        Org {
            name: name.into(),
            exit: (0.8 * p50, p50, 1.2 * p50),
            p_met: 0.75,
            moved: 0.0,
        }
    }

    #[test]
    fn shortens_the_statutory_name_to_icb() {
        assert_eq!(
            short_name("NHS Frimley Integrated Care Board"),
            "NHS Frimley ICB"
        );
        assert_eq!(short_name("Frimley ICB"), "Frimley ICB");
    }

    /// Thirteen organisations with P50s (£m) 5, 12, 3.2, 7.5, 9.9, 1, 15.25, 2, 8.8, 6.1,
    /// 4.44, 11 and 13. Largest first: 15.25, 13, 12, 11, 9.9, 8.8, 7.5, 6.1, 5 are drawn; the
    /// other 13 − 9 = 4 (4.44, 3.2, 2, 1) share the last row, the largest of them £4.44m.
    #[test]
    fn the_last_row_counts_the_rest_and_gives_their_largest_p50() {
        let p50s = [
            5.0, 12.0, 3.2, 7.5, 9.9, 1.0, 15.25, 2.0, 8.8, 6.1, 4.44, 11.0, 13.0,
        ];
        let orgs: Vec<Org> = p50s
            .iter()
            .enumerate()
            .map(|(i, &p)| org(&format!("Org {i}"), p))
            .collect();
        let d = run(&orgs);
        let (shown, rest) = split(ranked(&d));
        let drawn: Vec<f64> = shown.iter().map(|r| r.exit.p50 / 1e6).collect();
        assert_eq!(drawn, [15.25, 13.0, 12.0, 11.0, 9.9, 8.8, 7.5, 6.1, 5.0]);
        let rest = rest.unwrap();
        assert_eq!((rest.count, rest.merged, rest.max_p50), (4, 0, 4.44e6));
        let label = "4 more organisations, each with a P50 of £4.44m or less";
        assert_eq!(rest.label(), label);
        let c = chart(&d).unwrap();
        assert!(c.printed.iter().any(|p| p == label), "{:?}", c.printed);
        assert!(
            !c.printed.iter().any(|p| p.contains("Org 10")),
            "Org 10 is in the rest"
        );
        assert!(
            c.desc.contains("Org 10 P50 £4.44m"),
            "the text alternative has every one"
        );
    }

    /// Ten organisations fit: all are drawn and no row of the rest. Eleven (P50 £1m … £11m) do
    /// not: £11m … £3m are drawn and "2 more" (£2m and £1m), the largest of them £2.00m; when
    /// the £1m one merged before the deadline the row says so.
    #[test]
    fn ten_organisations_are_all_drawn_and_eleven_are_not() {
        let mut orgs: Vec<Org> = (1..=11)
            .map(|i| org(&format!("Org {i}"), i as f64))
            .collect();
        let (shown, rest) = split(ranked(&run(&orgs[..10])));
        assert_eq!((shown.len(), rest), (10, None));
        let (shown, rest) = split(ranked(&run(&orgs)));
        assert_eq!(shown.len(), 9);
        assert_eq!(shown.last().unwrap().org, "Org 3");
        assert_eq!(
            rest.unwrap().label(),
            "2 more organisations, each with a P50 of £2.00m or less"
        );
        orgs[0].p_met = f64::NAN;
        orgs[0].moved = -5.0;
        let (_, rest) = split(ranked(&run(&orgs)));
        assert_eq!(
            rest.unwrap().label(),
            "2 more organisations (1 merged before the deadline), each with a P50 of £2.00m or less"
        );
    }

    /// A member merged before the deadline (staff moved out, no target) is marked and grey; a
    /// successor (staff moved in) and an organisation whose merger comes after the deadline
    /// (staff moved out but a target at the deadline) are not.
    #[test]
    fn members_merged_before_the_deadline_are_marked_and_explained() {
        let mut orgs = vec![org("North", 3.0), org("South", 2.0), org("Successor", 1.0)];
        orgs[0].p_met = f64::NAN;
        orgs[0].moved = -40.0;
        orgs[1].moved = -40.0;
        orgs[2].moved = 80.0;
        let d = run(&orgs);
        let merged: Vec<bool> = ranked(&d).iter().map(|r| r.merged).collect();
        assert_eq!(merged, [true, false, false]);
        let c = chart(&d).unwrap();
        for label in [
            "£3.00m · merged",
            "£2.00m · target met 75%",
            "£1.00m · target met 75%",
            "Merged: joined its successor before the deadline",
        ] {
            assert!(
                c.printed.iter().any(|p| p == label),
                "{label}: {:?}",
                c.printed
            );
        }
        assert!(c
            .desc
            .contains("North P50 £3.00m (P10 £2.40m, P90 £3.60m), merged before the deadline"));
        // The subtitle counts the rows drawn and says how they relate to the organisations
        // before the mergers: 3 rows, the 2 members and 1 successor.
        let subtitle = "3 organisations: the 2 before mergers and 1 successor";
        assert!(
            c.printed.iter().any(|p| p.contains(subtitle)),
            "{subtitle}: {:?}",
            c.printed
        );
        let unmerged = run(&orgs[1..]);
        let c = chart(&unmerged).unwrap();
        assert!(
            !c.printed.iter().any(|p| p.starts_with("Merged")),
            "no legend entry"
        );
    }
}
