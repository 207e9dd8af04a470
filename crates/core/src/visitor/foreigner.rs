//! Foreigners (R8): the register of foreign workers with their documents' expiry, and the
//! temporary-residence declaration a unit owes when a foreigner stays overnight at its own
//! accommodation.
//!
//! Law 47/2014/QH13 Điều 32 counts agencies' guest houses, housing for foreign workers and
//! students, and medical facilities as accommodation facilities (cơ sở lưu trú); Điều 33 has
//! the facility declare the foreigner to the commune police within 12 hours of arrival (24
//! hours in remote areas). TT 53/2016/TT-BCA lists the fields: full name, gender, date of
//! birth, nationality, passport (or substitute) number, and expected length of stay. Day
//! visitors to an office are not a temporary-residence case and get no task.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{ForeignWorkerId, Gender, Mrz, Nationality, PassportNumber};
use crate::UnitId;
use crate::registry::{code_enum, lenient};
use crate::validate::{Checker, Invalid, Problem};

/// Length limits of the register's text fields, in characters.
pub const MAX_NAME: usize = 100;
pub const MAX_JOB: usize = 100;
pub const MAX_DOC_NUMBER: usize = 32;
/// Documents expiring within this many days are listed prominently.
pub const EXPIRY_WARNING_DAYS: u16 = 30;

/// Hours to declare a foreigner's stay (Law 47/2014 Điều 33 khoản 2).
pub const DECLARATION_HOURS: i64 = 12;
/// Hours to declare in remote areas (vùng sâu, vùng xa).
pub const REMOTE_DECLARATION_HOURS: i64 = 24;

code_enum!(
    /// A document a foreign worker holds.
    ForeignDocKind {
        Passport = "passport",
        Visa = "visa",
        TemporaryResidenceCard = "temporary_residence_card",
        WorkPermit = "work_permit",
    }
);

/// One document of a foreign worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignDocument {
    pub kind: ForeignDocKind,
    pub number: String,
    /// The last day it is valid.
    pub expires_on: Date,
}

/// A foreigner working at the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignWorker {
    pub id: ForeignWorkerId,
    pub unit_id: UnitId,
    pub full_name: String,
    pub nationality: Nationality,
    /// The post held at the unit.
    pub job: String,
    /// The passport first, then the visa, residence card or work permit if any.
    pub documents: Vec<ForeignDocument>,
}

/// The register form of a foreign worker, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ForeignWorkerDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub full_name: String,
    /// ISO 3166-1 alpha-3; Vietnamese citizens are not on this register.
    #[serde(default, deserialize_with = "lenient::text")]
    pub nationality: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub job: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub passport_number: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub passport_expires: String,
    /// `visa`, `temporary_residence_card` or `work_permit`; empty when none is held.
    #[serde(default, deserialize_with = "lenient::text")]
    pub permit_kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub permit_number: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub permit_expires: String,
}

impl ForeignWorkerDraft {
    /// Parses the form into a register entry with this id.
    ///
    /// # Errors
    /// Every failing field.
    pub fn parse(&self, id: ForeignWorkerId, unit_id: UnitId) -> Result<ForeignWorker, Invalid> {
        let mut c = Checker::new();
        let full_name = c.line("full_name", &self.full_name, MAX_NAME);
        let nationality = match self.nationality.trim() {
            "" => {
                c.fail("nationality", Problem::Required);
                None
            }
            raw => match Nationality::parse(raw) {
                Ok(n) if n.is_foreign() => Some(n),
                _ => {
                    c.fail("nationality", Problem::NotAnOption);
                    None
                }
            },
        };
        let job = c.opt_line("job", &self.job, MAX_JOB);
        let passport = match self.passport_number.trim() {
            "" => {
                c.fail("passport_number", Problem::Required);
                None
            }
            raw => PassportNumber::parse(raw).map_err(|_| c.fail("passport_number", Problem::BadId)).ok(),
        };
        let passport_expires = c.date("passport_expires", &self.passport_expires, true);
        let mut documents = Vec::new();
        if let (Some(number), Some(expires_on)) = (passport, passport_expires) {
            documents.push(ForeignDocument { kind: ForeignDocKind::Passport, number: number.into(), expires_on });
        }
        if !self.permit_kind.trim().is_empty() {
            let kind = c.option("permit_kind", &self.permit_kind, ForeignDocKind::from_code);
            if kind == Some(ForeignDocKind::Passport) {
                c.fail("permit_kind", Problem::NotAnOption);
            }
            let number = c.line("permit_number", &self.permit_number, MAX_DOC_NUMBER);
            let expires_on = c.date("permit_expires", &self.permit_expires, true);
            if let (Some(kind), Some(expires_on)) = (kind, expires_on) {
                documents.push(ForeignDocument { kind, number, expires_on });
            }
        }
        let nationality = nationality.unwrap_or(Nationality::VIETNAM);
        c.finish(ForeignWorker { id, unit_id, full_name, nationality, job, documents })
    }
}

