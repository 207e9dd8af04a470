//! Vietnamese vehicle plates (biển số xe): validation, canonical display and the match key.
//!
//! Rules, from the circulars of the Ministry of Public Security on vehicle registration
//! (TT 15/2014/TT-BCA, TT 58/2020/TT-BCA, TT 24/2023/TT-BCA in force from 15/08/2023, replaced by
//! TT 79/2024/TT-BCA from 01/01/2025 with the same layout):
//! - a two-digit locality code (ký hiệu địa phương), then the series (sêri), then the order
//!   number: five digits 000.01–999.99 (four digits on plates from before 2010);
//! - cars (TT 24/2023 Điều 37 khoản 5; TT 79/2024 Điều 37): one series letter out of the 20
//!   letters A B C D E F G H K L M N P S T U V X Y Z, `R` for trailers and semi-trailers, or a
//!   special two-letter series: LD (foreign-invested enterprises), DA (projects), KT (army
//!   enterprises), MK (tractors), TĐ (domestically assembled pilot vehicles), HC (restricted
//!   range); printed `30A-123.45`;
//! - motorbikes: two letters of the 20 (all domestic plates since TT 24/2023; under 50 cm³
//!   before, when the second letter could also be `R`), or one letter and a digit 1–9 (before
//!   15/08/2023, and blue state plates), or MĐ and a digit (electric); printed `29-B1 123.45`;
//! - foreign organisations and people: locality, a 3-digit country code, NG/NN/QT/CV and a
//!   two-digit order (`80-011-NG-01`, TT 79/2024 Điều 37), or the older `80NG-636-70`.
//!
//! Input is read tolerantly (any case, spaces, dots, dashes); structure strictly. The match key
//! is the uppercase ASCII letters and digits (`30A12345`), with Đ read as D, so a guard typing
//! "29md1" finds "29-MĐ1".

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DocProblem;

/// The 20 series letters of TT 24/2023 Điều 37 khoản 5 (no I, J, O, Q, R, W).
const LETTERS: &str = "ABCDEFGHKLMNPSTUVXYZ";

/// Two-letter car series with a special meaning.
const CAR_SPECIAL: &[&str] = &["LD", "DA", "KT", "MK", "TĐ", "HC"];

/// Series of plates of foreign missions, organisations and people.
const FOREIGN_SERIES: &[&str] = &["NG", "NN", "QT", "CV"];

/// Locality codes in use: the provinces' codes before the 2025 merger, all kept by the merged
/// provinces (Cục CSGT guidance of July 2025, reported by laodong.vn), plus 80 for vehicles
/// registered centrally (foreign missions). 13, 42, 44–46, 87, 91 and 96 are not used.
pub const LOCALITY_CODES: &[u8] = &[
    11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 43, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73,
    74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 88, 89, 90, 92, 93, 94, 95, 97, 98, 99,
];

/// The longest raw plate text looked at.
const MAX_RAW_CHARS: usize = 24;

/// What kind of vehicle the plate's structure says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlateKind {
    Car,
    Motorbike,
    /// Foreign mission, organisation or person (NG/NN/QT/CV).
    Foreign,
}

/// A structurally valid Vietnamese plate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Plate {
    pub kind: PlateKind,
    /// The two-digit locality code.
    pub locality: u8,
    /// Series letters (and digit), uppercase, Đ kept.
    pub series: String,
    /// The 3-digit country code of a foreign plate.
    pub country: Option<String>,
    /// The order number's digits.
    pub order: String,
    /// Foreign plate in the pre-2025 layout (series before the country code).
    old_foreign_layout: bool,
}

