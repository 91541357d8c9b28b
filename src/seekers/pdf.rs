//! What a CV may hold: a plain document. Employers and Dinas staff open every CV, so a PDF
//! that could do anything by itself or on a click (run a script, open a link or a network
//! share, start a program, submit a form, carry a file inside it, render an XFA form) is
//! refused, and the seeker is told to save it again as a plain PDF.
//!
//! The check allows rather than denies where active content hooks into a document: the
//! catalog's entries, its name trees, the kinds of annotation and the kinds of action (only
//! moving to a place in the same document, which is what a bookmark does) are each a short
//! list of what a plain document uses, and anything else is refused. It looks at every object
//! in the file, not only those reachable from the trailer, and does so twice: as the
//! cross-reference table lists them and as a scan of the whole file finds them, since a
//! reader that repairs a file sees objects the table leaves out. Names are compared after
//! lopdf has decoded `#xx` escapes, and objects inside object streams are loaded like any
//! other.
//!
//! The file is refused, not rewritten: what is stored is exactly what the seeker sent, and a
//! rewrite would need the same judgement about every object anyway.

use lopdf::xref::XrefEntry;
use lopdf::{Dictionary, Document, LoadOptions, Object};

use super::cv::Refusal;

/// Object streams hold a CV's small objects; decompressing more than this from a 2 MB file
/// is a decompression bomb, not a CV.
const MAX_DECOMPRESSED: usize = 16 * 1024 * 1024;

/// Deeper nesting of direct objects than any real document uses; refused rather than guessed.
const MAX_DEPTH: usize = 32;

/// Entries a plain document's catalog may have. Not here, so refused: `AA`, `URI`, `AF`,
/// `Collection` (a portfolio), `NeedsRendering` (XFA), `Requirements` (may name scripts).
const CATALOG_KEYS: &[&[u8]] = &[
    b"Type",
    b"Version",
    b"Extensions",
    b"Pages",
    b"PageLabels",
    b"Names",
    b"Dests",
    b"ViewerPreferences",
    b"PageLayout",
    b"PageMode",
    b"Outlines",
    b"Threads",
    b"OpenAction",
    b"AcroForm",
    b"Metadata",
    b"StructTreeRoot",
    b"MarkInfo",
    b"Lang",
    b"SpiderInfo",
    b"OutputIntents",
    b"PieceInfo",
    b"OCProperties",
    b"Perms",
    b"Legal",
    b"DSS",
    b"DPartRoot",
];

/// Name trees a plain document may have: named destinations and appearances. Not here, so
/// refused: `JavaScript`, `EmbeddedFiles`, `AlternatePresentations`, `Renditions`,
/// `Templates`, `Pages`, `IDS`, `URLS`.
const NAME_TREES: &[&[u8]] = &[b"Type", b"Dests", b"AP"];

/// Kinds of annotation a plain document may have: links (checked for their action like every
/// dictionary), notes and markup, and form fields' widgets. Not here, so refused:
/// `FileAttachment`, `Sound`, `Movie`, `Screen`, `RichMedia`, `3D`, `PrinterMark`,
/// `TrapNet`, `Watermark`, `Redact`, `Projection` and anything unknown.
const ANNOTATIONS: &[&[u8]] = &[
    b"Link",
    b"Text",
    b"FreeText",
    b"Line",
    b"Square",
    b"Circle",
    b"Polygon",
    b"PolyLine",
    b"Highlight",
    b"Underline",
    b"Squiggly",
    b"StrikeOut",
    b"Caret",
    b"Stamp",
    b"Ink",
    b"Popup",
    b"Widget",
];

/// The entries of the one action allowed: go to a place in this document, and nothing after.
const LOCAL_MOVE_KEYS: &[&[u8]] = &[b"Type", b"S", b"D", b"SD"];

/// Every kind of action in PDF 2.0 and before, to recognise an action wherever it is, even
/// in an object nothing points to.
const ACTION_TYPES: &[&[u8]] = &[
    b"GoTo",
    b"GoToR",
    b"GoToE",
    b"GoToDp",
    b"Launch",
    b"Thread",
    b"URI",
    b"Sound",
    b"Movie",
    b"Hide",
    b"Named",
    b"SubmitForm",
    b"ResetForm",
    b"ImportData",
    b"JavaScript",
    b"SetOCGState",
    b"Rendition",
    b"Trans",
    b"GoTo3DView",
    b"RichMediaExecute",
    b"SetState",
    b"NOP",
];

