//! The exchange with the national system, SIAPkerja (issue 17; the contract is
//! docs/national-sync.md). Changes of shared records are queued in the writing transaction
//! ([`outbox`]), pushed in signed batches by a worker on its own thread ([`push`],
//! [`worker`]) through a swappable client ([`client`]), and every message sent or received
//! is kept in a hash-chained log ([`exchange_log`]) with its Ed25519 seal ([`signing`]).
//! The wire types are in [`contract`]; [`sandbox`] is the reference national endpoint.
//! Owns `sync_state`, `sync_outbox`, `exchange_log` and `exchange_log_head`.

pub mod cli;
pub mod client;
pub mod contract;
pub mod exchange_log;
pub mod link;
pub mod outbox;
pub mod pages;
pub mod push;
pub mod sandbox;
pub mod signing;
pub mod worker;

pub use link::Link;
