//! The QR code on the chip CCCD (TT 06/2021/TT-BCA, front, top right) and on the 2024
//! "Căn cước" card (TT 16/2024/TT-BCA, back).
//!
//! Content: `<12-digit ID>|<9-digit CMND or empty>|<full name>|<DOB ddmmyyyy>|<Nam/Nữ>|<address>|<issue date ddmmyyyy>`,
//! the order several independent public parsers agree on. Real input deviates, so fields are
//! recognised by their pattern as well as their place: the CMND field may be missing or empty,
//! fields may carry labels (`CCCD:…`), dates may have slashes, names may arrive decomposed (NFD),
//! keyboard-wedge scanners add CR/LF, and the 2024 card appends fields whose order is not
//! published (kept as [`CccdQr::extras`]). Other `|`-separated codes, the health-insurance
//! (BHYT) card's above all, are refused rather than misread.

use jiff::civil::Date;
use serde::Serialize;

use super::{Cccd, Cmnd, DocProblem, Gender};
use crate::{text, validate};

/// The largest QR text accepted; a CCCD code is well under half of it.
pub const MAX_QR_BYTES: usize = 1024;

/// The longest full name accepted.
pub const MAX_NAME_CHARS: usize = 100;

/// Field labels some tools put before the value (`CCCD:001…`), folded.
const LABELS: &[&str] = &[
    "cccd",
    "so cccd",
    "can cuoc",
    "so can cuoc",
    "so dinh danh",
    "so dinh danh ca nhan",
    "cmnd",
    "so cmnd",
    "ho ten",
    "ho va ten",
    "ngay sinh",
    "gioi tinh",
    "dia chi",
    "noi thuong tru",
    "noi cu tru",
    "ngay cap",
];

/// What a chip-CCCD or Căn cước QR code says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CccdQr {
    pub number: Cccd,
    /// The old 9-digit CMND, when the card carries one.
    pub cmnd: Option<Cmnd>,
    /// NFC, whitespace collapsed.
    pub full_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    /// Permanent residence (CCCD) or place of residence (Căn cước); may be empty.
    pub address: String,
    pub issued_on: Option<Date>,
    /// Fields after the seventh (the 2024 card's additions), trimmed and in NFC, in order.
    pub extras: Vec<String>,
}

/// Parses the text a QR scanner delivered, and cross-checks the number's coded birth year and
/// gender with the date of birth and gender fields.
///
/// # Errors
/// [`DocProblem::TooLong`], [`DocProblem::ControlCharacters`], [`DocProblem::HealthInsuranceQr`],
/// [`DocProblem::NotCccdQr`], the number's own problems (see [`Cccd::parse`]),
/// [`DocProblem::MissingField`], [`DocProblem::BadField`], [`DocProblem::BadDate`],
/// [`DocProblem::DateInFuture`], [`DocProblem::DateOrder`], [`DocProblem::BirthYearMismatch`] and
/// [`DocProblem::GenderMismatch`].
pub fn parse(raw: &str, today: Date) -> Result<CccdQr, DocProblem> {
    if raw.len() > MAX_QR_BYTES {
        return Err(DocProblem::TooLong { max: MAX_QR_BYTES });
    }
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text::has_control(trimmed, false) {
        return Err(DocProblem::ControlCharacters);
    }
    let normal = text::nfc(trimmed);
    let fields: Vec<&str> = normal.split('|').map(|f| strip_label(f.trim())).collect();
    if looks_like_health_insurance(&fields) {
        return Err(DocProblem::HealthInsuranceQr);
    }
    let [first, rest @ ..] = fields.as_slice() else { return Err(DocProblem::NotCccdQr) };
    if rest.is_empty() || first.is_empty() || !first.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return Err(DocProblem::NotCccdQr);
    }
    let number = Cccd::parse(first, today)?;

    let mut fields = rest.iter().copied().peekable();
    // The CMND slot: nine digits, or empty, or absent (the name comes straight after the number).
    let cmnd = match fields.peek().copied() {
        Some("") => {
            fields.next();
            None
        }
        Some(f) if f.bytes().all(|b| b.is_ascii_digit()) && f.len() == 9 => {
            fields.next();
            Some(Cmnd::parse(f)?)
        }
        Some(f) if f.bytes().all(|b| b.is_ascii_digit()) => return Err(DocProblem::BadField { field: "cmnd" }),
        _ => None,
    };
    let full_name = name(fields.next().ok_or(DocProblem::MissingField { field: "full_name" })?)?;
    let birth_date = fields.next().ok_or(DocProblem::MissingField { field: "birth_date" })?;
    let birth_date = qr_date(birth_date).ok_or(DocProblem::BadDate { field: "birth_date" })?;
    let gender = fields.next().ok_or(DocProblem::MissingField { field: "gender" })?;
    let gender = Gender::from_words(gender).ok_or(DocProblem::BadField { field: "gender" })?;
    let address = text::clean_line(fields.next().unwrap_or_default());
    let issued_on = match fields.next() {
        None | Some("") => None,
        Some(f) => Some(qr_date(f).ok_or(DocProblem::BadDate { field: "issued_on" })?),
    };
    let extras = fields.map(text::clean_line).collect();

    if birth_date > today {
        return Err(DocProblem::DateInFuture { field: "birth_date" });
    }
    if let Some(issued) = issued_on {
        if issued > today {
            return Err(DocProblem::DateInFuture { field: "issued_on" });
        }
        if issued < birth_date {
            return Err(DocProblem::DateOrder { earlier: "birth_date", later: "issued_on" });
        }
    }
    number.check_against(Some(birth_date), Some(gender))?;
    Ok(CccdQr { number, cmnd, full_name, birth_date, gender, address, issued_on, extras })
}

