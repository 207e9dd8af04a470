//! The 12-digit personal identification number (số định danh cá nhân) printed on the CCCD and
//! the 2024 "Căn cước" card, and the old 9-digit CMND kept only as an alias.
//!
//! Layout `PPP G YY RRRRRR` (NĐ 137/2015/NĐ-CP Điều 13; TT 07/2016/TT-BCA Điều 7, restated by
//! TT 59/2021/TT-BCA Điều 4): `PPP` is the province where the birth was registered (Phụ lục I),
//! or a country code for births registered abroad (Phụ lục II); `G` codes century and gender;
//! `YY` is the birth year in the century; `RRRRRR` is random. There is no check digit, so
//! validation is structural plus agreement with the date of birth and gender on the card.
//!
//! The province codes are those of the 63 provinces before the 2025 merger: existing numbers
//! keep their code (Luật Căn cước 2023 Điều 24 khoản 1 điểm đ makes re-issue after a merger
//! optional), so the table is historical and each entry points at the province it belongs to
//! today for display ("Bắc Giang (nay thuộc Bắc Ninh)").

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{DocProblem, Gender};
use crate::{admin_units, text};

/// TT 07/2016/TT-BCA Phụ lục I: (3-digit code, province then, GSO code of the province it is
/// part of since 12/06/2025 per NQ 60-NQ/TW and [`admin_units::PROVINCES`]).
pub const HISTORIC_PROVINCES: &[(&str, &str, &str)] = &[
    ("001", "Hà Nội", "01"),
    ("002", "Hà Giang", "08"),
    ("004", "Cao Bằng", "04"),
    ("006", "Bắc Kạn", "19"),
    ("008", "Tuyên Quang", "08"),
    ("010", "Lào Cai", "15"),
    ("011", "Điện Biên", "11"),
    ("012", "Lai Châu", "12"),
    ("014", "Sơn La", "14"),
    ("015", "Yên Bái", "15"),
    ("017", "Hòa Bình", "25"),
    ("019", "Thái Nguyên", "19"),
    ("020", "Lạng Sơn", "20"),
    ("022", "Quảng Ninh", "22"),
    ("024", "Bắc Giang", "24"),
    ("025", "Phú Thọ", "25"),
    ("026", "Vĩnh Phúc", "25"),
    ("027", "Bắc Ninh", "24"),
    ("030", "Hải Dương", "31"),
    ("031", "Hải Phòng", "31"),
    ("033", "Hưng Yên", "33"),
    ("034", "Thái Bình", "33"),
    ("035", "Hà Nam", "37"),
    ("036", "Nam Định", "37"),
    ("037", "Ninh Bình", "37"),
    ("038", "Thanh Hóa", "38"),
    ("040", "Nghệ An", "40"),
    ("042", "Hà Tĩnh", "42"),
    ("044", "Quảng Bình", "44"),
    ("045", "Quảng Trị", "44"),
    ("046", "Thừa Thiên Huế", "46"),
    ("048", "Đà Nẵng", "48"),
    ("049", "Quảng Nam", "48"),
    ("051", "Quảng Ngãi", "51"),
    ("052", "Bình Định", "52"),
    ("054", "Phú Yên", "66"),
    ("056", "Khánh Hòa", "56"),
    ("058", "Ninh Thuận", "56"),
    ("060", "Bình Thuận", "68"),
    ("062", "Kon Tum", "51"),
    ("064", "Gia Lai", "52"),
    ("066", "Đắk Lắk", "66"),
    ("067", "Đắk Nông", "68"),
    ("068", "Lâm Đồng", "68"),
    ("070", "Bình Phước", "75"),
    ("072", "Tây Ninh", "80"),
    ("074", "Bình Dương", "79"),
    ("075", "Đồng Nai", "75"),
    ("077", "Bà Rịa – Vũng Tàu", "79"),
    ("079", "TP Hồ Chí Minh", "79"),
    ("080", "Long An", "80"),
    ("082", "Tiền Giang", "82"),
    ("083", "Bến Tre", "86"),
    ("084", "Trà Vinh", "86"),
    ("086", "Vĩnh Long", "86"),
    ("087", "Đồng Tháp", "82"),
    ("089", "An Giang", "91"),
    ("091", "Kiên Giang", "91"),
    ("092", "Cần Thơ", "92"),
    ("093", "Hậu Giang", "92"),
    ("094", "Sóc Trăng", "92"),
    ("095", "Bạc Liêu", "96"),
    ("096", "Cà Mau", "96"),
];

