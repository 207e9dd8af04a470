//! A visit: the check-in draft the gate sends, its validated form, and the logbook line
//! (sổ theo dõi khách) it becomes (R7).
//!
//! Generic problems (required, too long, control characters, phone) are [`Invalid`] field
//! errors as everywhere else; a document number, plate or nationality that does not parse
//! also gets a generic field error, and its precise cause as a [`DocFieldError`].

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{CardNumber, Cccd, Cmnd, DocProblem, Nationality, PassportNumber, Plate, VisitId};
use crate::registry::{code_enum, lenient};
use crate::validate::{Checker, Invalid, Problem};
use crate::{SiteId, UnitId};

/// Length limits of the free-text fields, in characters.
pub const MAX_NAME: usize = 100;
pub const MAX_ORGANISATION: usize = 200;
pub const MAX_PURPOSE: usize = 300;
pub const MAX_HOST: usize = 100;
pub const MAX_ITEMS: usize = 500;
pub const MAX_OTHER_NUMBER: usize = 32;

code_enum!(
    /// The identity document a visitor shows.
    DocKind {
        Cccd = "cccd",
        Passport = "passport",
        Other = "other",
    }
);

/// A check-in as the gate form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CheckInDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub doc_kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub doc_number: String,
    /// The old 9-digit CMND from the CCCD QR code, if any.
    #[serde(default, deserialize_with = "lenient::text")]
    pub cmnd: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub organisation: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub purpose: String,
    /// The person visited.
    #[serde(default, deserialize_with = "lenient::text")]
    pub host: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub plate: String,
    /// Bags and items brought in.
    #[serde(default, deserialize_with = "lenient::text")]
    pub items: String,
    /// ISO 3166-1 alpha-3; required with a passport, Vietnamese by default otherwise.
    #[serde(default, deserialize_with = "lenient::text")]
    pub nationality: String,
}

/// The validated identity document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitorDocument {
    Cccd(Cccd),
    Passport(PassportNumber),
    /// Another document (driving licence, staff card…): its number as typed, cleaned.
    Other(String),
}

impl VisitorDocument {
    /// The kind of document.
    #[must_use]
    pub fn kind(&self) -> DocKind {
        match self {
            Self::Cccd(_) => DocKind::Cccd,
            Self::Passport(_) => DocKind::Passport,
            Self::Other(_) => DocKind::Other,
        }
    }

    /// The number as stored.
    #[must_use]
    pub fn number(&self) -> &str {
        match self {
            Self::Cccd(c) => c.as_str(),
            Self::Passport(p) => p.as_str(),
            Self::Other(n) => n,
        }
    }
}

/// A validated check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub document: VisitorDocument,
    pub cmnd_alias: Option<Cmnd>,
    pub name: String,
    pub organisation: String,
    /// Domestic form `0xxxxxxxxx`, or empty.
    pub phone: String,
    pub purpose: String,
    pub host: String,
    pub plate: Option<Plate>,
    pub items: String,
    pub nationality: Nationality,
}

impl CheckIn {
    /// Whether the visitor is a foreigner (R8: recorded, and reported when suspicious).
    #[must_use]
    pub fn is_foreigner(&self) -> bool {
        self.nationality.is_foreign()
    }
}

/// The precise cause of a document-like field's failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocFieldError {
    pub field: &'static str,
    pub problem: DocProblem,
}

/// A refused check-in: the generic field errors (one per failing field) and, for document
/// fields, the precise causes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{invalid}")]
pub struct CheckInRejected {
    pub invalid: Invalid,
    pub documents: Vec<DocFieldError>,
}

impl CheckInRejected {
    /// The precise cause reported for `field`, if any.
    #[must_use]
    pub fn document_problem(&self, field: &str) -> Option<&DocProblem> {
        self.documents.iter().find(|e| e.field == field).map(|e| &e.problem)
    }
}

/// Field errors plus document causes, collected together.
struct Errors {
    checker: Checker,
    documents: Vec<DocFieldError>,
}

impl Errors {
    fn doc(&mut self, field: &'static str, problem: DocProblem) {
        let generic = match problem {
            DocProblem::UnknownCountry { .. } => Problem::NotAnOption,
            DocProblem::BadPlate
            | DocProblem::UnknownLocality { .. }
            | DocProblem::BadSeries { .. }
            | DocProblem::BadOrderNumber => Problem::BadCode,
            _ => Problem::BadId,
        };
        self.checker.fail(field, generic);
        self.documents.push(DocFieldError { field, problem });
    }
}

