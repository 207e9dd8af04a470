//! The guard force (R3): dedicated and part-time guards, their training certificates
//! (TT 46/2014 Điều 6: valid for 05 years) and the support tools issued to them (TT 46 Điều 8).

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use super::{code_enum, lenient, truthy};
use crate::validate::{Checker, Invalid, Problem};
use crate::{GuardId, UnitId};

code_enum!(
    /// Dedicated (chuyên trách) or part-time (bán chuyên trách).
    Employment {
        Dedicated = "dedicated",
        PartTime = "part_time",
    }
);

code_enum!(
    /// The support tools a guard may carry (TT 46/2014 Điều 8), plus radios and torches.
    ToolKind {
        ElectricBaton = "electric_baton",
        MetalBaton = "metal_baton",
        RubberBaton = "rubber_baton",
        KnifeGloves = "knife_gloves",
        Radio = "radio",
        Torch = "torch",
        Other = "other",
    }
);

/// How long a training certificate is valid (TT 46/2014 Điều 6 khoản 4).
pub const CERTIFICATE_YEARS: i16 = 5;
/// How many days ahead an expiring certificate is flagged.
pub const CERTIFICATE_WARNING_DAYS: i32 = 60;

/// A member of the guard force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guard {
    pub id: GuardId,
    pub unit_id: UnitId,
    pub full_name: String,
    pub employment: Employment,
    pub phone: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub birth_date: Option<Date>,
    /// Health and fitness notes.
    pub health: String,
    pub active: bool,
    pub certificates: Vec<Certificate>,
    pub tools: Vec<IssuedTool>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// A training certificate (giấy chứng nhận huấn luyện nghiệp vụ bảo vệ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub number: String,
    pub issuer: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub issued_on: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub expires_on: Date,
}

/// A support tool issued to a guard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedTool {
    pub kind: ToolKind,
    pub serial: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub issued_on: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub returned_on: Option<Date>,
}

/// Where a certificate stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    ExpiringSoon { days_left: i32 },
    Expired { days_ago: i32 },
}

impl Certificate {
    /// The status of this certificate on `today`.
    #[must_use]
    pub fn status(&self, today: Date) -> CertificateStatus {
        let days = (self.expires_on - today).get_days();
        if days < 0 {
            CertificateStatus::Expired { days_ago: -days }
        } else if days <= CERTIFICATE_WARNING_DAYS {
            CertificateStatus::ExpiringSoon { days_left: days }
        } else {
            CertificateStatus::Valid
        }
    }
}

impl Guard {
    /// The guard's best certificate status on `today`: `None` when they have none at all.
    #[must_use]
    pub fn certificate_status(&self, today: Date) -> Option<CertificateStatus> {
        self.certificates.iter().max_by_key(|c| c.expires_on).map(|c| c.status(today))
    }

    /// Tools issued and not returned.
    pub fn tools_held(&self) -> impl Iterator<Item = &IssuedTool> {
        self.tools.iter().filter(|t| t.returned_on.is_none())
    }
}

/// A guard as a form or API client sends it. Certificates and tools are separate drafts.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardDraft {
    /// Optional client-chosen id of a new guard, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub unit_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub full_name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub employment: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub birth_date: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub health: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub active: String,
}

/// A validated guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardInput {
    /// The id the client chose (a retried create returns what the first one made), or
    /// `None` to have one minted.
    pub id: Option<GuardId>,
    pub unit_id: UnitId,
    pub full_name: String,
    pub employment: Employment,
    pub phone: String,
    pub birth_date: Option<Date>,
    pub health: String,
    pub active: bool,
}

impl GuardDraft {
    /// Parses the draft; `today` bounds the birth date (a guard is at least 18, NĐ 06 Điều 6).
    ///
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self, today: Date) -> Result<GuardInput, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, GuardId::parse);
        let unit_id = UnitId::parse(&self.unit_id).map_err(|_| c.fail("unit_id", Problem::BadId)).ok();
        let full_name = c.line("full_name", &self.full_name, 120);
        let employment = c.option("employment", &self.employment, Employment::from_code);
        let phone = c.phone("phone", &self.phone);
        let birth_date = c.date("birth_date", &self.birth_date, false);
        if let Some(born) = birth_date {
            let adult = today.checked_sub(18.years()).unwrap_or(today);
            if born > adult || born.year() < 1920 {
                c.fail("birth_date", Problem::OutOfRange { min: 18, max: 100 });
            }
        }
        let health = c.opt_text("health", &self.health, 1000);
        match (unit_id, employment) {
            (Some(unit_id), Some(employment)) => c.finish(GuardInput {
                id,
                unit_id,
                full_name,
                employment,
                phone,
                birth_date,
                health,
                active: truthy(&self.active),
            }),
            _ => Err(c.finish(()).unwrap_err()),
        }
    }
}

