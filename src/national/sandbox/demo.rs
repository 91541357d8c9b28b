//! National records the sandbox holds with `--demo`: what the demo portal pulls, so that a
//! fresh machine shows Karirhub's vacancies in the search, JKP recipients from BPJS and a
//! WLKP report from the national system. Dates are relative to today, so the vacancies
//! stay open.

use chrono::{Duration, NaiveDate};
use serde_json::json;

use super::national::Put;
use crate::national::contract::PullSet;

fn put(external_id: &str, origin: &str, record: serde_json::Value) -> Put {
    Put {
        external_id: external_id.into(),
        origin: origin.into(),
        deleted: false,
        record: Some(record),
    }
}

pub fn records(today: NaiveDate) -> Vec<(PullSet, Put)> {
    let day = |d: i64| (today + Duration::days(d)).to_string();
    let vacancy = |id: &str,
                   title: &str,
                   employer: &str,
                   kbji: &str,
                   kelurahan: &str,
                   wage: i64| {
        put(
            id,
            "karirhub",
            json!({
                "judul": title,
                "nama_perusahaan": employer,
                "kode_kbji": kbji,
                "versi_kbji": "2014",
                "kode_kelurahan": kelurahan,
                "kode_kabupaten_kota": "12.75",
                "hubungan_kerja": "pkwt",
                "pendidikan_minimal": 4,
                "upah_minimum": wage,
                "upah_maksimum": wage + 500_000,
                "kuota_laki_laki": 0,
                "kuota_perempuan": 0,
                "kuota_bebas": 2,
                "ramah_disabilitas": false,
                "tanggal_buka": day(-3),
                "tanggal_tutup": day(27),
                "tautan": format!("https://karirhub.kemnaker.go.id/lowongan-dalam-negeri/lowongan/{id}"),
                "sumber": "karirhub",
            }),
        )
    };
    vec![
        (
            PullSet::Vacancies,
            vacancy(
                "KH-2026-100201",
                "Pengemudi Ekspedisi",
                "PT Logistik Nusantara Sumut",
                "8322",
                "12.75.01.1003",
                3_000_000,
            ),
        ),
        (
            PullSet::Vacancies,
            vacancy(
                "KH-2026-100202",
                "Perawat Klinik",
                "Klinik Pratama Sehat Binjai",
                "2221",
                "12.75.02.1001",
                3_500_000,
            ),
        ),
        (
            PullSet::Vacancies,
            vacancy(
                "KH-2026-100203",
                "Staf Akuntansi",
                "CV Mitra Dagang Binjai",
                "3313",
                "12.75.04.1002",
                3_200_000,
            ),
        ),
        (
            PullSet::Jkp,
            put(
                "JKP-2026-558201",
                "bpjs",
                json!({
                    "nik": "1275016505900002",
                    "nama": "Rina Ginting",
                    "jenis_kelamin": "P",
                    "tanggal_lahir": "1990-05-25",
                    "kode_kelurahan": "12.75.01.1002",
                    "kode_kabupaten_kota": "12.75",
                    "pemberi_kerja_terakhir": "PT Tekstil Sumatera Binjai",
                    "nib_pemberi_kerja_terakhir": "9120001000011",
                    "tanggal_phk": day(-40),
                    "alasan_phk": "efficiency",
                    "manfaat_mulai": day(-30),
                    "manfaat_sampai": day(150),
                }),
            ),
        ),
        (
            PullSet::Wlkp,
            put(
                "WLKP-2026-771002",
                "wlkp",
                json!({
                    "nib": "9120001777001",
                    "nama_perusahaan": "PT Sawit Langkat Makmur",
                    "tahun": 2026,
                    "jenis_laporan": "annual",
                    "tanggal_lapor": day(-20),
                    "l_wni_pkwtt": 12, "l_wni_pkwt": 4, "l_wni_alih_daya": 0,
                    "l_wna_pkwtt": 0, "l_wna_pkwt": 0, "l_wna_alih_daya": 0,
                    "p_wni_pkwtt": 6, "p_wni_pkwt": 2, "p_wni_alih_daya": 0,
                    "p_wna_pkwtt": 0, "p_wna_pkwt": 0, "p_wna_alih_daya": 0,
                    "pend_sd": 2, "pend_smp": 6, "pend_sma": 10, "pend_smk": 4, "pend_s1": 2,
                    "usia_20_29": 9, "usia_30_44": 11, "usia_45_54": 4,
                    "disabilitas": 1, "magang": 0, "upah_terendah": 3_000_000,
                    "bpjs_ketenagakerjaan": 24, "bpjs_kesehatan": 24,
                }),
            ),
        ),
    ]
}

