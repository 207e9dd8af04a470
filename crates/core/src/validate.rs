//! Field validation shared by forms and the JSON API: "parse, don't validate".
//!
//! A draft (raw strings as a person or client sent them) is parsed into a validated input or
//! into a list of [`FieldError`]s, each naming the field and a stable [`Problem`] code. The
//! server turns the code into a Vietnamese or English sentence; the API returns the code.

use serde::Serialize;

use crate::text;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    ControlCharacters,
    NotAnOption,
    NotANumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    BadDate,
    BadPhone,
    BadCode,
    BadId,
    NotFound,
    Taken,
    WrongParent,
    DateOrder,
    /// Open hours are written `HH:MM-HH:MM`, closing after opening.
    BadHours,
    /// A time that has not come yet (an incident's occurrence).
    InFuture,
    /// An upload that is not a JPEG, PNG or WebP image.
    BadImage,
    /// An upload larger than `max_kb` kilobytes.
    TooLarge {
        max_kb: usize,
    },
    /// More than `max` items.
    TooMany {
        max: usize,
    },
}

impl Problem {
    /// The stable machine-readable code used in API errors.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::TooShort { .. } => "too_short",
            Self::ControlCharacters => "control_characters",
            Self::NotAnOption => "not_an_option",
            Self::NotANumber => "not_a_number",
            Self::OutOfRange { .. } => "out_of_range",
            Self::BadDate => "bad_date",
            Self::BadPhone => "bad_phone",
            Self::BadCode => "bad_code",
            Self::BadId => "bad_id",
            Self::NotFound => "not_found",
            Self::Taken => "taken",
            Self::WrongParent => "wrong_parent",
            Self::DateOrder => "date_order",
            Self::BadHours => "bad_hours",
            Self::InFuture => "in_future",
            Self::BadImage => "bad_image",
            Self::TooLarge { .. } => "too_large",
            Self::TooMany { .. } => "too_many",
        }
    }
}

/// One field that failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    #[serde(flatten)]
    pub problem: Problem,
}

/// All the problems of one draft; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{} ({})", e.field, e.problem.code())).collect::<Vec<_>>().join(", "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    #[must_use]
    pub fn one(field: &'static str, problem: Problem) -> Self {
        Self(vec![FieldError { field, problem }])
    }

    /// The problem reported for `field`, if any.
    #[must_use]
    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.problem)
    }
}

/// Collects field errors while a draft is parsed, so that every problem is reported at once.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &'static str, problem: Problem) {
        self.errors.push(FieldError { field, problem });
    }

    /// A required single-line text of at most `max` characters.
    pub fn line(&mut self, field: &'static str, raw: &str, max: usize) -> String {
        let value = self.opt_line(field, raw, max);
        if value.is_empty() && !self.errors.iter().any(|e| e.field == field) {
            self.fail(field, Problem::Required);
        }
        value
    }

    /// An optional single-line text (empty when absent).
    pub fn opt_line(&mut self, field: &'static str, raw: &str, max: usize) -> String {
        if text::has_control(raw, false) {
            self.fail(field, Problem::ControlCharacters);
            return String::new();
        }
        let value = text::clean_line(raw);
        if value.chars().count() > max {
            self.fail(field, Problem::TooLong { max });
        }
        value
    }

    /// An optional multi-line text, NFC, trimmed.
    pub fn opt_text(&mut self, field: &'static str, raw: &str, max: usize) -> String {
        if text::has_control(raw, true) {
            self.fail(field, Problem::ControlCharacters);
            return String::new();
        }
        let value = text::nfc(raw.trim()).replace("\r\n", "\n");
        if value.chars().count() > max {
            self.fail(field, Problem::TooLong { max });
        }
        value
    }

    /// One of a closed set of codes (an enum's `code()`).
    pub fn option<T: Copy>(&mut self, field: &'static str, raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let raw = raw.trim();
        if raw.is_empty() {
            self.fail(field, Problem::Required);
            return None;
        }
        let parsed = parse(raw);
        if parsed.is_none() {
            self.fail(field, Problem::NotAnOption);
        }
        parsed
    }

    /// An integer in `min..=max`; `None` when empty and not required.
    pub fn int(&mut self, field: &'static str, raw: &str, min: i64, max: i64, required: bool) -> Option<i64> {
        let raw = raw.trim().replace(['.', ',', ' '], "");
        if raw.is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
            return None;
        }
        match raw.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Some(v),
            Ok(_) => {
                self.fail(field, Problem::OutOfRange { min, max });
                None
            }
            Err(_) => {
                self.fail(field, Problem::NotANumber);
                None
            }
        }
    }

    /// A calendar date typed as dd/mm/yyyy (as Vietnamese users write it) or yyyy-mm-dd (as a
    /// browser date input and the API send it).
    pub fn date(&mut self, field: &'static str, raw: &str, required: bool) -> Option<jiff::civil::Date> {
        let raw = raw.trim();
        if raw.is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
            return None;
        }
        let parsed = parse_date(raw);
        if parsed.is_none() {
            self.fail(field, Problem::BadDate);
        }
        parsed
    }

    /// A Vietnamese phone number, normalised to its domestic form (0xxxxxxxxx).
    pub fn phone(&mut self, field: &'static str, raw: &str) -> String {
        let raw = raw.trim();
        if raw.is_empty() {
            return String::new();
        }
        match normalise_phone(raw) {
            Some(p) => p,
            None => {
                self.fail(field, Problem::BadPhone);
                String::new()
            }
        }
    }

    /// An optional client-chosen id: `None` when empty.
    pub fn client_id<T>(
        &mut self,
        field: &'static str,
        raw: &str,
        parse: fn(&str) -> Result<T, crate::ids::BadId>,
    ) -> Option<T> {
        if raw.trim().is_empty() {
            return None;
        }
        parse(raw).map_err(|_| self.fail(field, Problem::BadId)).ok()
    }

    /// Finishes: `Ok(value)` when no field failed.
    ///
    /// # Errors
    /// Every field error collected.
    pub fn finish<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() { Ok(value) } else { Err(Invalid(self.errors)) }
    }
}