/// A province of the historical table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoricProvince {
    /// The 3-digit code in the number.
    pub code: &'static str,
    /// Its name before the 2025 merger.
    pub name: &'static str,
    /// The GSO code of the province it is part of today.
    pub now_gso: &'static str,
}

impl HistoricProvince {
    /// Looks a 3-digit code up in the historical table.
    #[must_use]
    pub fn find(code: &str) -> Option<Self> {
        HISTORIC_PROVINCES.iter().find(|(c, ..)| *c == code).map(|&(code, name, now_gso)| Self { code, name, now_gso })
    }

    /// The name of the province it belongs to today.
    #[must_use]
    pub fn now_name(&self) -> &'static str {
        admin_units::province(self.now_gso).unwrap_or(self.name)
    }

    /// The Vietnamese display: the name alone when the province still exists under it,
    /// "X (nay thuộc Y)" when it was merged into Y, "X (nay là Y)" when it was renamed.
    #[must_use]
    pub fn display_vi(&self) -> String {
        let now = self.now_name();
        if bare(self.name) == bare(now) {
            return self.name.to_owned();
        }
        let merged = HISTORIC_PROVINCES.iter().filter(|(.., n)| *n == self.now_gso).count() > 1;
        format!("{} ({} {now})", self.name, if merged { "nay thuộc" } else { "nay là" })
    }
}

/// The folded name without the "Thành phố"/"TP" prefix of centrally-run cities.
fn bare(name: &str) -> String {
    let folded = text::fold(name);
    let stripped = folded.strip_prefix("thanh pho ").or_else(|| folded.strip_prefix("tp ")).unwrap_or(&folded);
    stripped.to_owned()
}

/// Where the birth behind a personal ID number was registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BirthPlace {
    /// A province of Vietnam (historical code).
    Province(HistoricProvince),
    /// Abroad: the first digit is not 0, so the code is a country code of TT 07/2016 Phụ lục II.
    /// That annex was not available to us, so the code is accepted unverified.
    Abroad { code: String },
}

impl BirthPlace {
    /// Vietnamese display text.
    #[must_use]
    pub fn display_vi(&self) -> String {
        match self {
            Self::Province(p) => p.display_vi(),
            Self::Abroad { code } => format!("Nước ngoài (mã {code}, chưa đối chiếu)"),
        }
    }
}

/// Something worth telling the guard about an accepted number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CccdNote {
    /// The birth was registered abroad; the country code could not be checked.
    ForeignCodeUnverified,
}

/// A structurally valid 12-digit personal identification number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cccd(String);

impl Cccd {
    /// Parses a number as typed or scanned (whitespace between digit groups is ignored).
    ///
    /// # Errors
    /// [`DocProblem::NotDigits`], [`DocProblem::OldCmndOnly`] for a 9-digit CMND,
    /// [`DocProblem::WrongLength`], [`DocProblem::UnknownProvince`], or
    /// [`DocProblem::BirthYearInFuture`] when the coded year is after `today`'s.
    pub fn parse(raw: &str, today: Date) -> Result<Self, DocProblem> {
        let id = Self::parse_structure(raw)?;
        if id.birth_year() > today.year() {
            return Err(DocProblem::BirthYearInFuture { year: id.birth_year() });
        }
        Ok(id)
    }

