//! The demo's data-sharing partners, with their grants and no keys: a key is a secret,
//! and one written into every demo database would be a key known to everyone.

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::sharing::partners::{self, Actor, PartnerForm};
use crate::sharing::{Dataset, Masking};
use crate::web::respond::RequestMeta;

/// (name, kind, legal basis, contact, e-mail, grants).
type Demo = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(Dataset, Masking)],
);

const PARTNERS: &[Demo] = &[
    (
        "Kementerian Ketenagakerjaan RI",
        "ministry",
        "PKS Kemnaker–Pemkot Binjai 2025, Pasal 6",
        "Pusat Data dan Informasi Ketenagakerjaan",
        "pusdatin@kemnaker.example",
        &[
            (Dataset::JobSeekers, Masking::Masked),
            (Dataset::Vacancies, Masking::Masked),
            (Dataset::Placements, Masking::Masked),
        ],
    ),
    (
        "Disnaker Provinsi Sumatera Utara",
        "province",
        "Kesepakatan Bersama Pemprov Sumut–Pemkot Binjai 2025, Pasal 4",
        "Bidang Penempatan Tenaga Kerja",
        "penempatan@disnaker.sumut.example",
        &[(Dataset::Vacancies, Masking::Masked)],
    ),
    (
        "BPJS Ketenagakerjaan Cabang Binjai",
        "bpjs",
        "PKS BPJS Ketenagakerjaan–Pemkot Binjai 2025 tentang JKP, Pasal 5",
        "Kepala Bidang Kepesertaan",
        "kepesertaan.binjai@bpjs.example",
        &[(Dataset::Jkp, Masking::Unmasked)],
    ),
];

/// The demo partner user's address: the ministry's "User Admin" (a demo account).
pub const PARTNER_USER: &str = "mitra@sibuser.example";

/// Adds the three partners as the data steward, and links the demo partner user to the
/// ministry; returns how many partners.
pub fn seed(conn: &mut DbConnection, steward: UserId, now: NaiveDateTime) -> anyhow::Result<usize> {
    let meta = RequestMeta {
        address: "127.0.0.1".into(),
        request_id: None,
    };
    let by = Actor {
        user: steward,
        meta: &meta,
    };
    for (name, kind, legal_basis, contact_name, contact_email, grants) in PARTNERS {
        let form = PartnerForm {
            name: (*name).into(),
            kind: (*kind).into(),
            legal_basis: (*legal_basis).into(),
            contact_name: (*contact_name).into(),
            contact_email: (*contact_email).into(),
        };
        let new = form
            .check()
            .map_err(|e| anyhow::anyhow!("demo partner {name}: {e:?}"))?;
        let id = partners::add(conn, &new, &by, now)?;
        for (dataset, masking) in *grants {
            partners::grant(conn, id, *dataset, *masking, &by, now)?;
        }
        if *kind == "ministry" {
            let email = crate::domain::Email::parse(PARTNER_USER)
                .map_err(|e| anyhow::anyhow!("demo address: {e}"))?;
            let user = crate::accounts::find_by_email(conn, &email)?
                .ok_or_else(|| anyhow::anyhow!("the demo partner user is missing"))?;
            crate::sharing::users::link(conn, id, user.id, &by, now)?;
        }
    }
    Ok(PARTNERS.len())
}
