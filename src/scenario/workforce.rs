//! Staff records: reading an anonymised ESR-style CSV, or generating a synthetic workforce.
//!
//! A workforce is fixed for a run (generated once from the run's seed) and written out with the
//! results, so it is loaded here at the scenario boundary and validated row by row: each bad cell
//! is reported with file, line, column and the field name, and all are reported at once.

use super::source::Diagnostics;
use crate::distribution::Dist;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use std::fmt;

/// Agenda for Change band, or very senior manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    /// Band 2.
    B2,
    /// Band 3.
    B3,
    /// Band 4.
    B4,
    /// Band 5.
    B5,
    /// Band 6.
    B6,
    /// Band 7.
    B7,
    /// Band 8a.
    B8a,
    /// Band 8b.
    B8b,
    /// Band 8c.
    B8c,
    /// Band 8d.
    B8d,
    /// Band 9.
    B9,
    /// Very senior manager (local pay).
    Vsm,
}

impl Band {
    /// Every band, lowest first.
    pub const ALL: [Band; 12] = [
        Band::B2,
        Band::B3,
        Band::B4,
        Band::B5,
        Band::B6,
        Band::B7,
        Band::B8a,
        Band::B8b,
        Band::B8c,
        Band::B8d,
        Band::B9,
        Band::Vsm,
    ];

    /// Parses `2`..`9`, `8a`..`8d` or `VSM` (any case).
    pub fn parse(text: &str) -> Option<Band> {
        let t = text.trim().to_ascii_lowercase();
        let t = t.strip_prefix("band ").unwrap_or(&t);
        Band::ALL
            .iter()
            .copied()
            .find(|b| b.code().eq_ignore_ascii_case(t))
    }

    /// The code used in files: `2`, `8a`, `VSM`.
    pub fn code(self) -> &'static str {
        match self {
            Band::B2 => "2",
            Band::B3 => "3",
            Band::B4 => "4",
            Band::B5 => "5",
            Band::B6 => "6",
            Band::B7 => "7",
            Band::B8a => "8a",
            Band::B8b => "8b",
            Band::B8c => "8c",
            Band::B8d => "8d",
            Band::B9 => "9",
            Band::Vsm => "VSM",
        }
    }

    /// 2025/26 pay range, £ a year (docs/sources.md §3; VSM is an assumption, £120k–£270k).
    pub fn pay_range_2025(self) -> (f64, f64) {
        match self {
            Band::B2 => (24_465.0, 24_465.0),
            Band::B3 => (24_937.0, 26_598.0),
            Band::B4 => (27_485.0, 30_162.0),
            Band::B5 => (31_049.0, 37_796.0),
            Band::B6 => (38_682.0, 46_580.0),
            Band::B7 => (47_810.0, 54_710.0),
            Band::B8a => (55_690.0, 62_682.0),
            Band::B8b => (64_455.0, 74_896.0),
            Band::B8c => (76_965.0, 88_682.0),
            Band::B8d => (91_342.0, 105_337.0),
            Band::B9 => (109_179.0, 125_637.0),
            Band::Vsm => (120_000.0, 270_000.0),
        }
    }

    /// Default notice period in months (docs/sources.md §2: bands 1–4 one month, 5–6 two, 7–9 three,
    /// VSM six).
    pub fn default_notice_months(self) -> f64 {
        match self {
            Band::B2 | Band::B3 | Band::B4 => 1.0,
            Band::B5 | Band::B6 => 2.0,
            Band::Vsm => 6.0,
            _ => 3.0,
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Contract terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    /// Agenda for Change.
    Afc,
    /// Local terms (some senior managers).
    Local,
}

impl Terms {
    /// `afc` or `local`.
    pub fn code(self) -> &'static str {
        match self {
            Terms::Afc => "afc",
            Terms::Local => "local",
        }
    }
}