    /// The structural checks alone (length, digits, province), for numbers read back from
    /// storage where "today" has no meaning.
    ///
    /// # Errors
    /// As [`Cccd::parse`], except the future-year check.
    pub fn parse_structure(raw: &str) -> Result<Self, DocProblem> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DocProblem::NotDigits);
        }
        match digits.len() {
            12 => {}
            9 => return Err(DocProblem::OldCmndOnly),
            got => return Err(DocProblem::WrongLength { expected: 12, got }),
        }
        let code = &digits[..3];
        if code.starts_with('0') && HistoricProvince::find(code).is_none() {
            return Err(DocProblem::UnknownProvince { province_code: code.to_owned() });
        }
        Ok(Self(digits))
    }

    /// The 12 digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn digit(&self, i: usize) -> u8 {
        self.0.as_bytes()[i] - b'0'
    }

    /// Where the birth was registered.
    #[must_use]
    pub fn birth_place(&self) -> BirthPlace {
        let code = &self.0[..3];
        match HistoricProvince::find(code) {
            Some(p) => BirthPlace::Province(p),
            None => BirthPlace::Abroad { code: code.to_owned() },
        }
    }

    /// The note to show with the number, if any.
    #[must_use]
    pub fn note(&self) -> Option<CccdNote> {
        matches!(self.birth_place(), BirthPlace::Abroad { .. }).then_some(CccdNote::ForeignCodeUnverified)
    }

    /// The gender coded by `G`: odd is female.
    #[must_use]
    pub fn gender(&self) -> Gender {
        if self.digit(3) % 2 == 1 { Gender::Female } else { Gender::Male }
    }

    /// The birth year: `1900 + 100 × ⌊G/2⌋ + YY`.
    #[must_use]
    pub fn birth_year(&self) -> i16 {
        1900 + 100 * i16::from(self.digit(3) / 2) + i16::from(self.digit(4) * 10 + self.digit(5))
    }

    /// Checks the coded birth year and gender against those on the card or in the QR code.
    /// A mismatch is a strong sign of a typo or a forged card.
    ///
    /// # Errors
    /// [`DocProblem::BirthYearMismatch`] (checked first) or [`DocProblem::GenderMismatch`].
    pub fn check_against(&self, birth_date: Option<Date>, gender: Option<Gender>) -> Result<(), DocProblem> {
        if let Some(dob) = birth_date
            && dob.year() != self.birth_year()
        {
            return Err(DocProblem::BirthYearMismatch { coded: self.birth_year(), stated: dob.year() });
        }
        if let Some(stated) = gender
            && stated != self.gender()
        {
            return Err(DocProblem::GenderMismatch { coded: self.gender(), stated });
        }
        Ok(())
    }
}

impl TryFrom<String> for Cccd {
    type Error = DocProblem;
    fn try_from(s: String) -> Result<Self, DocProblem> {
        Self::parse_structure(&s)
    }
}

impl From<Cccd> for String {
    fn from(c: Cccd) -> Self {
        c.0
    }
}

impl std::fmt::Display for Cccd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An old 9-digit identity card number (chứng minh nhân dân), kept only to match older records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cmnd(String);

impl Cmnd {
    /// Parses exactly nine digits (whitespace ignored).
    ///
    /// # Errors
    /// [`DocProblem::NotDigits`] or [`DocProblem::WrongLength`].
    pub fn parse(raw: &str) -> Result<Self, DocProblem> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DocProblem::NotDigits);
        }
        if digits.len() != 9 {
            return Err(DocProblem::WrongLength { expected: 9, got: digits.len() });
        }
        Ok(Self(digits))
    }

    /// The nine digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Cmnd {
    type Error = DocProblem;
    fn try_from(s: String) -> Result<Self, DocProblem> {
        Self::parse(&s)
    }
}

