//! Units: the protected organisations (CQDN/NT), each under the jurisdiction of one police
//! authority, optionally flagged as a key target (mục tiêu trọng điểm, seed 004).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{code_enum, lenient, truthy};
use crate::validate::{Checker, Invalid, Problem};
use crate::{AuthorityId, UnitId};

code_enum!(
    /// The type of premises, as the police count incidents (seed 000: schools, CQDN, hospitals).
    UnitKind {
        Agency = "agency",
        Enterprise = "enterprise",
        School = "school",
        Hospital = "hospital",
        Bank = "bank",
        Other = "other",
    }
);

/// A protected organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: UnitId,
    /// The police authority whose jurisdiction the unit is in (usually the ward police).
    pub authority_id: AuthorityId,
    pub kind: UnitKind,
    pub name: String,
    /// Key target: 24/24 guarding and need-to-know access to its plans, forces and means.
    pub key_target: bool,
    pub address: String,
    pub phone: String,
    pub head_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// A unit as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitDraft {
    /// Optional client-chosen id of a new unit, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub authority_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub key_target: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub address: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub head_name: String,
}

/// A validated unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInput {
    /// The id the client chose (a retried create returns what the first one made), or
    /// `None` to have one minted.
    pub id: Option<UnitId>,
    pub authority_id: AuthorityId,
    pub kind: UnitKind,
    pub name: String,
    pub key_target: bool,
    pub address: String,
    pub phone: String,
    pub head_name: String,
}

impl UnitDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<UnitInput, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, UnitId::parse);
        let authority_id = if self.authority_id.trim().is_empty() {
            c.fail("authority_id", Problem::Required);
            None
        } else {
            AuthorityId::parse(&self.authority_id).map_err(|_| c.fail("authority_id", Problem::BadId)).ok()
        };
        let kind = c.option("kind", &self.kind, UnitKind::from_code);
        let name = c.line("name", &self.name, 200);
        let address = c.opt_line("address", &self.address, 300);
        let phone = c.phone("phone", &self.phone);
        let head_name = c.opt_line("head_name", &self.head_name, 120);
        let (Some(authority_id), Some(kind)) = (authority_id, kind) else {
            return Err(c.finish(()).unwrap_err());
        };
        c.finish(UnitInput {
            id,
            authority_id,
            kind,
            name,
            key_target: truthy(&self.key_target),
            address,
            phone,
            head_name,
        })
    }
}

impl From<&Unit> for UnitDraft {
    fn from(u: &Unit) -> Self {
        Self {
            id: String::new(),
            authority_id: u.authority_id.to_string(),
            kind: u.kind.code().into(),
            name: u.name.clone(),
            key_target: if u.key_target { "on".into() } else { String::new() },
            address: u.address.clone(),
            phone: u.phone.clone(),
            head_name: u.head_name.clone(),
        }
    }
}

impl From<&Unit> for UnitInput {
    fn from(u: &Unit) -> Self {
        Self {
            id: None,
            authority_id: u.authority_id,
            kind: u.kind,
            name: u.name.clone(),
            key_target: u.key_target,
            address: u.address.clone(),
            phone: u.phone.clone(),
            head_name: u.head_name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> UnitDraft {
        UnitDraft {
            authority_id: AuthorityId::mint().to_string(),
            kind: "school".into(),
            name: "  Trường THCS   Ngọc Lâm ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_unit_is_cleaned() {
        let input = draft().parse().unwrap();
        assert_eq!(input.name, "Trường THCS Ngọc Lâm");
        assert_eq!(input.kind, UnitKind::School);
        assert!(!input.key_target);
    }

    #[test]
    fn a_script_in_a_name_is_kept_as_text_not_rejected() {
        let mut d = draft();
        d.name = "<script>alert(1)</script>".into();
        assert_eq!(d.parse().unwrap().name, "<script>alert(1)</script>");
    }

    #[test]
    fn an_unknown_kind_and_a_bad_authority_are_both_reported() {
        let mut d = draft();
        d.kind = "casino".into();
        d.authority_id = "not-an-id".into();
        let err = d.parse().unwrap_err();
        assert_eq!(err.for_field("kind"), Some(&Problem::NotAnOption));
        assert_eq!(err.for_field("authority_id"), Some(&Problem::BadId));
    }

    #[test]
    fn a_name_longer_than_200_characters_is_rejected() {
        let mut d = draft();
        d.name = "ư".repeat(201);
        assert_eq!(d.parse().unwrap_err().for_field("name"), Some(&Problem::TooLong { max: 200 }));
    }
}
