//! Passports: the passport number, and the machine-readable zone (MRZ) of a TD3 passport
//! (ICAO Doc 9303 Part 4), from which the fields a foreigner's temporary-residence declaration
//! asks for (TT 53/2016/TT-BCA: name, gender, date of birth, nationality, passport number) are
//! captured without typing.
//!
//! TD3 layout: two lines of 44 characters from `A–Z 0–9 <`.
//! - Line 1: document code (2), issuing state (3), name (39): `SURNAME<<GIVEN<NAMES<<<…`.
//! - Line 2: document number (9) + check, nationality (3), birth date YYMMDD + check, sex,
//!   expiry YYMMDD + check, personal number (14) + check, composite check over positions
//!   1–10, 14–20 and 22–43.
//!
//! Check digits (Doc 9303 Part 3 §4.9): weights 7, 3, 1 repeating; digits count as
//! themselves, `A`–`Z` as 10–35, `<` as 0; the check digit is the sum modulo 10.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{DocProblem, Gender, Nationality};

/// A passport number: 6 to 9 uppercase letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PassportNumber(String);

impl PassportNumber {
    /// Parses a number as typed: case and spaces are ignored.
    ///
    /// # Errors
    /// [`DocProblem::BadPassportNumber`].
    pub fn parse(raw: &str) -> Result<Self, DocProblem> {
        let number: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if (6..=9).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(number))
        } else {
            Err(DocProblem::BadPassportNumber)
        }
    }

    /// The number.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PassportNumber {
    type Error = DocProblem;
    fn try_from(s: String) -> Result<Self, DocProblem> {
        Self::parse(&s)
    }
}

impl From<PassportNumber> for String {
    fn from(p: PassportNumber) -> Self {
        p.0
    }
}

/// What a TD3 passport MRZ says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mrz {
    /// `P` and the optional type letter (`PN`, `PD`…), fillers dropped.
    pub document_code: String,
    /// Issuing state as printed (ICAO codes include some outside ISO 3166, e.g. `UTO`).
    pub issuing_state: String,
    pub surname: String,
    pub given_names: String,
    /// The document number, fillers dropped.
    pub number: String,
    /// Nationality as printed, fillers dropped.
    pub nationality_code: String,
    pub birth_date: Date,
    /// `None` for `<` or `X` (unspecified).
    pub sex: Option<Gender>,
    pub expiry_date: Date,
    /// The optional personal number, fillers dropped.
    pub personal_number: String,
}

/// The value of one MRZ character for check digits.
fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The ICAO 9303 check digit of `field` (weights 7-3-1), or `None` for characters outside
/// the MRZ set.
#[must_use]
pub fn check_digit(field: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in field.bytes().enumerate() {
        sum += char_value(c)? * [7, 3, 1][i % 3];
    }
    u8::try_from(sum % 10).ok()
}

/// Whether `digit` is the check digit of `field`. An all-filler optional field may carry `<`.
fn checks(field: &str, digit: u8, filler_allowed: bool) -> bool {
    if digit == b'<' {
        return filler_allowed && field.bytes().all(|b| b == b'<');
    }
    digit.is_ascii_digit() && check_digit(field) == Some(digit - b'0')
}

