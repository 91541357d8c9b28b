//! The seeker's files (CV, photo) on disk and their upload limits: under the data directory, never the web root,
//! each by a random name this module made; the name a file was uploaded with is never used
//! as a path.

use crate::domain::ids::UserId;
use std::path::PathBuf;

use actix_multipart::form::MultipartFormConfig;
use actix_session::SessionExt;
use actix_web::web;

use super::attachments::{self, Attachment, Upload};
use crate::audit::{self, Entry};
use crate::web::respond::{RequestMeta, redirect};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState};

/// CVs: PDF only.
pub const CV: Folder = Folder {
    name: "cv",
    extensions: &["pdf"],
};

/// Photos for the AK/I card.
pub const PHOTO: Folder = Folder {
    name: "photo",
    extensions: &["jpg", "png"],
};

/// One folder of seekers' files, and the extensions its names may end in.
#[derive(Clone, Copy)]
pub struct Folder {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

impl Folder {
    fn dir(self, state: &AppState) -> PathBuf {
        state.settings.data_dir().join(self.name)
    }

    /// Only names this module made are ever joined to the folder.
    pub fn is_stored_name(self, name: &str) -> bool {
        self.extensions.iter().any(|ext| {
            name.strip_suffix(ext)
                .and_then(|s| s.strip_suffix('.'))
                .is_some_and(|stem| {
                    !stem.is_empty()
                        && stem
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                })
        })
    }

    /// Writes the bytes under a new random name; returns the name and the full path (to
    /// remove the file again if its row cannot be saved).
    pub async fn store(
        self,
        state: &AppState,
        extension: &str,
        bytes: Vec<u8>,
    ) -> Result<(String, PathBuf), AppError> {
        let dir = self.dir(state);
        let name = format!("{}.{extension}", session::random_token());
        let path = dir.join(&name);
        let write_path = path.clone();
        web::block(move || {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&write_path, &bytes).inspect_err(|_| {
                // A disk that filled half-way leaves part of a file: it goes at once.
                let _ = std::fs::remove_file(&write_path);
            })
        })
        .await
        .map_err(AppError::internal)?
        .map_err(|e| {
            let e = AppError::from_io(e);
            if matches!(e, AppError::StorageFull(_)) {
                tracing::error!(folder = self.name, error = %e, "an upload was refused: the disk is full");
            }
            e
        })?;
        Ok((name, path))
    }

    /// Removes a file that was replaced or deleted; a failure is logged, not shown.
    pub async fn remove(self, state: &AppState, name: Option<String>) {
        let Some(name) = name.filter(|n| self.is_stored_name(n)) else {
            return;
        };
        let path = self.dir(state).join(name);
        if let Ok(Err(e)) = web::block(move || std::fs::remove_file(path)).await {
            tracing::warn!(error = %e, folder = self.name, "an old file could not be removed");
        }
    }

    pub async fn read(self, state: &AppState, name: &str) -> Result<Vec<u8>, AppError> {
        if !self.is_stored_name(name) {
            return Err(AppError::NotFound);
        }
        let path = self.dir(state).join(name);
        web::block(move || std::fs::read(path))
            .await
            .map_err(AppError::internal)?
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => AppError::NotFound,
                _ => AppError::internal(e),
            })
    }
}

/// Stores a new file, then runs `save` in the database with its name: `save` writes the row
/// and returns the name of the file it replaced. The replaced file is removed afterwards;
/// the new one is removed if its row could not be saved, so nothing is left half-written.
pub async fn replace<F>(
    state: &AppState,
    folder: Folder,
    extension: &str,
    bytes: Vec<u8>,
    save: F,
) -> Result<(), AppError>
where
    F: FnOnce(&mut crate::db::DbConnection, String) -> Result<Option<String>, AppError>
        + Send
        + 'static,
{
    let (stored, path) = folder.store(state, extension, bytes).await?;
    match state.db(move |conn| save(conn, stored)).await {
        Ok(old) => {
            folder.remove(state, old).await;
            Ok(())
        }
        Err(e) => {
            discard(path).await;
            Err(e)
        }
    }
}

