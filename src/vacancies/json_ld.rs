//! schema.org JobPosting for an open vacancy, with the fields Google's job search requires
//! (title, description, datePosted, hiringOrganization, jobLocation) and those it recommends
//! (validThrough, employmentType, baseSalary when shown, identifier, directApply), plus the
//! requirements a resident filters on.

use serde_json::{Value, json};

use super::{EmploymentType, Vacancy};
use crate::employers::Company;
use crate::reference::education::EducationLevel;
use crate::reference::regions;

/// Binjai is on Western Indonesia Time; a vacancy is open to the end of its closing day.
const CLOSING_TIME: &str = "T23:59:59+07:00";

fn employment_type(v: &Vacancy) -> &'static str {
    match v.employment_type {
        EmploymentType::Pkwtt => "FULL_TIME",
        // A fixed-term contract (PKWT) is temporary work.
        EmploymentType::Pkwt => "TEMPORARY",
        EmploymentType::PartTime => "PART_TIME",
        EmploymentType::Internship => "INTERN",
        EmploymentType::Daily => "PER_DIEM",
    }
}

/// The credential categories schema.org's job posting guidance names; below senior
/// secondary there is none to name.
fn credential(code: i16) -> Option<&'static str> {
    use EducationLevel::*;
    match EducationLevel::from_code(code)? {
        SeniorSecondary | Vocational => Some("high school"),
        D1 | D2 | D3 => Some("associate degree"),
        D4 | S1 => Some("bachelor degree"),
        S2 | S3 => Some("postgraduate degree"),
        _ => None,
    }
}

/// Text as the HTML that `description` expects: escaped, paragraphs kept.
fn html_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let escaped = p
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('\n', "<br>");
            format!("<p>{escaped}</p>")
        })
        .collect()
}

fn address(v: &Vacancy, company: &Company) -> Value {
    let kelurahan = v
        .kelurahan_code
        .as_deref()
        .and_then(regions::binjai_kelurahan_by_code);
    let regency = regions::get(&v.regency_code);
    let province = regency
        .and_then(|r| r.parent_code())
        .and_then(regions::get)
        .map(|p| p.name)
        .unwrap_or("Sumatera Utara");
    // The company's street address when the work is where the company is; otherwise the
    // kelurahan, the most exact place the vacancy gives.
    // Only a verified company's street address: one under review may have changed it.
    let street = if reviewed(company)
        && company.kelurahan_code.is_some()
        && company.kelurahan_code == v.kelurahan_code
    {
        company.address.clone()
    } else {
        kelurahan
            .map(|k| format!("Kelurahan {}", k.name))
            .unwrap_or_default()
    };
    let mut address = json!({
        "@type": "PostalAddress",
        "addressLocality": regency.map(|r| r.name).unwrap_or("Kota Binjai"),
        "addressRegion": province,
        "addressCountry": "ID",
    });
    if !street.is_empty() {
        address["streetAddress"] = json!(street);
    }
    address
}

/// Whether the company's own details were seen by a verifier as they are now.
fn reviewed(company: &Company) -> bool {
    company.status() == crate::employers::VerificationStatus::Verified
}

/// The JSON-LD, made safe to place inside a `<script>` element.
pub fn job_posting(
    v: &Vacancy,
    company: &Company,
    url: &str,
    job_title: Option<&(String, String)>,
) -> String {
    let posted = v
        .published_at
        .map(crate::domain::calendar::date_of)
        .unwrap_or(v.opens_on);
    let mut description = html_paragraphs(&v.description);
    if !v.requirements.trim().is_empty() {
        description.push_str("<p><strong>Persyaratan</strong></p>");
        description.push_str(&html_paragraphs(&v.requirements));
    }
    let mut organization = json!({ "@type": "Organization", "name": company.name });
    if let Some(site) = company
        .website
        .as_deref()
        .filter(|s| !s.is_empty() && reviewed(company))
    {
        organization["sameAs"] = json!(site);
    }
    let mut posting = json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": v.title,
        "description": description,
        "datePosted": posted.to_string(),
        "validThrough": format!("{}{CLOSING_TIME}", v.closes_on),
        "employmentType": employment_type(v),
        "hiringOrganization": organization,
        "jobLocation": { "@type": "Place", "address": address(v, company) },
        "identifier": { "@type": "PropertyValue", "name": "SIBUSER Kota Binjai", "value": v.id.to_string() },
        "url": url,
        "directApply": false,
        "totalJobOpenings": v.positions(),
        "occupationalCategory": match job_title {
            Some((title, _)) => format!("KBJI 2014 {} {title}", v.kbji_code),
            None => format!("KBJI 2014 {}", v.kbji_code),
        },
        "experienceRequirements": if v.experience_months > 0 {
            json!({ "@type": "OccupationalExperienceRequirements", "monthsOfExperience": v.experience_months })
        } else {
            json!("no requirements")
        },
    });
    if let Some(category) = credential(v.education_min) {
        posting["educationRequirements"] =
            json!({ "@type": "EducationalOccupationalCredential", "credentialCategory": category });
    }
    if !v.skills.trim().is_empty() {
        posting["skills"] = json!(v.skills.trim());
    }
    if v.show_wage && (v.wage_min.is_some() || v.wage_max.is_some()) {
        let mut value = json!({ "@type": "QuantitativeValue", "unitText": "MONTH" });
        match (v.wage_min, v.wage_max) {
            (Some(a), Some(b)) if a != b => {
                value["minValue"] = json!(a);
                value["maxValue"] = json!(b);
            }
            (Some(a), _) | (None, Some(a)) => value["value"] = json!(a),
            (None, None) => {}
        }
        posting["baseSalary"] =
            json!({ "@type": "MonetaryAmount", "currency": "IDR", "value": value });
    }
    crate::web::format::script_json(&posting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_escaped_html() {
        assert_eq!(
            html_paragraphs("Gaji <b>besar</b>\nbaris 2\n\n  dua & tiga "),
            "<p>Gaji &lt;b&gt;besar&lt;/b&gt;<br>baris 2</p><p>dua &amp; tiga</p>"
        );
    }

    #[test]
    fn education_maps_to_credential_categories() {
        assert_eq!(
            credential(EducationLevel::Vocational.code()),
            Some("high school")
        );
        assert_eq!(
            credential(EducationLevel::S1.code()),
            Some("bachelor degree")
        );
        assert_eq!(credential(EducationLevel::Primary.code()), None);
    }
}
