//! Overseeing authorities: the police bodies and the steering committee, in a tree that fits
//! the two-level local government in force since 01/07/2025 (province → commune/ward; no
//! district tier).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{code_enum, lenient};
use crate::AuthorityId;
use crate::admin_units;
use crate::validate::{Checker, Invalid, Problem};

code_enum!(
    /// What kind of body an authority is.
    AuthorityKind {
        Ministry = "ministry",
        ProvincePolice = "province_police",
        CommunePolice = "commune_police",
        SteeringCommittee = "steering_committee",
    }
);

impl AuthorityKind {
    /// Whether an authority of this kind may sit under `parent` (`None` = at the top).
    #[must_use]
    pub fn may_sit_under(self, parent: Option<Self>) -> bool {
        use AuthorityKind::{CommunePolice, Ministry, ProvincePolice, SteeringCommittee};
        matches!(
            (self, parent),
            (Ministry, None)
                | (ProvincePolice, None | Some(Ministry))
                | (CommunePolice, Some(ProvincePolice))
                | (SteeringCommittee, None | Some(ProvincePolice | Ministry))
        )
    }

    /// Whether units can be placed under this authority's jurisdiction. A steering committee
    /// receives reports; it does not oversee premises.
    #[must_use]
    pub fn has_jurisdiction(self) -> bool {
        matches!(self, Self::ProvincePolice | Self::CommunePolice)
    }
}

/// A police body or steering committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Authority {
    pub id: AuthorityId,
    pub parent_id: Option<AuthorityId>,
    pub kind: AuthorityKind,
    pub name: String,
    /// GSO code of the province (2 digits).
    pub province_code: String,
    /// GSO code of the commune/ward (5 digits), for commune police.
    pub ward_code: String,
    pub phone: String,
    pub address: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// An authority as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorityDraft {
    /// Optional client-chosen id of a new authority, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub parent_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub province_code: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub ward_code: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub address: String,
}

/// A validated authority. Whether the parent exists and fits is checked by the store against
/// [`AuthorityKind::may_sit_under`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityInput {
    /// The id the client chose (a retried create returns what the first one made), or
    /// `None` to have one minted.
    pub id: Option<AuthorityId>,
    pub parent_id: Option<AuthorityId>,
    pub kind: AuthorityKind,
    pub name: String,
    pub province_code: String,
    pub ward_code: String,
    pub phone: String,
    pub address: String,
}

impl AuthorityDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<AuthorityInput, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, AuthorityId::parse);
        let parent_id = if self.parent_id.trim().is_empty() {
            None
        } else {
            AuthorityId::parse(&self.parent_id).map_err(|_| c.fail("parent_id", Problem::BadId)).ok()
        };
        let kind = c.option("kind", &self.kind, AuthorityKind::from_code);
        let name = c.line("name", &self.name, 200);
        let province_code = self.province_code.trim().to_owned();
        if admin_units::province(&province_code).is_none() {
            c.fail("province_code", if province_code.is_empty() { Problem::Required } else { Problem::BadCode });
        }
        let ward_code = self.ward_code.trim().to_owned();
        if !ward_code.is_empty() && !admin_units::is_ward_code(&ward_code) {
            c.fail("ward_code", Problem::BadCode);
        }
        if kind == Some(AuthorityKind::CommunePolice) && ward_code.is_empty() {
            c.fail("ward_code", Problem::Required);
        }
        let phone = c.phone("phone", &self.phone);
        let address = c.opt_line("address", &self.address, 300);
        let kind = kind.unwrap_or(AuthorityKind::ProvincePolice);
        c.finish(AuthorityInput { id, parent_id, kind, name, province_code, ward_code, phone, address })
    }
}

impl From<&Authority> for AuthorityDraft {
    fn from(a: &Authority) -> Self {
        Self {
            id: String::new(),
            parent_id: a.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            kind: a.kind.code().into(),
            name: a.name.clone(),
            province_code: a.province_code.clone(),
            ward_code: a.ward_code.clone(),
            phone: a.phone.clone(),
            address: a.address.clone(),
        }
    }
}

impl From<&Authority> for AuthorityInput {
    fn from(a: &Authority) -> Self {
        Self {
            id: None,
            parent_id: a.parent_id,
            kind: a.kind,
            name: a.name.clone(),
            province_code: a.province_code.clone(),
            ward_code: a.ward_code.clone(),
            phone: a.phone.clone(),
            address: a.address.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_no_district_tier_between_province_and_commune() {
        use AuthorityKind::*;
        assert!(CommunePolice.may_sit_under(Some(ProvincePolice)));
        assert!(!CommunePolice.may_sit_under(Some(CommunePolice)));
        assert!(!CommunePolice.may_sit_under(None));
        assert!(ProvincePolice.may_sit_under(None));
        assert!(!SteeringCommittee.has_jurisdiction());
    }

    #[test]
    fn a_ward_police_needs_its_ward_code() {
        let draft = AuthorityDraft {
            kind: "commune_police".into(),
            name: "Công an phường Bồ Đề".into(),
            province_code: "01".into(),
            ..Default::default()
        };
        assert_eq!(draft.parse().unwrap_err().for_field("ward_code"), Some(&Problem::Required));
    }

    #[test]
    fn an_unknown_province_code_is_rejected() {
        let draft = AuthorityDraft {
            kind: "province_police".into(),
            name: "X".into(),
            province_code: "99".into(),
            ..Default::default()
        };
        assert_eq!(draft.parse().unwrap_err().for_field("province_code"), Some(&Problem::BadCode));
    }
}