/// Which budget pays a post (the staff file's optional `funding` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Funding {
    /// Paid from the running-cost allowance (the default).
    #[default]
    Running,
    /// Programme-funded pay: outside the running-cost allowance, inside the £/head envelope.
    Programme,
}

impl Funding {
    /// `running` or `programme`.
    pub fn code(self) -> &'static str {
        match self {
            Funding::Running => "running",
            Funding::Programme => "programme",
        }
    }

    /// Parses `running` or `programme` (any case).
    pub fn parse(text: &str) -> Option<Funding> {
        match text.trim().to_ascii_lowercase().as_str() {
            "running" => Some(Funding::Running),
            "programme" => Some(Funding::Programme),
            _ => None,
        }
    }
}

/// One member of staff.
#[derive(Debug, Clone, PartialEq)]
pub struct Staff {
    /// Anonymised identifier.
    pub id: String,
    /// Index into the scenario's functions.
    pub function: usize,
    /// Pay band.
    pub band: Band,
    /// Full-time equivalent, (0, 1].
    pub fte: f64,
    /// Full-time annual basic salary, £.
    pub salary: f64,
    /// Age in years at the start month.
    pub age: f64,
    /// Continuous NHS service in years at the start month.
    pub service: f64,
    /// Contract terms.
    pub terms: Terms,
    /// NHS Pension Scheme member.
    pub pension_member: bool,
    /// Which budget pays the post.
    pub funding: Funding,
}

/// The columns of a staff CSV, in any order; all but the last ([`OPTIONAL_COLUMN`]) are
/// required.
pub const STAFF_COLUMNS: [&str; 10] = [
    "id",
    "function",
    "band",
    "fte",
    "salary_gbp",
    "age",
    "service_years",
    "terms",
    "pension_member",
    "funding",
];

/// The optional staff-file column: `funding` (`running` or `programme`), `running` when absent.
pub const OPTIONAL_COLUMN: &str = "funding";

