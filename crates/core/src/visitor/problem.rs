//! What can be wrong with an identity document, a QR code, an MRZ or a plate read at the gate.
//!
//! [`crate::validate::Problem`] covers generic form fields; these are the document-specific
//! causes, each with a stable snake_case code the server maps to a Vietnamese or English
//! sentence, and the facts the guard needs to act on ("the number says 1990, the date of birth
//! says 1991").

use serde::Serialize;

use super::Gender;

/// Why a document, QR code, MRZ or plate was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DocProblem {
    /// The number has the wrong number of characters.
    #[error("expected {expected} characters, got {got}")]
    WrongLength { expected: usize, got: usize },
    /// A personal ID number holds something other than the digits 0–9.
    #[error("only digits are allowed")]
    NotDigits,
    /// A 9-digit CMND was given where the 12-digit personal ID number is required.
    #[error("an old 9-digit CMND number is kept only as an alias; the 12-digit number is required")]
    OldCmndOnly,
    /// The first three digits are not one of the 63 birth-registration province codes.
    #[error("unknown province code {province_code}")]
    UnknownProvince { province_code: String },
    /// The birth year coded in the number is after this year.
    #[error("birth year {year} is in the future")]
    BirthYearInFuture { year: i16 },
    /// The birth year coded in the number differs from the date of birth.
    #[error("the number codes birth year {coded}, the date of birth says {stated}")]
    BirthYearMismatch { coded: i16, stated: i16 },
    /// The gender coded in the number differs from the stated gender.
    #[error("the number codes {coded}, the card says {stated}")]
    GenderMismatch { coded: Gender, stated: Gender },
    /// The input is longer than anything this parser accepts.
    #[error("input longer than {max} bytes")]
    TooLong { max: usize },
    /// The input holds control characters (other than surrounding line breaks).
    #[error("control characters in the input")]
    ControlCharacters,
    /// The text is not the QR code of a Vietnamese citizen ID card.
    #[error("not a citizen ID card QR code")]
    NotCccdQr,
    /// The text is a health-insurance (BHYT) card QR code, not a citizen ID card.
    #[error("a health-insurance card QR code, not a citizen ID card")]
    HealthInsuranceQr,
    /// A required field is absent.
    #[error("missing field {field}")]
    MissingField { field: &'static str },
    /// A field does not have the expected form.
    #[error("malformed field {field}")]
    BadField { field: &'static str },
    /// A date field is not a valid date.
    #[error("invalid date in {field}")]
    BadDate { field: &'static str },
    /// A date that cannot be after today is.
    #[error("{field} is in the future")]
    DateInFuture { field: &'static str },
    /// Two dates are in the wrong order (issued before birth, expiry before birth).
    #[error("{later} is before {earlier}")]
    DateOrder { earlier: &'static str, later: &'static str },
    /// Not the shape of a Vietnamese plate.
    #[error("not a Vietnamese plate number")]
    BadPlate,
    /// The two-digit locality code of a plate is not in use.
    #[error("plate locality code {locality} is not in use")]
    UnknownLocality { locality: u8 },
    /// The series letters of a plate are not allowed.
    #[error("plate series {series} is not allowed")]
    BadSeries { series: String },
    /// The order number of a plate is all zeros or of the wrong length.
    #[error("bad plate order number")]
    BadOrderNumber,
    /// A passport number is not 6–9 letters and digits.
    #[error("a passport number is 6 to 9 letters and digits")]
    BadPassportNumber,
    /// Not an ISO 3166-1 alpha-3 country code.
    #[error("unknown country code {country_code}")]
    UnknownCountry { country_code: String },
    /// The MRZ is not two lines of 44 characters from `A–Z 0–9 <`.
    #[error("not a two-line, 44-character passport MRZ")]
    MrzShape,
    /// The MRZ is of another document than a passport.
    #[error("the MRZ is not a passport's")]
    NotPassportMrz,
    /// An ICAO 9303 check digit does not match.
    #[error("check digit of {field} does not match")]
    MrzCheckDigit { field: &'static str },
}

impl DocProblem {
    /// The stable machine-readable code used in API errors.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongLength { .. } => "wrong_length",
            Self::NotDigits => "not_digits",
            Self::OldCmndOnly => "old_cmnd_only",
            Self::UnknownProvince { .. } => "unknown_province",
            Self::BirthYearInFuture { .. } => "birth_year_in_future",
            Self::BirthYearMismatch { .. } => "birth_year_mismatch",
            Self::GenderMismatch { .. } => "gender_mismatch",
            Self::TooLong { .. } => "too_long",
            Self::ControlCharacters => "control_characters",
            Self::NotCccdQr => "not_cccd_qr",
            Self::HealthInsuranceQr => "health_insurance_qr",
            Self::MissingField { .. } => "missing_field",
            Self::BadField { .. } => "bad_field",
            Self::BadDate { .. } => "bad_date",
            Self::DateInFuture { .. } => "date_in_future",
            Self::DateOrder { .. } => "date_order",
            Self::BadPlate => "bad_plate",
            Self::UnknownLocality { .. } => "unknown_locality",
            Self::BadSeries { .. } => "bad_series",
            Self::BadOrderNumber => "bad_order_number",
            Self::BadPassportNumber => "bad_passport_number",
            Self::UnknownCountry { .. } => "unknown_country",
            Self::MrzShape => "mrz_shape",
            Self::NotPassportMrz => "not_passport_mrz",
            Self::MrzCheckDigit { .. } => "mrz_check_digit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_serialised_code_is_the_code_method() {
        let cases = [
            DocProblem::WrongLength { expected: 12, got: 11 },
            DocProblem::BirthYearMismatch { coded: 1990, stated: 1991 },
            DocProblem::GenderMismatch { coded: Gender::Male, stated: Gender::Female },
            DocProblem::MrzCheckDigit { field: "birth_date" },
            DocProblem::HealthInsuranceQr,
        ];
        for p in cases {
            let json = serde_json::to_value(&p).unwrap();
            assert_eq!(json["code"], p.code(), "{p:?}");
        }
        let json = serde_json::to_value(DocProblem::BirthYearMismatch { coded: 1990, stated: 1991 }).unwrap();
        assert_eq!(json["coded"], 1990);
        assert_eq!(json["stated"], 1991);
    }
}
