//! Chart 7, `by_organisation` (runs with two or more organisations): each organisation's exit
//! cost as a P10–P90 range with a P50 marker, sorted by P50, largest at the top. At most twenty
//! organisations are drawn so labels stay legible; the subtitle says when some are left out.
//! Beside each organisation's median is its own chance of meeting its own target (`target_met`).

use super::canvas::{self, nhs, size, tint, Frame, Ink, Swatch};
use super::format::{format_gbp, format_pct, format_tick, money_unit, MoneyUnit};
use super::input::Quantiles;
use super::stats::Axis;
use super::{draw_svg, Chart, ChartError, RunData};
use crate::metric::Metric;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "by_organisation";
const MAX_ROWS: usize = 20;

/// One organisation's row: its name, exit cost and chance of meeting its own target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OrgRow {
    pub org: String,
    pub exit: Quantiles,
    /// Mean of the organisation's own `target_met` (NaN if absent).
    pub p_met: f64,
}

/// Organisations with a finite P50 exit cost, largest P50 first.
pub(crate) fn ranked(d: &RunData) -> Vec<OrgRow> {
    let mut v: Vec<OrgRow> = d
        .orgs()
        .iter()
        .filter_map(|o| {
            d.summary.get(o, Metric::ExitCostGbp).map(|q| OrgRow {
                org: o.clone(),
                exit: *q,
                p_met: d.summary.mean(o, Metric::TargetMet),
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

/// The value printed beside a row: "£12.3m · target met 83%".
fn row_value(r: &OrgRow) -> String {
    if r.p_met.is_finite() {
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

/// Builds the chart.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let all = ranked(d);
    let title = match all.first() {
        Some(r) => format!(
            "{} has the largest exit cost of {} organisations (P50 {})",
            short_name(&r.org),
            all.len(),
            format_gbp(r.exit.p50)
        ),
        None => "No exit-cost results by organisation in this run".to_string(),
    };
    let desc = all
        .iter()
        .map(|r| {
            format!(
                "{} P50 {} (P10 {}, P90 {}), target met {}",
                r.org,
                format_gbp(r.exit.p50),
                format_gbp(r.exit.p10),
                format_gbp(r.exit.p90),
                format_pct(r.p_met)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut page = d.page(
        title.clone(),
        "Bars: P10–P90 of exit cost; dots: median; target met: each one's own, held for 12 months",
    );
    page.subtitle = page.subtitle.replace(
        &format!("total of {} organisations", all.len()),
        &format!("{} organisations", all.len()),
    );
    if all.len() > MAX_ROWS {
        page.subtitle = format!(
            "{} · largest {MAX_ROWS} of {} shown",
            page.subtitle,
            all.len()
        );
    }
    let shown: Vec<OrgRow> = all.into_iter().take(MAX_ROWS).collect();
    let drawn = draw_svg(NAME, |root| draw(root, &page, &shown))?;
    Ok(Chart::new(
        NAME,
        title,
        format!("Exit cost by organisation: {desc}."),
        drawn,
    ))
}

fn draw(root: &canvas::Root, page: &canvas::Page, rows: &[OrgRow]) -> canvas::Drawn {
    let range_c = tint(nhs::BRIGHT_BLUE, 0.5);
    let legend = [
        (Swatch::Fill(range_c), "P10–P90 range".to_string()),
        (Swatch::Dot(nhs::DARK_BLUE), "P50 (median)".to_string()),
    ];
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
    let top = canvas::draw_page(root, page, &legend)?;
    let px = if rows.len() > 12 {
        size::NOTE
    } else {
        size::LABEL
    };
    let ink = Ink::new(px).colour(nhs::TEXT).at(HPos::Right, VPos::Center);
    let labels: Vec<String> = rows
        .iter()
        .map(|r| canvas::ellipsize(&short_name(&r.org), ink, 520.0))
        .collect();
    let gutter = labels.iter().map(|l| ink.width(l)).fold(0.0, f64::max);
    let (ax, unit) = money_axis(rows);
    let f = Frame {
        left: canvas::MARGIN as f64 + gutter + 20.0,
        top: top as f64 + 16.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN - 10) as f64,
        bottom: canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM,
        xd: (ax.lo, ax.hi),
        yd: (0.0, rows.len().max(1) as f64),
    };
    let fmt = |v: f64| format_tick(v, ax.decimals());
    canvas::x_grid(
        root,
        &f,
        &ax.ticks,
        &fmt,
        &format!("Exit cost, {}", unit.label),
        true,
    )?;
    let row_h = (f.bottom - f.top) / f.yd.1;
    let value = Ink::new(px)
        .bold()
        .colour(nhs::DARK_BLUE)
        .at(HPos::Left, VPos::Center);
    for (i, (r, label)) in rows.iter().zip(&labels).enumerate() {
        let yc = f.top + (i as f64 + 0.5) * row_h;
        canvas::text(root, label, f.left as i32 - 14, yc as i32, ink)?;
        org_row(root, &f, yc, r, unit.div, (range_c, value))?;
    }
    Ok(())
}

/// The money axis over every P10, P50 and P90 (from zero, with room for the value labels).
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
    (Axis::nice(lo / unit.div, hi / unit.div * 1.35, 7), unit)
}

/// One organisation's P10–P90 bar, P50 dot and P50 value, centred on pixel row `yc`.
fn org_row(
    root: &canvas::Root,
    f: &Frame,
    yc: f64,
    r: &OrgRow,
    div: f64,
    (range_c, value): (RGBColor, Ink),
) -> canvas::Drawn {
    let q = &r.exit;
    let bar_h = ((f.bottom - f.top) / f.yd.1 * 0.5).min(36.0);
    let (a, b) = (q.p10, q.p90);
    let mut right = f.x(q.p50 / div);
    if a.is_finite() && b.is_finite() {
        let (xa, xb) = (f.x(a / div), f.x(b / div));
        canvas::rect(
            root,
            (xa.min(xb), yc - bar_h / 2.0),
            (xa.max(xb).max(xa.min(xb) + 3.0), yc + bar_h / 2.0),
            range_c,
        )?;
        right = right.max(xa.max(xb));
    }
    canvas::dot(
        root,
        (f.x(q.p50 / div), yc),
        (bar_h * 0.42).clamp(6.0, 11.0) as i32,
        nhs::DARK_BLUE,
    )?;
    canvas::text(root, &row_value(r), right as i32 + 12, yc as i32, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_the_statutory_name_to_icb() {
        assert_eq!(
            short_name("NHS Frimley Integrated Care Board"),
            "NHS Frimley ICB"
        );
        assert_eq!(short_name("Frimley ICB"), "Frimley ICB");
    }
}