impl CheckInDraft {
    /// Parses the draft; `today` bounds the birth year coded in a CCCD number.
    ///
    /// # Errors
    /// Every failing field, with document causes.
    pub fn parse(&self, today: Date) -> Result<CheckIn, CheckInRejected> {
        let mut e = Errors { checker: Checker::new(), documents: Vec::new() };
        let kind = e.checker.option("doc_kind", &self.doc_kind, DocKind::from_code);
        let number = e.checker.line("doc_number", &self.doc_number, MAX_OTHER_NUMBER);
        let document = match kind {
            _ if number.is_empty() => None,
            Some(DocKind::Cccd) => {
                Cccd::parse(&number, today).map_err(|p| e.doc("doc_number", p)).ok().map(VisitorDocument::Cccd)
            }
            Some(DocKind::Passport) => {
                PassportNumber::parse(&number).map_err(|p| e.doc("doc_number", p)).ok().map(VisitorDocument::Passport)
            }
            Some(DocKind::Other) => Some(VisitorDocument::Other(number)),
            None => None,
        };
        let cmnd_alias = match self.cmnd.trim() {
            "" => None,
            raw => Cmnd::parse(raw).map_err(|p| e.doc("cmnd", p)).ok(),
        };
        let name = e.checker.line("name", &self.name, MAX_NAME);
        let organisation = e.checker.opt_line("organisation", &self.organisation, MAX_ORGANISATION);
        let phone = e.checker.phone("phone", &self.phone);
        let purpose = e.checker.line("purpose", &self.purpose, MAX_PURPOSE);
        let host = e.checker.opt_line("host", &self.host, MAX_HOST);
        let plate = match self.plate.trim() {
            "" => None,
            raw => Plate::parse(raw).map_err(|p| e.doc("plate", p)).ok(),
        };
        let items = e.checker.opt_text("items", &self.items, MAX_ITEMS);
        let nationality = match (self.nationality.trim(), kind) {
            ("", Some(DocKind::Passport)) => {
                e.checker.fail("nationality", Problem::Required);
                None
            }
            ("", _) => Some(Nationality::VIETNAM),
            (raw, _) => Nationality::parse(raw).map_err(|p| e.doc("nationality", p)).ok(),
        };
        if kind == Some(DocKind::Cccd) && nationality.is_some_and(Nationality::is_foreign) {
            // A CCCD is issued to Vietnamese citizens only.
            e.checker.fail("nationality", Problem::NotAnOption);
        }
        let Errors { checker, documents } = e;
        match (document, nationality) {
            (Some(document), Some(nationality)) => checker
                .finish(CheckIn {
                    document,
                    cmnd_alias,
                    name,
                    organisation,
                    phone,
                    purpose,
                    host,
                    plate,
                    items,
                    nationality,
                })
                .map_err(|invalid| CheckInRejected { invalid, documents }),
            _ => {
                let invalid = checker.finish(()).err().unwrap_or_else(|| Invalid::one("doc_number", Problem::Required));
                Err(CheckInRejected { invalid, documents })
            }
        }
    }
}

/// One line of the visitor logbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub doc_kind: DocKind,
    pub doc_number: String,
    pub cmnd_alias: Option<String>,
    pub name: String,
    pub organisation: String,
    pub phone: String,
    pub purpose: String,
    pub host: String,
    /// The plate as displayed (`30A-123.45`).
    pub plate: Option<String>,
    /// The plate's match key (`30A12345`).
    pub plate_key: Option<String>,
    pub items: String,
    pub nationality: Nationality,
    /// The visitor card handed out.
    pub card: Option<CardNumber>,
    pub checked_in_at: Timestamp,
    pub checked_out_at: Option<Timestamp>,
    /// The version of the consent notice the visitor agreed to.
    pub consent_version: String,
    /// A foreign visitor (R8).
    pub foreigner: bool,
    /// Held at the gate because of a watchlist hit.
    pub watchlist_hold: bool,
    /// When the personal fields were replaced by markers (retention or a deletion request).
    pub purged_at: Option<Timestamp>,
}

/// A check-out that cannot happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VisitError {
    #[error("the visitor has already checked out")]
    AlreadyCheckedOut,
    #[error("check-out before check-in")]
    CheckOutBeforeCheckIn,
}

impl VisitError {
    /// The stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyCheckedOut => "already_checked_out",
            Self::CheckOutBeforeCheckIn => "check_out_before_check_in",
        }
    }
}

/// Where and when a visit starts, and what goes with it besides the check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub id: VisitId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub card: Option<CardNumber>,
    pub consent_version: String,
    pub watchlist_hold: bool,
    pub at: Timestamp,
}

