//! Generators of bad input, one per class the extractor must report cleanly.

use lopdf::{Document, Object, dictionary};

/// A well-formed PDF whose page tree is empty.
pub fn zero_pages() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages = doc.add_object(dictionary! { "Type" => "Pages", "Kids" => Vec::<Object>::new(), "Count" => 0 });
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    save(&mut doc)
}

/// `src` with the object of page `page` (1-based) deleted: the page tree still lists it, so
/// the document opens but that page cannot be loaded.
pub fn missing_page_object(src: &[u8], page: u32) -> Vec<u8> {
    let mut doc = Document::load_mem(src).expect("source PDF parses");
    let id = *doc.get_pages().get(&page).expect("page exists");
    doc.objects.remove(&id);
    save(&mut doc)
}

/// A one-page form: the question "Allergies?" in the page's content, its answer only in a
/// filled text field below it, a free-text note typed onto the page, and a hidden note (which
/// must stay out).
pub fn filled_form() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let content = b"BT /F1 12 Tf 72 720 Td (Allergies?) Tj ET\nBT /F1 12 Tf 72 600 Td (Current medication?) Tj ET";
    let content = doc.add_object(lopdf::Stream::new(dictionary! {}, content.to_vec()));
    let pages_id = doc.new_object_id();
    let rect = |x0: i64, y0: i64, x1: i64, y1: i64| vec![x0.into(), y0.into(), x1.into(), y1.into()];
    let field = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "F" => 4,
        "T" => Object::string_literal("Allergies"), "V" => Object::string_literal("penicillin"),
        "Rect" => rect(72, 690, 300, 708), "DA" => Object::string_literal("/F1 12 Tf 0 g"),
    });
    let note = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "FreeText", "F" => 4, "Rect" => rect(320, 590, 540, 615),
        "Contents" => Object::string_literal("Check renal function first"),
        "DA" => Object::string_literal("/F1 10 Tf 0 g"),
    });
    let hidden = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Text", "F" => 2, "Rect" => rect(72, 500, 90, 518),
        "Contents" => Object::string_literal("reviewer only: hidden"),
    });
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "MediaBox" => rect(0, 0, 612, 792), "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "Annots" => vec![field.into(), note.into(), hidden.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog", "Pages" => pages_id,
        "AcroForm" => dictionary! { "Fields" => vec![field.into()], "DA" => Object::string_literal("/F1 12 Tf 0 g"),
            "DR" => dictionary! { "Font" => dictionary! { "F1" => font } } },
    });
    doc.trailer.set("Root", catalog);
    save(&mut doc)
}

/// `src` with page `page`'s (1-based) MediaBox set to `[0 0 0 0]` and its CropBox removed.
pub fn zero_media_box(src: &[u8], page: u32) -> Vec<u8> {
    let mut doc = Document::load_mem(src).expect("source PDF parses");
    let id = *doc.get_pages().get(&page).expect("page exists");
    let dict = doc.get_object_mut(id).and_then(Object::as_dict_mut).expect("page dictionary");
    dict.set("MediaBox", vec![0.into(), 0.into(), 0.into(), 0.into()]);
    dict.remove(b"CropBox");
    save(&mut doc)
}

/// `src` with every font's `/ToUnicode` map and embedded font program removed: subset fonts
/// with private encodings can then no longer be decoded, as in PDFs with broken fonts.
pub fn broken_font_encoding(src: &[u8]) -> Vec<u8> {
    let mut doc = Document::load_mem(src).expect("source PDF parses");
    for object in doc.objects.values_mut() {
        if let Object::Dictionary(dict) = object {
            let kind = dict.get(b"Type").ok().and_then(|t| t.as_name().ok()).map(<[u8]>::to_vec);
            match kind.as_deref() {
                Some(b"Font") => {
                    dict.remove(b"ToUnicode");
                }
                Some(b"FontDescriptor") => {
                    for key in [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"] {
                        dict.remove(key);
                    }
                }
                _ => {}
            }
        }
    }
    save(&mut doc)
}

/// The first `fraction` of the file, as an interrupted download leaves it.
pub fn truncated(src: &[u8], fraction: f64) -> Vec<u8> {
    src[..(src.len() as f64 * fraction) as usize].to_vec()
}

/// A PDF header followed by deterministic noise.
pub fn corrupt() -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut state: u32 = 0x1234_5678;
    for _ in 0..4096 {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        out.push((state >> 24) as u8);
    }
    out
}

/// The start of a PNG file.
pub fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec()
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("lopdf writes to memory");
    out
}

/// One page drawing an image of `side` x `side` RGB pixels whose Flate stream inflates to
/// `3 * side²` bytes of zeros: a decompression bomb (20,000² is 1.2 GB inflated, about 1 MB on
/// disk).
pub fn image_bomb(side: u32) -> Vec<u8> {
    let zeros = vec![0u8; side as usize * side as usize * 3];
    let mut image = lopdf::Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => side, "Height" => side,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
        },
        zeros,
    );
    image.compress().expect("zeros compress");
    let mut doc = Document::with_version("1.7");
    let image = doc.add_object(image);
    let content = doc.add_object(lopdf::Stream::new(dictionary! {}, b"q 612 0 0 792 0 0 cm /Im1 Do Q".to_vec()));
    one_page(&mut doc, content, dictionary! { "XObject" => dictionary! { "Im1" => image } });
    save(&mut doc)
}

/// A page whose dictionary holds an array nested `depth` deep, written by hand (a nested
/// `Object` that deep would overflow the stack of whatever walks it, lopdf's writer included)
/// and without a cross-reference table, which PDFium rebuilds.
pub fn deep_nesting(depth: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Deep "
        .to_vec();
    out.extend(std::iter::repeat_n(b'[', depth));
    out.extend(std::iter::repeat_n(b']', depth));
    out.extend_from_slice(b" >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    out
}

/// A page tree whose node lists itself among its kids, next to one real page.
pub fn page_tree_loop() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let content = doc.add_object(lopdf::Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 720 Td (Loop) Tj ET".to_vec()));
    let pages_id = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Contents" => content,
    });
    let kids = vec![page.into(), pages_id.into()];
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    save(&mut doc)
}

/// `n` pages sharing one small content stream.
pub fn many_pages(n: u32) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let content = doc.add_object(lopdf::Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 720 Td (A page) Tj ET".to_vec()));
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = (0..n)
        .map(|_| {
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            })
            .into()
        })
        .collect();
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => n }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    save(&mut doc)
}

/// Adds one Letter page of `content` and `resources` as the whole page tree of `doc`.
fn one_page(doc: &mut Document, content: lopdf::ObjectId, resources: lopdf::Dictionary) {
    let pages_id = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Contents" => content, "Resources" => resources,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
}
