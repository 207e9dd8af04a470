//! Vietnamese text: normalisation to NFC at every boundary, and the folded search key that
//! lets "truong hoc" find "Trường học".
//!
//! Folding is NFD, drop the combining marks U+0300–U+036F, map đ/Đ to d (they do not
//! decompose), lowercase, and collapse whitespace. Display text is never folded.

use unicode_normalization::UnicodeNormalization;

/// Returns `text` in Unicode NFC (precomposed), the form baove stores.
#[must_use]
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// The accent-insensitive, case-insensitive search key of `text`.
#[must_use]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd() {
        if ('\u{0300}'..='\u{036f}').contains(&c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether every word of `query` appears in the folded `key` (both folded already or not).
#[must_use]
pub fn matches(key: &str, query: &str) -> bool {
    let key = fold(key);
    fold(query).split(' ').all(|w| key.contains(w))
}

/// Trims, collapses inner whitespace and normalises to NFC: the canonical form of a single-line
/// field typed by a person.
#[must_use]
pub fn clean_line(text: &str) -> String {
    let normal = nfc(text);
    normal.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the text holds control characters (other than ordinary whitespace in multi-line
/// fields), which have no place in names and would corrupt exports.
#[must_use]
pub fn has_control(text: &str, multiline: bool) -> bool {
    text.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_tones_and_maps_d_with_stroke() {
        assert_eq!(fold("Trường học Đống Đa"), "truong hoc dong da");
        assert_eq!(fold("  Hoà   Bình "), "hoa binh");
    }

    #[test]
    fn precomposed_and_combining_input_fold_alike() {
        let nfd: String = "Thủy".nfd().collect();
        assert_ne!(nfd, "Thủy");
        assert_eq!(fold(&nfd), fold("Thủy"));
        assert_eq!(nfc(&nfd), "Thủy");
    }

    #[test]
    fn old_and_new_tone_placement_fold_alike() {
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("Thuỷ"), fold("Thủy"));
    }

    #[test]
    fn an_unaccented_query_finds_an_accented_name() {
        assert!(matches("Trường THCS Ngọc Lâm", "truong hoc".replace("hoc", "thcs").as_str()));
        assert!(matches("Trường học Ngọc Lâm", "truong hoc"));
        assert!(!matches("Bệnh viện Đức Giang", "truong hoc"));
    }

    #[test]
    fn lines_are_trimmed_and_collapsed() {
        assert_eq!(clean_line("  Kho   quỹ \t tầng 1 "), "Kho quỹ tầng 1");
    }

    #[test]
    fn control_characters_are_detected() {
        assert!(has_control("a\u{0000}b", false));
        assert!(has_control("a\nb", false));
        assert!(!has_control("a\nb", true));
    }
}