/// A document that expires soon (or has expired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    pub worker: ForeignWorkerId,
    pub full_name: String,
    pub kind: ForeignDocKind,
    pub number: String,
    pub expires_on: Date,
    /// Days from today to the expiry date; negative once expired.
    pub days_left: i32,
}

/// Documents expiring within `within_days` of `today`, expired ones included, soonest first.
#[must_use]
pub fn expiring(entries: &[ForeignWorker], today: Date, within_days: u16) -> Vec<Expiring> {
    let mut out: Vec<Expiring> = entries
        .iter()
        .flat_map(|w| w.documents.iter().map(move |d| (w, d)))
        .filter_map(|(w, d)| {
            let days_left = today.until(d.expires_on).ok()?.get_days();
            (days_left <= i32::from(within_days)).then(|| Expiring {
                worker: w.id,
                full_name: w.full_name.clone(),
                kind: d.kind,
                number: d.number.clone(),
                expires_on: d.expires_on,
                days_left,
            })
        })
        .collect();
    out.sort_by(|a, b| a.expires_on.cmp(&b.expires_on).then(a.worker.cmp(&b.worker)).then(a.number.cmp(&b.number)));
    out
}

/// The fields of a temporary-residence declaration (TT 53/2016/TT-BCA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationFields {
    pub full_name: String,
    pub gender: Option<Gender>,
    pub birth_date: Date,
    /// Nationality code as on the passport (ICAO codes include a few outside ISO 3166).
    pub nationality: String,
    /// Passport or substitute document number.
    pub passport_number: String,
    /// Expected end of the stay, when known.
    pub stay_until: Option<Date>,
}

impl DeclarationFields {
    /// The fields read from a passport MRZ.
    #[must_use]
    pub fn from_mrz(mrz: &Mrz, stay_until: Option<Date>) -> Self {
        Self {
            full_name: mrz.full_name(),
            gender: mrz.sex,
            birth_date: mrz.birth_date,
            nationality: mrz.nationality_code.clone(),
            passport_number: mrz.number.clone(),
            stay_until,
        }
    }
}

/// A foreigner's stay at the unit, as the gate or reception records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub fields: DeclarationFields,
    pub arrived_at: Timestamp,
    /// Staying overnight (not a day visit).
    pub overnight: bool,
    /// At the unit's own accommodation (guest house, dormitory, ward, worker housing).
    pub at_own_accommodation: bool,
    /// The unit is in a remote area (24 hours instead of 12).
    pub remote_area: bool,
}

code_enum!(
    /// Where a declaration task stands.
    TaskStatus {
        Open = "open",
        Done = "done",
        Overdue = "overdue",
    }
);

/// The duty to declare a foreigner's stay to the commune police.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationTask {
    pub fields: DeclarationFields,
    pub arrived_at: Timestamp,
    pub due_at: Timestamp,
    pub done_at: Option<Timestamp>,
}

/// When the declaration of an arrival at `arrived_at` is due.
#[must_use]
pub fn declaration_due(arrived_at: Timestamp, remote_area: bool) -> Timestamp {
    let hours = if remote_area { REMOTE_DECLARATION_HOURS } else { DECLARATION_HOURS };
    arrived_at.checked_add(SignedDuration::from_hours(hours)).unwrap_or(Timestamp::MAX)
}

/// Whether a visit makes the unit declare a temporary residence: a foreigner staying overnight
/// at a unit that lodges people (day visitors to an office are not a residence case).
#[must_use]
pub fn needs_declaration(foreigner: bool, overnight: bool, own_accommodation: bool) -> bool {
    foreigner && overnight && own_accommodation
}

/// Where a declaration due at `due_at` stands at `now`: done once declared (at or before
/// `now`), overdue after the due time, open before.
#[must_use]
pub fn task_status(due_at: Timestamp, done_at: Option<Timestamp>, now: Timestamp) -> TaskStatus {
    match done_at {
        Some(done) if done <= now => TaskStatus::Done,
        _ if now > due_at => TaskStatus::Overdue,
        _ => TaskStatus::Open,
    }
}

