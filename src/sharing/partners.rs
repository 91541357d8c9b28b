//! Partners and their grants: what data set each may receive, masked or not. A partner is
//! deactivated, never deleted, so the audit log keeps its name; a revoked grant is
//! deleted (the audit log keeps the history) and ends every key's access to that data set
//! at once, since a key's effective scope is read together with the grants.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Dataset, Masking, PartnerId, PartnerKind};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::Email;
use crate::domain::ids::UserId;
use crate::schema::{api_keys, partner_grants, partners};

/// A partner as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partners)]
pub struct Partner {
    pub id: PartnerId,
    pub name: String,
    pub kind: PartnerKind,
    pub legal_basis: String,
    pub contact_name: String,
    pub contact_email: Email,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub created_by: Option<UserId>,
}

/// One data set a partner may receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = partner_grants)]
pub struct Grant {
    pub dataset: Dataset,
    pub masking: Masking,
    pub granted_at: NaiveDateTime,
}

/// A partner as typed into the form: kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PartnerForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_email: String,
}

/// A checked partner form.
#[derive(Debug, Clone)]
pub struct NewPartner {
    pub name: String,
    pub kind: PartnerKind,
    pub legal_basis: String,
    pub contact_name: String,
    pub contact_email: Email,
}

/// The longest text a partner field takes; a legal basis cites an agreement and an article.
const MAX_LEN: usize = 300;

impl PartnerForm {
    /// The form checked, or the translation keys of what is wrong, field by field.
    pub fn check(&self) -> Result<NewPartner, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, value: &str, required: bool| {
            let value = value.trim();
            if required && value.is_empty() {
                errors.push((field, "sharing.error.required"));
            } else if value.chars().count() > MAX_LEN {
                errors.push((field, "sharing.error.too_long"));
            }
            value.to_owned()
        };
        let name = text("name", &self.name, true);
        let legal_basis = text("legal_basis", &self.legal_basis, true);
        let contact_name = text("contact_name", &self.contact_name, true);
        let kind = PartnerKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(("kind", "sharing.error.kind"));
        }
        let contact_email = Email::parse(&self.contact_email);
        if contact_email.is_err() {
            errors.push(("contact_email", "sharing.error.email"));
        }
        match (kind, contact_email) {
            (Some(kind), Ok(contact_email)) if errors.is_empty() => Ok(NewPartner {
                name,
                kind,
                legal_basis,
                contact_name,
                contact_email,
            }),
            _ => Err(errors),
        }
    }
}

/// A partner on the list page: with its grants and how many keys work today.
#[derive(Debug, Clone)]
pub struct PartnerRow {
    pub partner: Partner,
    pub grants: Vec<Grant>,
    pub active_keys: i64,
}

/// Every partner, by name, the active ones first; `today` decides which keys still work.
pub fn list(conn: &mut DbConnection, today: chrono::NaiveDate) -> QueryResult<Vec<PartnerRow>> {
    let all: Vec<Partner> = partners::table
        .select(Partner::as_select())
        .order((partners::active.desc(), partners::name, partners::id))
        .load(conn)?;
    let grants: Vec<(PartnerId, Grant)> = partner_grants::table
        .select((partner_grants::partner_id, Grant::as_select()))
        .order((partner_grants::partner_id, partner_grants::dataset))
        .load(conn)?;
    let keys: Vec<PartnerId> = api_keys::table
        .filter(api_keys::revoked_at.is_null())
        .filter(api_keys::expires_on.ge(today))
        .select(api_keys::partner_id)
        .load(conn)?;
    Ok(all
        .into_iter()
        .map(|partner| PartnerRow {
            grants: grants
                .iter()
                .filter(|(p, _)| *p == partner.id)
                .map(|(_, g)| *g)
                .collect(),
            active_keys: keys.iter().filter(|p| **p == partner.id).count() as i64,
            partner,
        })
        .collect())
}

/// One partner, if there is one with that id.
pub fn find(conn: &mut DbConnection, id: PartnerId) -> QueryResult<Option<Partner>> {
    partners::table
        .find(id)
        .select(Partner::as_select())
        .first(conn)
        .optional()
}

/// A partner's grants, by data set.
pub fn grants(conn: &mut DbConnection, id: PartnerId) -> QueryResult<Vec<Grant>> {
    partner_grants::table
        .filter(partner_grants::partner_id.eq(id))
        .select(Grant::as_select())
        .order(partner_grants::dataset)
        .load(conn)
}

/// Who changes what, for the audit log.
pub struct Actor<'a> {
    pub user: UserId,
    pub meta: &'a crate::web::respond::RequestMeta,
}

impl Actor<'_> {
    pub(super) fn record(
        &self,
        conn: &mut DbConnection,
        action: &str,
        partner: PartnerId,
        detail: serde_json::Value,
    ) -> QueryResult<()> {
        audit::record(
            conn,
            Entry::new(action)
                .actor(self.user)
                .subject("partner", partner)
                .client(self.meta)
                .detail(detail),
        )
    }
}

