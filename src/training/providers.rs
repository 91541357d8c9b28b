//! Training providers: BLK (public vocational training centres) and LPK (private training
//! institutions). Dinas staff keep the list at `/petugas/pelatihan/lembaga`: add a provider
//! with its first user, correct it, invite more users, and switch it off. A provider's users
//! keep its contact details up to date at `/lembaga/profil`.

use crate::domain::code::choice;
use crate::domain::ids::{ProviderId, UserId};
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConnection;
use crate::domain::{Email, Phone};
use crate::employers::forms::OUTSIDE_BINJAI;
use crate::reference::regions;
use crate::schema::training_providers;
use crate::web::forms::{FieldErrors, check_line, check_lines, parsed};

choice!(Kind in "ref_provider_kind" {
    /// Balai Latihan Kerja: run by the government.
    Blk => "blk", "provider.kind.blk",
    /// Lembaga Pelatihan Kerja: private, licensed by the regency.
    Lpk => "lpk", "provider.kind.lpk",
});

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = training_providers)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    pub kind: Kind,
    pub accreditation: Option<String>,
    pub accreditation_number: Option<String>,
    pub address: String,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub website: Option<String>,
    pub is_active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Provider {
    pub fn kind(&self) -> Kind {
        self.kind
    }
}

/// The provider form as typed. Staff fill every field; a provider's own users only the
/// contact part.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProviderForm {
    pub name: String,
    pub kind: String,
    pub accreditation: String,
    pub accreditation_number: String,
    /// A Binjai kelurahan code, or "luar".
    pub location: String,
    pub regency_code: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
}

impl ProviderForm {
    pub fn of(p: &Provider) -> Self {
        Self {
            name: p.name.clone(),
            kind: p.kind.as_str().to_owned(),
            accreditation: p.accreditation.clone().unwrap_or_default(),
            accreditation_number: p.accreditation_number.clone().unwrap_or_default(),
            location: p
                .kelurahan_code
                .clone()
                .unwrap_or_else(|| OUTSIDE_BINJAI.to_owned()),
            regency_code: if p.regency_code == regions::BINJAI_CODE {
                String::new()
            } else {
                p.regency_code.clone()
            },
            address: p.address.clone(),
            phone: p.phone.clone().map(String::from).unwrap_or_default(),
            email: p.email.clone().map(String::from).unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
        }
    }

    pub fn outside_binjai(&self) -> bool {
        self.location == OUTSIDE_BINJAI
    }
}

pub struct Contact {
    pub kelurahan_code: Option<&'static str>,
    pub regency_code: &'static str,
    pub address: String,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub website: Option<String>,
}

pub struct Identity {
    pub name: String,
    pub kind: Kind,
    pub accreditation: Option<String>,
    pub accreditation_number: Option<String>,
}

fn optional(
    s: &str,
    max: usize,
    errors: &mut FieldErrors,
    field: &'static str,
    key: &'static str,
) -> Option<String> {
    let s = s.trim();
    if s.chars().count() > max {
        errors.add(field, key);
    }
    (!s.is_empty()).then(|| s.to_owned())
}

/// The contact part: place, address, phone, e-mail, website.
pub fn validate_contact(form: &ProviderForm, errors: &mut FieldErrors) -> Option<Contact> {
    let (kelurahan_code, regency_code) = crate::employers::forms::check_place(
        &form.location,
        &form.regency_code,
        "company.error.location",
        errors,
    );
    check_line(errors, "website", form.website.trim());
    let address = form.address.trim();
    if check_lines(errors, "address", address) && !(5..=300).contains(&address.chars().count()) {
        errors.add("address", "company.error.address");
    }
    let phone = match form.phone.trim() {
        "" => None,
        raw => parsed(errors, "phone", "signup.error.phone", Phone::parse(raw)),
    };
    let email = match form.email.trim() {
        "" => None,
        raw => parsed(errors, "email", "signup.error.email", Email::parse(raw)),
    };
    let website = optional(
        &form.website,
        200,
        errors,
        "website",
        "provider.error.website",
    );
    if website
        .as_deref()
        .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")))
    {
        errors.add("website", "provider.error.website");
    }
    Some(Contact {
        kelurahan_code,
        regency_code: regency_code?,
        address: address.to_owned(),
        phone,
        email,
        website,
    })
}