/// Parses a TD3 MRZ: two lines (any line break, surrounding spaces ignored) or the 88
/// characters run together, as OCR or a document reader returns them. Lowercase is read as
/// uppercase and spaces inside a line are dropped.
///
/// Birth dates take the latest century that puts them on or before `today`; expiry years are
/// read as 20YY.
///
/// # Errors
/// [`DocProblem::MrzShape`], [`DocProblem::NotPassportMrz`], [`DocProblem::MrzCheckDigit`]
/// naming the field, [`DocProblem::BadDate`].
pub fn parse_td3(raw: &str, today: Date) -> Result<Mrz, DocProblem> {
    if raw.len() > 200 {
        return Err(DocProblem::MrzShape);
    }
    let lines: Vec<String> = raw
        .lines()
        .map(|l| l.chars().filter(|c| *c != ' ' && *c != '\t').collect::<String>().to_ascii_uppercase())
        .filter(|l| !l.is_empty())
        .collect();
    let joined = lines.concat();
    let shape_ok =
        (lines.len() == 2 && lines.iter().all(|l| l.len() == 44)) || (lines.len() == 1 && joined.len() == 88);
    if !shape_ok || !joined.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<') {
        return Err(DocProblem::MrzShape);
    }
    let (l1, l2) = joined.split_at(44);
    if !l1.starts_with('P') {
        return Err(DocProblem::NotPassportMrz);
    }
    let b2 = l2.as_bytes();
    let field_checks = [
        ("number", &l2[0..9], b2[9], false),
        ("birth_date", &l2[13..19], b2[19], false),
        ("expiry_date", &l2[21..27], b2[27], false),
        ("personal_number", &l2[28..42], b2[42], true),
    ];
    for (field, value, digit, filler_allowed) in field_checks {
        if !checks(value, digit, filler_allowed) {
            return Err(DocProblem::MrzCheckDigit { field });
        }
    }
    let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
    if !checks(&composite, b2[43], false) {
        return Err(DocProblem::MrzCheckDigit { field: "composite" });
    }

    let century = today.year() / 100 * 100;
    let birth_date = match yymmdd(&l2[13..19], |yy| century + yy) {
        Some(d) if d <= today => Some(d),
        _ => yymmdd(&l2[13..19], |yy| century - 100 + yy),
    }
    .ok_or(DocProblem::BadDate { field: "birth_date" })?;
    let expiry_date = yymmdd(&l2[21..27], |yy| 2000 + yy).ok_or(DocProblem::BadDate { field: "expiry_date" })?;
    let (surname, given_names) = names(&l1[5..]);
    Ok(Mrz {
        document_code: l1[0..2].trim_end_matches('<').to_owned(),
        issuing_state: l1[2..5].trim_end_matches('<').to_owned(),
        surname,
        given_names,
        number: l2[0..9].trim_end_matches('<').to_owned(),
        nationality_code: l2[10..13].trim_end_matches('<').to_owned(),
        birth_date,
        sex: match b2[20] {
            b'M' => Some(Gender::Male),
            b'F' => Some(Gender::Female),
            _ => None,
        },
        expiry_date,
        personal_number: l2[28..42].trim_end_matches('<').to_owned(),
    })
}

/// A YYMMDD date with the century chosen by `year`.
fn yymmdd(s: &str, year: impl Fn(i16) -> i16) -> Option<Date> {
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i8>().ok();
    Date::new(year(i16::from(n(0..2)?)), n(2..4)?, n(4..6)?).ok()
}

/// `SURNAME<<GIVEN<NAMES<<<` → ("SURNAME", "GIVEN NAMES").
fn names(field: &str) -> (String, String) {
    let words = |s: &str| s.split('<').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    match field.split_once("<<") {
        Some((surname, given)) => (words(surname), words(given)),
        None => (words(field), String::new()),
    }
}

impl Mrz {
    /// The full name as Vietnamese forms write a foreigner's: surname, then given names.
    #[must_use]
    pub fn full_name(&self) -> String {
        if self.given_names.is_empty() {
            self.surname.clone()
        } else {
            format!("{} {}", self.surname, self.given_names)
        }
    }

    /// The document number as a passport number.
    ///
    /// # Errors
    /// [`DocProblem::BadPassportNumber`] when it is shorter than 6 characters.
    pub fn passport_number(&self) -> Result<PassportNumber, DocProblem> {
        PassportNumber::parse(&self.number)
    }

    /// The nationality, when it is an ISO 3166-1 code.
    ///
    /// # Errors
    /// [`DocProblem::UnknownCountry`] for ICAO-only codes (UN documents, stateless persons…).
    pub fn nationality(&self) -> Result<Nationality, DocProblem> {
        Nationality::parse(&self.nationality_code)
    }

    /// Whether the passport has expired on `today` (it is valid through its expiry date).
    #[must_use]
    pub fn is_expired(&self, today: Date) -> bool {
        today > self.expiry_date
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    /// ICAO Doc 9303 Part 4 Appendix B specimen.
    const L1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const L2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const TODAY: Date = date(2026, 3, 1);

    fn specimen() -> String {
        format!("{L1}\n{L2}")
    }

    #[test]
    fn check_digits_of_the_specimen_fields() {
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit("740812"), Some(2));
        assert_eq!(check_digit("120415"), Some(9));
        assert_eq!(check_digit("ZE184226B<<<<<"), Some(1));
        assert_eq!(check_digit("L898902C3674081221204159ZE184226B<<<<<1"), Some(0));
        assert_eq!(check_digit("l898"), None);
    }

