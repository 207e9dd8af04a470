//! Gender as identity documents record it: "Nam"/"Nữ" on a CCCD, `M`/`F` in an MRZ.

use crate::registry::code_enum;
use crate::text;

code_enum!(
    /// The gender printed on an identity document.
    Gender {
        Male = "male",
        Female = "female",
    }
);

impl Gender {
    /// Reads "Nam"/"Nữ" (any case, with or without tone marks, as garbling keyboard-wedge
    /// scanners may deliver it) or the English words.
    #[must_use]
    pub fn from_words(raw: &str) -> Option<Self> {
        match text::fold(raw).as_str() {
            "nam" | "male" => Some(Self::Male),
            "nu" | "female" => Some(Self::Female),
            _ => None,
        }
    }

    /// The Vietnamese word, as printed on a card.
    #[must_use]
    pub fn vi(self) -> &'static str {
        match self {
            Self::Male => "Nam",
            Self::Female => "Nữ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_english_words_are_read() {
        assert_eq!(Gender::from_words("Nam"), Some(Gender::Male));
        assert_eq!(Gender::from_words(" NỮ "), Some(Gender::Female));
        assert_eq!(Gender::from_words("Nu"), Some(Gender::Female));
        assert_eq!(Gender::from_words("female"), Some(Gender::Female));
        assert_eq!(Gender::from_words("Nam Định"), None);
        assert_eq!(Gender::from_words(""), None);
        assert_eq!(Gender::Female.vi(), "Nữ");
    }
}
