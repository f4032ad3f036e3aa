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