impl Plate {
    /// Parses a plate as typed or read by a camera.
    ///
    /// # Errors
    /// [`DocProblem::BadPlate`] for the wrong shape, [`DocProblem::UnknownLocality`],
    /// [`DocProblem::BadSeries`] or [`DocProblem::BadOrderNumber`].
    pub fn parse(raw: &str) -> Result<Self, DocProblem> {
        let raw = raw.trim();
        if raw.is_empty() || raw.chars().count() > MAX_RAW_CHARS {
            return Err(DocProblem::BadPlate);
        }
        // Characters, uppercase, with a flag for "a separator came just before this one".
        let mut chars: Vec<(char, bool)> = Vec::new();
        let mut gap = false;
        for c in raw.chars() {
            match c {
                ' ' | '.' | '-' | '_' | '/' => gap = true,
                'đ' | 'Đ' => chars.push(('Đ', std::mem::take(&mut gap))),
                c if c.is_ascii_alphanumeric() => chars.push((c.to_ascii_uppercase(), std::mem::take(&mut gap))),
                _ => return Err(DocProblem::BadPlate),
            }
        }
        let s: String = chars.iter().map(|(c, _)| c).collect();
        let gap_at = |i: usize| chars.get(i).is_some_and(|(_, g)| *g);

        if s.chars().take_while(char::is_ascii_digit).count() < 2 {
            return Err(DocProblem::BadPlate);
        }
        let locality: u8 = s[..2].parse().map_err(|_| DocProblem::BadPlate)?;
        if !LOCALITY_CODES.contains(&locality) {
            return Err(DocProblem::UnknownLocality { locality });
        }
        let rest: Vec<char> = s[2..].chars().collect();
        if let Some(plate) = foreign(locality, &rest)? {
            return Ok(plate);
        }

        let letters: String = rest.iter().take_while(|c| c.is_alphabetic()).collect();
        let after_letters = &rest[letters.chars().count()..];
        let digits: String = after_letters.iter().take_while(|c| c.is_ascii_digit()).collect();
        if letters.is_empty() || digits.len() != after_letters.len() {
            return Err(DocProblem::BadPlate);
        }
        let n_letters = letters.chars().count();
        // Where the series could end: after the letters (car, or two-letter motorbike) or one
        // digit later (letter + digit motorbike, MĐ1).
        let (series, order, kind) = match (n_letters, digits.len()) {
            (1, 5) if gap_at(2 + 2) && !gap_at(2 + 1) => split_digit(&letters, &digits),
            (1, 4 | 5) => (letters.clone(), digits.clone(), PlateKind::Car),
            // "MD" + digit can only be the electric-motorbike series typed without Đ.
            (2, 6) if letters == "MD" => split_digit("MĐ", &digits),
            (1 | 2, 6) => split_digit(&letters, &digits),
            (2, 5) if letters == "MĐ" => split_digit(&letters, &digits),
            (2, 4 | 5) => {
                // TĐ has a letter no motorbike series uses, so it is a car however it is spaced.
                let motorbike_layout = (gap_at(2) && letters != "TĐ") || !CAR_SPECIAL.contains(&letters.as_str());
                (letters.clone(), digits.clone(), if motorbike_layout { PlateKind::Motorbike } else { PlateKind::Car })
            }
            _ => return Err(DocProblem::BadPlate),
        };
        check_series(&series, kind)?;
        let zero = order.bytes().all(|b| b == b'0');
        if zero || !(4..=5).contains(&order.len()) {
            return Err(DocProblem::BadOrderNumber);
        }
        Ok(Self { kind, locality, series, country: None, order, old_foreign_layout: false })
    }

    /// The match key: uppercase ASCII letters and digits, Đ as D (`30A12345`).
    #[must_use]
    pub fn key(&self) -> String {
        key(&self.to_string())
    }
}

/// The match key of any text, valid plate or not (for watchlists of fake plates).
#[must_use]
pub fn key(raw: &str) -> String {
    raw.chars()
        .filter_map(|c| match c {
            'đ' | 'Đ' => Some('D'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_uppercase()),
            _ => None,
        })
        .collect()
}

/// Splits "letter(s) + digit" from the order number.
fn split_digit(letters: &str, digits: &str) -> (String, String, PlateKind) {
    (format!("{letters}{}", &digits[..1]), digits[1..].to_owned(), PlateKind::Motorbike)
}

