//! The exchange with the national system, SIAPkerja (issue 17; the contract is
//! docs/national-sync.md). Changes of shared records are queued in the writing transaction
//! ([`outbox`]), pushed in signed batches by a worker on its own thread ([`push`],
//! [`worker`]) through a swappable client ([`client`]), and every message sent or received
//! is kept in a hash-chained log ([`exchange_log`]) with its Ed25519 seal ([`signing`]).
//! The wire types are in [`contract`]; [`sandbox`] is the reference national endpoint.
//! The pull ([`pull`]) merges the national side's vacancies, JKP recipients and WLKP
//! reports by their external ids ([`pulled`]); national vacancies have their own table
//! ([`vacancies`]). Owns `sync_state`, `sync_outbox`, `exchange_log`, `exchange_log_head`,
//! `sync_pull_state`, `sync_pulled` and `national_vacancies`.

pub mod cli;
pub mod client;
pub mod contract;
pub mod exchange_log;
pub mod fields;
pub mod forwarded;
pub mod karirhub;
pub mod link;
pub mod outbox;
pub mod pages;
pub mod pull;
pub mod pulled;
pub mod pulled_pages;
pub mod push;
pub mod sandbox;
pub mod signing;
pub mod vacancies;
pub mod worker;

pub use link::Link;