/// Reads a staff CSV. `function_index` maps a function name to its index (creating implicit
/// functions as needed). A function that is not one of `declared` but looks like a misspelling of
/// one (same name ignoring case and punctuation, or within three edits) is reported rather than
/// becoming a new implicit function. Every bad cell is reported; returns `None` if any was.
pub fn read_staff_csv(
    diag: &mut Diagnostics,
    file: &str,
    text: &str,
    path: &str,
    declared: &[&str],
    function_index: &mut dyn FnMut(&str) -> usize,
) -> Option<Vec<Staff>> {
    let before = diag.problems.len();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diag.report_at(file, 1, 1, path, format!("cannot read the CSV header: {e}"));
            return None;
        }
    };
    let mut col = [usize::MAX; 10];
    for (i, h) in headers.iter().enumerate() {
        match STAFF_COLUMNS.iter().position(|c| *c == h) {
            Some(k) => col[k] = i,
            None => diag.report_at(
                file,
                1,
                column_of(text, 0, &headers, i),
                path,
                format!(
                    "unknown column '{h}'; staff files have exactly: {} (and optionally \
                     {OPTIONAL_COLUMN})",
                    STAFF_COLUMNS[..9].join(",")
                ),
            ),
        }
    }
    for (k, c) in col.iter().enumerate() {
        if *c == usize::MAX && STAFF_COLUMNS[k] != OPTIONAL_COLUMN {
            diag.report_at(
                file,
                1,
                1,
                path,
                format!("missing column '{}'", STAFF_COLUMNS[k]),
            );
        }
    }
    if diag.problems.len() > before {
        return None;
    }
    let mut staff = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diag.report_at(file, line, 1, path, format!("unreadable row: {e}"));
                continue;
            }
        };
        let (line, offset) = rec
            .position()
            .map_or((0, 0), |p| (p.line() as usize, p.byte() as usize));
        let mut bad = |k: usize, msg: String| {
            let field = STAFF_COLUMNS[k];
            diag.report_at(
                file,
                line,
                column_of(text, offset, &rec, col[k]),
                &format!("{path}.{field}"),
                msg,
            );
        };
        let cell = |k: usize| rec.get(col[k]).unwrap_or("");
        let num = |k: usize, bad: &mut dyn FnMut(usize, String)| -> Option<f64> {
            match cell(k).parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    bad(k, format!("'{}' is not a number", cell(k)));
                    None
                }
            }
        };
        let id = cell(0).to_string();
        if id.is_empty() {
            bad(0, "empty id".into());
        } else if let Some(c) = id.chars().find(|c| c.is_control()) {
            bad(
                0,
                format!(
                    "id {:?} contains the control character {:?}; ids must be printable text",
                    id, c
                ),
            );
        } else if !seen.insert(id.clone()) {
            bad(0, format!("duplicate id '{id}'"));
        }
        let function = cell(1);
        if function.is_empty() {
            bad(1, "empty function".into());
        } else if let Some(c) = function.chars().find(|c| c.is_control()) {
            bad(
                1,
                format!("function {function:?} contains the control character {c:?}"),
            );
        } else if let Some(declared) = near_miss(function, declared) {
            bad(
                1,
                format!(
                    "unknown function '{function}' (did you mean '{declared}'?); staff files \
                     must spell a declared [[function]] exactly (names are case-sensitive)"
                ),
            );
        }
        let band = Band::parse(cell(2));
        if band.is_none() {
            bad(
                2,
                format!("'{}' is not a band; use 2..9, 8a..8d or VSM", cell(2)),
            );
        }
        let fte = num(3, &mut bad).filter(|v| *v > 0.0 && *v <= 1.0);
        if fte.is_none() && cell(3).parse::<f64>().is_ok_and(f64::is_finite) {
            bad(
                3,
                format!("FTE {} must be more than 0 and at most 1", cell(3)),
            );
        }
        let salary = num(4, &mut bad);
        if let Some(s) = salary {
            if !(1_000.0..=1_000_000.0).contains(&s) {
                bad(4, format!("salary £{s} is outside £1,000..£1,000,000 (give the full-time annual salary)"));
            }
        }
        let age = num(5, &mut bad);
        if let Some(a) = age {
            if !(16.0..=80.0).contains(&a) {
                bad(5, format!("age {a} is outside 16..80"));
            }
        }
        let service = num(6, &mut bad);
        if let (Some(s), Some(a)) = (service, age) {
            if s < 0.0 || s > a - 16.0 {
                bad(
                    6,
                    format!(
                        "service {s} years must be between 0 and age − 16 ({})",
                        a - 16.0
                    ),
                );
            }
        }
        let terms = match cell(7).to_ascii_lowercase().as_str() {
            "afc" => Some(Terms::Afc),
            "local" => Some(Terms::Local),
            other => {
                bad(
                    7,
                    format!("'{other}' is not a contract type; use afc or local"),
                );
                None
            }
        };
        let member = match cell(8).to_ascii_lowercase().as_str() {
            "yes" | "true" | "y" | "1" => Some(true),
            "no" | "false" | "n" | "0" => Some(false),
            other => {
                bad(8, format!("'{other}' is not yes/no"));
                None
            }
        };
        let funding = if col[9] == usize::MAX {
            Some(Funding::Running)
        } else {
            let f = Funding::parse(cell(9));
            if f.is_none() {
                bad(
                    9,
                    format!(
                        "'{}' is not a funding source; use running (the running-cost \
                         allowance) or programme (programme-funded pay)",
                        cell(9)
                    ),
                );
            }
            f
        };
        if let (
            Some(band),
            Some(fte),
            Some(salary),
            Some(age),
            Some(service),
            Some(terms),
            Some(pm),
            Some(funding),
        ) = (band, fte, salary, age, service, terms, member, funding)
        {
            if !function.is_empty() {
                staff.push(Staff {
                    id,
                    function: function_index(function),
                    band,
                    fte,
                    salary,
                    age,
                    service,
                    terms,
                    pension_member: pm,
                    funding,
                });
            }
        }
    }
    if staff.is_empty() && diag.problems.len() == before {
        diag.report_at(file, 1, 1, path, "the staff file has no rows".into());
    }
    (diag.problems.len() == before).then_some(staff)
}

