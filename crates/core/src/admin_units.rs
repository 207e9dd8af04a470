//! Vietnam's administrative units after the 2025 reform: 34 provinces (GSO codes) and
//! commune-level units (xã / phường / đặc khu) identified by 5-digit GSO codes. Source:
//! Politburo Resolution 60-NQ/TW and the GSO list as summarised in shared/vectors.

/// The 34 provincial units in force since 12/06/2025: (GSO code, name).
pub const PROVINCES: &[(&str, &str)] = &[
    ("01", "Thành phố Hà Nội"),
    ("04", "Cao Bằng"),
    ("08", "Tuyên Quang"),
    ("11", "Điện Biên"),
    ("12", "Lai Châu"),
    ("14", "Sơn La"),
    ("15", "Lào Cai"),
    ("19", "Thái Nguyên"),
    ("20", "Lạng Sơn"),
    ("22", "Quảng Ninh"),
    ("24", "Bắc Ninh"),
    ("25", "Phú Thọ"),
    ("31", "Thành phố Hải Phòng"),
    ("33", "Hưng Yên"),
    ("37", "Ninh Bình"),
    ("38", "Thanh Hóa"),
    ("40", "Nghệ An"),
    ("42", "Hà Tĩnh"),
    ("44", "Quảng Trị"),
    ("46", "Thành phố Huế"),
    ("48", "Thành phố Đà Nẵng"),
    ("51", "Quảng Ngãi"),
    ("52", "Gia Lai"),
    ("56", "Khánh Hòa"),
    ("66", "Đắk Lắk"),
    ("68", "Lâm Đồng"),
    ("75", "Đồng Nai"),
    ("79", "Thành phố Hồ Chí Minh"),
    ("80", "Tây Ninh"),
    ("82", "Đồng Tháp"),
    ("86", "Vĩnh Long"),
    ("91", "An Giang"),
    ("92", "Thành phố Cần Thơ"),
    ("96", "Cà Mau"),
];

/// The name of the province with this GSO code.
#[must_use]
pub fn province(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Whether `code` has the shape of a commune-level GSO code (5 digits).
#[must_use]
pub fn is_ward_code(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_34_provinces_with_unique_codes() {
        let mut codes: Vec<_> = PROVINCES.iter().map(|(c, _)| c).collect();
        codes.dedup();
        assert_eq!(codes.len(), 34);
        assert_eq!(province("01"), Some("Thành phố Hà Nội"));
        assert_eq!(province("26"), None, "Vĩnh Phúc was merged into Phú Thọ");
    }

    #[test]
    fn ward_codes_are_five_digits() {
        assert!(is_ward_code("00145"));
        assert!(!is_ward_code("0145"));
        assert!(!is_ward_code("0014a"));
    }
}
