//! Countries for nationalities: ISO 3166-1 alpha-3 codes (the codes an ICAO 9303 MRZ uses,
//! which adds `D` for Germany), English short names for all 249, and Vietnamese names for the
//! nationalities most often seen at Vietnamese gates.

use serde::{Deserialize, Serialize};

use super::DocProblem;

/// ISO 3166-1 alpha-3 code and English short name, one a line.
const TABLE: &str = "\
AFG Afghanistan
ALA Åland Islands
ALB Albania
DZA Algeria
ASM American Samoa
AND Andorra
AGO Angola
AIA Anguilla
ATA Antarctica
ATG Antigua and Barbuda
ARG Argentina
ARM Armenia
ABW Aruba
AUS Australia
AUT Austria
AZE Azerbaijan
BHS Bahamas
BHR Bahrain
BGD Bangladesh
BRB Barbados
BLR Belarus
BEL Belgium
BLZ Belize
BEN Benin
BMU Bermuda
BTN Bhutan
BOL Bolivia
BES Bonaire, Sint Eustatius and Saba
BIH Bosnia and Herzegovina
BWA Botswana
BVT Bouvet Island
BRA Brazil
IOT British Indian Ocean Territory
BRN Brunei Darussalam
BGR Bulgaria
BFA Burkina Faso
BDI Burundi
CPV Cabo Verde
KHM Cambodia
CMR Cameroon
CAN Canada
CYM Cayman Islands
CAF Central African Republic
TCD Chad
CHL Chile
CHN China
CXR Christmas Island
CCK Cocos (Keeling) Islands
COL Colombia
COM Comoros
COG Congo
COD Congo, Democratic Republic of the
COK Cook Islands
CRI Costa Rica
CIV Côte d'Ivoire
HRV Croatia
CUB Cuba
CUW Curaçao
CYP Cyprus
CZE Czechia
DNK Denmark
DJI Djibouti
DMA Dominica
DOM Dominican Republic
ECU Ecuador
EGY Egypt
SLV El Salvador
GNQ Equatorial Guinea
ERI Eritrea
EST Estonia
SWZ Eswatini
ETH Ethiopia
FLK Falkland Islands (Malvinas)
FRO Faroe Islands
FJI Fiji
FIN Finland
FRA France
GUF French Guiana
PYF French Polynesia
ATF French Southern Territories
GAB Gabon
GMB Gambia
GEO Georgia
DEU Germany
GHA Ghana
GIB Gibraltar
GRC Greece
GRL Greenland
GRD Grenada
GLP Guadeloupe
GUM Guam
GTM Guatemala
GGY Guernsey
GIN Guinea
GNB Guinea-Bissau
GUY Guyana
HTI Haiti
HMD Heard Island and McDonald Islands
VAT Holy See
HND Honduras
HKG Hong Kong
HUN Hungary
ISL Iceland
IND India
IDN Indonesia
IRN Iran
IRQ Iraq
IRL Ireland
IMN Isle of Man
ISR Israel
ITA Italy
JAM Jamaica
JPN Japan
JEY Jersey
JOR Jordan
KAZ Kazakhstan
KEN Kenya
KIR Kiribati
PRK Korea (Democratic People's Republic of)
KOR Korea (Republic of)
KWT Kuwait
KGZ Kyrgyzstan
LAO Lao People's Democratic Republic
LVA Latvia
LBN Lebanon
LSO Lesotho
LBR Liberia
LBY Libya
LIE Liechtenstein
LTU Lithuania
LUX Luxembourg
MAC Macao
MDG Madagascar
MWI Malawi
MYS Malaysia
MDV Maldives
MLI Mali
MLT Malta
MHL Marshall Islands
MTQ Martinique
MRT Mauritania
MUS Mauritius
MYT Mayotte
MEX Mexico
FSM Micronesia
MDA Moldova
MCO Monaco
MNG Mongolia
MNE Montenegro
MSR Montserrat
MAR Morocco
MOZ Mozambique
MMR Myanmar
NAM Namibia
NRU Nauru
NPL Nepal
NLD Netherlands
NCL New Caledonia
NZL New Zealand
NIC Nicaragua
NER Niger
NGA Nigeria
NIU Niue
NFK Norfolk Island
MKD North Macedonia
MNP Northern Mariana Islands
NOR Norway
OMN Oman
PAK Pakistan
PLW Palau
PSE Palestine, State of
PAN Panama
PNG Papua New Guinea
PRY Paraguay
PER Peru
PHL Philippines
PCN Pitcairn
POL Poland
PRT Portugal
PRI Puerto Rico
QAT Qatar
REU Réunion
ROU Romania
RUS Russian Federation
RWA Rwanda
BLM Saint Barthélemy
SHN Saint Helena, Ascension and Tristan da Cunha
KNA Saint Kitts and Nevis
LCA Saint Lucia
MAF Saint Martin (French part)
SPM Saint Pierre and Miquelon
VCT Saint Vincent and the Grenadines
WSM Samoa
SMR San Marino
STP Sao Tome and Principe
SAU Saudi Arabia
SEN Senegal
SRB Serbia
SYC Seychelles
SLE Sierra Leone
SGP Singapore
SXM Sint Maarten (Dutch part)
SVK Slovakia
SVN Slovenia
SLB Solomon Islands
SOM Somalia
ZAF South Africa
SGS South Georgia and the South Sandwich Islands
SSD South Sudan
ESP Spain
LKA Sri Lanka
SDN Sudan
SUR Suriname
SJM Svalbard and Jan Mayen
SWE Sweden
CHE Switzerland
SYR Syrian Arab Republic
TWN Taiwan
TJK Tajikistan
TZA Tanzania
THA Thailand
TLS Timor-Leste
TGO Togo
TKL Tokelau
TON Tonga
TTO Trinidad and Tobago
TUN Tunisia
TUR Türkiye
TKM Turkmenistan
TCA Turks and Caicos Islands
TUV Tuvalu
UGA Uganda
UKR Ukraine
ARE United Arab Emirates
GBR United Kingdom
USA United States of America
UMI United States Minor Outlying Islands
URY Uruguay
UZB Uzbekistan
VUT Vanuatu
VEN Venezuela
VNM Viet Nam
VGB Virgin Islands (British)
VIR Virgin Islands (U.S.)
WLF Wallis and Futuna
ESH Western Sahara
YEM Yemen
ZMB Zambia
ZWE Zimbabwe";

/// Vietnamese names of the most common nationalities (Vietnamese usage in official documents).
const VI_NAMES: &[(&str, &str)] = &[
    ("VNM", "Việt Nam"),
    ("CHN", "Trung Quốc"),
    ("KOR", "Hàn Quốc"),
    ("JPN", "Nhật Bản"),
    ("TWN", "Đài Loan (Trung Quốc)"),
    ("HKG", "Hồng Kông (Trung Quốc)"),
    ("MAC", "Ma Cao (Trung Quốc)"),
    ("USA", "Hoa Kỳ"),
    ("RUS", "Liên bang Nga"),
    ("GBR", "Vương quốc Anh"),
    ("FRA", "Pháp"),
    ("DEU", "Đức"),
    ("ITA", "Italy"),
    ("ESP", "Tây Ban Nha"),
    ("PRT", "Bồ Đào Nha"),
    ("NLD", "Hà Lan"),
    ("BEL", "Bỉ"),
    ("CHE", "Thụy Sĩ"),
    ("AUT", "Áo"),
    ("SWE", "Thụy Điển"),
    ("NOR", "Na Uy"),
    ("DNK", "Đan Mạch"),
    ("FIN", "Phần Lan"),
    ("POL", "Ba Lan"),
    ("CZE", "Séc"),
    ("UKR", "Ukraine"),
    ("TUR", "Thổ Nhĩ Kỳ"),
    ("ISR", "Israel"),
    ("AUS", "Australia"),
    ("NZL", "New Zealand"),
    ("CAN", "Canada"),
    ("BRA", "Brazil"),
    ("MEX", "Mexico"),
    ("IND", "Ấn Độ"),
    ("PAK", "Pakistan"),
    ("BGD", "Bangladesh"),
    ("NPL", "Nepal"),
    ("LKA", "Sri Lanka"),
    ("THA", "Thái Lan"),
    ("LAO", "Lào"),
    ("KHM", "Campuchia"),
    ("MMR", "Myanmar"),
    ("MYS", "Malaysia"),
    ("SGP", "Singapore"),
    ("IDN", "Indonesia"),
    ("PHL", "Philippines"),
    ("BRN", "Brunei"),
    ("TLS", "Đông Timor"),
    ("PRK", "Triều Tiên"),
    ("MNG", "Mông Cổ"),
    ("ARE", "Các Tiểu vương quốc Ả Rập Thống nhất"),
    ("SAU", "Ả Rập Xê Út"),
    ("EGY", "Ai Cập"),
    ("ZAF", "Nam Phi"),
    ("IRL", "Ireland"),
    ("HUN", "Hungary"),
];

/// A country or territory of ISO 3166-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub alpha3: &'static str,
    pub name_en: &'static str,
    /// The Vietnamese name, for the common ones.
    pub name_vi: Option<&'static str>,
}

