use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::companies;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: i32,
    pub name: String,
    pub nib: Option<String>,
    pub npwp: Option<String>,
    pub kbli_section: String,
    pub address: String,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct NewCompany<'a> {
    pub name: &'a str,
    pub nib: Option<&'a str>,
    pub npwp: Option<&'a str>,
    pub kbli_section: &'a str,
    pub address: &'a str,
    /// A Binjai kelurahan, or none for a company elsewhere.
    pub kelurahan_code: Option<&'a str>,
    /// The kab/kota: 12.75 for Binjai.
    pub regency_code: &'a str,
}

pub fn create_company(conn: &mut DbConnection, new: &NewCompany<'_>) -> QueryResult<i32> {
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(companies::table)
        .values((
            companies::name.eq(new.name.trim()),
            companies::nib.eq(new.nib),
            companies::npwp.eq(new.npwp),
            companies::kbli_section.eq(new.kbli_section),
            companies::address.eq(new.address.trim()),
            companies::kelurahan_code.eq(new.kelurahan_code),
            companies::regency_code.eq(new.regency_code),
            companies::created_at.eq(now),
            companies::updated_at.eq(now),
        ))
        .returning(companies::id)
        .get_result(conn)
}

pub fn find_company(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Company>> {
    companies::table
        .find(id)
        .select(Company::as_select())
        .first(conn)
        .optional()
}

pub fn nib_taken(conn: &mut DbConnection, nib: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        companies::table.filter(companies::nib.eq(nib)),
    ))
    .get_result(conn)
}