impl From<&Guard> for GuardDraft {
    fn from(g: &Guard) -> Self {
        Self {
            id: String::new(),
            unit_id: g.unit_id.to_string(),
            full_name: g.full_name.clone(),
            employment: g.employment.code().into(),
            phone: g.phone.clone(),
            birth_date: g.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            health: g.health.clone(),
            active: if g.active { "on".into() } else { String::new() },
        }
    }
}

/// A certificate as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub number: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub issuer: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub issued_on: String,
    /// Optional: five years after issue when empty.
    #[serde(default, deserialize_with = "lenient::text")]
    pub expires_on: String,
}

impl CertificateDraft {
    /// # Errors
    /// Every field that does not parse, or an expiry before the issue date.
    pub fn parse(&self) -> Result<Certificate, Invalid> {
        let mut c = Checker::new();
        let number = c.line("number", &self.number, 50);
        let issuer = c.opt_line("issuer", &self.issuer, 200);
        let issued_on = c.date("issued_on", &self.issued_on, true);
        let expires_on = c.date("expires_on", &self.expires_on, false);
        let Some(issued_on) = issued_on else {
            return Err(c.finish(()).unwrap_err());
        };
        let expires_on = expires_on
            .unwrap_or_else(|| issued_on.checked_add(i64::from(CERTIFICATE_YEARS).years()).unwrap_or(issued_on));
        if expires_on < issued_on {
            c.fail("expires_on", Problem::DateOrder);
        }
        c.finish(Certificate { number, issuer, issued_on, expires_on })
    }
}

/// A tool issue as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToolDraft {
    #[serde(default, deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub serial: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub issued_on: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub returned_on: String,
}

impl ToolDraft {
    /// # Errors
    /// Every field that does not parse, or a return before the issue.
    pub fn parse(&self) -> Result<IssuedTool, Invalid> {
        let mut c = Checker::new();
        let kind = c.option("kind", &self.kind, ToolKind::from_code);
        let serial = c.opt_line("serial", &self.serial, 100);
        let issued_on = c.date("issued_on", &self.issued_on, true);
        let returned_on = c.date("returned_on", &self.returned_on, false);
        let (Some(kind), Some(issued_on)) = (kind, issued_on) else {
            return Err(c.finish(()).unwrap_err());
        };
        if returned_on.is_some_and(|r| r < issued_on) {
            c.fail("returned_on", Problem::DateOrder);
        }
        c.finish(IssuedTool { kind, serial, issued_on, returned_on })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_certificate_is_valid_for_five_years_by_default() {
        let cert = CertificateDraft { number: "123/GCN".into(), issued_on: "15/03/2022".into(), ..Default::default() }
            .parse()
            .unwrap();
        assert_eq!(cert.expires_on, date(2027, 3, 15));
    }

    #[test]
    fn certificate_status_moves_from_valid_to_expiring_to_expired() {
        let cert = Certificate {
            number: "1".into(),
            issuer: String::new(),
            issued_on: date(2021, 12, 1),
            expires_on: date(2026, 12, 1),
        };
        assert_eq!(cert.status(date(2026, 6, 1)), CertificateStatus::Valid);
        assert_eq!(cert.status(date(2026, 11, 21)), CertificateStatus::ExpiringSoon { days_left: 10 });
        assert_eq!(cert.status(date(2026, 12, 3)), CertificateStatus::Expired { days_ago: 2 });
    }

    #[test]
    fn a_guard_must_be_an_adult() {
        let d = GuardDraft {
            unit_id: UnitId::mint().to_string(),
            full_name: "Nguyễn Văn A".into(),
            employment: "dedicated".into(),
            birth_date: "01/01/2015".into(),
            ..Default::default()
        };
        assert!(d.parse(date(2026, 11, 21)).unwrap_err().for_field("birth_date").is_some());
    }

    #[test]
    fn a_tool_cannot_be_returned_before_it_was_issued() {
        let d = ToolDraft {
            kind: "rubber_baton".into(),
            issued_on: "10/10/2026".into(),
            returned_on: "01/10/2026".into(),
            ..Default::default()
        };
        assert_eq!(d.parse().unwrap_err().for_field("returned_on"), Some(&Problem::DateOrder));
    }
}
