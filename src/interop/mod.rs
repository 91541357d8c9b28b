//! Sharing the data sets with partners (issue 16): the API, and the change feed it pages by.
pub mod feed;
