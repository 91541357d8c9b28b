//! Reference data as code: regions, NIK, KBJI, KBLI and education levels.
//!
//! The code is the source; [`sync`] copies it into tables after migrations so that
//! reports and exports can join on it. It runs only when the data in the binary changed.

pub mod education;
pub mod kbji;
pub mod kbli;
pub mod regions;

use std::hash::{DefaultHasher, Hash, Hasher};

use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::DbConnection;
use crate::schema::{app_meta, regions as regions_table};
// The id of the table this module owns that others point at; the type lives in `domain::ids`.
pub use crate::domain::ids::JobTitleId;
use crate::with_backend;

pub const KBJI_VERSION: &str = "KBJI 2014";
pub const KBLI_VERSION: &str = "KBLI 2020";

const HASH_KEY: &str = "reference_data_hash";

/// A fingerprint of all reference data compiled into this binary.
fn fingerprint() -> String {
    let mut h = DefaultHasher::new();
    for r in regions::stored() {
        (r.code, r.level.as_str(), r.name, r.bps_code()).hash(&mut h);
    }
    for g in kbji::MAJOR_GROUPS {
        (g.code, g.name_id, g.name_en).hash(&mut h);
    }
    for o in kbji::OCCUPATIONS {
        (o.code, o.title_id, o.title_en).hash(&mut h);
    }
    for s in kbli::SECTIONS {
        (s.code, s.name_id, s.name_en).hash(&mut h);
    }
    for d in kbli::DIVISIONS {
        (d.code, d.section, d.name_id, d.name_en).hash(&mut h);
    }
    for e in education::EducationLevel::ALL {
        (e.code(), e.name_id(), e.name_en(), e.ipk_group().name_id()).hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// Brings the reference tables in line with the code. Rows are upserted by their code, never
/// deleted, because other tables may refer to a code that a newer list dropped.
/// The job titles as stored (their ids are what vacancies point at): id, KBJI code, title
/// in Indonesian and in English, ordered by code and title.
pub fn job_titles(
    conn: &mut DbConnection,
) -> QueryResult<Vec<(JobTitleId, crate::domain::KbjiCode, String, String)>> {
    use crate::schema::kbji_occupations as o;
    o::table
        .order((o::code, o::title_id))
        .select((o::id, o::code, o::title_id, o::title_en))
        .load(conn)
}

/// The ids of every stored job title, for checking a submitted choice.
pub fn job_title_ids(conn: &mut DbConnection) -> QueryResult<Vec<JobTitleId>> {
    use crate::schema::kbji_occupations as o;
    o::table.select(o::id).load(conn)
}

/// One stored job title: its KBJI code and its title in Indonesian and in English.
pub fn job_title(
    conn: &mut DbConnection,
    id: JobTitleId,
) -> QueryResult<Option<(crate::domain::KbjiCode, String, String)>> {
    use crate::schema::kbji_occupations as o;
    o::table
        .find(id)
        .select((o::code, o::title_id, o::title_en))
        .first(conn)
        .optional()
}

/// These job titles' KBJI codes and Indonesian titles, by id, in no order.
pub fn job_title_names(
    conn: &mut DbConnection,
    ids: &[JobTitleId],
) -> QueryResult<Vec<(JobTitleId, crate::domain::KbjiCode, String)>> {
    use crate::schema::kbji_occupations as o;
    crate::by_ids!(conn, o::id, ids, |in_ids| o::table.filter(in_ids).select((
        o::id,
        o::code,
        o::title_id
    )))
}

/// These job titles (code, Indonesian, English), ordered by id.
pub fn job_titles_of(
    conn: &mut DbConnection,
    ids: &[JobTitleId],
) -> QueryResult<Vec<(String, String, String)>> {
    use crate::schema::kbji_occupations as o;
    o::table
        .filter(o::id.eq_any(ids))
        .order(o::id)
        .select((o::code, o::title_id, o::title_en))
        .load(conn)
}

pub fn sync(conn: &mut DbConnection) -> QueryResult<bool> {
    let wanted = fingerprint();
    crate::db::transaction(conn, |conn| {
        let current: Option<String> = app_meta::table
            .find(HASH_KEY)
            .select(app_meta::value)
            .first(conn)
            .optional()?;
        if current.as_deref() == Some(wanted.as_str()) {
            return Ok(false);
        }
        sync_regions(conn)?;
        sync_kbji(conn)?;
        sync_kbli(conn)?;
        sync_education(conn)?;
        with_backend!(conn, |c| diesel::insert_into(app_meta::table)
            .values((app_meta::key.eq(HASH_KEY), app_meta::value.eq(&wanted)))
            .on_conflict(app_meta::key)
            .do_update()
            .set(app_meta::value.eq(excluded(app_meta::value)))
            .execute(c))?;
        Ok(true)
    })
}

fn sync_regions(conn: &mut DbConnection) -> QueryResult<()> {
    use regions_table::{bps_code, code, level, name, parent_code, version};
    // Parents come before children in the list, so the foreign key holds row by row.
    for r in regions::stored() {
        let row = (
            code.eq(r.code),
            level.eq(r.level.as_str()),
            parent_code.eq(r.parent_code()),
            name.eq(r.name),
            bps_code.eq(r.bps_code()),
            version.eq(regions::VERSION),
        );
        with_backend!(conn, |c| diesel::insert_into(regions_table::table)
            .values(row)
            .on_conflict(code)
            .do_update()
            .set((
                name.eq(excluded(name)),
                bps_code.eq(excluded(bps_code)),
                version.eq(excluded(version)),
            ))
            .execute(c))?;
    }
    Ok(())
}

fn sync_kbji(conn: &mut DbConnection) -> QueryResult<()> {
    for g in kbji::MAJOR_GROUPS {
        use crate::schema::kbji_major_groups::dsl::*;
        let row = (
            code.eq(g.code),
            name_id.eq(g.name_id),
            name_en.eq(g.name_en),
            version.eq(KBJI_VERSION),
        );
        with_backend!(conn, |c| diesel::insert_into(kbji_major_groups)
            .values(row)
            .on_conflict(code)
            .do_update()
            .set((
                name_id.eq(excluded(name_id)),
                name_en.eq(excluded(name_en)),
                version.eq(excluded(version)),
            ))
            .execute(c))?;
    }
    for o in kbji::OCCUPATIONS {
        use crate::schema::kbji_occupations::dsl::*;
        let row = (
            code.eq(o.code),
            title_id.eq(o.title_id),
            title_en.eq(o.title_en),
            version.eq(KBJI_VERSION),
        );
        with_backend!(conn, |c| diesel::insert_into(kbji_occupations)
            .values(row)
            .on_conflict(title_id)
            .do_update()
            .set((
                code.eq(excluded(code)),
                title_en.eq(excluded(title_en)),
                version.eq(excluded(version)),
            ))
            .execute(c))?;
    }
    Ok(())
}

fn sync_kbli(conn: &mut DbConnection) -> QueryResult<()> {
    for s in kbli::SECTIONS {
        use crate::schema::kbli_sections::dsl::*;
        let row = (
            code.eq(s.code),
            name_id.eq(s.name_id),
            name_en.eq(s.name_en),
            version.eq(KBLI_VERSION),
        );
        with_backend!(conn, |c| diesel::insert_into(kbli_sections)
            .values(row)
            .on_conflict(code)
            .do_update()
            .set((
                name_id.eq(excluded(name_id)),
                name_en.eq(excluded(name_en)),
                version.eq(excluded(version)),
            ))
            .execute(c))?;
    }
    for d in kbli::DIVISIONS {
        use crate::schema::kbli_divisions::dsl::*;
        let row = (
            code.eq(d.code),
            section_code.eq(d.section),
            name_id.eq(d.name_id),
            name_en.eq(d.name_en),
            version.eq(KBLI_VERSION),
        );
        with_backend!(conn, |c| diesel::insert_into(kbli_divisions)
            .values(row)
            .on_conflict(code)
            .do_update()
            .set((
                section_code.eq(excluded(section_code)),
                name_id.eq(excluded(name_id)),
                name_en.eq(excluded(name_en)),
                version.eq(excluded(version)),
            ))
            .execute(c))?;
    }
    Ok(())
}

fn sync_education(conn: &mut DbConnection) -> QueryResult<()> {
    use crate::schema::education_levels::dsl::*;
    for e in education::EducationLevel::ALL {
        let row = (
            code.eq(e.code()),
            name_id.eq(e.name_id()),
            name_en.eq(e.name_en()),
            ipk_group.eq(e.ipk_group().name_id()),
        );
        with_backend!(conn, |c| diesel::insert_into(education_levels)
            .values(row)
            .on_conflict(code)
            .do_update()
            .set((
                name_id.eq(excluded(name_id)),
                name_en.eq(excluded(name_en)),
                ipk_group.eq(excluded(ipk_group)),
            ))
            .execute(c))?;
    }
    Ok(())
}
