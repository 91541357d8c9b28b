//! Data sharing (issue 16, item 2): the partners of the Dinas (the ministry, the province,
//! BPJS Ketenagakerjaan), what each may receive and on what legal basis ([`partners`]),
//! and the API keys the data steward issues them ([`keys`]). The `/api/v1` endpoints ask
//! [`keys::authenticate`] who is calling and what that caller may read.
//! Owns `partners`, `partner_grants`, `api_keys` and `api_key_scopes`; the partners'
//! web users ([`users`], `partner_users`), their portal ([`portal`]) and the log of what
//! went out ([`out_log`], `sharing_out_log`) are here too.

pub mod keys;
pub mod out_log;
pub mod pages;
pub mod partners;
pub mod portal;
pub mod portal_admin;
pub mod users;

use crate::domain::code::choice;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{ApiKeyId, PartnerId};
pub use crate::exports::Dataset;

choice!(
    /// Who the partner is: it decides nothing in code, but the pages and the log group by it.
    PartnerKind in "ref_partner_kind" {
        Ministry => "ministry", "sharing.kind.ministry",
        Province => "province", "sharing.kind.province",
        Bpjs => "bpjs", "sharing.kind.bpjs",
        Other => "other", "sharing.kind.other",
    }
);

choice!(
    /// How personal fields leave the portal for a partner.
    Masking in "ref_masking" {
        /// NIK as `1275********0001`, a birth date as its year: as the exports mask.
        Masked => "masked", "sharing.masking.masked",
        /// Personal fields as stored.
        Unmasked => "unmasked", "sharing.masking.unmasked",
    }
);

impl Masking {
    /// The narrower of two levels: a key's scope and the partner's grant together.
    pub fn narrower(self, other: Masking) -> Masking {
        if self == Masking::Masked || other == Masking::Masked {
            Masking::Masked
        } else {
            Masking::Unmasked
        }
    }
}
