//! All integration tests in one binary: one link step instead of one per file.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod admin;
mod ak1;
mod alerts;
mod api;
mod applications;
mod browser;
mod cli;
mod codes;
mod companies;
mod compression;
mod cv_content;
mod dashboard;
mod database;
mod employment;
mod enrolment;
mod exports;
mod feed;
mod home;
mod import;
mod import_kinds;
mod import_seekers;
mod ipk;
mod ipk_fixture;
mod ipk_property;
mod ipk_reports;
mod ipk_world;
mod jkp;
mod journey;
mod least_privilege;
mod mail_safety;
mod national;
mod national_pull;
mod open_data;
mod own_data;
mod ownership;
mod pages;
mod partner_users;
mod people;
mod reviewed_versions;
mod routes;
mod search;
mod security;
mod seekers;
mod sharing;
mod sso;
mod text_fields;
mod training;
mod training_search;
mod vacancies;
mod values;
mod wlkp;
