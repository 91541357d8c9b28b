//! Exchange with the partners of the agreement (issue 16): the sharing API under
//! `/api/v1`, read with the keys and grants that `sharing` keeps. A page of a data set is
//! the change feed ([`feed`]) read through the exports' providers ([`records`]); keys, the
//! cookie refusal and the rate limits are in [`access`], problems (RFC 9457) in
//! [`problem`], the strict query string in [`query`], the logs a page leaves in
//! [`ledger`], the OpenAPI document in [`openapi`] and its page in [`docs`]. Owns `record_versions` (written by triggers).

pub mod access;
pub mod docs;
pub mod endpoints;
pub mod feed;
pub mod ledger;
pub mod openapi;
pub mod problem;
pub mod query;
pub mod records;
