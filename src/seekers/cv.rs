//! The job seeker's CV: one PDF of at most 2 MB, checked by its content, kept outside the web
//! root under a random name, and served only to the seeker, to counter staff who serve the
//! resident, and to the companies the seeker applied to; every download in the audit log.
//! Verifiers and the data steward have no use for a CV, so they do not get one.

use crate::domain::ids::UserId;
use actix_multipart::form::{MultipartForm, tempfile::TempFile};
use actix_session::SessionExt;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::attachments::{Attachment, Upload};
use super::files::{
    CV, attach_upload, detach_and_remove, read_upload, stored_file, unless_storage_full,
    upload_limit as limit,
};
use crate::audit::actions;
use crate::web::auth::{CounterStaff, JobSeeker, Require};
use crate::web::respond::{RequestMeta, redirect};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState};

/// The profile's page of this file, where every upload comes back with its outcome.
const PAGE: &str = "/pencaker/profil/cv";

pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// The multipart limits of the upload form, with the message shown when the file is too
/// large; the route table attaches it to the upload's resource.
pub fn upload_limit() -> actix_multipart::form::MultipartFormConfig {
    limit(MAX_BYTES, "cv.error.too_large", PAGE)
}

/// Why a file is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    NotPdf,
    Unreadable,
    Encrypted,
    ActiveContent,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Empty => "cv.error.empty",
            Self::TooLarge => "cv.error.too_large",
            Self::NotPdf => "cv.error.not_pdf",
            Self::Unreadable => "cv.error.unreadable",
            Self::Encrypted => "cv.error.encrypted",
            Self::ActiveContent => "cv.error.active",
        }
    }
}

/// Checks a file by its content: the PDF signature, a full parse, no encryption (its content
/// could not be checked) and nothing active inside (see `super::pdf`). It parses the whole
/// file, so handlers run it on the blocking pool.
pub fn check_pdf(bytes: &[u8]) -> Result<(), Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(Refusal::NotPdf);
    }
    super::pdf::check(bytes)
}

/// The uploaded file's own name, for display only: letters, digits and a few marks.
fn display_name(original: Option<&str>) -> String {
    let name: String = original
        .unwrap_or("CV.pdf")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("CV.pdf")
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(100)
        .collect();
    if name.trim().is_empty() {
        "CV.pdf".to_owned()
    } else {
        name
    }
}

#[derive(MultipartForm)]
pub struct UploadForm {
    #[multipart(limit = "2MB")]
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
    let name = display_name(form.file.file_name.as_deref());
    let bytes = read_upload(form.file).await?;
    let (bytes, verdict) = web::block(move || {
        let verdict = check_pdf(&bytes);
        (bytes, verdict)
    })
    .await
    .map_err(AppError::internal)?;
    if let Err(refusal) = verdict {
        session::flash(&session, FlashLevel::Error, refusal.message_key());
        return Ok(redirect(PAGE));
    }
    let upload = Upload::Cv {
        name,
        size: bytes.len() as i32,
    };
    let (folder, action) = ((CV, "pdf"), actions::SEEKER_CV_UPLOADED);
    let stored = attach_upload(&state, meta, user_id, folder, bytes, upload, action).await;
    if let Some(answer) = unless_storage_full(stored, &session, PAGE)? {
        return Ok(answer);
    }
    session::flash(&session, FlashLevel::Success, "cv.saved");
    Ok(redirect(PAGE))
}

pub async fn remove(
    req: HttpRequest,
    meta: RequestMeta,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let target = (CV, Attachment::Cv);
    detach_and_remove(
        &state,
        meta,
        seeker.user.id,
        target,
        actions::SEEKER_CV_DELETED,
    )
    .await?;
    session::flash(&req.get_session(), FlashLevel::Success, "cv.deleted");
    Ok(redirect(PAGE))
}

/// Sends the CV of `owner` to `reader`, recording the download.
pub(crate) async fn send(
    req: &HttpRequest,
    state: &AppState,
    owner: UserId,
    reader: UserId,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(req);
    let action = Some(actions::SEEKER_CV_DOWNLOADED);
    let file = stored_file(state, meta, (owner, reader), Attachment::Cv, action).await?;
    let bytes = CV.read(state, &file).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"CV.pdf\"",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

pub async fn download_own(
    req: HttpRequest,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    send(&req, &state, seeker.user.id, seeker.user.id).await
}

pub async fn download_by_staff(
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

    /// A one-page PDF made with lopdf, with an extra dictionary in its catalog if given.
    fn pdf(extra: Option<(&str, lopdf::Object)>) -> Vec<u8> {
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
        if let Some((key, value)) = extra {
            catalog.set(key, value);
        }
        let catalog_id = doc.add_object(catalog);
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("write pdf");
        out
    }

    #[test]
    fn a_plain_pdf_is_taken() {
        assert_eq!(check_pdf(&pdf(None)), Ok(()));
    }

    #[test]
    fn other_files_and_active_pdfs_are_refused() {
        use lopdf::{Object, dictionary};
        assert_eq!(check_pdf(b""), Err(Refusal::Empty));
        assert_eq!(
            check_pdf(b"MZ\x90\x00 a renamed program"),
            Err(Refusal::NotPdf)
        );
        assert_eq!(
            check_pdf(b"%PDF-1.4 but nothing else"),
            Err(Refusal::Unreadable)
        );
        let script = Object::Dictionary(dictionary! {
            "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)"),
        });
        assert_eq!(
            check_pdf(&pdf(Some(("OpenAction", script)))),
            Err(Refusal::ActiveContent)
        );
        let mut big = pdf(None);
        big.resize(MAX_BYTES + 1, b' ');
        assert_eq!(check_pdf(&big), Err(Refusal::TooLarge));
    }

    #[test]
    fn the_display_name_keeps_only_harmless_characters() {
        assert_eq!(
            display_name(Some("C:\\Users\\siti\\CV Siti<b>.pdf")),
            "CV Sitib.pdf"
        );
    }
}
