//! SIBUSER (Sistem Informasi Bursa Kerja): the job board and labour-data portal of the
//! Dinas Ketenagakerjaan of Kota Binjai.
//!
//! The library holds the whole application; `main.rs` is only its command line.

// Translations from locales/*.yml, compiled in. Indonesian is the fallback language.
rust_i18n::i18n!("locales", fallback = "id");

pub mod accounts;
pub mod alerts;
pub mod app;
pub mod applications;
pub mod audit;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod domain;
pub mod employers;
pub mod employment;
pub mod exports;
pub mod fairs;
pub mod home;
pub mod import;
pub mod interop;
pub mod ipk;
pub mod jkp;
pub mod jobs;
pub mod mail;
pub mod national;
pub mod open_data;
pub mod outbound;
pub mod people;
pub mod personal_data;
pub mod reference;
pub mod routes;
pub mod schema;
pub mod search;
pub mod seekers;
pub mod sharing;
pub mod site;
pub mod startup;
pub mod telemetry;
pub mod training;
pub mod vacancies;
pub mod web;
pub mod wlkp;

pub use app::{Portal, build_app};
pub use web::AppState;