impl Visit {
    /// The logbook line of a validated check-in.
    #[must_use]
    pub fn open(check_in: CheckIn, opening: Opening) -> Self {
        let foreigner = check_in.is_foreigner();
        Self {
            id: opening.id,
            unit_id: opening.unit_id,
            site_id: opening.site_id,
            doc_kind: check_in.document.kind(),
            doc_number: check_in.document.number().to_owned(),
            cmnd_alias: check_in.cmnd_alias.map(String::from),
            name: check_in.name,
            organisation: check_in.organisation,
            phone: check_in.phone,
            purpose: check_in.purpose,
            host: check_in.host,
            plate_key: check_in.plate.as_ref().map(Plate::key),
            plate: check_in.plate.map(|p| p.to_string()),
            items: check_in.items,
            nationality: check_in.nationality,
            card: opening.card,
            checked_in_at: opening.at,
            checked_out_at: None,
            consent_version: opening.consent_version,
            foreigner,
            watchlist_hold: opening.watchlist_hold,
            purged_at: None,
        }
    }

    /// The visit checked out at `at`.
    ///
    /// # Errors
    /// [`VisitError::AlreadyCheckedOut`] or [`VisitError::CheckOutBeforeCheckIn`].
    pub fn check_out(&self, at: Timestamp) -> Result<Self, VisitError> {
        if self.checked_out_at.is_some() {
            return Err(VisitError::AlreadyCheckedOut);
        }
        if at < self.checked_in_at {
            return Err(VisitError::CheckOutBeforeCheckIn);
        }
        Ok(Self { checked_out_at: Some(at), ..self.clone() })
    }

    /// Whether the visitor is still on the premises.
    #[must_use]
    pub fn is_inside(&self) -> bool {
        self.checked_out_at.is_none()
    }