impl From<Cmnd> for String {
    fn from(c: Cmnd) -> Self {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    const TODAY: Date = date(2026, 3, 1);

    #[test]
    fn the_published_example_decodes_to_dong_thap_male_1984() {
        let id = Cccd::parse("087084000999", TODAY).unwrap();
        assert_eq!(id.birth_year(), 1984);
        assert_eq!(id.gender(), Gender::Male);
        assert_eq!(id.birth_place().display_vi(), "Đồng Tháp");
        assert_eq!(id.note(), None);
    }

    #[test]
    fn century_and_gender_digit_follows_the_table() {
        let cases = [
            ("001090123456", 1990, Gender::Male),
            ("001190123456", 1990, Gender::Female),
            ("001205123456", 2005, Gender::Male),
            ("001305123456", 2005, Gender::Female),
            ("001299123456", 2099, Gender::Male),
        ];
        for (n, year, gender) in cases {
            let id = Cccd::parse_structure(n).unwrap();
            assert_eq!((id.birth_year(), id.gender()), (year, gender), "{n}");
        }
    }

    #[test]
    fn a_birth_year_after_this_year_is_refused() {
        assert_eq!(Cccd::parse("001227123456", TODAY), Err(DocProblem::BirthYearInFuture { year: 2027 }));
        assert!(Cccd::parse("001226123456", TODAY).is_ok(), "this year is allowed");
    }

    #[test]
    fn wrong_length_non_digits_and_cmnd_are_told_apart() {
        assert_eq!(Cccd::parse("00109012345", TODAY), Err(DocProblem::WrongLength { expected: 12, got: 11 }));
        assert_eq!(Cccd::parse("0010901234567", TODAY), Err(DocProblem::WrongLength { expected: 12, got: 13 }));
        assert_eq!(Cccd::parse("00109012345O", TODAY), Err(DocProblem::NotDigits));
        assert_eq!(Cccd::parse("", TODAY), Err(DocProblem::WrongLength { expected: 12, got: 0 }));
        assert_eq!(Cccd::parse("012345678", TODAY), Err(DocProblem::OldCmndOnly));
        assert_eq!(Cccd::parse(" 001 090 123456 ", TODAY).unwrap().as_str(), "001090123456");
    }

    #[test]
    fn codes_missing_from_annex_one_are_unknown_provinces() {
        for code in ["000", "003", "005", "028", "097", "099"] {
            let n = format!("{code}090123456");
            assert_eq!(Cccd::parse(&n, TODAY), Err(DocProblem::UnknownProvince { province_code: code.into() }), "{n}");
        }
    }

    #[test]
    fn a_first_digit_other_than_zero_is_a_birth_abroad_accepted_with_a_note() {
        let id = Cccd::parse("203090123456", TODAY).unwrap();
        assert_eq!(id.birth_place(), BirthPlace::Abroad { code: "203".into() });
        assert_eq!(id.note(), Some(CccdNote::ForeignCodeUnverified));
    }

    #[test]
    fn the_number_must_agree_with_the_date_of_birth_and_gender() {
        let id = Cccd::parse("001090123456", TODAY).unwrap();
        assert_eq!(id.check_against(Some(date(1990, 1, 1)), Some(Gender::Male)), Ok(()));
        assert_eq!(
            id.check_against(Some(date(1991, 1, 1)), Some(Gender::Male)),
            Err(DocProblem::BirthYearMismatch { coded: 1990, stated: 1991 })
        );
        assert_eq!(
            id.check_against(Some(date(2090, 1, 1)), None),
            Err(DocProblem::BirthYearMismatch { coded: 1990, stated: 2090 }),
            "the century counts too"
        );
        assert_eq!(
            id.check_against(None, Some(Gender::Female)),
            Err(DocProblem::GenderMismatch { coded: Gender::Male, stated: Gender::Female })
        );
    }

    #[test]
    fn the_table_has_the_63_provinces_each_mapped_to_a_province_of_today() {
        assert_eq!(HISTORIC_PROVINCES.len(), 63);
        let mut codes: Vec<_> = HISTORIC_PROVINCES.iter().map(|(c, ..)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 63);
        for (code, name, now) in HISTORIC_PROVINCES {
            assert!(admin_units::province(now).is_some(), "{code} {name} → {now}");
            assert_eq!(text::nfc(name), *name);
        }
        for (gso, name) in admin_units::PROVINCES {
            assert!(HISTORIC_PROVINCES.iter().any(|(.., n)| n == gso), "{name} has no former province");
        }
    }

    #[test]
    fn merged_and_renamed_provinces_display_their_province_of_today() {
        let show = |code: &str| HistoricProvince::find(code).unwrap().display_vi();
        assert_eq!(show("024"), "Bắc Giang (nay thuộc Bắc Ninh)");
        assert_eq!(show("027"), "Bắc Ninh");
        assert_eq!(show("030"), "Hải Dương (nay thuộc Thành phố Hải Phòng)");
        assert_eq!(show("074"), "Bình Dương (nay thuộc Thành phố Hồ Chí Minh)");
        assert_eq!(show("079"), "TP Hồ Chí Minh");
        assert_eq!(show("001"), "Hà Nội");
        assert_eq!(show("072"), "Tây Ninh");
        assert_eq!(show("080"), "Long An (nay thuộc Tây Ninh)");
        assert_eq!(show("046"), "Thừa Thiên Huế (nay là Thành phố Huế)");
    }

    #[test]
    fn a_cmnd_is_nine_digits() {
        assert_eq!(Cmnd::parse("012 345 678").unwrap().as_str(), "012345678");
        assert_eq!(Cmnd::parse("01234567"), Err(DocProblem::WrongLength { expected: 9, got: 8 }));
        assert_eq!(Cmnd::parse("01234567a"), Err(DocProblem::NotDigits));
    }

    #[test]
    fn serde_refuses_a_malformed_stored_number() {
        let id: Cccd = serde_json::from_str("\"001090123456\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"001090123456\"");
        assert!(serde_json::from_str::<Cccd>("\"003090123456\"").is_err());
    }
}
