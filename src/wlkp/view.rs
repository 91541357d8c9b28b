//! What the WLKP pages show of a report: the figures laid out as the form's tables (the
//! same layout, with inputs or without), the history of events, a line per report.

use std::collections::HashMap;

use super::figures::{
    AGE_FIELDS, AGE_LABELS, CITIZENSHIPS, CONTRACTS, EDUCATION_FIELDS, FigureFields,
    HEADCOUNT_FIELDS, SEXES,
};
use super::model::{Event, Report};
use crate::domain::ids::CompanyId;
use crate::reference::education::EducationLevel;
use crate::web::{Lang, format};

/// One field of a table: its name, an accessible label and what it holds.
pub struct Cell {
    pub field: &'static str,
    pub label: String,
    pub value: String,
}

pub struct Row {
    pub label: String,
    pub cells: Vec<Cell>,
}

/// The figures as the pages lay them out.
pub struct FigureView {
    pub contracts: Vec<String>,
    /// One row per sex and citizenship, one cell per contract.
    pub headcount: Vec<Row>,
    pub education: Vec<Cell>,
    pub ages: Vec<Cell>,
    pub others: Vec<Cell>,
}

impl FigureView {
    pub fn new(lang: Lang, fields: &FigureFields) -> Self {
        let t = |key: &str| lang.t(key).into_owned();
        let contracts: Vec<String> = CONTRACTS
            .iter()
            .map(|c| t(&format!("wlkp.contract.{c}")))
            .collect();
        let mut headcount = Vec::new();
        for (s, sex) in SEXES.iter().enumerate() {
            for (c, citizenship) in CITIZENSHIPS.iter().enumerate() {
                let label = format!(
                    "{} · {}",
                    t(&format!("wlkp.sex.{sex}")),
                    t(&format!("wlkp.citizenship.{citizenship}"))
                );
                let cells = HEADCOUNT_FIELDS[s][c]
                    .iter()
                    .zip(&contracts)
                    .map(|(field, contract)| Cell {
                        field,
                        label: format!("{label} · {contract}"),
                        value: fields.get(field).to_owned(),
                    })
                    .collect();
                headcount.push(Row { label, cells });
            }
        }
        let education = EDUCATION_FIELDS
            .iter()
            .zip(EducationLevel::ALL)
            .map(|(field, level)| Cell {
                field,
                label: level.name(lang).to_owned(),
                value: fields.get(field).to_owned(),
            })
            .collect();
        let ages = AGE_FIELDS
            .iter()
            .zip(AGE_LABELS)
            .map(|(field, label)| Cell {
                field,
                label: lang.tf("wlkp.age_group", &[("group", label)]),
                value: fields.get(field).to_owned(),
            })
            .collect();
        let others = [
            "disabled",
            "apprentices",
            "lowest_wage",
            "bpjs_tk",
            "bpjs_kes",
        ]
        .into_iter()
        .map(|field| Cell {
            field,
            label: t(&format!("wlkp.field.{field}")),
            value: fields.get(field).to_owned(),
        })
        .collect();
        Self {
            contracts,
            headcount,
            education,
            ages,
            others,
        }
    }
}

pub struct EventView {
    pub status_key: &'static str,
    pub revision: i32,
    pub note: Option<String>,
    pub when: String,
}

/// The events, oldest first.
pub fn event_views(lang: Lang, events: Vec<Event>) -> Vec<EventView> {
    events
        .into_iter()
        .map(|e| EventView {
            status_key: e.status.label_key(),
            revision: e.revision,
            note: e.note,
            when: format::day_time(lang, e.occurred_at),
        })
        .collect()
}

/// A report as a line of a list.
pub struct ReportLine {
    pub id: i32,
    pub company: String,
    pub period: i32,
    pub trigger_key: &'static str,
    pub source_key: &'static str,
    pub status_key: &'static str,
    pub status: &'static str,
    pub revision: i32,
    pub since: String,
}

pub fn report_lines(
    lang: Lang,
    reports: Vec<Report>,
    names: &HashMap<CompanyId, String>,
) -> Vec<ReportLine> {
    reports
        .into_iter()
        .map(|r| ReportLine {
            id: r.id.get(),
            company: r
                .company_id
                .and_then(|c| names.get(&c).cloned())
                .unwrap_or_else(|| format!("NIB {}", r.nib)),
            period: r.period_year,
            trigger_key: r.report_trigger.label_key(),
            source_key: r.source.label_key(),
            status_key: r.status.label_key(),
            status: r.status.as_str(),
            revision: r.revision,
            since: format::day(lang, r.status_changed_at),
        })
        .collect()
}