fn check_series(series: &str, kind: PlateKind) -> Result<(), DocProblem> {
    let bad = || Err(DocProblem::BadSeries { series: series.to_owned() });
    let chars: Vec<char> = series.chars().collect();
    let ok = match (kind, chars.as_slice()) {
        (PlateKind::Car, [a]) => LETTERS.contains(*a) || *a == 'R',
        (PlateKind::Car, [_, _]) => CAR_SPECIAL.contains(&series),
        (PlateKind::Motorbike, [a, d]) if d.is_ascii_digit() => LETTERS.contains(*a) && *d != '0',
        (PlateKind::Motorbike, ['M', 'Đ', d]) => d.is_ascii_digit() && *d != '0',
        (PlateKind::Motorbike, [a, b]) => LETTERS.contains(*a) && (LETTERS.contains(*b) || *b == 'R'),
        _ => false,
    };
    if ok { Ok(()) } else { bad() }
}

/// Foreign plates: `LL CCC SS OO` (TT 79/2024) or `LL SS CCC OO` (earlier); `None` when
/// the rest of the text has neither layout.
fn foreign(locality: u8, rest: &[char]) -> Result<Option<Plate>, DocProblem> {
    let text: String = rest.iter().collect();
    if text.len() != 7 || !text.is_ascii() {
        return Ok(None);
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let is_series = |s: &str| FOREIGN_SERIES.contains(&s);
    let (country, series, order, old_foreign_layout) =
        if digits(&text[..3]) && is_series(&text[3..5]) && digits(&text[5..]) {
            (&text[..3], &text[3..5], &text[5..], false)
        } else if is_series(&text[..2]) && digits(&text[2..]) {
            (&text[2..5], &text[..2], &text[5..], true)
        } else {
            return Ok(None);
        };
    if order == "00" {
        return Err(DocProblem::BadOrderNumber);
    }
    Ok(Some(Plate {
        kind: PlateKind::Foreign,
        locality,
        series: series.to_owned(),
        country: Some(country.to_owned()),
        order: order.to_owned(),
        old_foreign_layout,
    }))
}

impl fmt::Display for Plate {
    /// `30A-123.45`, `29-B1 123.45`, `80-011-NG-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let order = if self.order.len() == 5 {
            format!("{}.{}", &self.order[..3], &self.order[3..])
        } else {
            self.order.clone()
        };
        let country = self.country.as_deref().unwrap_or_default();
        match self.kind {
            PlateKind::Car => write!(f, "{:02}{}-{order}", self.locality, self.series),
            PlateKind::Motorbike => write!(f, "{:02}-{} {order}", self.locality, self.series),
            PlateKind::Foreign if self.old_foreign_layout => {
                write!(f, "{:02}{}-{country}-{}", self.locality, self.series, self.order)
            }
            PlateKind::Foreign => write!(f, "{:02}-{country}-{}-{}", self.locality, self.series, self.order),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(raw: &str) -> String {
        Plate::parse(raw).map(|p| p.to_string()).unwrap_or_else(|e| format!("error: {}", e.code()))
    }

    #[test]
    fn car_plates_in_any_spelling_get_one_display_and_key() {
        for raw in ["30A-123.45", "30a12345", " 30 A 123 45 ", "30A-12345", "30A.123.45"] {
            let p = Plate::parse(raw).unwrap();
            assert_eq!(p.kind, PlateKind::Car, "{raw}");
            assert_eq!(p.to_string(), "30A-123.45", "{raw}");
            assert_eq!(p.key(), "30A12345", "{raw}");
        }
        assert_eq!(show("51F-12345"), "51F-123.45");
        assert_eq!(show("29LD-123.45"), "29LD-123.45");
        assert_eq!(show("51R-141.39"), "51R-141.39");
        assert_eq!(show("50TĐ-821.08"), "50TĐ-821.08");
        assert_eq!(show("50-tđ 82108"), "50TĐ-821.08");
        assert_eq!(show("29A-1234"), "29A-1234");
        assert_eq!(Plate::parse("29LD-123.45").unwrap().kind, PlateKind::Car);
    }

    #[test]
    fn motorbike_plates_are_recognised_by_series_and_layout() {
        assert_eq!(show("29-B1 123.45"), "29-B1 123.45");
        assert_eq!(show("59X2-123.45"), "59-X2 123.45");
        assert_eq!(show("29-AA 123.45"), "29-AA 123.45");
        assert_eq!(show("29HA00233"), "29-HA 002.33");
        assert_eq!(show("29-B1 1234"), "29-B1 1234");
        assert_eq!(show("29-MĐ1 013.53"), "29-MĐ1 013.53");
        assert_eq!(show("29md101353"), "29-MĐ1 013.53");
        assert_eq!(show("29-LD 123.45"), "29-LD 123.45", "a dash after the locality is a motorbike layout");
        assert_eq!(Plate::parse("59X2-123.45").unwrap().key(), "59X212345");
        assert_eq!(Plate::parse("29-MĐ1 013.53").unwrap().key(), "29MD101353");
    }

    #[test]
    fn a_five_digit_run_after_one_letter_is_a_car_unless_the_layout_says_motorbike() {
        assert_eq!(show("29B11234"), "29B-112.34");
        assert_eq!(show("29B1-1234"), "29-B1 1234");
        assert_eq!(show("29-B1 1234"), "29-B1 1234");
    }

    #[test]
    fn foreign_plates_in_both_layouts() {
        let p = Plate::parse("80-011-NG-01").unwrap();
        assert_eq!(p.kind, PlateKind::Foreign);
        assert_eq!(p.country.as_deref(), Some("011"));
        assert_eq!(p.to_string(), "80-011-NG-01");
        assert_eq!(p.key(), "80011NG01");
        assert_eq!(show("80NG-636-70"), "80NG-636-70");
        assert_eq!(show("80-011-NG-00"), "error: bad_order_number");
        assert_eq!(show("80-011-NG-1"), "error: bad_plate");
    }

    #[test]
    fn localities_not_in_use_are_refused() {
        assert_eq!(Plate::parse("13A-123.45"), Err(DocProblem::UnknownLocality { locality: 13 }));
        assert_eq!(Plate::parse("96C-123.45"), Err(DocProblem::UnknownLocality { locality: 96 }));
        assert_eq!(Plate::parse("05A-123.45"), Err(DocProblem::UnknownLocality { locality: 5 }));
        assert_eq!(LOCALITY_CODES.len(), 81);
    }

    #[test]
    fn series_letters_outside_the_circulars_are_refused() {
        for (raw, series) in [("30I-123.45", "I"), ("30O-123.45", "O"), ("30W-123.45", "W"), ("30QQ-123.45", "QQ")] {
            assert_eq!(Plate::parse(raw), Err(DocProblem::BadSeries { series: series.into() }), "{raw}");
        }
        assert_eq!(Plate::parse("29-B0 123.45"), Err(DocProblem::BadSeries { series: "B0".into() }));
        assert_eq!(Plate::parse("29-ĐA 123.45"), Err(DocProblem::BadSeries { series: "ĐA".into() }));
    }

    #[test]
    fn shapes_that_are_not_plates_are_refused() {
        for raw in
            ["", "ABC", "3A-123.45", "30-123.45", "30A-123", "30A-1234567", "30ABC-123.45", "30A-12A.45", "30A😀12345"]
        {
            assert!(Plate::parse(raw).is_err(), "{raw}");
        }
        assert_eq!(Plate::parse("30A-000.00"), Err(DocProblem::BadOrderNumber));
        assert_eq!(Plate::parse(&"3".repeat(40)), Err(DocProblem::BadPlate));
    }

    #[test]
    fn the_loose_key_matches_the_parsed_key() {
        assert_eq!(key("30a-123.45"), "30A12345");
        assert_eq!(key("29-MĐ1 013.53"), "29MD101353");
        assert_eq!(key("giả 30A-99999"), "GI30A99999", "non-ASCII letters other than Đ are dropped");
    }
}