/// Entries that exist only to hold scripts, additional actions, XFA forms, embedded or
/// external files, links out, or media; a plain document has none of them anywhere.
const NEVER_KEYS: &[&[u8]] = &[
    b"AA",
    b"JS",
    b"JavaScript",
    b"XFA",
    b"NeedsRendering",
    b"EmbeddedFiles",
    b"EmbeddedFile",
    b"EF",
    b"RF",
    b"AF",
    b"URI",
    b"OPI",
    b"Sound",
    b"Movie",
    b"RichMediaContent",
    b"RichMediaSettings",
    b"3DD",
    b"Collection",
];

/// Types of object that only carry files, media or portfolios.
const NEVER_TYPES: &[&[u8]] = &[
    b"Filespec",
    b"EmbeddedFile",
    b"Collection",
    b"Rendition",
    b"MediaClip",
    b"Sound",
    b"Movie",
    b"3D",
    b"RichMediaContent",
];

/// Entries that make a stream's data come from another file.
const EXTERNAL_STREAM_KEYS: &[&[u8]] = &[b"F", b"FFilter", b"FDecodeParms"];

/// Checks a PDF that starts with the PDF signature: it must load, be unlocked, and hold
/// nothing active.
pub(super) fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let doc = load(bytes, false)?;
    if doc.trailer.has(b"Encrypt") {
        // Still locked: its content could not be read, so it cannot be checked.
        return Err(Refusal::Encrypted);
    }
    if doc.catalog().is_err() || !every_listed_object_loaded(&doc) {
        // An object this reader cannot parse may parse in another one; it is not checked.
        return Err(Refusal::Unreadable);
    }
    inspect(&doc)?;
    inspect(&load(bytes, true)?)
}

fn load(bytes: &[u8], scan_whole_file: bool) -> Result<Document, Refusal> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        force_reconstruct: scan_whole_file,
        ..LoadOptions::default()
    };
    Document::load_mem_with_options(bytes, options).map_err(|_| {
        if bytes.windows(8).any(|w| w == b"/Encrypt") {
            Refusal::Encrypted
        } else {
            Refusal::Unreadable
        }
    })
}

/// lopdf skips an object it cannot parse and carries on; such a file is not checked whole.
fn every_listed_object_loaded(doc: &Document) -> bool {
    let loaded = |number: u32| {
        doc.objects
            .range((number, 0)..=(number, u16::MAX))
            .next()
            .is_some()
    };
    doc.reference_table
        .entries
        .iter()
        .all(|(&number, entry)| match entry {
            XrefEntry::Normal { .. } | XrefEntry::Compressed { .. } => loaded(number),
            XrefEntry::Free | XrefEntry::UnusableFree => true,
        })
}

fn inspect(doc: &Document) -> Result<(), Refusal> {
    check_catalog(doc, doc.catalog().map_err(|_| Refusal::Unreadable)?)?;
    let trailer = Object::Dictionary(doc.trailer.clone());
    doc.objects
        .values()
        .chain([&trailer])
        .try_for_each(|object| visit(doc, object, 0))
}

/// Checks an object and everything written inside it (actions and annotations are often
/// dictionaries inside other objects).
fn visit(doc: &Document, object: &Object, depth: usize) -> Result<(), Refusal> {
    if depth > MAX_DEPTH {
        return Err(Refusal::ActiveContent);
    }
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => {
            if has_any(&stream.dict, EXTERNAL_STREAM_KEYS) {
                return Err(Refusal::ActiveContent);
            }
            &stream.dict
        }
        Object::Array(items) => {
            return items
                .iter()
                .try_for_each(|item| visit(doc, item, depth + 1));
        }
        _ => return Ok(()),
    };
    check_dictionary(doc, dict)?;
    dict.iter()
        .try_for_each(|(_, value)| visit(doc, value, depth + 1))
}

