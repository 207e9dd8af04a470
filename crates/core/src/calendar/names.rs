//! Lunar dates, years and weekdays as people in Vietnam say them: "mùng 2 Tết", "rằm tháng
//! Giêng", "30 tháng Chạp", "năm Ất Tỵ", "Chủ nhật".
//!
//! Days 1–10 are "mùng N" and the 15th is "rằm"; months 1 and 12 have their own names (tháng
//! Giêng, tháng Chạp), the others are numbered. The first seven days of the year are "mùng N
//! Tết", matching the Tết period the risk model uses (up to mùng 7, khai hạ).

use std::fmt;

use jiff::civil::Weekday;

use super::lunar::LunarDate;

/// The ten heavenly stems (can), Giáp first; year `y` has stem `(y + 6) % 10`.
const STEMS: [&str; 10] = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"];

/// The twelve earthly branches (chi), Tý first; year `y` has branch `(y + 8) % 12`. Vietnam
/// has Mão (the cat) where China has the rabbit.
const BRANCHES: [&str; 12] = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"];

/// "tháng Giêng", "tháng 2" … "tháng 11", "tháng Chạp", with " nhuận" for a leap month.
#[must_use]
pub fn month_name_vi(month: u8, leap: bool) -> String {
    let base = match month {
        1 => "tháng Giêng".to_owned(),
        12 => "tháng Chạp".to_owned(),
        m => format!("tháng {m}"),
    };
    if leap { format!("{base} nhuận") } else { base }
}

/// The spoken name of a day of the month: "mùng 2", "rằm", "16".
#[must_use]
pub fn day_of_month_vi(day: u8) -> String {
    match day {
        1..=10 => format!("mùng {day}"),
        15 => "rằm".to_owned(),
        d => d.to_string(),
    }
}

/// The spoken name of a lunar date without its year: "mùng 2 Tết", "rằm tháng Giêng",
/// "mùng 10 tháng 3", "30 tháng Chạp", "mùng 1 tháng 6 nhuận".
#[must_use]
pub fn lunar_day_name_vi(l: LunarDate) -> String {
    if l.month == 1 && !l.leap && l.day <= 7 {
        return format!("mùng {} Tết", l.day);
    }
    format!("{} {}", day_of_month_vi(l.day), month_name_vi(l.month, l.leap))
}

/// The sexagenary name of a lunar year: 2025 → "Ất Tỵ", 1968 → "Mậu Thân".
#[must_use]
pub fn year_name_vi(year: i32) -> String {
    let stem = STEMS[usize::try_from((year + 6).rem_euclid(10)).unwrap_or(0)];
    let branch = BRANCHES[usize::try_from((year + 8).rem_euclid(12)).unwrap_or(0)];
    format!("{stem} {branch}")
}

/// "Thứ Hai" … "Thứ Bảy", "Chủ nhật".
#[must_use]
pub fn weekday_vi(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ nhật",
    }
}

impl LunarDate {
    /// The spoken name, as [`lunar_day_name_vi`].
    #[must_use]
    pub fn name_vi(self) -> String {
        lunar_day_name_vi(self)
    }
}

/// "mùng 2 Tết năm Ất Tỵ (2/1/2025 âm lịch)".
impl fmt::Display for LunarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(
            f,
            "{} năm {} ({}/{}{leap}/{} âm lịch)",
            self.name_vi(),
            year_name_vi(self.year),
            self.day,
            self.month,
            self.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lunar(month: u8, day: u8, leap: bool) -> LunarDate {
        LunarDate { year: 2025, month, day, leap }
    }

    #[test]
    fn the_first_days_of_the_year_are_named_after_tet() {
        assert_eq!(lunar(1, 1, false).name_vi(), "mùng 1 Tết");
        assert_eq!(lunar(1, 2, false).name_vi(), "mùng 2 Tết");
        assert_eq!(lunar(1, 7, false).name_vi(), "mùng 7 Tết");
        assert_eq!(lunar(1, 8, false).name_vi(), "mùng 8 tháng Giêng");
    }

    #[test]
    fn the_fifteenth_is_ram_and_days_past_ten_are_plain_numbers() {
        assert_eq!(lunar(1, 15, false).name_vi(), "rằm tháng Giêng");
        assert_eq!(lunar(7, 15, false).name_vi(), "rằm tháng 7");
        assert_eq!(lunar(3, 10, false).name_vi(), "mùng 10 tháng 3");
        assert_eq!(lunar(3, 11, false).name_vi(), "11 tháng 3");
        assert_eq!(lunar(12, 30, false).name_vi(), "30 tháng Chạp");
        assert_eq!(lunar(12, 23, false).name_vi(), "23 tháng Chạp");
    }

    #[test]
    fn a_leap_month_is_named_nhuan() {
        assert_eq!(lunar(6, 1, true).name_vi(), "mùng 1 tháng 6 nhuận");
        assert_eq!(lunar(1, 2, true).name_vi(), "mùng 2 tháng Giêng nhuận");
    }

    #[test]
    fn years_have_their_vietnamese_stem_and_branch() {
        assert_eq!(year_name_vi(2025), "Ất Tỵ");
        assert_eq!(year_name_vi(2026), "Bính Ngọ");
        assert_eq!(year_name_vi(2023), "Quý Mão");
        assert_eq!(year_name_vi(1968), "Mậu Thân");
        assert_eq!(year_name_vi(1985), "Ất Sửu");
        assert_eq!(year_name_vi(2021), "Tân Sửu");
    }

    #[test]
    fn a_lunar_date_displays_with_its_year_name() {
        assert_eq!(lunar(1, 2, false).to_string(), "mùng 2 Tết năm Ất Tỵ (2/1/2025 âm lịch)");
        assert_eq!(lunar(6, 1, true).to_string(), "mùng 1 tháng 6 nhuận năm Ất Tỵ (1/6 nhuận/2025 âm lịch)");
    }
}
