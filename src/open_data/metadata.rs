//! A data set's metadata as Satu Data Indonesia asks for it (Perpres 39/2019; DOMAIN.md
//! §8): what it counts and how, when, where, by whom, under which code lists, and on what
//! terms it may be reused. The page shows it in the reader's language; the JSON carries it
//! in Indonesian, the language of record.

use serde::Serialize;

use super::datasets::{Dataset, Unit};
use super::published::THRESHOLD;
use crate::ipk::Month;
use crate::reference::regions;
use crate::web::{Lang, format};

pub const LICENCE: &str = "CC BY 4.0";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/deed.id";
pub const CONTACT_EMAIL: &str = "dinastenagakerjabinjai@gmail.com";

#[derive(Debug, Clone, Serialize)]
pub struct CodeList {
    #[serde(rename = "nama")]
    pub name: String,
    #[serde(rename = "versi")]
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variable {
    #[serde(rename = "kolom")]
    pub column: String,
    #[serde(rename = "keterangan")]
    pub meaning: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Metadata {
    #[serde(rename = "judul")]
    pub title: String,
    #[serde(rename = "definisi")]
    pub definition: String,
    #[serde(rename = "satuan")]
    pub unit: String,
    #[serde(rename = "periode")]
    pub period: String,
    #[serde(rename = "bulan_pertama")]
    pub first_month: Option<String>,
    #[serde(rename = "bulan_terakhir")]
    pub last_month: Option<String>,
    #[serde(rename = "frekuensi")]
    pub frequency: String,
    #[serde(rename = "wilayah")]
    pub region: String,
    #[serde(rename = "produsen_data")]
    pub producer: String,
    #[serde(rename = "sumber")]
    pub source: String,
    #[serde(rename = "daftar_kode")]
    pub code_lists: Vec<CodeList>,
    #[serde(rename = "kerahasiaan")]
    pub confidentiality: String,
    #[serde(rename = "kontak")]
    pub contact: String,
    #[serde(rename = "lisensi")]
    pub licence: String,
    #[serde(rename = "lisensi_url")]
    pub licence_url: String,
    #[serde(rename = "variabel")]
    pub variables: Vec<Variable>,
}

pub fn of(dataset: &Dataset, lang: Lang, months: &[Month]) -> Metadata {
    let t = |key: &str| lang.t(key).into_owned();
    let own = |part: &str| t(&format!("open_data.{}.{part}", dataset.key));
    let month_name = |m: &Month| format::month(lang, m.year(), m.month());
    let period = match (months.first(), months.last()) {
        (Some(first), Some(last)) => lang.tf(
            "open_data.meta.period_value",
            &[("first", &month_name(first)), ("last", &month_name(last))],
        ),
        _ => t("open_data.meta.period_none"),
    };
    let (list_key, list_version) = dataset.dimension.code_list();
    let mut code_lists = vec![CodeList {
        name: t(list_key),
        version: list_version.to_owned(),
    }];
    if !list_version.starts_with(regions::VERSION) {
        code_lists.push(CodeList {
            name: t("open_data.code_list.regions"),
            version: regions::VERSION.to_owned(),
        });
    }
    code_lists.push(CodeList {
        name: t("open_data.code_list.sex"),
        version: t(match dataset.unit {
            Unit::Persons => "open_data.code_list.sex_persons",
            Unit::Positions => "open_data.code_list.sex_positions",
        }),
    });
    let (code_column, name_column) = dataset.dimension.columns();
    let variable = |column: &str, key: &str| Variable {
        column: column.to_owned(),
        meaning: t(key),
    };
    Metadata {
        title: own("title"),
        definition: own("definition"),
        unit: t(match dataset.unit {
            Unit::Persons => "open_data.meta.unit_persons",
            Unit::Positions => "open_data.meta.unit_positions",
        }),
        period,
        first_month: months.first().map(Month::to_string),
        last_month: months.last().map(Month::to_string),
        frequency: t("open_data.meta.monthly"),
        region: format!("Kota Binjai ({})", regions::BINJAI_CODE),
        producer: t("footer.office"),
        source: own("source"),
        code_lists,
        confidentiality: match dataset.unit {
            Unit::Persons => lang.tf(
                "open_data.meta.confidential_persons",
                &[("max", &(THRESHOLD - 1).to_string())],
            ),
            Unit::Positions => t("open_data.meta.confidential_positions"),
        },
        contact: format!("{} · {CONTACT_EMAIL}", t("footer.office")),
        licence: LICENCE.to_owned(),
        licence_url: LICENCE_URL.to_owned(),
        variables: vec![
            variable("periode", "open_data.var.period"),
            variable("jenis_kelamin", "open_data.var.sex"),
            variable(code_column, "open_data.var.code"),
            variable(name_column, "open_data.var.name"),
            variable("nilai", "open_data.var.value"),
            variable("disembunyikan", "open_data.var.hidden"),
        ],
    }
}