fn check_dictionary(doc: &Document, dict: &Dictionary) -> Result<(), Refusal> {
    let kind = name(dict, b"Type");
    let subtype = name(dict, b"Subtype");
    let refused = has_any(dict, NEVER_KEYS)
        || kind.is_some_and(|t| NEVER_TYPES.contains(&t))
        // PostScript passed through to printers, and forms drawn from another file.
        || subtype == Some(b"PS")
        || name(dict, b"Subtype2") == Some(b"PS")
        || (subtype == Some(b"Form") && dict.has(b"Ref"));
    if refused {
        return Err(Refusal::ActiveContent);
    }
    let is_action =
        kind == Some(b"Action") || name(dict, b"S").is_some_and(|s| ACTION_TYPES.contains(&s));
    if is_action {
        check_action(dict)?;
    }
    // `A` is an annotation's or a bookmark's action; a structure element's `A` holds
    // attributes, which have no `S`.
    if let Some(action) = dict.get(b"A").ok().and_then(|a| resolve_dict(doc, a))
        && action.has(b"S")
    {
        check_action(action)?;
    }
    if let Ok(open) = dict.get(b"OpenAction") {
        match resolve(doc, open) {
            // A destination: the page the viewer opens at.
            Some(Object::Array(_)) => {}
            Some(Object::Dictionary(action)) => check_action(action)?,
            _ => return Err(Refusal::ActiveContent),
        }
    }
    if kind == Some(b"Catalog") {
        check_catalog(doc, dict)?;
    }
    if kind == Some(b"Annot") || (dict.has(b"Rect") && subtype.is_some()) {
        check_annotation(dict)?;
    }
    if let Some(Object::Array(annotations)) = dict.get(b"Annots").ok().and_then(|a| resolve(doc, a))
    {
        for annotation in annotations {
            match resolve_dict(doc, annotation) {
                Some(annotation) => check_annotation(annotation)?,
                None => return Err(Refusal::ActiveContent),
            }
        }
    }
    Ok(())
}

fn check_catalog(doc: &Document, catalog: &Dictionary) -> Result<(), Refusal> {
    if !only(catalog, CATALOG_KEYS) {
        return Err(Refusal::ActiveContent);
    }
    match catalog.get(b"Names").ok().map(|n| resolve_dict(doc, n)) {
        None => Ok(()),
        Some(Some(trees)) if only(trees, NAME_TREES) => Ok(()),
        Some(_) => Err(Refusal::ActiveContent),
    }
}

fn check_annotation(annotation: &Dictionary) -> Result<(), Refusal> {
    match name(annotation, b"Subtype") {
        Some(kind) if ANNOTATIONS.contains(&kind) => Ok(()),
        _ => Err(Refusal::ActiveContent),
    }
}

/// The only action a CV keeps is moving within itself, as a bookmark or a table of contents
/// does; every other kind reaches outside the document or runs something.
fn check_action(action: &Dictionary) -> Result<(), Refusal> {
    if name(action, b"S") == Some(b"GoTo") && action.has(b"D") && only(action, LOCAL_MOVE_KEYS) {
        Ok(())
    } else {
        Err(Refusal::ActiveContent)
    }
}

fn name<'a>(dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    dict.get(key).ok().and_then(|v| v.as_name().ok())
}

fn has_any(dict: &Dictionary, keys: &[&[u8]]) -> bool {
    dict.iter().any(|(key, _)| keys.contains(&key.as_slice()))
}

fn only(dict: &Dictionary, keys: &[&[u8]]) -> bool {
    dict.iter().all(|(key, _)| keys.contains(&key.as_slice()))
}

/// Follows references (a few hops; a longer chain is no plain document's).
fn resolve<'a>(doc: &'a Document, mut object: &'a Object) -> Option<&'a Object> {
    for _ in 0..8 {
        match object {
            Object::Reference(id) => object = doc.objects.get(id)?,
            other => return Some(other),
        }
    }
    None
}

fn resolve_dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, object)? {
        Object::Dictionary(dict) => Some(dict),
        Object::Stream(stream) => Some(&stream.dict),
        _ => None,
    }
}

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
