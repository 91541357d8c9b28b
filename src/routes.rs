//! Every URL of the portal, read top to bottom: method, path, who may use it, handler.
//!
//! This is the one place routes are declared. The access column is enforced before the
//! handler runs (`web::routing`), and `tests/integration/routes.rs` signs in as every role
//! and checks each row against it. Rows that share a path become one resource; within a
//! group a fixed path (`/baru`) must come before a pattern (`{id}`) that would match it.

use crate::web::auth::access::{
    API_KEY, BOOTH_REVIEW, COMPANY_OWNER, COUNTER_STAFF, DATA_STAFF, DATA_STEWARD, DINAS_STAFF,
    EMPLOYER, FAIR_STAFF, JKP_STAFF, JOB_SEEKER, PARTNER, PROVIDER, PUBLIC, SIGNED_IN, SUPER_ADMIN,
    TRAINING_STAFF, VERIFIER,
};
use crate::web::routing::{Row, get, post};
use crate::{
    accounts, alerts, applications, audit, employers, import, ipk, jkp, mail, seekers, site,
};
use crate::{dashboard, fairs, open_data, training, vacancies, web, wlkp};

#[rustfmt::skip]
pub fn table() -> Vec<Row> {
    use accounts::routes::{account, login, reset, signup, sso};
    use seekers::{ak1, counter};
    vec![
        // The site, for everyone.
        get(r"/", PUBLIC, site::home),
        get(r"/tentang", PUBLIC, site::about),
        get(r"/privasi", PUBLIC, site::privacy),
        get(r"/bantuan", PUBLIC, site::help),
        get(r"/bahasa/{code}", PUBLIC, site::switch_language),
        get(r"/healthz", PUBLIC, site::healthz),
        get(r"/readyz", PUBLIC, site::readyz),
        get(r"/sitemap.xml", PUBLIC, site::crawlers::sitemap),
        get(r"/robots.txt", PUBLIC, site::crawlers::robots),
        get(r"/static/{name:.+}", PUBLIC, web::assets::serve),

        // Vacancies, companies and training, as residents find them.
        get(r"/lowongan", PUBLIC, vacancies::public::search_page),
        get(r"/lowongan/feed.xml", PUBLIC, vacancies::public::feed),
        get(r"/lowongan/nasional", PUBLIC, crate::national::karirhub::list),
        get(r"/lowongan/{id:\d+}", PUBLIC, vacancies::public::vacancy_page),
        get(r"/perusahaan/{id:\d+}", PUBLIC, employers::public::company_page),
        get(r"/pelatihan", PUBLIC, training::public::search_page),
        get(r"/pelatihan/{id:\d+}", PUBLIC, training::public::programme_page),
        get(r"/bursa-kerja", PUBLIC, fairs::public::list),
        get(r"/bursa-kerja/{id:\d+}", PUBLIC, fairs::public::page),
        get(r"/bursa-kerja/{id:\d+}/kalender.ics", PUBLIC, fairs::public::ics),
        get(r"/ak1/cek", PUBLIC, ak1::verify::check),
        get(r"/peringatan/berhenti/{token}", PUBLIC, alerts::pages::confirm),
        post(r"/peringatan/berhenti/{token}", PUBLIC, alerts::pages::unsubscribe),
        // Open data: aggregates of closed months, each data set as a page, CSV and JSON.
        get(r"/data-terbuka", PUBLIC, open_data::index),
        get(r"/data-terbuka/{dataset:[a-z0-9-]+}", PUBLIC, open_data::page),
        get(r"/data-terbuka/{dataset:[a-z0-9-]+}.csv", PUBLIC, open_data::file),
        get(r"/data-terbuka/{dataset:[a-z0-9-]+}.json", PUBLIC, open_data::file),

        // Signing up, in and out; links sent by mail.
        get(r"/masuk", PUBLIC, login::login_form),
        post(r"/masuk", PUBLIC, login::login),
        // Through the OpenID Connect provider (SIAPkerja), where one is configured.
        post(r"/masuk/sso", PUBLIC, sso::sign_in),
        get(r"/masuk/sso/kembali", PUBLIC, sso::callback),
        post(r"/keluar", PUBLIC, login::logout),
        get(r"/daftar", PUBLIC, signup::signup_form),
        post(r"/daftar", PUBLIC, signup::signup),
        get(r"/daftar/perusahaan", PUBLIC, signup::employer_signup_form),
        post(r"/daftar/perusahaan", PUBLIC, signup::employer_signup),
        get(r"/daftar/periksa-surel", PUBLIC, signup::check_mail_page),
        get(r"/verifikasi/{token}", PUBLIC, signup::verify_email),
        get(r"/lupa-sandi", PUBLIC, reset::forgot_form),
        post(r"/lupa-sandi", PUBLIC, reset::forgot),
        get(r"/atur-sandi/{token}", PUBLIC, reset::reset_form),
        post(r"/atur-sandi/{token}", PUBLIC, reset::reset),
        get(r"/undangan/{token}", PUBLIC, reset::invite_form),
        post(r"/undangan/{token}", PUBLIC, reset::accept_invite),
        get(r"/akun/surel/{token}", PUBLIC, account::confirm_email_change),

        // Any signed-in user: their own front page, where signing in lands, and the account.
        get(r"/saya", SIGNED_IN, crate::home::page),
        get(r"/akun", SIGNED_IN, account::account),
        post(r"/akun/profil", SIGNED_IN, account::update_profile),
        post(r"/akun/sandi", SIGNED_IN, account::change_password),
        post(r"/akun/surel", SIGNED_IN, account::request_email_change),
        post(r"/akun/verifikasi", SIGNED_IN, signup::resend_verification),
        post(r"/akun/keluar-semua", SIGNED_IN, account::sign_out_everywhere),
        post(r"/akun/sso", SIGNED_IN, sso::link),
        post(r"/akun/sso/lepas", SIGNED_IN, sso::unlink),

        // Job seekers: profile, CV, photo, AK/I card, applications, training, alerts, data.
        get(r"/konfirmasi-penduduk/{token}", PUBLIC, seekers::person_check::page),
        post(r"/konfirmasi-penduduk/{token}", JOB_SEEKER, seekers::person_check::submit),
        get(r"/pencaker/profil", JOB_SEEKER, seekers::profile::show),
        get(r"/pencaker/profil/{task}", JOB_SEEKER, seekers::profile::task),
        post(r"/pencaker/profil/{task}", JOB_SEEKER, seekers::profile::save),
        post(r"/pencaker/profil/{section}/{id}/hapus", JOB_SEEKER, seekers::profile::remove_row),
        get(r"/pencaker/cv", JOB_SEEKER, seekers::cv::download_own).with_data(seekers::cv::upload_limit()),
        post(r"/pencaker/cv", JOB_SEEKER, seekers::cv::upload),
        post(r"/pencaker/cv/hapus", JOB_SEEKER, seekers::cv::remove),
        get(r"/pencaker/foto", JOB_SEEKER, seekers::photo::own).with_data(seekers::photo::upload_limit()),
        post(r"/pencaker/foto", JOB_SEEKER, seekers::photo::upload),
        post(r"/pencaker/foto/hapus", JOB_SEEKER, seekers::photo::remove),
        get(r"/pencaker/ak1", JOB_SEEKER, ak1::holder::show),
        post(r"/pencaker/ak1/minta", JOB_SEEKER, ak1::holder::ask),
        post(r"/pencaker/ak1/lapor", JOB_SEEKER, ak1::holder::report),
        post(r"/pencaker/ak1/batal", JOB_SEEKER, ak1::holder::cancel),
        get(r"/pencaker/ak1/cetak", JOB_SEEKER, ak1::print::own),
        get(r"/lowongan/{id:\d+}/lamar", JOB_SEEKER, applications::seeker::form),
        post(r"/lowongan/{id:\d+}/lamar", JOB_SEEKER, applications::seeker::apply),
        get(r"/pencaker/lamaran", JOB_SEEKER, applications::seeker::mine),
        post(r"/pencaker/lamaran/{id:\d+}/tarik", JOB_SEEKER, applications::seeker::withdraw),
        get(r"/pelatihan/{id:\d+}/daftar", JOB_SEEKER, training::enrol::form),
        post(r"/pelatihan/{id:\d+}/daftar", JOB_SEEKER, training::enrol::enrol),
        get(r"/pencaker/pelatihan", JOB_SEEKER, training::enrol::mine),
        post(r"/pencaker/pelatihan/{id:\d+}/batal", JOB_SEEKER, training::enrol::withdraw),
        post(r"/bursa-kerja/{id:\d+}/daftar", JOB_SEEKER, fairs::resident::register),
        get(r"/pencaker/bursa-kerja", JOB_SEEKER, fairs::resident::mine),
        get(r"/pencaker/bursa-kerja/{id:\d+}", JOB_SEEKER, fairs::resident::show),
        post(r"/pencaker/bursa-kerja/{id:\d+}/batal", JOB_SEEKER, fairs::resident::cancel),
        get(r"/pencaker/peringatan", JOB_SEEKER, alerts::pages::list),
        post(r"/pencaker/peringatan", JOB_SEEKER, alerts::pages::create),
        post(r"/pencaker/peringatan/{id:\d+}/hapus", JOB_SEEKER, alerts::pages::remove),
        get(r"/pencaker/data-saya", JOB_SEEKER, seekers::own_data::page),
        get(r"/pencaker/data-saya.json", JOB_SEEKER, seekers::own_data::export),
        post(r"/pencaker/hapus-akun", JOB_SEEKER, seekers::own_data::delete),

        // Employers: the company, its vacancies and their applicants.
        get(r"/perusahaan/profil", EMPLOYER, employers::profile::show),
        post(r"/perusahaan/profil", EMPLOYER, employers::profile::update),
        get(r"/perusahaan/lowongan", EMPLOYER, vacancies::employer::list),
        post(r"/perusahaan/lowongan/tutup", EMPLOYER, vacancies::employer::close_many),
        get(r"/perusahaan/lowongan/baru", EMPLOYER, vacancies::employer::new_form),
        post(r"/perusahaan/lowongan/baru", EMPLOYER, vacancies::employer::create),
        get(r"/perusahaan/lowongan/{id}", EMPLOYER, vacancies::employer::edit_form),
        post(r"/perusahaan/lowongan/{id}", EMPLOYER, vacancies::employer::update),
        post(r"/perusahaan/lowongan/{id}/tutup", EMPLOYER, vacancies::employer::close),
        get(r"/perusahaan/lowongan/{id}/terisi", EMPLOYER, vacancies::employer::fill_form),
        post(r"/perusahaan/lowongan/{id}/terisi", EMPLOYER, vacancies::employer::fill),
        get(r"/perusahaan/lowongan/{id:\d+}/pelamar", EMPLOYER, applications::employer::pipeline),
        post(r"/perusahaan/lowongan/{id:\d+}/pelamar", EMPLOYER, applications::employer::move_many),
        get(r"/perusahaan/lowongan/{id:\d+}/pelamar/{app:\d+}", EMPLOYER, applications::employer::applicant),
        get(r"/perusahaan/lowongan/{id:\d+}/pelamar/{app:\d+}/cv", EMPLOYER, applications::employer::cv),
        // WLKP: the company's reports on its workforce.
        get(r"/perusahaan/bursa-kerja", EMPLOYER, fairs::employer::list),
        get(r"/perusahaan/bursa-kerja/{id:\d+}", EMPLOYER, fairs::employer::form),
        post(r"/perusahaan/bursa-kerja/{id:\d+}", EMPLOYER, fairs::employer::apply),
        post(r"/perusahaan/bursa-kerja/{id:\d+}/tarik", EMPLOYER, fairs::employer::withdraw),
        get(r"/perusahaan/bursa-kerja/{id:\d+}/wawancara", EMPLOYER, fairs::interviews::show),
        post(r"/perusahaan/bursa-kerja/{id:\d+}/wawancara", EMPLOYER, fairs::interviews::create),
        get(r"/perusahaan/wlkp", EMPLOYER, wlkp::employer::list),
        get(r"/perusahaan/wlkp/baru", EMPLOYER, wlkp::employer::new_form),
        post(r"/perusahaan/wlkp/baru", EMPLOYER, wlkp::employer::create),
        get(r"/perusahaan/wlkp/{id:\d+}", EMPLOYER, wlkp::employer::show),
        post(r"/perusahaan/wlkp/{id:\d+}", EMPLOYER, wlkp::employer::update),
        // The company's owner manages its users.
        get(r"/perusahaan/pengguna", COMPANY_OWNER, employers::users::list),
        post(r"/perusahaan/pengguna", COMPANY_OWNER, employers::users::invite),
        post(r"/perusahaan/pengguna/{id}/status", COMPANY_OWNER, employers::users::change_status),
        get(r"/perusahaan/cabang", COMPANY_OWNER, employers::branch_pages::own_list),
        post(r"/perusahaan/cabang", COMPANY_OWNER, employers::branch_pages::own_register),

        // Training providers (BLK, LPK): their profile, programmes and participants.
        get(r"/lembaga/profil", PROVIDER, training::own::show),
        post(r"/lembaga/profil", PROVIDER, training::own::update),
        get(r"/lembaga/program", PROVIDER, training::provider_programmes::list),
        get(r"/lembaga/program/baru", PROVIDER, training::provider_programmes::new_form),
        post(r"/lembaga/program/baru", PROVIDER, training::provider_programmes::create),
        get(r"/lembaga/program/{id:\d+}", PROVIDER, training::provider_programmes::edit_form),
        post(r"/lembaga/program/{id:\d+}", PROVIDER, training::provider_programmes::update),
        post(r"/lembaga/program/{id:\d+}/status", PROVIDER, training::provider_programmes::change_status),
        get(r"/lembaga/program/{id:\d+}/peserta", PROVIDER, training::participants::provider_page),
        post(r"/lembaga/program/{id:\d+}/peserta/{enrolment:\d+}", PROVIDER, training::participants::provider_decide),
        get(r"/lembaga/program/{id:\d+}/kehadiran", PROVIDER, training::participants::provider_attendance),
        post(r"/lembaga/program/{id:\d+}/kehadiran", PROVIDER, training::participants::provider_record),
        get(r"/lembaga/hasil", PROVIDER, training::outcome_pages::provider_page),

        // The counter: operators (and super admins standing in) serve residents.
        get(r"/petugas/pencaker", COUNTER_STAFF, counter::find::list),
        post(r"/petugas/pencaker/cari", COUNTER_STAFF, counter::find::find),
        get(r"/petugas/pencaker/baru", COUNTER_STAFF, counter::register::form),
        post(r"/petugas/pencaker/baru", COUNTER_STAFF, counter::register::create),
        get(r"/petugas/pencaker/{user_id:\d+}", COUNTER_STAFF, counter::card::show),
        get(r"/petugas/pencaker/{user_id:\d+}/ak1/cetak", COUNTER_STAFF, ak1::print::by_staff),
        get(r"/petugas/pencaker/{user_id:\d+}/tanda-bukti", COUNTER_STAFF, counter::slip::show),
        get(r"/petugas/pencaker/{user_id:\d+}/surel", COUNTER_STAFF, counter::email::form),
        post(r"/petugas/pencaker/{user_id:\d+}/surel", COUNTER_STAFF, counter::email::add),
        post(r"/petugas/pencaker/{user_id:\d+}/ak1/{action}", COUNTER_STAFF, counter::card::act),
        post(r"/petugas/pencaker/{user_id:\d+}/nik/{decision}", COUNTER_STAFF, counter::nik_claim::settle),
        post(r"/petugas/pencaker/{user_id:\d+}/penduduk/{decision}", COUNTER_STAFF, counter::person::settle),
        get(r"/petugas/pencaker/{user_id}/profil", COUNTER_STAFF, seekers::profile::staff_show),
        get(r"/petugas/pencaker/{user_id}/profil/{task}", COUNTER_STAFF, seekers::profile::staff_task),
        post(r"/petugas/pencaker/{user_id}/profil/{task}", COUNTER_STAFF, seekers::profile::staff_save),
        post(r"/petugas/pencaker/{user_id}/profil/{section}/{id}/hapus", COUNTER_STAFF, seekers::profile::staff_remove_row),
        get(r"/petugas/pencaker/{user_id}/cv", COUNTER_STAFF, seekers::cv::download_by_staff),
        get(r"/petugas/pencaker/{user_id:\d+}/foto", COUNTER_STAFF, seekers::photo::by_staff),
        get(r"/petugas/pencaker/{user_id:\d+}/penempatan", COUNTER_STAFF, applications::counter::form),
        post(r"/petugas/pencaker/{user_id:\d+}/penempatan", COUNTER_STAFF, applications::counter::record),

        // JKP recipients: restricted to the operators who follow them up and the data steward.
        get(r"/petugas/jkp", JKP_STAFF, jkp::pages::list),
        get(r"/petugas/jkp/{id:\d+}", JKP_STAFF, jkp::pages::show),
        post(r"/petugas/jkp/{id:\d+}/{action}", JKP_STAFF, jkp::pages::follow_up),

        // Training staff: providers, programmes, participants and outcomes.
        get(r"/petugas/pelatihan/lembaga", TRAINING_STAFF, training::staff::list),
        get(r"/petugas/pelatihan/lembaga/baru", TRAINING_STAFF, training::staff::new_form),
        post(r"/petugas/pelatihan/lembaga/baru", TRAINING_STAFF, training::staff::create),
        get(r"/petugas/pelatihan/lembaga/{id:\d+}", TRAINING_STAFF, training::staff::edit_form),
        post(r"/petugas/pelatihan/lembaga/{id:\d+}", TRAINING_STAFF, training::staff::update),
        post(r"/petugas/pelatihan/lembaga/{id:\d+}/pengguna", TRAINING_STAFF, training::staff::invite),
        post(r"/petugas/pelatihan/lembaga/{id:\d+}/status", TRAINING_STAFF, training::staff::switch),
        get(r"/petugas/pelatihan/program", TRAINING_STAFF, training::staff_programmes::list),
        // Job fairs: organised by operators, booths decided with the verifiers.
        get(r"/petugas/bursa-kerja", BOOTH_REVIEW, fairs::staff::list),
        get(r"/petugas/bursa-kerja/baru", FAIR_STAFF, fairs::staff::new_form),
        post(r"/petugas/bursa-kerja/baru", FAIR_STAFF, fairs::staff::create),
        get(r"/petugas/bursa-kerja/{id:\d+}", FAIR_STAFF, fairs::staff::edit_form),
        post(r"/petugas/bursa-kerja/{id:\d+}", FAIR_STAFF, fairs::staff::update),
        get(r"/petugas/bursa-kerja/{id:\d+}/stan", BOOTH_REVIEW, fairs::staff::booths_page),
        post(r"/petugas/bursa-kerja/{id:\d+}/stan/{booth:\d+}", BOOTH_REVIEW, fairs::staff::decide),
        get(r"/petugas/bursa-kerja/{id:\d+}/pintu", FAIR_STAFF, fairs::door::show),
        post(r"/petugas/bursa-kerja/{id:\d+}/pintu", FAIR_STAFF, fairs::door::check_in),
        post(r"/petugas/bursa-kerja/{id:\d+}/pintu/tanpa-tiket", FAIR_STAFF, fairs::door::walk_in),
        get(r"/petugas/bursa-kerja/{id:\d+}/laporan", DINAS_STAFF, fairs::report::show),
        get(r"/petugas/pelatihan/program/{id:\d+}", TRAINING_STAFF, training::participants::staff_page),
        post(r"/petugas/pelatihan/program/{id:\d+}/peserta/{enrolment:\d+}", TRAINING_STAFF, training::participants::staff_decide),
        get(r"/petugas/pelatihan/program/{id:\d+}/kehadiran", TRAINING_STAFF, training::participants::staff_attendance),
        post(r"/petugas/pelatihan/program/{id:\d+}/kehadiran", TRAINING_STAFF, training::participants::staff_record),
        get(r"/petugas/pelatihan/hasil", TRAINING_STAFF, training::outcome_pages::staff_page),

        // Verifiers: companies and vacancies waiting for approval.
        get(r"/petugas/verifikasi/perusahaan", VERIFIER, employers::verification::queue),
        get(r"/petugas/verifikasi/perusahaan/{id}", VERIFIER, employers::verification::detail),
        post(r"/petugas/verifikasi/perusahaan/{id}", VERIFIER, employers::verification::decide),
        post(r"/petugas/verifikasi/perusahaan/{id:\d+}/wlkp", VERIFIER, employers::verification::set_facts),
        get(r"/petugas/perusahaan/{id:\d+}/cabang", VERIFIER, employers::branch_pages::staff_list),
        post(r"/petugas/perusahaan/{id:\d+}/cabang", VERIFIER, employers::branch_pages::staff_register),
        get(r"/petugas/verifikasi/lowongan", VERIFIER, vacancies::moderation::queue),
        get(r"/petugas/verifikasi/lowongan/{id}", VERIFIER, vacancies::moderation::detail),
        post(r"/petugas/verifikasi/lowongan/{id}", VERIFIER, vacancies::moderation::decide),
        // Verifiers: WLKP reports, the overdue companies, a company's reports.
        get(r"/petugas/wlkp", VERIFIER, wlkp::staff::queue),
        get(r"/petugas/wlkp/terlambat", VERIFIER, wlkp::staff::overdue),
        get(r"/petugas/wlkp/perusahaan/{id:\d+}", VERIFIER, wlkp::staff::company),
        get(r"/petugas/wlkp/{id:\d+}", VERIFIER, wlkp::staff::detail),
        post(r"/petugas/wlkp/{id:\d+}", VERIFIER, wlkp::staff::decide),

        // The data steward (and super admins): bulk imports, their checks and templates.
        get(r"/petugas/impor", DATA_STAFF, import::pages::list).with_data(import::pages::upload_limit()),
        post(r"/petugas/impor", DATA_STAFF, import::pages::upload),
        get(r"/petugas/impor/templat/{kind}/{format}", DATA_STAFF, import::pages::template_download),
        get(r"/petugas/impor/{id:\d+}", DATA_STAFF, import::pages::show),
        post(r"/petugas/impor/{id:\d+}/tulis", DATA_STAFF, import::pages::confirm),
        post(r"/petugas/impor/{id:\d+}/batal", DATA_STAFF, import::pages::cancel),

        // IPK statistics: the forms of any period, their files, and signing a period off.
        get(r"/petugas/statistik", DATA_STAFF, ipk::pages::index),
        post(r"/petugas/statistik/tanda-tangan", DATA_STAFF, ipk::pages::sign),
        get(r"/petugas/statistik/{form}", DATA_STAFF, ipk::pages::show),
        get(r"/petugas/statistik/{form}/{format:csv|xlsx}", DATA_STAFF, ipk::pages::download),
        // Every role of the Dinas's staff: the labour-market dashboard (aggregates only).
        get(r"/petugas/dasbor", DINAS_STAFF, dashboard::page),
        // The data steward alone: exports of the data sets, their progress and files.
        get(r"/petugas/ekspor", DATA_STEWARD, crate::exports::pages::list),
        post(r"/petugas/ekspor", DATA_STEWARD, crate::exports::pages::create),
        get(r"/petugas/ekspor/{id:\d+}", DATA_STEWARD, crate::exports::pages::show),
        get(r"/petugas/ekspor/{id:\d+}/status", DATA_STEWARD, crate::exports::pages::status),
        get(r"/petugas/ekspor/{id:\d+}/unduh", DATA_STEWARD, crate::exports::pages::download),
        // Data-sharing partners, their grants and API keys (issue 16): the super admin reads,
        // the data steward alone changes.
        get(r"/petugas/mitra", DATA_STAFF, crate::sharing::pages::list),
        post(r"/petugas/mitra", DATA_STEWARD, crate::sharing::pages::add),
        get(r"/petugas/mitra/{id:\d+}", DATA_STAFF, crate::sharing::pages::show),
        post(r"/petugas/mitra/{id:\d+}", DATA_STEWARD, crate::sharing::pages::change),
        post(r"/petugas/mitra/{id:\d+}/status", DATA_STEWARD, crate::sharing::pages::set_active),
        post(r"/petugas/mitra/{id:\d+}/hak", DATA_STEWARD, crate::sharing::pages::grant),
        post(r"/petugas/mitra/{id:\d+}/hak/hapus", DATA_STEWARD, crate::sharing::pages::revoke_grant),
        post(r"/petugas/mitra/{id:\d+}/kunci", DATA_STEWARD, crate::sharing::pages::issue),
        post(r"/petugas/mitra/{id:\d+}/kunci/{key:\d+}/cabut", DATA_STEWARD, crate::sharing::pages::revoke_key),
        // Partner users and the out-log (issue 16, item 2).
        get(r"/petugas/mitra/log", DATA_STAFF, crate::sharing::portal_admin::log),
        post(r"/petugas/mitra/{id:\d+}/pengguna", DATA_STEWARD, crate::sharing::portal_admin::add_user),
        post(r"/petugas/mitra/{id:\d+}/pengguna/{user:\d+}/hapus", DATA_STEWARD, crate::sharing::portal_admin::remove_user),
        // The push to the national system (issue 17): the super admin reads, the data
        // steward acts.
        get(r"/petugas/sinkronisasi", DATA_STAFF, crate::national::pages::show),
        post(r"/petugas/sinkronisasi/kirim-ulang", DATA_STEWARD, crate::national::pages::resync),
        post(r"/petugas/sinkronisasi/{id:\d+}/ulang", DATA_STEWARD, crate::national::pages::retry),
        post(r"/petugas/sinkronisasi/{id:\d+}/buang", DATA_STEWARD, crate::national::pages::discard),
        get(r"/petugas/sinkronisasi/tarikan", DATA_STAFF, crate::national::pulled_pages::show),
        post(r"/petugas/sinkronisasi/tarikan/{id:\d+}/putuskan", DATA_STEWARD, crate::national::pulled_pages::decide),
        post(r"/petugas/sinkronisasi/tarikan/{id:\d+}/periksa-ulang", DATA_STEWARD, crate::national::pulled_pages::retry),
        get(r"/mitra", PARTNER, crate::sharing::portal::home),
        get(r"/mitra/{dataset:[a-z-]+}", PARTNER, crate::sharing::portal::records),

        // The sharing API (issue 16): API keys only, a session cookie is refused; problems
        // as JSON. The document and its page are public: they hold no data.
        get(r"/api/v1", API_KEY, crate::interop::endpoints::index),
        get(r"/api/v1/openapi.json", PUBLIC, crate::interop::openapi::document),
        get(r"/api/v1/{dataset:[a-z-]+}", API_KEY, crate::interop::endpoints::list),
        get(r"/api/{rest:.*}", PUBLIC, crate::interop::endpoints::not_found),
        get(r"/dokumentasi-api", PUBLIC, crate::interop::docs::page),


        // Super admins: staff accounts, the audit log, the mail queue.
        get(r"/admin/pengguna", SUPER_ADMIN, accounts::admin::list),
        get(r"/admin/pengguna/baru", SUPER_ADMIN, accounts::admin::new_form),
        post(r"/admin/pengguna/baru", SUPER_ADMIN, accounts::admin::create),
        get(r"/admin/pengguna/{id}", SUPER_ADMIN, accounts::admin::detail),
        post(r"/admin/pengguna/{id}/peran", SUPER_ADMIN, accounts::admin::change_roles),
        post(r"/admin/pengguna/{id}/status", SUPER_ADMIN, accounts::admin::change_status),
        post(r"/admin/pengguna/{id}/atur-ulang-sandi", SUPER_ADMIN, accounts::admin::force_reset),
        get(r"/admin/audit", SUPER_ADMIN, audit::browse::list),
        get(r"/admin/surel", SUPER_ADMIN, mail::admin::list),
        post(r"/admin/surel/{id}/ulang", SUPER_ADMIN, mail::admin::retry),
    ]
}