/// The part only staff change: name, kind, accreditation.
pub fn validate_identity(form: &ProviderForm, errors: &mut FieldErrors) -> Option<Identity> {
    check_line(errors, "accreditation", form.accreditation.trim());
    check_line(
        errors,
        "accreditation_number",
        form.accreditation_number.trim(),
    );
    let name = form.name.trim();
    if check_line(errors, "name", name) && !(3..=150).contains(&name.chars().count()) {
        errors.add("name", "provider.error.name");
    }
    let kind = Kind::parse(form.kind.trim());
    if kind.is_none() {
        errors.add("kind", "provider.error.kind");
    }
    let accreditation = optional(
        &form.accreditation,
        50,
        errors,
        "accreditation",
        "provider.error.accreditation",
    );
    let accreditation_number = optional(
        &form.accreditation_number,
        100,
        errors,
        "accreditation_number",
        "provider.error.accreditation",
    );
    Some(Identity {
        name: name.to_owned(),
        kind: kind?,
        accreditation,
        accreditation_number,
    })
}

pub fn find(conn: &mut DbConnection, id: ProviderId) -> QueryResult<Option<Provider>> {
    training_providers::table
        .find(id)
        .select(Provider::as_select())
        .first(conn)
        .optional()
}

/// A provider's name, and whether it still runs programmes.
pub fn name_and_active(conn: &mut DbConnection, id: ProviderId) -> QueryResult<(String, bool)> {
    training_providers::table
        .find(id)
        .select((training_providers::name, training_providers::is_active))
        .first(conn)
}

/// Every provider's id and name, by name: the choices of a provider filter.
pub fn names(conn: &mut DbConnection) -> QueryResult<Vec<(ProviderId, String)>> {
    training_providers::table
        .order(training_providers::name)
        .select((training_providers::id, training_providers::name))
        .load(conn)
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<(Provider, i64)>> {
    let providers: Vec<Provider> = training_providers::table
        .order((
            training_providers::is_active.desc(),
            training_providers::name,
        ))
        .select(Provider::as_select())
        .load(conn)?;
    let counts = crate::accounts::directory::provider_member_counts(conn)?;
    Ok(providers
        .into_iter()
        .map(|p| {
            let n = counts.get(&p.id).copied().unwrap_or(0);
            (p, n)
        })
        .collect())
}

pub fn create(conn: &mut DbConnection, id: &Identity, c: &Contact) -> QueryResult<ProviderId> {
    let now = Utc::now().naive_utc();
    diesel::insert_into(training_providers::table)
        .values((
            training_providers::name.eq(&id.name),
            training_providers::kind.eq(id.kind.as_str()),
            training_providers::accreditation.eq(&id.accreditation),
            training_providers::accreditation_number.eq(&id.accreditation_number),
            training_providers::address.eq(&c.address),
            training_providers::kelurahan_code.eq(c.kelurahan_code),
            training_providers::regency_code.eq(c.regency_code),
            training_providers::phone.eq(&c.phone),
            training_providers::email.eq(&c.email),
            training_providers::website.eq(&c.website),
            training_providers::is_active.eq(true),
            training_providers::created_at.eq(now),
            training_providers::updated_at.eq(now),
        ))
        .returning(training_providers::id)
        .get_result(conn)
}

pub fn update_identity(
    conn: &mut DbConnection,
    provider: ProviderId,
    id: &Identity,
) -> QueryResult<()> {
    diesel::update(training_providers::table.find(provider))
        .set((
            training_providers::name.eq(&id.name),
            training_providers::kind.eq(id.kind.as_str()),
            training_providers::accreditation.eq(&id.accreditation),
            training_providers::accreditation_number.eq(&id.accreditation_number),
            training_providers::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn update_contact(
    conn: &mut DbConnection,
    provider: ProviderId,
    c: &Contact,
) -> QueryResult<()> {
    diesel::update(training_providers::table.find(provider))
        .set((
            training_providers::address.eq(&c.address),
            training_providers::kelurahan_code.eq(c.kelurahan_code),
            training_providers::regency_code.eq(c.regency_code),
            training_providers::phone.eq(&c.phone),
            training_providers::email.eq(&c.email),
            training_providers::website.eq(&c.website),
            training_providers::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_active(conn: &mut DbConnection, provider: ProviderId, active: bool) -> QueryResult<()> {
    diesel::update(training_providers::table.find(provider))
        .set((
            training_providers::is_active.eq(active),
            training_providers::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The provider's users, newest first: name, e-mail, whether active.
pub fn users_of(
    conn: &mut DbConnection,
    provider: ProviderId,
) -> QueryResult<Vec<(UserId, String, crate::domain::Email, bool)>> {
    crate::accounts::directory::provider_members(conn, provider)
}