/// The declaration task of a stay: only overnight stays at the unit's own accommodation.
#[must_use]
pub fn declaration_task(stay: &Stay) -> Option<DeclarationTask> {
    needs_declaration(true, stay.overnight, stay.at_own_accommodation).then(|| DeclarationTask {
        fields: stay.fields.clone(),
        arrived_at: stay.arrived_at,
        due_at: declaration_due(stay.arrived_at, stay.remote_area),
        done_at: None,
    })
}

impl DeclarationTask {
    /// The status at `now`: done once declared (at or before `now`), overdue after the due
    /// time, open before.
    #[must_use]
    pub fn status(&self, now: Timestamp) -> TaskStatus {
        task_status(self.due_at, self.done_at, now)
    }

    /// The task marked declared at `at` (the first declaration counts).
    #[must_use]
    pub fn complete(&self, at: Timestamp) -> Self {
        Self { done_at: self.done_at.or(Some(at)), ..self.clone() }
    }

    /// Whether it was declared after the due time.
    #[must_use]
    pub fn done_late(&self) -> bool {
        self.done_at.is_some_and(|d| d > self.due_at)
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use uuid::Uuid;

    use super::*;
    use crate::visitor::passport::parse_td3;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn worker(n: u128, docs: &[(ForeignDocKind, &str, Date)]) -> ForeignWorker {
        ForeignWorker {
            id: ForeignWorkerId(Uuid::from_u128(n)),
            unit_id: UnitId(Uuid::from_u128(1)),
            full_name: format!("WORKER {n}"),
            nationality: Nationality::parse("KOR").unwrap(),
            job: "Kỹ sư".into(),
            documents: docs
                .iter()
                .map(|(kind, number, expires_on)| ForeignDocument {
                    kind: *kind,
                    number: (*number).into(),
                    expires_on: *expires_on,
                })
                .collect(),
        }
    }

    fn fields() -> DeclarationFields {
        let mrz = parse_td3(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
            date(2026, 3, 1),
        )
        .unwrap();
        DeclarationFields::from_mrz(&mrz, Some(date(2026, 3, 10)))
    }

    #[test]
    fn documents_expiring_soon_or_expired_are_listed_soonest_first() {
        let today = date(2026, 3, 1);
        let entries = [
            worker(
                1,
                &[(ForeignDocKind::Visa, "V1", date(2026, 3, 31)), (ForeignDocKind::Passport, "P1", date(2030, 1, 1))],
            ),
            worker(2, &[(ForeignDocKind::WorkPermit, "W2", date(2026, 2, 20))]),
            worker(3, &[(ForeignDocKind::TemporaryResidenceCard, "T3", date(2026, 4, 1))]),
        ];
        let found = expiring(&entries, today, 30);
        let summary: Vec<_> = found.iter().map(|e| (e.number.as_str(), e.days_left)).collect();
        assert_eq!(summary, [("W2", -9), ("V1", 30)], "31 days out is beyond the window");
        assert_eq!(found[1].kind, ForeignDocKind::Visa);
        assert_eq!(expiring(&entries, today, 31).len(), 3);
        assert_eq!(expiring(&entries, date(2026, 2, 1), 0).len(), 0);
    }

    #[test]
    fn the_declaration_is_due_twelve_hours_after_arrival_or_twenty_four_in_remote_areas() {
        let arrived = ts("2026-03-01T15:30:00Z");
        assert_eq!(declaration_due(arrived, false), ts("2026-03-02T03:30:00Z"));
        assert_eq!(declaration_due(arrived, true), ts("2026-03-02T15:30:00Z"));
    }

    #[test]
    fn only_an_overnight_stay_at_own_accommodation_creates_a_task_with_the_tt53_fields() {
        let stay = Stay {
            fields: fields(),
            arrived_at: ts("2026-03-01T15:30:00Z"),
            overnight: true,
            at_own_accommodation: true,
            remote_area: false,
        };
        let task = declaration_task(&stay).unwrap();
        assert_eq!(task.due_at, ts("2026-03-02T03:30:00Z"));
        assert_eq!(task.fields.full_name, "ERIKSSON ANNA MARIA");
        assert_eq!(task.fields.gender, Some(Gender::Female));
        assert_eq!(task.fields.birth_date, date(1974, 8, 12));
        assert_eq!(task.fields.nationality, "UTO");
        assert_eq!(task.fields.passport_number, "L898902C3");
        assert_eq!(task.fields.stay_until, Some(date(2026, 3, 10)));
        assert_eq!(declaration_task(&Stay { overnight: false, ..stay.clone() }), None, "a day visit");
        assert_eq!(declaration_task(&Stay { at_own_accommodation: false, ..stay }), None, "a hotel declares");
    }

    #[test]
    fn a_task_is_open_then_overdue_and_done_when_declared() {
        let stay = Stay {
            fields: fields(),
            arrived_at: ts("2026-03-01T15:30:00Z"),
            overnight: true,
            at_own_accommodation: true,
            remote_area: false,
        };
        let task = declaration_task(&stay).unwrap();
        assert_eq!(task.status(ts("2026-03-02T03:30:00Z")), TaskStatus::Open, "due time itself is still on time");
        assert_eq!(task.status(ts("2026-03-02T03:30:01Z")), TaskStatus::Overdue);
        let on_time = task.complete(ts("2026-03-01T20:00:00Z"));
        assert_eq!(on_time.status(ts("2026-03-05T00:00:00Z")), TaskStatus::Done);
        assert_eq!(on_time.status(ts("2026-03-01T19:00:00Z")), TaskStatus::Open, "not yet declared at 19:00");
        assert!(!on_time.done_late());
        let late = task.complete(ts("2026-03-02T05:00:00Z"));
        assert!(late.done_late());
        assert_eq!(late.complete(ts("2026-03-03T00:00:00Z")).done_at, late.done_at, "the first declaration counts");
    }

    fn draft() -> ForeignWorkerDraft {
        ForeignWorkerDraft {
            full_name: " Kim  Min-jun ".into(),
            nationality: "kor".into(),
            job: "Kỹ sư".into(),
            passport_number: "m1234567".into(),
            passport_expires: "2030-05-31".into(),
            permit_kind: "work_permit".into(),
            permit_number: "GP-001/2026".into(),
            permit_expires: "31/03/2026".into(),
        }
    }

    #[test]
    fn a_register_entry_keeps_the_passport_then_the_permit() {
        let id = ForeignWorkerId(Uuid::from_u128(9));
        let w = draft().parse(id, UnitId(Uuid::from_u128(1))).unwrap();
        assert_eq!(w.full_name, "Kim Min-jun");
        assert_eq!(w.nationality.code(), "KOR");
        let docs: Vec<_> = w.documents.iter().map(|d| (d.kind, d.number.as_str(), d.expires_on)).collect();
        assert_eq!(
            docs,
            [
                (ForeignDocKind::Passport, "M1234567", date(2030, 5, 31)),
                (ForeignDocKind::WorkPermit, "GP-001/2026", date(2026, 3, 31))
            ]
        );
        let no_permit = ForeignWorkerDraft { permit_kind: String::new(), ..draft() };
        assert_eq!(no_permit.parse(id, w.unit_id).unwrap().documents.len(), 1);
    }

    #[test]
    fn a_vietnamese_a_bad_passport_or_a_permit_without_expiry_is_refused() {
        let id = ForeignWorkerId(Uuid::from_u128(9));
        let unit = UnitId(Uuid::from_u128(1));
        let bad = ForeignWorkerDraft {
            full_name: String::new(),
            nationality: "VNM".into(),
            passport_number: "12".into(),
            passport_expires: "31/02/2030".into(),
            permit_kind: "passport".into(),
            permit_expires: String::new(),
            ..draft()
        };
        let e = bad.parse(id, unit).unwrap_err();
        assert_eq!(e.for_field("full_name"), Some(&Problem::Required));
        assert_eq!(e.for_field("nationality"), Some(&Problem::NotAnOption));
        assert_eq!(e.for_field("passport_number"), Some(&Problem::BadId));
        assert_eq!(e.for_field("passport_expires"), Some(&Problem::BadDate));
        assert_eq!(e.for_field("permit_kind"), Some(&Problem::NotAnOption));
        assert_eq!(e.for_field("permit_expires"), Some(&Problem::Required));
        let unknown = ForeignWorkerDraft { nationality: "XYZ".into(), ..draft() };
        assert_eq!(unknown.parse(id, unit).unwrap_err().for_field("nationality"), Some(&Problem::NotAnOption));
    }

    #[test]
    fn only_a_foreigner_staying_overnight_at_a_lodging_unit_is_declared() {
        assert!(needs_declaration(true, true, true));
        assert!(!needs_declaration(false, true, true), "a Vietnamese guest");
        assert!(!needs_declaration(true, false, true), "a day visit");
        assert!(!needs_declaration(true, true, false), "the unit lodges nobody");
        let due = ts("2026-03-02T03:30:00Z");
        assert_eq!(task_status(due, None, due), TaskStatus::Open);
        assert_eq!(task_status(due, None, ts("2026-03-02T03:31:00Z")), TaskStatus::Overdue);
        assert_eq!(task_status(due, Some(ts("2026-03-02T05:00:00Z")), ts("2026-03-03T00:00:00Z")), TaskStatus::Done);
    }
}
