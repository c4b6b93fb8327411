//! `icbsim exit-cost`: the exit cost of one person, itemised (Section 16 redundancy pay or a
//! MARS payment, PILON, employer NI, pension strain, legal costs — per CR case, or the
//! settlement-agreement advice of a VR), as a table or JSON.

use icbsim::model::exit_terms::{
    annual_employer_cost, exit_cost, section16_years, ExitCost, ExitRules, Leaver, OnCosts, Route,
};
use icbsim::output;
use icbsim::scenario::Band;
use icbsim::workflow::{Error, ExitCostRequest, Outcome};

/// The person's facts, checked: the band (if given) and early-retirement eligibility.
struct Checked {
    band: Option<Band>,
    eligible_er: bool,
}

/// Checks every argument and lists every problem.
fn check(a: &ExitCostRequest) -> Result<Checked, Error> {
    let mut bad = Vec::new();
    if !(a.salary.is_finite() && a.salary > 0.0) {
        bad.push(format!(
            "--salary: {} must be a positive amount in £",
            a.salary
        ));
    }
    if !(a.service.is_finite() && a.service >= 0.0) {
        bad.push(format!(
            "--service: {} must be zero or more years",
            a.service
        ));
    }
    if !(a.age.is_finite() && (16.0..=80.0).contains(&a.age)) {
        bad.push(format!("--age: {} must be between 16 and 80", a.age));
    } else if a.service > a.age - 16.0 {
        bad.push(format!(
            "--service: {} years is more than age − 16",
            a.service
        ));
    }
    if !(a.fte > 0.0 && a.fte <= 1.0) {
        bad.push(format!(
            "--fte: {} must be more than 0 and at most 1",
            a.fte
        ));
    }
    let band = match a.band.as_deref().map(|b| (b, Band::parse(b))) {
        Some((b, None)) => {
            bad.push(format!(
                "--band: '{b}' is not a band; use 2..9, 8a..8d or VSM"
            ));
            None
        }
        Some((_, band)) => band,
        None => None,
    };
    if a.pilon && (a.route != Route::Cr || band.is_none()) {
        bad.push("--pilon: needs --route cr and a --band (notice depends on the band)".into());
    }
    let eligible_er = a.age >= 55.0 && !a.no_pension && a.service >= 2.0;
    if a.early_retirement && (!eligible_er || a.route == Route::Mars) {
        bad.push(
            "--early-retirement: needs age 55+, pension membership, 2+ years and route vr or cr"
                .into(),
        );
    }
    if !bad.is_empty() {
        return Err(Error::Input(format!(
            "{}\nnothing was calculated.",
            bad.join("\n")
        )));
    }
    Ok(Checked { band, eligible_er })
}

/// Calculates and prints the exit cost.
///
/// # Errors
/// Every bad argument at once (exit 2); JSON that cannot be formed is internal.
pub fn calculate(a: &ExitCostRequest) -> Result<Outcome, Error> {
    let Checked { band, eligible_er } = check(a)?;
    let rules = ExitRules {
        weekly_basis: a.weekly_basis,
        ..ExitRules::default()
    };
    let leaver = Leaver {
        salary: a.salary,
        fte: a.fte,
        service_years: a.service,
        local_terms: a.local_terms,
        pilon_months: if a.pilon {
            band.map_or(0.0, Band::default_notice_months)
        } else {
            0.0
        },
        early_retirement: a.early_retirement,
        strain_multiple: a.strain_multiple,
    };
    let c = exit_cost(&rules, a.route, &leaver);
    let annual = annual_employer_cost(&OnCosts::default(), a.salary, a.fte, !a.no_pension);
    let years = section16_years(&rules, a.service);
    if a.json {
        print_json(a.route, &c, annual, years, eligible_er)?;
    } else {
        print_table(a, &c, annual, years);
    }
    Ok(Outcome::Success)
}

/// Rounds to pence.
fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The itemised cost as pretty JSON.
fn print_json(
    route: Route,
    c: &ExitCost,
    annual: f64,
    years: f64,
    eligible_er: bool,
) -> Result<(), Error> {
    let v = serde_json::json!({
        "route": route,
        "reckonable_years": if route == Route::Mars { serde_json::Value::Null } else { years.into() },
        "redundancy_pay_gbp": r2(c.redundancy_pay_gbp),
        "mars_pay_gbp": r2(c.mars_pay_gbp),
        "pilon_gbp": r2(c.pilon_gbp),
        "employer_ni_gbp": r2(c.employer_ni_gbp),
        "pension_strain_gbp": r2(c.pension_strain_gbp),
        "legal_gbp": r2(c.legal_gbp),
        "total_gbp": r2(c.total_gbp),
        "paid_to_pension_gbp": r2(c.paid_to_pension_gbp),
        "annual_employer_cost_gbp": r2(annual),
        "payback_months": if annual > 0.0 { r2(c.total_gbp / annual * 12.0) } else { 0.0 },
        "early_retirement_eligible": eligible_er,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&v).map_err(anyhow::Error::from)?
    );
    Ok(())
}

/// The itemised cost as a table.
fn print_table(a: &ExitCostRequest, c: &ExitCost, annual: f64, years: f64) {
    let route = a.route;
    let line = |label: &str, x: f64| println!("{label:<44}{:>14}", format!("£{}", money(r2(x))));
    println!(
        "Exit cost: {}, salary £{}, {} FTE, {} years' service, age {}",
        format!("{route:?}").to_uppercase(),
        money(a.salary),
        a.fte,
        a.service,
        a.age
    );
    if route != Route::Mars {
        println!(
            "{:<44}{:>14}",
            "Reckonable years (max 24, 2 to qualify)", years
        );
        line("Redundancy pay (Section 16)", c.redundancy_pay_gbp);
    } else {
        line("MARS payment", c.mars_pay_gbp);
    }
    line("Pay in lieu of notice", c.pilon_gbp);
    if c.paid_to_pension_gbp > 0.0 {
        line(
            "  of which paid into the pension scheme",
            c.paid_to_pension_gbp,
        );
    }
    line("Employer NI (termination > £30k, PILON)", c.employer_ni_gbp);
    line("Pension strain above redundancy pay", c.pension_strain_gbp);
    line("Legal (CR case; VR settlement advice)", c.legal_gbp);
    line("Total exit cost", c.total_gbp);
    line("Annual employer cost saved", annual);
    println!(
        "{:<44}{:>14}",
        "Payback (months)",
        format!("{:.1}", c.total_gbp / annual * 12.0)
    );
}

/// £ with thousands separators and pence.
fn money(x: f64) -> String {
    let whole = x.trunc() as i64;
    let pence = ((x - whole as f64).abs() * 100.0).round() as i64;
    format!("{}.{pence:02}", output::format::count(whole as f64))
}
