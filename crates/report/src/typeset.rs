//! Typst embedded as a library: a document's source is compiled in memory against the fonts
//! of the `typst-assets` crate (Libertinus Serif and New Computer Modern cover Vietnamese,
//! stacked diacritics included) and exported as PDF. Nothing is read from disk: a document
//! is one source file with its data written into it as literals, images included as bytes.

use std::fmt::Write as _;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::ReportError;

/// The serif face every document is set in: the bundled face closest to Times New Roman,
/// which NĐ 30/2020 names but which is not free to redistribute.
pub const SERIF: &str = "Libertinus Serif";

/// Where a letter missing from [`SERIF`] is taken from: its bold italic lacks ơ and ư.
pub const FALLBACK: &str = "New Computer Modern";

/// The font list of a document, as a Typst array literal.
#[must_use]
pub fn font_list() -> String {
    lits([SERIF, FALLBACK])
}

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

struct Document {
    main: Source,
}

impl World for Document {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() { Ok(Bytes::from_string(self.main.clone())) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// Documents carry their own dates; Typst's `datetime.today()` is not used.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// Compiles a Typst source to PDF.
///
/// # Errors
/// [`ReportError::Typeset`] with Typst's messages when the source does not compile (a bug
/// of a template, since data only ever enters as escaped literals), [`ReportError::Pdf`]
/// when the export fails.
pub fn pdf(source: String) -> Result<Vec<u8>, ReportError> {
    // A detached source always has the same path ("main.typ"): Typst interns file ids for
    // the life of the process, so a fresh path per document would leak.
    let world = Document { main: Source::detached(source) };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let out =
        compiled.map_err(|errors: EcoVec<SourceDiagnostic>| ReportError::Typeset(messages(&errors))).and_then(|doc| {
            typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
                .map_err(|errors: EcoVec<SourceDiagnostic>| ReportError::Pdf(messages(&errors)))
        });
    // Typst memoises across compilations; keep only what the last few documents used so a
    // long-running server does not grow without bound.
    typst::comemo::evict(4);
    out
}

fn messages(errors: &[SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
}

/// A Typst string literal holding `text` exactly: the only way data enters a document, so
/// no name or note can be read as markup or code.
#[must_use]
pub fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Typst array literal of string literals (a trailing comma keeps a one-element array
/// an array).
#[must_use]
pub fn lits<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("(");
    for item in items {
        out.push_str(&lit(item));
        out.push_str(", ");
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_what_typst_would_read() {
        assert_eq!(lit(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(lit("x\ny"), r#""x\ny""#);
        assert_eq!(lit("#set page(width: 1pt)"), "\"#set page(width: 1pt)\"");
        assert_eq!(lits(["a"]), "(\"a\", )");
    }

    fn lacks(face: &Font) -> String {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        let all: String = letters.chars().chain(letters.to_uppercase().chars()).collect();
        all.chars().filter(|c| !face.info().coverage.contains(u32::from(*c))).collect()
    }

    #[test]
    fn every_vietnamese_letter_has_a_glyph_in_the_serif_or_its_fallback() {
        let family = |name: &str| FONTS.fonts.iter().filter(|f| f.info().family == name).collect::<Vec<_>>();
        let (serif, fallback) = (family(SERIF), family(FALLBACK));
        assert!(serif.len() >= 4 && fallback.len() >= 4, "regular, bold, italic, bold italic");
        for face in fallback {
            assert_eq!(lacks(face), "", "{FALLBACK} {:?}", face.info().variant);
        }
        for face in serif {
            let bold_italic = face.info().variant.style == typst::text::FontStyle::Italic
                && face.info().variant.weight >= typst::text::FontWeight::BOLD;
            let expected = if bold_italic { "ơưƠƯ" } else { "" };
            assert_eq!(lacks(face), expected, "{SERIF} {:?}", face.info().variant);
        }
    }
}