/// The declared function `name` was probably meant to be, when it is not itself declared: the
/// same name up to case and punctuation, or (for names longer than four characters, so short
/// distinct codes such as `hr` and `it` stay apart) one within three edits.
pub(super) fn near_miss<'a>(name: &str, declared: &[&'a str]) -> Option<&'a str> {
    if declared.contains(&name) {
        return None;
    }
    let key = super::slugify(name);
    declared
        .iter()
        .copied()
        .find(|d| super::slugify(d) == key)
        .or_else(|| {
            if name.chars().count() > 4 {
                crate::suggest::closest(name, declared)
            } else {
                None
            }
        })
}

/// 1-based character column of field `field` in the record starting at byte `offset`.
fn column_of(text: &str, offset: usize, rec: &csv::StringRecord, field: usize) -> usize {
    let line = text
        .get(offset..)
        .and_then(|s| s.lines().next())
        .unwrap_or("");
    let mut col = 1;
    let mut in_quotes = false;
    let mut seen = 0;
    for ch in line.chars() {
        if seen == field {
            return col;
        }
        match ch {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => seen += 1,
            _ => {}
        }
        col += 1;
    }
    let _ = rec;
    col
}

/// Settings for a synthetic workforce.
#[derive(Debug, Clone)]
pub struct SyntheticSpec {
    /// Number of people.
    pub headcount: usize,
    /// Band weights.
    pub band_mix: Vec<(Band, f64)>,
    /// FTE distribution (values clamped to (0, 1]).
    pub fte: Dist,
    /// Age distribution (clamped to 18..67).
    pub age: Dist,
    /// Service distribution in years (clamped to 0..age − 16).
    pub service: Dist,
    /// Function shares (function index, share); the rest go to `rest_function`.
    pub function_shares: Vec<(usize, f64)>,
    /// Function for the remainder.
    pub rest_function: usize,
    /// Share of staff in the NHS Pension Scheme.
    pub pension_member_share: f64,
    /// Bands on local terms.
    pub local_bands: Vec<Band>,
    /// Share of staff on programme-funded pay.
    pub programme_share: f64,
}

/// Generates a workforce deterministically from a seed: the same seed and spec give the same staff.
pub fn generate(spec: &SyntheticSpec, seed: u64, id_prefix: &str) -> Vec<Staff> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let band_total: f64 = spec.band_mix.iter().map(|(_, w)| w).sum();
    let mut u = || crate::distribution::uniform_open01(&mut rng);
    (0..spec.headcount)
        .map(|i| {
            let band = pick(&spec.band_mix, band_total, u()).unwrap_or(Band::B5);
            let (lo, hi) = band.pay_range_2025();
            let salary = (lo + (hi - lo) * u()).round();
            let fte = (spec.fte.quantile(u()).clamp(0.1, 1.0) * 100.0).round() / 100.0;
            let age = spec.age.quantile(u()).clamp(18.0, 67.0).floor();
            let service = (spec.service.quantile(u()).clamp(0.0, age - 16.0) * 10.0).round() / 10.0;
            let function = pick(&spec.function_shares, 1.0, u()).unwrap_or(spec.rest_function);
            let pension_member = u() < spec.pension_member_share;
            // Its own keyed draw (not the sequential generator), so adding a programme share
            // leaves every other attribute of every person as it was.
            let programme = spec.programme_share > 0.0
                && crate::rng::to_open01(crate::rng::mix(seed ^ PROGRAMME_KEY, i as u64))
                    < spec.programme_share;
            let terms = if spec.local_bands.contains(&band) {
                Terms::Local
            } else {
                Terms::Afc
            };
            Staff {
                id: format!("{id_prefix}-{:05}", i + 1),
                function,
                band,
                fte,
                salary,
                age,
                service,
                terms,
                pension_member,
                funding: if programme {
                    Funding::Programme
                } else {
                    Funding::Running
                },
            }
        })
        .collect()
}