/// Drops a known `Label:` prefix.
fn strip_label(field: &str) -> &str {
    match field.split_once(':') {
        Some((label, value)) if LABELS.contains(&text::fold(label).as_str()) => value.trim(),
        _ => field,
    }
}

/// A person's name: letters, spaces and a few marks; no digits.
fn name(raw: &str) -> Result<String, DocProblem> {
    let name = text::clean_line(raw);
    if name.is_empty() {
        return Err(DocProblem::MissingField { field: "full_name" });
    }
    let ok = name.chars().any(char::is_alphabetic)
        && name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.'));
    if !ok || name.chars().count() > MAX_NAME_CHARS {
        return Err(DocProblem::BadField { field: "full_name" });
    }
    Ok(name)
}

/// `ddmmyyyy`, or a date with separators as [`validate::parse_date`] reads it.
fn qr_date(raw: &str) -> Option<Date> {
    if raw.len() == 8 && raw.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| raw[r].parse::<i16>().ok();
        return Date::new(n(4..8)?, i8::try_from(n(2..4)?).ok()?, i8::try_from(n(0..2)?).ok()?).ok();
    }
    validate::parse_date(raw)
}

/// BHYT cards also use `|`, but start with a 15-character card number (two letters, thirteen
/// digits) and hex-encode the UTF-8 name and address.
fn looks_like_health_insurance(fields: &[&str]) -> bool {
    let card_number = fields.first().is_some_and(|f| {
        f.len() == 15 && f[..2].bytes().all(|b| b.is_ascii_uppercase()) && f[2..].bytes().all(|b| b.is_ascii_digit())
    });
    card_number || fields.iter().skip(1).any(|f| is_hex_text(f))
}