    #[test]
    fn the_icao_specimen_is_read() {
        let m = parse_td3(&specimen(), TODAY).unwrap();
        assert_eq!(m.document_code, "P");
        assert_eq!(m.issuing_state, "UTO");
        assert_eq!(m.surname, "ERIKSSON");
        assert_eq!(m.given_names, "ANNA MARIA");
        assert_eq!(m.full_name(), "ERIKSSON ANNA MARIA");
        assert_eq!(m.number, "L898902C3");
        assert_eq!(m.passport_number().unwrap().as_str(), "L898902C3");
        assert_eq!(m.nationality_code, "UTO");
        assert_eq!(
            m.nationality(),
            Err(DocProblem::UnknownCountry { country_code: "UTO".into() }),
            "Utopia is fictional"
        );
        assert_eq!(m.birth_date, date(1974, 8, 12));
        assert_eq!(m.sex, Some(Gender::Female));
        assert_eq!(m.expiry_date, date(2012, 4, 15));
        assert_eq!(m.personal_number, "ZE184226B");
        assert!(m.is_expired(TODAY));
        assert!(!m.is_expired(date(2012, 4, 15)));
    }

    #[test]
    fn ocr_style_input_is_tolerated() {
        let messy = format!("  {}\r\n\r\n{}  \n", L1.to_lowercase(), L2.replace("UTO", "U TO"));
        assert_eq!(parse_td3(&messy, TODAY), parse_td3(&specimen(), TODAY));
        assert!(parse_td3(&format!("{L1}{L2}"), TODAY).is_ok(), "88 characters run together");
    }

    #[test]
    fn each_altered_field_fails_its_own_check_digit() {
        let cases = [
            (L2.replacen("L898902C3", "L898902C8", 1), "number"),
            (L2.replacen("740812", "740813", 1), "birth_date"),
            (L2.replacen("120415", "130415", 1), "expiry_date"),
            (L2.replacen("ZE184226B", "ZE184226C", 1), "personal_number"),
            (format!("{}1", &L2[..43]), "composite"),
        ];
        for (l2, field) in cases {
            assert_eq!(parse_td3(&format!("{L1}\n{l2}"), TODAY), Err(DocProblem::MrzCheckDigit { field }), "{field}");
        }
    }

    /// The specimen's line 2 with another birth date, its check digit and the composite redone.
    fn with_birth_date(yymmdd: &str) -> String {
        let mut l2 = format!("{}{yymmdd}{}{}", &L2[..13], check_digit(yymmdd).unwrap(), &L2[20..43]);
        let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
        l2.push(char::from(b'0' + check_digit(&composite).unwrap()));
        l2
    }

    #[test]
    fn a_century_is_chosen_so_the_birth_date_is_not_in_the_future() {
        let parse = |yymmdd| parse_td3(&format!("{L1}\n{}", with_birth_date(yymmdd)), TODAY);
        assert_eq!(parse("050812").unwrap().birth_date, date(2005, 8, 12));
        assert_eq!(parse("260301").unwrap().birth_date, date(2026, 3, 1));
        assert_eq!(parse("260302").unwrap().birth_date, date(1926, 3, 2));
        assert_eq!(parse("050230"), Err(DocProblem::BadDate { field: "birth_date" }));
    }

    #[test]
    fn wrong_shapes_and_other_documents_are_refused() {
        assert_eq!(parse_td3(L1, TODAY), Err(DocProblem::MrzShape));
        assert_eq!(parse_td3(&format!("{L1}\n{}", &L2[..43]), TODAY), Err(DocProblem::MrzShape));
        assert_eq!(parse_td3(&format!("{L1}\n{}", L2.replace('<', "«")), TODAY), Err(DocProblem::MrzShape));
        assert_eq!(parse_td3(&format!("V{}\n{L2}", &L1[1..]), TODAY), Err(DocProblem::NotPassportMrz));
        assert_eq!(parse_td3(&"P".repeat(500), TODAY), Err(DocProblem::MrzShape));
    }

    #[test]
    fn passport_numbers_are_six_to_nine_letters_and_digits() {
        assert_eq!(PassportNumber::parse("c1234567").unwrap().as_str(), "C1234567");
        assert_eq!(PassportNumber::parse("E 1234 5678").unwrap().as_str(), "E12345678");
        for bad in ["12345", "1234567890", "C123-4567", "", "C12345６"] {
            assert_eq!(PassportNumber::parse(bad), Err(DocProblem::BadPassportNumber), "{bad}");
        }
    }
}