/// Key of the synthetic generator's programme-funding draws.
const PROGRAMME_KEY: u64 = 0x5052_4F47_5241_4D4D;

fn pick<T: Copy>(items: &[(T, f64)], total: f64, u: f64) -> Option<T> {
    let mut acc = 0.0;
    let target = u * total;
    for (item, w) in items {
        acc += w;
        if target < acc {
            return Some(*item);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Diagnostics, Option<Vec<Staff>>) {
        let mut d = Diagnostics::default();
        let mut names: Vec<String> = Vec::new();
        let mut f = |n: &str| match names.iter().position(|x| x == n) {
            Some(i) => i,
            None => {
                names.push(n.to_string());
                names.len() - 1
            }
        };
        let s = read_staff_csv(
            &mut d,
            "staff.csv",
            text,
            "org.x.staff_file",
            &["digital", "finance-corporate"],
            &mut f,
        );
        (d, s)
    }

    const HEADER: &str = "id,function,band,fte,salary_gbp,age,service_years,terms,pension_member\n";

    #[test]
    fn reads_well_formed_rows() {
        let (d, s) = read(&format!(
            "{HEADER}a1,digital,8a,0.8,60000,50,20,afc,yes\na2,chc,VSM,1,150000,58,30,local,no\n"
        ));
        assert!(d.is_clean(), "{:?}", d.problems);
        let s = s.unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].band, Band::B8a);
        assert_eq!(s[1].terms, Terms::Local);
        assert!(!s[1].pension_member);
        assert_eq!(s[1].function, 1);
    }

    #[test]
    fn reports_every_bad_cell_with_line_and_column() {
        let (d, s) = read(&format!(
            "{HEADER}a1,digital,8e,1.5,60000,50,40,afc,maybe\n"
        ));
        assert!(s.is_none());
        let fields: Vec<&str> = d.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            fields,
            [
                "org.x.staff_file.band",
                "org.x.staff_file.fte",
                "org.x.staff_file.service_years",
                "org.x.staff_file.pension_member"
            ]
        );
        assert!(d.problems.iter().all(|p| p.line == 2));
        // "a1,digital," is 11 characters, so the band starts in column 12.
        assert_eq!(d.problems[0].column, 12);
    }

    #[test]
    fn a_misspelt_declared_function_is_an_error_with_a_suggestion() {
        let (d, s) = read(&format!(
            "{HEADER}a1,Digital,8a,0.8,60000,50,20,afc,yes\na2,finance-corprate,5,1,35000,40,5,afc,yes\na3,chc,5,1,35000,40,5,afc,yes\n"
        ));
        assert!(s.is_none());
        assert_eq!(d.problems.len(), 2, "{:?}", d.problems);
        let p = &d.problems[0];
        assert_eq!((p.line, p.column), (2, 4));
        assert_eq!(p.path, "org.x.staff_file.function");
        assert!(
            p.message.contains("did you mean 'digital'?"),
            "{}",
            p.message
        );
        assert!(d.problems[1]
            .message
            .contains("did you mean 'finance-corporate'?"));
    }

    #[test]
    fn control_characters_in_ids_are_errors() {
        let (d, s) = read(&format!(
            "{HEADER}a\u{0}1,digital,8a,0.8,60000,50,20,afc,yes\na\t2,digital,8a,0.8,60000,50,20,afc,yes\n"
        ));
        assert!(s.is_none());
        assert_eq!(d.problems.len(), 2, "{:?}", d.problems);
        assert!(d
            .problems
            .iter()
            .all(|p| p.path == "org.x.staff_file.id" && p.column == 1));
        assert!(d.problems[0].message.contains("control character"));
    }

    #[test]
    fn rejects_unknown_and_missing_columns() {
        let (d, s) = read("id,function,band,fte,salary,age,service_years,terms,pension_member\n");
        assert!(s.is_none());
        assert!(d.problems[0].message.contains("unknown column 'salary'"));
        assert!(d.problems[1]
            .message
            .contains("missing column 'salary_gbp'"));
    }

    #[test]
    fn generated_workforce_respects_bounds_and_is_reproducible() {
        let spec = SyntheticSpec {
            headcount: 2000,
            band_mix: vec![(Band::B4, 0.5), (Band::B8c, 0.5)],
            fte: Dist::fixed(1.0).unwrap(),
            age: Dist::uniform(20.0, 64.0).unwrap(),
            service: Dist::uniform(0.0, 40.0).unwrap(),
            function_shares: vec![(1, 0.25)],
            rest_function: 0,
            pension_member_share: 0.9,
            local_bands: vec![Band::Vsm],
            programme_share: 0.0,
        };
        let a = generate(&spec, 7, "x");
        assert_eq!(a, generate(&spec, 7, "x"));
        assert_ne!(a, generate(&spec, 8, "x"));
        for s in &a {
            let (lo, hi) = s.band.pay_range_2025();
            assert!(s.salary >= lo && s.salary <= hi);
            assert!(s.service <= s.age - 16.0 && s.service >= 0.0);
        }
        let digital = a.iter().filter(|s| s.function == 1).count() as f64 / 2000.0;
        // Binomial(2000, 0.25): sd of the share is 0.0097; allow four of them.
        assert!((digital - 0.25).abs() < 0.039, "{digital}");
        assert!(a.iter().all(|s| s.funding == Funding::Running));
        // A programme share marks about that share programme-funded and changes nothing else.
        let b = generate(
            &SyntheticSpec {
                programme_share: 0.3,
                ..spec.clone()
            },
            7,
            "x",
        );
        let programme = b.iter().filter(|s| s.funding == Funding::Programme).count();
        // Binomial(2000, 0.3): sd 20.5 people; allow four of them.
        assert!((programme as f64 - 600.0).abs() < 82.0, "{programme}");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                Staff {
                    funding: Funding::Running,
                    ..y.clone()
                },
                *x
            );
        }
    }

    #[test]
    fn the_optional_funding_column_reads_any_case_and_reports_bad_values() {
        let header =
            "id,function,band,fte,salary_gbp,age,service_years,terms,pension_member,funding\n";
        let (d, s) = read(&format!(
            "{header}a1,digital,8a,1,60000,50,20,afc,yes,Programme\na2,digital,5,1,35000,40,5,afc,yes,RUNNING\n"
        ));
        assert!(d.is_clean(), "{:?}", d.problems);
        let s = s.unwrap();
        assert_eq!(
            (s[0].funding, s[1].funding),
            (Funding::Programme, Funding::Running)
        );
        // Without the column everyone is running-cost funded.
        let (_, s) = read(&format!("{HEADER}a1,digital,8a,1,60000,50,20,afc,yes\n"));
        assert_eq!(s.unwrap()[0].funding, Funding::Running);
        let (d, s) = read(&format!(
            "{header}a1,digital,8a,1,60000,50,20,afc,yes,capital\n"
        ));
        assert!(s.is_none());
        let p = &d.problems[0];
        // "a1,digital,8a,1,60000,50,20,afc,yes," is 36 characters: funding starts in column 37.
        assert_eq!((p.line, p.column), (2, 37));
        assert_eq!(p.path, "org.x.staff_file.funding");
        assert!(p.message.contains("'capital' is not a funding source"));
    }
}