/// Hex that decodes to UTF-8 text with letters: how BHYT encodes names.
fn is_hex_text(field: &str) -> bool {
    field.len() >= 8
        && field.bytes().any(|b| b.is_ascii_alphabetic())
        && hex::decode(field)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .is_some_and(|s| s.chars().any(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    const TODAY: Date = date(2026, 3, 1);
    const OLD_CARD: &str =
        "001090123456|012345678|Nguyễn Văn A|01011990|Nam|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15042021";

    #[test]
    fn a_chip_cccd_code_is_read_field_by_field() {
        let qr = parse(OLD_CARD, TODAY).unwrap();
        assert_eq!(qr.number.as_str(), "001090123456");
        assert_eq!(qr.cmnd.as_ref().map(Cmnd::as_str), Some("012345678"));
        assert_eq!(qr.full_name, "Nguyễn Văn A");
        assert_eq!(qr.birth_date, date(1990, 1, 1));
        assert_eq!(qr.gender, Gender::Male);
        assert_eq!(qr.address, "Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh");
        assert_eq!(qr.issued_on, Some(date(2021, 4, 15)));
        assert!(qr.extras.is_empty());
    }

    #[test]
    fn the_2024_card_extra_fields_are_kept_not_refused() {
        let raw = "079305001234||Trần Thị Bình|12032005|Nữ|Phường Sài Gòn, Thành phố Hồ Chí Minh|01072024|Trần Văn Cường|Lê Thị Dung|";
        let qr = parse(raw, TODAY).unwrap();
        assert_eq!(qr.cmnd, None);
        assert_eq!(qr.gender, Gender::Female);
        assert_eq!(qr.birth_date, date(2005, 3, 12));
        assert_eq!(qr.issued_on, Some(date(2024, 7, 1)));
        assert_eq!(qr.extras, ["Trần Văn Cường", "Lê Thị Dung", ""]);
    }

    #[test]
    fn a_missing_cmnd_field_does_not_shift_the_others() {
        let raw = "001090123456|Nguyễn Văn A|01011990|Nam|Hà Nội|15042021";
        let qr = parse(raw, TODAY).unwrap();
        assert_eq!(qr.cmnd, None);
        assert_eq!(qr.full_name, "Nguyễn Văn A");
        assert_eq!(qr.issued_on, Some(date(2021, 4, 15)));
    }

    #[test]
    fn labels_slashes_and_scanner_line_breaks_are_tolerated() {
        let raw = "\r\n CCCD:001090123456|CMND: 012345678|Họ và tên: Nguyễn  Văn A|Ngày sinh: 01/01/1990|Giới tính: Nam|Địa chỉ: Hà Nội|Ngày cấp: 15/04/2021\r\n";
        let qr = parse(raw, TODAY).unwrap();
        assert_eq!(qr.full_name, "Nguyễn Văn A");
        assert_eq!(qr.birth_date, date(1990, 1, 1));
        assert_eq!(qr.address, "Hà Nội");
        assert_eq!(qr.issued_on, Some(date(2021, 4, 15)));
    }

    #[test]
    fn a_decomposed_name_is_stored_precomposed() {
        let nfd: String = OLD_CARD.nfd().collect();
        assert_ne!(nfd, OLD_CARD);
        let qr = parse(&nfd, TODAY).unwrap();
        assert_eq!(qr.full_name, "Nguyễn Văn A");
        assert_eq!(qr.full_name.chars().count(), 12);
    }

    #[test]
    fn an_unknown_province_code_is_refused() {
        let raw = OLD_CARD.replacen("001", "003", 1);
        assert_eq!(parse(&raw, TODAY), Err(DocProblem::UnknownProvince { province_code: "003".into() }));
    }

    #[test]
    fn a_birth_year_or_gender_not_matching_the_number_is_refused() {
        let raw = OLD_CARD.replace("01011990", "01011991");
        assert_eq!(parse(&raw, TODAY), Err(DocProblem::BirthYearMismatch { coded: 1990, stated: 1991 }));
        let raw = OLD_CARD.replace("|Nam|", "|Nữ|");
        assert_eq!(parse(&raw, TODAY), Err(DocProblem::GenderMismatch { coded: Gender::Male, stated: Gender::Female }));
    }

    #[test]
    fn a_health_insurance_code_is_recognised_and_refused() {
        // Synthetic BHYT layout: card number, hex UTF-8 name ("Nguyễn Văn A"), DOB, gender code, hex address.
        let bhyt =
            "DN4797920387456|4e677579e1bb856e2056c4836e2041|01/01/1990|1|48c3a0204ee1bb9969|79 - 79024|01/01/2024";
        assert_eq!(parse(bhyt, TODAY), Err(DocProblem::HealthInsuranceQr));
        let hex_only = "0123456789|4e677579e1bb856e2056c4836e2041|01/01/1990";
        assert_eq!(parse(hex_only, TODAY), Err(DocProblem::HealthInsuranceQr));
    }

    #[test]
    fn random_text_and_urls_are_not_a_cccd() {
        for raw in ["hello world", "https://example.vn/?q=1|2", "", "|||", "WIFI:S:guest;P:x;;", "ABC123|Nguyễn Văn A"]
        {
            assert_eq!(parse(raw, TODAY), Err(DocProblem::NotCccdQr), "{raw:?}");
        }
    }

    #[test]
    fn oversized_input_and_control_characters_are_refused() {
        let big = format!("{OLD_CARD}|{}", "x".repeat(MAX_QR_BYTES));
        assert_eq!(parse(&big, TODAY), Err(DocProblem::TooLong { max: MAX_QR_BYTES }));
        let ctl = OLD_CARD.replace("Nguyễn", "Ngu\u{0007}yễn");
        assert_eq!(parse(&ctl, TODAY), Err(DocProblem::ControlCharacters));
    }

    #[test]
    fn malformed_fields_are_named() {
        let cases = [
            ("001090123456|012345678", DocProblem::MissingField { field: "full_name" }),
            ("001090123456|012345678|Nguyễn Văn A", DocProblem::MissingField { field: "birth_date" }),
            ("001090123456|012345678|Nguyễn Văn A|01011990", DocProblem::MissingField { field: "gender" }),
            (
                "001090123456|012345678|Nguyễn Văn A|31021990|Nam|x|15042021",
                DocProblem::BadDate { field: "birth_date" },
            ),
            ("001090123456|012345678|Nguyễn Văn A|01011990|Trai|x|15042021", DocProblem::BadField { field: "gender" }),
            ("001090123456|012345678|Nguyễn Văn A|01011990|Nam|x|2021", DocProblem::BadDate { field: "issued_on" }),
            ("001090123456|01234567|Nguyễn Văn A|01011990|Nam|x|15042021", DocProblem::BadField { field: "cmnd" }),
            (
                "001090123456|012345678|Nguyễn V4n A|01011990|Nam|x|15042021",
                DocProblem::BadField { field: "full_name" },
            ),
            (
                "00109012345|012345678|Nguyễn Văn A|01011990|Nam|x|15042021",
                DocProblem::WrongLength { expected: 12, got: 11 },
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse(raw, TODAY), Err(expected), "{raw}");
        }
    }

    #[test]
    fn dates_must_be_in_order_and_not_in_the_future() {
        let raw = "001226123456||Nguyễn Văn A|01122026|Nam|Hà Nội|";
        assert_eq!(parse(raw, TODAY), Err(DocProblem::DateInFuture { field: "birth_date" }));
        let raw = OLD_CARD.replace("15042021", "15042027");
        assert_eq!(parse(&raw, TODAY), Err(DocProblem::DateInFuture { field: "issued_on" }));
        let raw = OLD_CARD.replace("15042021", "15041989");
        assert_eq!(parse(&raw, TODAY), Err(DocProblem::DateOrder { earlier: "birth_date", later: "issued_on" }));
    }
}