/// Parses dd/mm/yyyy or yyyy-mm-dd.
#[must_use]
pub fn parse_date(raw: &str) -> Option<jiff::civil::Date> {
    let parts: Vec<&str> = raw.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 { (parts[0], parts[1], parts[2]) } else { (parts[2], parts[1], parts[0]) };
    if y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// Normalises a Vietnamese phone number: mobile (10 digits) or landline (11 digits), written
/// with spaces, dots or dashes, with `0`, `84` or `+84` in front.
#[must_use]
pub fn normalise_phone(raw: &str) -> Option<String> {
    let body = raw.trim();
    if !body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')' | '+')) {
        return None;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let domestic = if body.starts_with('+') {
        format!("0{}", digits.strip_prefix("84")?)
    } else if digits.starts_with("84") && digits.len() >= 11 {
        format!("0{}", &digits[2..])
    } else {
        digits
    };
    (domestic.starts_with('0') && (10..=11).contains(&domestic.len()) && !domestic.starts_with("00"))
        .then_some(domestic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_a_draft_is_reported_at_once() {
        let mut c = Checker::new();
        c.line("name", "   ", 10);
        c.line("code", "abcdefghijkl", 10);
        let err = c.finish(()).unwrap_err();
        assert_eq!(err.for_field("name"), Some(&Problem::Required));
        assert_eq!(err.for_field("code"), Some(&Problem::TooLong { max: 10 }));
    }

    #[test]
    fn dates_are_read_in_vietnamese_and_iso_order() {
        assert_eq!(parse_date("05/01/2021"), Some(jiff::civil::date(2021, 1, 5)));
        assert_eq!(parse_date("2021-01-05"), Some(jiff::civil::date(2021, 1, 5)));
        assert_eq!(parse_date("31/02/2021"), None);
        assert_eq!(parse_date("1/1/21"), None);
        assert_eq!(parse_date("<script>"), None);
    }

    #[test]
    fn phone_numbers_are_normalised() {
        assert_eq!(normalise_phone("0912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(normalise_phone("+84 912.345.678").as_deref(), Some("0912345678"));
        assert_eq!(normalise_phone("024.3827.2758").as_deref(), Some("02438272758"));
        assert_eq!(normalise_phone("12345"), None);
        assert_eq!(normalise_phone("09123abc78"), None);
    }

    #[test]
    fn a_number_out_of_range_is_rejected() {
        let mut c = Checker::new();
        assert_eq!(c.int("sensitivity", "7", 1, 5, true), None);
        assert_eq!(c.finish(()).unwrap_err().for_field("sensitivity"), Some(&Problem::OutOfRange { min: 1, max: 5 }));
    }
}
