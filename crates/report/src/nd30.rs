//! The header lines of an administrative document (NĐ 30/2020/NĐ-CP Phụ lục I): the national
//! name and motto, the place and date line and the number-and-symbol line.

use jiff::civil::Date;

/// Quốc hiệu (box 1): upper case, bold, 12–13 pt, top right of page 1.
pub const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";

/// Tiêu ngữ (box 1): initial capitals, bold, 13–14 pt, centred under the Quốc hiệu with
/// spaced hyphens and a solid line beneath as long as the text.
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// "Hà Nội, ngày 05 tháng 01 năm 2020": days below 10 and the months 1 and 2 are written with
/// a leading zero (Phụ lục I, Mục II.4); other months are not.
#[must_use]
pub fn place_and_date(place: &str, d: Date) -> String {
    let month = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("{place}, ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// "Số: 07/BC-CAP": the yearly sequence number (zero-padded below 10), then the symbol groups
/// joined by hyphens (Phụ lục I, Mục II.3). For a typed document the groups are the type
/// abbreviation and the issuer's; for a công văn, the issuer's and the drafting unit's.
#[must_use]
pub fn number(seq: u32, groups: &[&str]) -> String {
    format!("Số: {seq:02}/{}", groups.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_date_line_pads_days_below_ten_and_the_first_two_months() {
        assert_eq!(place_and_date("Hà Nội", date(2020, 1, 5)), "Hà Nội, ngày 05 tháng 01 năm 2020");
        assert_eq!(
            place_and_date("Thành phố Hồ Chí Minh", date(2019, 6, 29)),
            "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019"
        );
        assert_eq!(place_and_date("Long Biên", date(2021, 1, 8)), "Long Biên, ngày 08 tháng 01 năm 2021");
        assert_eq!(place_and_date("Lạng Sơn", date(2024, 4, 24)), "Lạng Sơn, ngày 24 tháng 4 năm 2024");
    }

    #[test]
    fn numbers_are_padded_and_symbols_hyphenated() {
        assert_eq!(number(15, &["QĐ", "BNV"]), "Số: 15/QĐ-BNV");
        assert_eq!(number(5, &["BNV", "VP"]), "Số: 05/BNV-VP");
        assert_eq!(number(7, &["BC", "CAP"]), "Số: 07/BC-CAP");
    }
}
