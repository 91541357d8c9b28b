//! The holder's passport photo for the AK/I card: a JPEG or PNG of at most 1 MB, checked by
//! its content (the format's signature and a header that gives sane dimensions), kept
//! outside the web root by a random name, and served only to the holder and to counter
//! staff. A staff view is a read of personal data and is logged, as is a removal.

use crate::domain::ids::UserId;
use actix_multipart::form::{MultipartForm, tempfile::TempFile};
use actix_session::SessionExt;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::attachments::{Attachment, Upload};
use super::files::{
    PHOTO, attach_upload, detach_and_remove, read_upload, stored_file, unless_storage_full,
    upload_limit as limit,
};
use crate::audit::actions;
use crate::web::auth::{CounterStaff, JobSeeker, Require};
use crate::web::respond::{RequestMeta, redirect};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState};

/// The profile's page of this file, where every upload comes back with its outcome.
const PAGE: &str = "/pencaker/profil/foto";

pub const MAX_BYTES: usize = 1024 * 1024;

/// The multipart limits of the upload form, with the message shown when the file is too
/// large; the route table attaches it to the upload's resource.
pub fn upload_limit() -> actix_multipart::form::MultipartFormConfig {
    limit(MAX_BYTES, "photo.error.too_large", PAGE)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    NotImage,
    BadSize,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Empty => "photo.error.empty",
            Self::TooLarge => "photo.error.too_large",
            Self::NotImage => "photo.error.not_image",
            Self::BadSize => "photo.error.bad_size",
        }
    }
}

/// Checks a photo by its content; returns the extension it is stored with.
pub fn check_photo(bytes: &[u8]) -> Result<&'static str, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    let ext = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Jpeg) => "jpg",
        Ok(imagesize::ImageType::Png) => "png",
        _ => return Err(Refusal::NotImage),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| Refusal::NotImage)?;
    // Big enough to print 3x4 cm legibly, not a poster.
    if !(150..=6000).contains(&size.width) || !(150..=6000).contains(&size.height) {
        return Err(Refusal::BadSize);
    }
    Ok(ext)
}

#[derive(MultipartForm)]
pub struct UploadForm {
    #[multipart(limit = "1MB")]
    file: TempFile,
}

pub async fn upload(
    req: HttpRequest,
    meta: RequestMeta,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
    MultipartForm(form): MultipartForm<UploadForm>,
) -> Result<HttpResponse, AppError> {
    let session = req.get_session();
    let user_id = seeker.user.id;
    let bytes = read_upload(form.file).await?;
    let ext = match check_photo(&bytes) {
        Ok(ext) => ext,
        Err(refusal) => {
            session::flash(&session, FlashLevel::Error, refusal.message_key());
            return Ok(redirect(PAGE));
        }
    };

    let action = actions::SEEKER_PHOTO_UPLOADED;
    let stored = attach_upload(
        &state,
        meta,
        user_id,
        (PHOTO, ext),
        bytes,
        Upload::Photo,
        action,
    )
    .await;
    if let Some(answer) = unless_storage_full(stored, &session, PAGE)? {
        return Ok(answer);
    }
    session::flash(&session, FlashLevel::Success, "photo.saved");
    Ok(redirect(PAGE))
}

pub async fn remove(
    req: HttpRequest,
    meta: RequestMeta,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let target = (PHOTO, Attachment::Photo);
    let action = actions::SEEKER_PHOTO_DELETED;
    detach_and_remove(&state, meta, seeker.user.id, target, action).await?;
    session::flash(&req.get_session(), FlashLevel::Success, "photo.deleted");
    Ok(redirect(PAGE))
}

/// Sends the photo of `owner`; a reader other than the owner is recorded in the audit log.
async fn send(
    req: &HttpRequest,
    state: &AppState,
    owner: UserId,
    reader: UserId,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(req);
    // The owner looking at their own photo is not worth a line in the audit log.
    let action = (reader != owner).then_some(actions::SEEKER_PHOTO_VIEWED);
    let file = stored_file(state, meta, (owner, reader), Attachment::Photo, action).await?;
    let bytes = PHOTO.read(state, &file).await?;
    let content_type = if file.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

pub async fn own(
    req: HttpRequest,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    send(&req, &state, seeker.user.id, seeker.user.id).await
}

pub async fn by_staff(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    owner: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    send(&req, &state, owner.into_inner(), staff.user.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG signature and IHDR header claiming the given size; enough for the checks.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        b.extend_from_slice(&width.to_be_bytes());
        b.extend_from_slice(&height.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn photos_are_checked_by_content() {
        assert_eq!(check_photo(&png(300, 400)), Ok("png"));
        assert_eq!(check_photo(&png(40, 60)), Err(Refusal::BadSize));
        assert_eq!(
            check_photo(b"MZ\x90\x00 a renamed program"),
            Err(Refusal::NotImage)
        );
        assert_eq!(check_photo(b"%PDF-1.4"), Err(Refusal::NotImage));
        assert_eq!(check_photo(b""), Err(Refusal::Empty));
        let mut big = png(300, 400);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check_photo(&big), Err(Refusal::TooLarge));
    }
}
