//! Branches (kantor cabang): a company of its own, with its own users, address and WLKP
//! reports, that shares its head office's NIB (OSS gives one NIB per business). The head
//! office's owner or a verifier registers a branch and invites its first user, who owns
//! it; the branch then waits for verification like any company.

use chrono::Utc;
use diesel::prelude::*;

use super::model::{Company, VerificationStatus};
use crate::accounts::NewUser;
use crate::accounts::invitation::{Invited, Inviter, invite};
use crate::db::DbConnection;
use crate::domain::ids::CompanyId;
use crate::domain::{Email, Role};
use crate::schema::companies;

/// A branch to register, checked.
pub struct NewBranch<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub kelurahan_code: Option<&'a str>,
    pub regency_code: &'a str,
    /// Its first user, who owns the branch's account.
    pub owner_email: &'a Email,
    pub owner_name: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    Branch(CompanyId),
    /// The head office is a branch itself, or has no NIB: nothing was written.
    NotAHeadOffice,
    /// The owner's address has an account already: nothing was written.
    Taken,
    /// Too many invitations within the hour: nothing was written.
    Throttled,
}

enum Stop {
    Db(diesel::result::Error),
    Refused(Registered),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e)
    }
}

/// Registers a branch of `head` with its NIB and section, and invites its owner; all or
/// nothing.
pub fn register(
    conn: &mut DbConnection,
    head: CompanyId,
    branch: &NewBranch<'_>,
    by: &Inviter<'_>,
) -> QueryResult<Registered> {
    let result = crate::db::transaction::<_, Stop, _>(conn, |conn| {
        let head = super::find_company(conn, head)?.ok_or(diesel::result::Error::NotFound)?;
        let (None, Some(nib)) = (head.head_office_id, head.nib.as_deref()) else {
            return Err(Stop::Refused(Registered::NotAHeadOffice));
        };
        let now = Utc::now().naive_utc();
        let id: CompanyId = diesel::insert_into(companies::table)
            .values((
                companies::name.eq(branch.name.trim()),
                companies::nib.eq(nib),
                companies::kbli_section.eq(&head.kbli_section),
                companies::address.eq(branch.address.trim()),
                companies::kelurahan_code.eq(branch.kelurahan_code),
                companies::regency_code.eq(branch.regency_code),
                companies::created_at.eq(now),
                companies::updated_at.eq(now),
                companies::verification_status.eq(VerificationStatus::Pending.as_str()),
                companies::status_changed_at.eq(now),
                companies::legal_form.eq(head.legal_form.map(|f| f.as_str())),
                companies::investment_status.eq(head.investment_status.map(|s| s.as_str())),
                companies::head_office_id.eq(head.id),
            ))
            .returning(companies::id)
            .get_result(conn)?;
        super::model::record_pending(conn, id, Some(by.user_id), now)?;
        let user = NewUser {
            company_id: Some(id),
            is_company_owner: true,
            ..NewUser::staff(
                branch.owner_email,
                branch.owner_name,
                "!invited",
                &[Role::Employer],
            )
        };
        match invite(conn, branch.owner_email, &user, by)? {
            Invited::User(_) => Ok(id),
            Invited::Taken => Err(Stop::Refused(Registered::Taken)),
            Invited::Throttled => Err(Stop::Refused(Registered::Throttled)),
        }
    });
    match result {
        Ok(id) => Ok(Registered::Branch(id)),
        Err(Stop::Refused(why)) => Ok(why),
        Err(Stop::Db(e)) => Err(e),
    }
}

/// The branches of a head office, by name.
pub fn branches_of(conn: &mut DbConnection, head: CompanyId) -> QueryResult<Vec<Company>> {
    companies::table
        .filter(companies::head_office_id.eq(head))
        .order((companies::name.asc(), companies::id.asc()))
        .select(Company::as_select())
        .load(conn)
}