/// `sibuser serve --demo --national-sandbox`: a sandbox holding the demo's national records
/// on this machine, and the sync settings that point the portal at it under the demo's
/// ministry partner, with a fresh key pair for each side. The demo then pushes its shared
/// data there and pulls the national records back (every minute).
pub fn start_for_demo(conn: &mut crate::db::DbConnection) -> anyhow::Result<DemoSettings> {
    use crate::config::sync::{self, key};
    use crate::national::signing::generate;
    use crate::sharing::{PartnerKind, partners};
    let ministry = partners::list(conn, crate::domain::calendar::today())?
        .into_iter()
        .find(|p| p.partner.kind == PartnerKind::Ministry && p.partner.active)
        .ok_or_else(|| anyhow::anyhow!("the demo has no ministry partner to sync under"))?;
    let (portal_seed, portal_public) = generate("binjai-demo");
    let (sandbox_seed, sandbox_public) = generate("sandbox-demo");
    let addr = super::spawn(super::Options {
        fail_rate: 0.0,
        drop_after_store_rate: 0.0,
        latency: std::time::Duration::ZERO,
        malformed_rate: 0.0,
        signing_key: key("sandbox key", &sandbox_seed)?,
        peer_keys: vec![key("portal key", &portal_public)?],
        tls: None,
        demo: true,
        oidc_client: super::OidcClient::default(),
    })?;
    let env: std::collections::HashMap<&str, String> = [
        ("SIBUSER_SYNC_URL", format!("http://{addr}/v1")),
        (
            "SIBUSER_SYNC_PARTNER_ID",
            ministry.partner.id.get().to_string(),
        ),
        ("SIBUSER_SYNC_SIGNING_KEY", portal_seed),
        ("SIBUSER_SYNC_PEER_KEYS", sandbox_public),
        ("SIBUSER_SYNC_PULL_EVERY_SECONDS", "60".into()),
    ]
    .into_iter()
    .collect();
    Ok(DemoSettings {
        sync: sync::parse(&|name: &str| env.get(name).cloned())?
            .ok_or_else(|| anyhow::anyhow!("the demo's sync settings are incomplete"))?,
        oidc_issuer: format!("http://{addr}/oidc"),
    })
}

/// What the portal needs to use the demo's sandbox.
pub struct DemoSettings {
    pub sync: crate::config::sync::SyncSettings,
    oidc_issuer: String,
}

impl DemoSettings {
    /// Sign-in through the sandbox's OpenID Connect provider, for a portal at `base_url`.
    pub fn oidc(
        &self,
        base_url: &str,
    ) -> Result<Option<crate::config::oidc::OidcSettings>, crate::config::ConfigError> {
        let client = super::OidcClient::default();
        let env: std::collections::HashMap<&str, String> = [
            ("SIBUSER_OIDC_ISSUER", self.oidc_issuer.clone()),
            ("SIBUSER_OIDC_CLIENT_ID", client.id),
            ("SIBUSER_OIDC_CLIENT_SECRET", client.secret),
        ]
        .into_iter()
        .collect();
        crate::config::oidc::parse(&|name: &str| env.get(name).cloned(), base_url)
    }
}

/// The application the demo's sandbox forwards to the portal's vacancy `vacancy`, as a
/// resident who applied on Karirhub and consented to forwarding.
pub fn application(vacancy: i64) -> serde_json::Value {
    json!({
        "id_lowongan": vacancy,
        "persetujuan": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "nama": "Dedi Sembiring",
        "surel": "dedi.sembiring@karirhub.example",
        "telepon": "081260009999",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1999-01-01",
        "kode_kelurahan": "12.75.03.1001",
        "pendidikan": 5,
        "pesan": "Saya melamar melalui Karirhub; berpengalaman dua tahun.",
    })
}