    /// How long the visitor has been (or was) on the premises at `now`.
    #[must_use]
    pub fn duration(&self, now: Timestamp) -> SignedDuration {
        self.checked_out_at.unwrap_or(now).duration_since(self.checked_in_at)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use jiff::civil::date;
    use uuid::Uuid;

    use super::*;

    pub const TODAY: Date = date(2026, 3, 1);

    pub fn draft() -> CheckInDraft {
        CheckInDraft {
            doc_kind: "cccd".into(),
            doc_number: "001090123456".into(),
            name: "Nguyễn Văn A".into(),
            organisation: "Công ty TNHH ABC".into(),
            phone: "+84 912 345 678".into(),
            purpose: "Giao hàng".into(),
            host: "Chị Lan, phòng Hành chính".into(),
            plate: "30a-123.45".into(),
            items: "1 ba lô".into(),
            ..CheckInDraft::default()
        }
    }

    pub fn visit_at(n: u128, at: &str) -> Visit {
        let check_in = draft().parse(TODAY).unwrap();
        Visit::open(
            check_in,
            Opening {
                id: VisitId(Uuid::from_u128(n)),
                unit_id: UnitId(Uuid::from_u128(1)),
                site_id: SiteId(Uuid::from_u128(2)),
                card: u16::try_from(n).ok().map(CardNumber),
                consent_version: "2026.1".into(),
                watchlist_hold: false,
                at: at.parse().unwrap(),
            },
        )
    }

    #[test]
    fn a_complete_cccd_check_in_is_parsed_and_normalised() {
        let c = draft().parse(TODAY).unwrap();
        assert_eq!(c.document, VisitorDocument::Cccd(Cccd::parse("001090123456", TODAY).unwrap()));
        assert_eq!(c.phone, "0912345678");
        assert_eq!(c.plate.as_ref().map(ToString::to_string).as_deref(), Some("30A-123.45"));
        assert_eq!(c.nationality, Nationality::VIETNAM);
        assert!(!c.is_foreigner());
    }

    #[test]
    fn names_are_stored_precomposed_and_collapsed() {
        use unicode_normalization::UnicodeNormalization;
        let d = CheckInDraft { name: "  Trần   Thị Thủy ".nfd().collect(), ..draft() };
        assert_eq!(d.parse(TODAY).unwrap().name, "Trần Thị Thủy");
    }

    #[test]
    fn every_problem_is_reported_at_once_with_document_causes() {
        let d = CheckInDraft {
            doc_number: "003090123456".into(),
            name: "Ng\u{0000}uyễn".into(),
            phone: "12345".into(),
            purpose: String::new(),
            plate: "13A-123.45".into(),
            items: "x".repeat(MAX_ITEMS + 1),
            ..draft()
        };
        let err = d.parse(TODAY).unwrap_err();
        assert_eq!(err.invalid.for_field("doc_number"), Some(&Problem::BadId));
        assert_eq!(
            err.document_problem("doc_number"),
            Some(&DocProblem::UnknownProvince { province_code: "003".into() })
        );
        assert_eq!(err.invalid.for_field("name"), Some(&Problem::ControlCharacters));
        assert_eq!(err.invalid.for_field("phone"), Some(&Problem::BadPhone));
        assert_eq!(err.invalid.for_field("purpose"), Some(&Problem::Required));
        assert_eq!(err.invalid.for_field("plate"), Some(&Problem::BadCode));
        assert_eq!(err.document_problem("plate"), Some(&DocProblem::UnknownLocality { locality: 13 }));
        assert_eq!(err.invalid.for_field("items"), Some(&Problem::TooLong { max: MAX_ITEMS }));
        assert_eq!(err.invalid.0.len(), 6, "{err}");
    }

    #[test]
    fn a_passport_needs_a_nationality_and_makes_a_foreigner() {
        let d = CheckInDraft { doc_kind: "passport".into(), doc_number: "m1234567".into(), ..draft() };
        let err = d.parse(TODAY).unwrap_err();
        assert_eq!(err.invalid.for_field("nationality"), Some(&Problem::Required));

        let d = CheckInDraft { nationality: "kor".into(), ..d };
        let c = d.parse(TODAY).unwrap();
        assert_eq!(c.document, VisitorDocument::Passport(PassportNumber::parse("M1234567").unwrap()));
        assert!(c.is_foreigner());

        let d = CheckInDraft { nationality: "KRX".into(), ..d };
        let err = d.parse(TODAY).unwrap_err();
        assert_eq!(err.invalid.for_field("nationality"), Some(&Problem::NotAnOption));
        assert_eq!(
            err.document_problem("nationality"),
            Some(&DocProblem::UnknownCountry { country_code: "KRX".into() })
        );
    }

    #[test]
    fn a_cccd_holder_cannot_be_a_foreigner_and_a_cmnd_is_only_an_alias() {
        let d = CheckInDraft { nationality: "USA".into(), ..draft() };
        assert_eq!(d.parse(TODAY).unwrap_err().invalid.for_field("nationality"), Some(&Problem::NotAnOption));

        let d = CheckInDraft { doc_number: "012345678".into(), ..draft() };
        assert_eq!(d.parse(TODAY).unwrap_err().document_problem("doc_number"), Some(&DocProblem::OldCmndOnly));

        let d = CheckInDraft { cmnd: "012345678".into(), ..draft() };
        assert_eq!(d.parse(TODAY).unwrap().cmnd_alias.map(String::from).as_deref(), Some("012345678"));
    }

    #[test]
    fn missing_kind_and_number_are_required() {
        let d = CheckInDraft { doc_kind: String::new(), doc_number: " ".into(), ..draft() };
        let err = d.parse(TODAY).unwrap_err();
        assert_eq!(err.invalid.for_field("doc_kind"), Some(&Problem::Required));
        assert_eq!(err.invalid.for_field("doc_number"), Some(&Problem::Required));
        let d = CheckInDraft { doc_kind: "cmnd".into(), ..draft() };
        assert_eq!(d.parse(TODAY).unwrap_err().invalid.for_field("doc_kind"), Some(&Problem::NotAnOption));
    }

    #[test]
    fn another_document_keeps_its_number_as_typed() {
        let d = CheckInDraft { doc_kind: "other".into(), doc_number: " GPLX 790123456789 ".into(), ..draft() };
        assert_eq!(d.parse(TODAY).unwrap().document, VisitorDocument::Other("GPLX 790123456789".into()));
    }

    #[test]
    fn a_visit_records_the_check_in_and_checks_out_once() {
        let v = visit_at(7, "2026-03-01T01:00:00Z");
        assert_eq!(v.doc_kind, DocKind::Cccd);
        assert_eq!(v.plate.as_deref(), Some("30A-123.45"));
        assert_eq!(v.plate_key.as_deref(), Some("30A12345"));
        assert_eq!(v.consent_version, "2026.1");
        assert!(v.is_inside());
        let later: Timestamp = "2026-03-01T03:30:00Z".parse().unwrap();
        assert_eq!(v.duration(later), SignedDuration::from_mins(150));
        let out = v.check_out(later).unwrap();
        assert!(!out.is_inside());
        assert_eq!(out.check_out(later), Err(VisitError::AlreadyCheckedOut));
        let before: Timestamp = "2026-03-01T00:59:59Z".parse().unwrap();
        assert_eq!(v.check_out(before), Err(VisitError::CheckOutBeforeCheckIn));
    }

    #[test]
    fn a_visit_round_trips_through_json() {
        let v = visit_at(7, "2026-03-01T01:00:00Z");
        let json = serde_json::to_string(&v).unwrap();
        assert!(json.contains("\"doc_kind\":\"cccd\""));
        assert_eq!(serde_json::from_str::<Visit>(&json).unwrap(), v);
    }
}
