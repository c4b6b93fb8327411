//! Plain-words labels of input paths, for charts and tables.

/// Plain-words name of an input path for charts and tables.
pub fn label_for(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let known = |tail: &str| -> Option<&'static str> {
        Some(match tail {
            "scenario.discount_rate" => "Discount rate",
            "target.reduction_share" => "Target reduction share",
            "target.per_head_gbp" => "Envelope £ per head",
            "target.deadline" => "Target deadline",
            "target.planning_margin" => "Planning margin",
            "pay.award" => "Annual pay award",
            "pay.employer_ni_rate" => "Employer NI rate",
            "pay.ni_threshold_gbp" => "NI threshold",
            "pay.pension_rate" => "Employer pension rate",
            "pay.apprenticeship_levy_rate" => "Apprenticeship levy",
            "nonpay.reduction_share" => "Non-pay reduction",
            "nonpay.ramp_start" => "Non-pay ramp start",
            "nonpay.ramp_full" => "Non-pay full effect",
            "attrition.annual_rate" => "Staff turnover rate",
            "attrition.replacement_share" => "Leavers replaced",
            "vr.window" => "VR window month",
            "vr.uptake" => "VR uptake",
            "vr.service_tilt" => "VR tilt to long service",
            "vr.age_tilt" => "VR tilt to older staff",
            "vr.approval_lag_months" => "VR approval lag",
            "mars.uptake" => "MARS uptake",
            "mars.lag_months" => "MARS lag",
            "cr.consultation_days" => "Consultation length",
            "cr.redeploy_share" => "CR redeployed share",
            "cr.legal_cost_gbp" => "Legal cost per CR",
            "early_retirement.take_up" => "Early retirement take-up",
            "early_retirement.strain_multiple" => "Pension strain multiple",
            "clawback.rejoin_share" => "Leavers rejoining NHS",
            "clawback.repay_share" => "Clawback repaid share",
            "vacancies.reduction_share" => "Vacancies held",
            "vacancies.ramp_start" => "Vacancies ramp start",
            "vacancies.ramp_full" => "Vacancies full effect",
            "temporary_staffing.reduction_share" => "Temporary staffing cut",
            "temporary_staffing.ramp_start" => "Temporary staffing ramp start",
            "temporary_staffing.ramp_full" => "Temporary staffing full effect",
            "vr.legal_cost_gbp" => "Legal cost per VR",
            "cr.rejoin_share" => "CR leavers rejoining NHS",
            "clawback.senior_window_months" => "Senior clawback window",
            "clawback.senior_payment_gbp" => "Senior clawback payment",
            _ => return None,
        })
    };
    if let Some(l) = known(path) {
        return l.to_string();
    }
    match parts.as_slice() {
        ["function", f, "transfer"] => format!("{} transfer date", title(f)),
        ["function", f, "share_moving"] => format!("{} share moving", title(f)),
        ["function", f, "allocation_transfer_share"] => {
            format!("{} budget moving", title(f))
        }
        ["org", o, "funding_gbp"] => format!("Funding: {}", title(o)),
        ["org", o, "nonpay_baseline_gbp"] => format!("Non-pay baseline: {}", title(o)),
        ["org", o, "vacancy_baseline_gbp"] => format!("Vacancy baseline: {}", title(o)),
        ["org", o, "temporary_staffing_baseline_gbp"] => {
            format!("Temporary staffing baseline: {}", title(o))
        }
        ["org", o, "population"] => format!("Population: {}", title(o)),
        ["org", o, rest @ ..] if known(&rest.join(".")).is_some() => {
            format!(
                "{}: {}",
                known(&rest.join(".")).unwrap_or_default(),
                title(o)
            )
        }
        ["merger", g, "month"] => format!("{} merger month", title(g)),
        ["merger", g, "clustered"] => format!("{} cluster month", title(g)),
        ["merger", g, "cost_gbp"] => format!("{} merger cost", title(g)),
        ["merger", g, "funding_gbp"] => format!("Funding: {}", title(g)),
        ["cr", "notice_months", b] => format!("Notice (band {b})"),
        _ => title(&path.replace('.', " ")),
    }
}

fn title(s: &str) -> String {
    let s = s.replace(['-', '_'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisations_own_input_is_labelled_with_the_organisation() {
        assert_eq!(label_for("org.west.vr.uptake"), "VR uptake: West");
        assert_eq!(
            label_for("merger.east-and-west.month"),
            "East and west merger month"
        );
    }
}
