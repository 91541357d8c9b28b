//! Which stored file is a seeker's CV or photo, as the profile row records it. Every write of
//! those columns is here; the files themselves are `files.rs`'s.

use crate::domain::ids::{JobSeekerId, UserId};
use chrono::Utc;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::job_seekers;

/// The two files a seeker may attach to the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    Cv,
    Photo,
}

/// What an upload records besides the stored name: the CV keeps the name it was uploaded
/// with and its size, for the profile page.
pub enum Upload {
    Cv { name: String, size: i32 },
    Photo,
}

/// Records a newly stored file on the seeker's profile; returns the file it replaced.
pub fn attach(
    conn: &mut DbConnection,
    seeker_id: JobSeekerId,
    stored: &str,
    upload: &Upload,
) -> QueryResult<Option<String>> {
    let row = job_seekers::table.find(seeker_id);
    match upload {
        Upload::Cv { name, size } => {
            let old = row.select(job_seekers::cv_file).first(conn)?;
            diesel::update(row)
                .set((
                    job_seekers::cv_file.eq(stored),
                    job_seekers::cv_name.eq(name),
                    job_seekers::cv_size.eq(*size),
                    job_seekers::cv_uploaded_at.eq(Utc::now().naive_utc()),
                ))
                .execute(conn)?;
            Ok(old)
        }
        Upload::Photo => {
            let old = row.select(job_seekers::photo_file).first(conn)?;
            diesel::update(row)
                .set(job_seekers::photo_file.eq(stored))
                .execute(conn)?;
            Ok(old)
        }
    }
}

/// The stored file of a user's CV or photo, if they have one.
pub fn file_of(
    conn: &mut DbConnection,
    user_id: UserId,
    which: Attachment,
) -> QueryResult<Option<String>> {
    let row = job_seekers::table.filter(job_seekers::user_id.eq(user_id));
    let file: Option<Option<String>> = match which {
        Attachment::Cv => row.select(job_seekers::cv_file).first(conn).optional()?,
        Attachment::Photo => row.select(job_seekers::photo_file).first(conn).optional()?,
    };
    Ok(file.flatten())
}

/// Forgets a user's CV or photo; returns its file, if there was one, for removal.
pub fn detach(
    conn: &mut DbConnection,
    user_id: UserId,
    which: Attachment,
) -> QueryResult<Option<String>> {
    let old = file_of(conn, user_id, which)?;
    if old.is_some() {
        let row = job_seekers::table.filter(job_seekers::user_id.eq(user_id));
        match which {
            Attachment::Cv => diesel::update(row)
                .set((
                    job_seekers::cv_file.eq(None::<String>),
                    job_seekers::cv_name.eq(None::<String>),
                    job_seekers::cv_size.eq(None::<i32>),
                    job_seekers::cv_uploaded_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(conn)?,
            Attachment::Photo => diesel::update(row)
                .set(job_seekers::photo_file.eq(None::<String>))
                .execute(conn)?,
        };
    }
    Ok(old)
}