/// Stores an uploaded file as the seeker's CV or photo and records `action` in the audit
/// log; the file it replaces is removed, and the new one too if the row cannot be saved.
pub async fn attach_upload(
    state: &AppState,
    meta: RequestMeta,
    user_id: UserId,
    (folder, extension): (Folder, &str),
    bytes: Vec<u8>,
    upload: Upload,
    action: &'static str,
) -> Result<(), AppError> {
    replace(state, folder, extension, bytes, move |conn, stored| {
        crate::db::transaction(conn, |conn| {
            let seeker_id = super::history::ensure_profile(conn, user_id)?;
            let old = attachments::attach(conn, seeker_id, &stored, &upload)?;
            audit::record(
                conn,
                Entry::new(action)
                    .actor(user_id)
                    .subject("user", user_id)
                    .client(&meta),
            )?;
            Ok::<_, AppError>(old)
        })
    })
    .await
}

/// Removes the seeker's CV or photo: the row first, with `action` in the audit log, then
/// the file.
pub async fn detach_and_remove(
    state: &AppState,
    meta: RequestMeta,
    user_id: UserId,
    (folder, which): (Folder, Attachment),
    action: &'static str,
) -> Result<(), AppError> {
    let old = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let old = attachments::detach(conn, user_id, which)?;
                if old.is_some() {
                    audit::record(
                        conn,
                        Entry::new(action)
                            .actor(user_id)
                            .subject("user", user_id)
                            .client(&meta),
                    )?;
                }
                Ok::<_, AppError>(old)
            })
        })
        .await?;
    folder.remove(state, old).await;
    Ok(())
}

/// The stored file of `owner`'s CV or photo for `reader`, with `action` in the audit log
/// when one is given; 404 when there is none.
pub async fn stored_file(
    state: &AppState,
    meta: RequestMeta,
    (owner, reader): (UserId, UserId),
    which: Attachment,
    action: Option<&'static str>,
) -> Result<String, AppError> {
    state
        .db(move |conn| {
            let file = attachments::file_of(conn, owner, which)?.ok_or(AppError::NotFound)?;
            if let Some(action) = action {
                audit::record(
                    conn,
                    Entry::new(action)
                        .actor(reader)
                        .subject("user", owner)
                        .client(&meta),
                )?;
            }
            Ok(file)
        })
        .await
}

/// The upload limits of a file form: a file over `max_bytes` is refused while it arrives,
/// and the seeker goes back to `page` with the `too_large` message.
pub fn upload_limit(
    max_bytes: usize,
    too_large: &'static str,
    page: &'static str,
) -> MultipartFormConfig {
    MultipartFormConfig::default()
        .total_limit(max_bytes + 64 * 1024)
        .memory_limit(64 * 1024)
        .error_handler(move |err, req| {
            use actix_web::ResponseError as _;
            // The limits answer 4xx; a 500 is the temporary file failing to be written,
            // which on a working machine means a full disk.
            let message = if err.status_code().is_server_error() {
                tracing::error!(error = %err, "an upload could not be received: is the disk full?");
                STORAGE_FULL
            } else {
                too_large
            };
            session::flash(&req.get_session(), FlashLevel::Error, message);
            actix_web::error::InternalError::from_response(err, redirect(page)).into()
        })
}

/// What a person reads when their upload could not be stored for want of space.
pub const STORAGE_FULL: &str = "upload.error.storage_full";

/// The answer to an upload the disk had no room for: back to `page`, told so. Any other
/// failure stays an error.
pub fn unless_storage_full(
    result: Result<(), AppError>,
    session: &actix_session::Session,
    page: &'static str,
) -> Result<Option<actix_web::HttpResponse>, AppError> {
    match result {
        Ok(()) => Ok(None),
        Err(AppError::StorageFull(_)) => {
            session::flash(session, FlashLevel::Error, STORAGE_FULL);
            Ok(Some(redirect(page)))
        }
        Err(e) => Err(e),
    }
}

/// Reads an uploaded temporary file.
pub async fn read_upload(
    file: actix_multipart::form::tempfile::TempFile,
) -> Result<Vec<u8>, AppError> {
    let temp = file.file;
    web::block(move || std::fs::read(temp.path()))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// Removes a file just written whose row could not be saved.
async fn discard(path: PathBuf) {
    let _ = web::block(move || std::fs::remove_file(path)).await;
}

#[cfg(test)]
mod tests {
    use super::Folder;

    #[test]
    fn only_made_names_reach_the_folder() {
        let cv = Folder {
            name: "cv",
            extensions: &["pdf"],
        };
        assert!(cv.is_stored_name("abcDEF123_-.pdf"));
        assert!(!cv.is_stored_name("../../etc/passwd"));
        assert!(!cv.is_stored_name("x.pdf/../../y.pdf"));
        assert!(!cv.is_stored_name(".pdf"));
        assert!(!cv.is_stored_name("abc.png"));
    }
}