impl Country {
    /// Looks an uppercase alpha-3 code up.
    #[must_use]
    pub fn find(alpha3: &str) -> Option<Self> {
        all().find(|c| c.alpha3 == alpha3)
    }

    /// The name to show a Vietnamese user: the Vietnamese one when known, else the English one.
    #[must_use]
    pub fn display_vi(&self) -> &'static str {
        self.name_vi.unwrap_or(self.name_en)
    }
}

/// Every country, in the table's (English alphabetical) order.
pub fn all() -> impl Iterator<Item = Country> {
    TABLE.lines().filter_map(|line| {
        let (alpha3, name_en) = line.split_once(' ')?;
        let name_vi = VI_NAMES.iter().find(|(c, _)| *c == alpha3).map(|(_, n)| *n);
        Some(Country { alpha3, name_en, name_vi })
    })
}

/// A nationality: a known alpha-3 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Nationality(&'static str);

impl Nationality {
    /// Viet Nam.
    pub const VIETNAM: Self = Self("VNM");

    /// Parses an alpha-3 code in any case, or as an MRZ writes it (`D<<` for Germany).
    ///
    /// # Errors
    /// [`DocProblem::UnknownCountry`] when the code is not in ISO 3166-1.
    pub fn parse(raw: &str) -> Result<Self, DocProblem> {
        let code = raw.trim().trim_end_matches('<').to_ascii_uppercase();
        let code = if code == "D" { "DEU".to_owned() } else { code };
        Country::find(&code)
            .map(|c| Self(c.alpha3))
            .ok_or(DocProblem::UnknownCountry { country_code: code.chars().take(8).collect() })
    }

