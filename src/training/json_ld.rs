//! schema.org Course for a programme open for registration, with one CourseInstance (its
//! dates, mode, place, workload and the offer with its price and registration window), so
//! that a resident searching the web lands on the programme itself. In Indonesian, the
//! language of the programmes, whatever the reader's language.

use serde_json::{Value, json};

use super::programmes::{Certificate, Mode, Programme, field_label};
use super::providers::Provider;
use crate::reference::regions;
use crate::web::Lang;

/// Binjai is on Western Indonesia Time; registration runs from the start of its opening
/// day to the end of its closing day.
const DAY_START: &str = "T00:00:00+07:00";
const DAY_END: &str = "T23:59:59+07:00";

fn course_mode(mode: Mode) -> &'static str {
    match mode {
        Mode::InPerson => "onsite",
        Mode::Online => "online",
        Mode::Mixed => "blended",
    }
}

fn address(kelurahan: Option<&str>, regency: &str, street: Option<&str>) -> Value {
    let regency = regions::get(regency);
    let province = regency
        .and_then(|r| r.parent_code())
        .and_then(regions::get)
        .map(|p| p.name)
        .unwrap_or("Sumatera Utara");
    let street = street.map(str::to_owned).or_else(|| {
        kelurahan
            .and_then(regions::binjai_kelurahan_by_code)
            .map(|k| format!("Kelurahan {}", k.name))
    });
    let mut address = json!({
        "@type": "PostalAddress",
        "addressLocality": regency.map(|r| r.name).unwrap_or("Kota Binjai"),
        "addressRegion": province,
        "addressCountry": "ID",
    });
    if let Some(street) = street.filter(|s| !s.is_empty()) {
        address["streetAddress"] = json!(street);
    }
    address
}

/// The JSON-LD, made safe to place inside a `<script>` element.
pub fn course(p: &Programme, provider: &Provider, url: &str) -> String {
    let id = Lang::Id;
    let mode = p.mode;
    let mut organization = json!({
        "@type": "EducationalOrganization",
        "name": provider.name,
        "address": address(
            provider.kelurahan_code.as_deref(),
            &provider.regency_code,
            Some(&provider.address),
        ),
    });
    if let Some(site) = provider.website.as_deref().filter(|s| !s.is_empty()) {
        organization["url"] = json!(site);
    }
    // An online programme still names where it is held ("Zoom", "the LMS"), but it has no
    // street address.
    let location = match mode {
        Mode::Online => json!({ "@type": "VirtualLocation", "name": p.place }),
        Mode::InPerson | Mode::Mixed => json!({
            "@type": "Place",
            "name": p.place,
            "address": address(p.kelurahan_code.as_deref(), &p.regency_code, None),
        }),
    };
    let offer = json!({
        "@type": "Offer",
        "category": if p.cost.is_some() { "Paid" } else { "Free" },
        "price": p.cost.map_or(0, |c| c.amount()),
        "priceCurrency": "IDR",
        "validFrom": format!("{}{DAY_START}", p.registration_opens_on),
        "validThrough": format!("{}{DAY_END}", p.registration_closes_on),
        "url": url,
    });
    let mut course = json!({
        "@context": "https://schema.org/",
        "@type": "Course",
        "name": p.title,
        "description": p.description,
        "url": url,
        "inLanguage": "id",
        "isAccessibleForFree": p.cost.is_none(),
        "provider": organization,
        "teaches": id.t(field_label(&p.field)),
        "hasCourseInstance": {
            "@type": "CourseInstance",
            "courseMode": course_mode(mode),
            "startDate": p.starts_on.to_string(),
            "endDate": p.ends_on.to_string(),
            "courseWorkload": format!("PT{}H", p.hours),
            "location": location,
            "offers": offer,
        },
        "offers": offer,
    });
    if !p.requirements.trim().is_empty() {
        course["coursePrerequisites"] = json!(p.requirements.trim());
    }
    let certificate = p.certificate;
    if certificate != Certificate::None {
        course["educationalCredentialAwarded"] = json!({
            "@type": "EducationalOccupationalCredential",
            "name": id.t(certificate.label_key()),
            "credentialCategory": "certificate",
        });
    }
    crate::web::format::script_json(&course)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_map_to_schema_org_course_modes() {
        assert_eq!(course_mode(Mode::InPerson), "onsite");
        assert_eq!(course_mode(Mode::Online), "online");
        assert_eq!(course_mode(Mode::Mixed), "blended");
    }

    #[test]
    fn an_address_outside_binjai_names_its_regency() {
        let a = address(Some("12.75.01.1008"), regions::BINJAI_CODE, None);
        assert_eq!(a["addressLocality"], "Kota Binjai");
        assert!(
            a["streetAddress"]
                .as_str()
                .unwrap()
                .starts_with("Kelurahan ")
        );
        let a = address(None, "12.71", Some("Jl. Gatot Subroto 1"));
        assert_eq!(a["addressLocality"], "Kota Medan");
        assert_eq!(a["addressRegion"], "Sumatera Utara");
        assert_eq!(a["streetAddress"], "Jl. Gatot Subroto 1");
    }
}