/// Adds a partner, active, with no grants.
pub fn add(
    conn: &mut DbConnection,
    new: &NewPartner,
    by: &Actor<'_>,
    now: NaiveDateTime,
) -> QueryResult<PartnerId> {
    crate::db::transaction(conn, |c| {
        let id = diesel::insert_into(partners::table)
            .values((
                partners::name.eq(&new.name),
                partners::kind.eq(new.kind),
                partners::legal_basis.eq(&new.legal_basis),
                partners::contact_name.eq(&new.contact_name),
                partners::contact_email.eq(&new.contact_email),
                partners::active.eq(true),
                partners::created_at.eq(now),
                partners::created_by.eq(by.user),
            ))
            .returning(partners::id)
            .get_result(c)?;
        by.record(
            c,
            actions::PARTNER_ADDED,
            id,
            serde_json::json!({ "name": new.name, "kind": new.kind.as_str() }),
        )?;
        Ok(id)
    })
}

/// Changes a partner's name, kind, legal basis or contact; the audit entry has the fields
/// as they were and as they are. Returns false when nothing changed (nothing is written).
pub fn change(
    conn: &mut DbConnection,
    id: PartnerId,
    new: &NewPartner,
    by: &Actor<'_>,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |c| {
        let Some(old) = find(c, id)? else {
            return Ok(false);
        };
        let fields = |name: &str, kind: PartnerKind, basis: &str, contact: &str, email: &str| {
            serde_json::json!({
                "name": name, "kind": kind.as_str(), "legal_basis": basis,
                "contact_name": contact, "contact_email": email,
            })
        };
        let before = fields(
            &old.name,
            old.kind,
            &old.legal_basis,
            &old.contact_name,
            old.contact_email.as_str(),
        );
        let after = fields(
            &new.name,
            new.kind,
            &new.legal_basis,
            &new.contact_name,
            new.contact_email.as_str(),
        );
        if before == after {
            return Ok(false);
        }
        diesel::update(partners::table.find(id))
            .set((
                partners::name.eq(&new.name),
                partners::kind.eq(new.kind),
                partners::legal_basis.eq(&new.legal_basis),
                partners::contact_name.eq(&new.contact_name),
                partners::contact_email.eq(&new.contact_email),
            ))
            .execute(c)?;
        by.record(
            c,
            actions::PARTNER_CHANGED,
            id,
            serde_json::json!({ "before": before, "after": after }),
        )?;
        Ok(true)
    })
    // What keys may read changed: callers the API knows are read again.
    .inspect(|_| super::keys::changed())
}

/// Activates or deactivates a partner; a deactivated partner's keys stop working at once.
/// Returns false when the partner already was so (nothing is written).
pub fn set_active(
    conn: &mut DbConnection,
    id: PartnerId,
    active: bool,
    by: &Actor<'_>,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |c| {
        let changed = diesel::update(
            partners::table
                .filter(partners::id.eq(id))
                .filter(partners::active.ne(active)),
        )
        .set(partners::active.eq(active))
        .execute(c)?;
        if changed == 0 {
            return Ok(false);
        }
        let action = if active {
            actions::PARTNER_REACTIVATED
        } else {
            actions::PARTNER_DEACTIVATED
        };
        by.record(c, action, id, serde_json::json!({}))?;
        Ok(true)
    })
    // What keys may read changed: callers the API knows are read again.
    .inspect(|_| super::keys::changed())
}

/// Grants a data set at a masking level, or changes the level of an existing grant.
pub fn grant(
    conn: &mut DbConnection,
    id: PartnerId,
    dataset: Dataset,
    masking: Masking,
    by: &Actor<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::transaction(conn, |c| {
        let changed = diesel::update(
            partner_grants::table
                .filter(partner_grants::partner_id.eq(id))
                .filter(partner_grants::dataset.eq(dataset)),
        )
        .set((
            partner_grants::masking.eq(masking),
            partner_grants::granted_at.eq(now),
            partner_grants::granted_by.eq(by.user),
        ))
        .execute(c)?;
        if changed == 0 {
            diesel::insert_into(partner_grants::table)
                .values((
                    partner_grants::partner_id.eq(id),
                    partner_grants::dataset.eq(dataset),
                    partner_grants::masking.eq(masking),
                    partner_grants::granted_at.eq(now),
                    partner_grants::granted_by.eq(by.user),
                ))
                .execute(c)?;
        }
        by.record(
            c,
            actions::PARTNER_GRANT_ADDED,
            id,
            serde_json::json!({ "dataset": dataset.as_str(), "masking": masking.as_str() }),
        )
    })
    // What keys may read changed: callers the API knows are read again.
    .inspect(|_| super::keys::changed())
}

/// Revokes a grant: every key of the partner loses that data set at once. Returns false
/// when there was no such grant.
pub fn revoke_grant(
    conn: &mut DbConnection,
    id: PartnerId,
    dataset: Dataset,
    by: &Actor<'_>,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |c| {
        let removed = diesel::delete(
            partner_grants::table
                .filter(partner_grants::partner_id.eq(id))
                .filter(partner_grants::dataset.eq(dataset)),
        )
        .execute(c)?;
        if removed == 0 {
            return Ok(false);
        }
        by.record(
            c,
            actions::PARTNER_GRANT_REMOVED,
            id,
            serde_json::json!({ "dataset": dataset.as_str() }),
        )?;
        Ok(true)
    })
    // What keys may read changed: callers the API knows are read again.
    .inspect(|_| super::keys::changed())
}