    /// The alpha-3 code.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.0
    }

    /// The country.
    #[must_use]
    pub fn country(self) -> Country {
        Country::find(self.0).unwrap_or(Country { alpha3: self.0, name_en: self.0, name_vi: None })
    }

    /// Whether this is a foreign nationality.
    #[must_use]
    pub fn is_foreign(self) -> bool {
        self != Self::VIETNAM
    }
}

impl<'de> Deserialize<'de> for Nationality {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Self::parse(&code).map_err(serde::de::Error::custom)
    }
}

impl From<Nationality> for String {
    fn from(n: Nationality) -> Self {
        n.0.to_owned()
    }
}

impl std::fmt::Display for Nationality {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    #[test]
    fn the_table_holds_249_unique_well_formed_codes() {
        let codes: Vec<_> = all().map(|c| c.alpha3).collect();
        assert_eq!(codes.len(), 249);
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 249);
        assert!(codes.iter().all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn every_vietnamese_name_belongs_to_a_listed_code_and_is_nfc() {
        assert!(VI_NAMES.len() >= 40);
        for (code, name) in VI_NAMES {
            assert!(Country::find(code).is_some(), "{code}");
            assert_eq!(text::nfc(name), *name);
        }
        assert_eq!(Country::find("KOR").unwrap().display_vi(), "Hàn Quốc");
        assert_eq!(Country::find("ISL").unwrap().display_vi(), "Iceland");
    }

    #[test]
    fn nationalities_parse_from_any_case_and_the_mrz_form() {
        assert_eq!(Nationality::parse("vnm"), Ok(Nationality::VIETNAM));
        assert_eq!(Nationality::parse("D<<").unwrap().code(), "DEU");
        assert_eq!(Nationality::parse(" chn ").unwrap().country().name_vi, Some("Trung Quốc"));
        assert_eq!(Nationality::parse("UTO"), Err(DocProblem::UnknownCountry { country_code: "UTO".into() }));
        assert_eq!(Nationality::parse("VN"), Err(DocProblem::UnknownCountry { country_code: "VN".into() }));
        assert!(!Nationality::VIETNAM.is_foreign());
        assert!(Nationality::parse("KOR").unwrap().is_foreign());
    }

    #[test]
    fn a_nationality_round_trips_through_json_and_bad_codes_are_refused() {
        let n: Nationality = serde_json::from_str("\"JPN\"").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"JPN\"");
        assert!(serde_json::from_str::<Nationality>("\"XYZ\"").is_err());
    }
}
