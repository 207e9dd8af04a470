//! Zones: areas of a site, with the kinds the directives name (seed 000 §4: entrances,
//! emergency exits, corridors, blind corners; server rooms, accounting, cashiers, storerooms)
//! and a sensitivity and asset value that later drive patrol risk.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{code_enum, lenient};
use crate::validate::{Checker, Invalid, Problem};
use crate::{SiteId, UnitId, ZoneId};

code_enum!(
    /// What a zone is.
    ZoneKind {
        Gate = "gate",
        Perimeter = "perimeter",
        Corridor = "corridor",
        EmergencyExit = "emergency_exit",
        BlindCorner = "blind_corner",
        ServerRoom = "server_room",
        Accounting = "accounting",
        Cashier = "cashier",
        Storeroom = "storeroom",
        LeaderOffice = "leader_office",
        Vault = "vault",
        Other = "other",
    }
);

impl ZoneKind {
    /// Whether the directives single this kind out as a sensitive room that should have an
    /// alarm and reinforced doors and locks (seed 000 §4, seed 001 §1(5)).
    #[must_use]
    pub fn is_sensitive_room(self) -> bool {
        matches!(
            self,
            Self::ServerRoom | Self::Accounting | Self::Cashier | Self::Storeroom | Self::LeaderOffice | Self::Vault
        )
    }

    /// Whether the directives ask for a camera at this kind of place (seed 000 §4).
    #[must_use]
    pub fn wants_camera(self) -> bool {
        matches!(self, Self::Gate | Self::EmergencyExit | Self::Corridor | Self::BlindCorner)
    }
}

/// An area of a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Zone {
    pub id: ZoneId,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub kind: ZoneKind,
    pub name: String,
    /// 1 (low) to 5 (highest).
    pub sensitivity: i64,
    /// Estimated value of the assets kept there, in đồng (0 when unknown).
    pub asset_value: i64,
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// A zone as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneDraft {
    /// Optional client-chosen id of a new zone, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub site_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub sensitivity: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub asset_value: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub description: String,
}

/// A validated zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneInput {
    /// The id the client chose (a retried create returns what the first one made), or
    /// `None` to have one minted.
    pub id: Option<ZoneId>,
    pub site_id: SiteId,
    pub kind: ZoneKind,
    pub name: String,
    pub sensitivity: i64,
    pub asset_value: i64,
    pub description: String,
}

/// Upper bound on an asset value: ten trillion đồng.
pub const MAX_ASSET_VALUE: i64 = 10_000_000_000_000;

impl ZoneDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<ZoneInput, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, ZoneId::parse);
        let site_id = SiteId::parse(&self.site_id).map_err(|_| c.fail("site_id", Problem::BadId)).ok();
        let kind = c.option("kind", &self.kind, ZoneKind::from_code);
        let name = c.line("name", &self.name, 200);
        let sensitivity = c.int("sensitivity", &self.sensitivity, 1, 5, true);
        let asset_value = c.int("asset_value", &self.asset_value, 0, MAX_ASSET_VALUE, false).unwrap_or(0);
        let description = c.opt_text("description", &self.description, 2000);
        match (site_id, kind, sensitivity) {
            (Some(site_id), Some(kind), Some(sensitivity)) => {
                c.finish(ZoneInput { id, site_id, kind, name, sensitivity, asset_value, description })
            }
            _ => Err(c.finish(()).unwrap_err()),
        }
    }
}

impl From<&Zone> for ZoneDraft {
    fn from(z: &Zone) -> Self {
        Self {
            id: String::new(),
            site_id: z.site_id.to_string(),
            kind: z.kind.code().into(),
            name: z.name.clone(),
            sensitivity: z.sensitivity.to_string(),
            asset_value: z.asset_value.to_string(),
            description: z.description.clone(),
        }
    }
}

impl From<&Zone> for ZoneInput {
    fn from(z: &Zone) -> Self {
        Self {
            id: None,
            site_id: z.site_id,
            kind: z.kind,
            name: z.name.clone(),
            sensitivity: z.sensitivity,
            asset_value: z.asset_value,
            description: z.description.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vault_is_a_sensitive_room_and_a_corridor_wants_a_camera() {
        assert!(ZoneKind::Vault.is_sensitive_room());
        assert!(!ZoneKind::Corridor.is_sensitive_room());
        assert!(ZoneKind::Corridor.wants_camera());
    }

    #[test]
    fn sensitivity_is_required_and_bounded() {
        let d = ZoneDraft {
            site_id: SiteId::mint().to_string(),
            kind: "vault".into(),
            name: "Kho tiền".into(),
            sensitivity: "9".into(),
            ..Default::default()
        };
        assert_eq!(d.parse().unwrap_err().for_field("sensitivity"), Some(&Problem::OutOfRange { min: 1, max: 5 }));
    }

    #[test]
    fn asset_values_accept_vietnamese_thousands_separators() {
        let d = ZoneDraft {
            site_id: SiteId::mint().to_string(),
            kind: "cashier".into(),
            name: "Thủ quỹ".into(),
            sensitivity: "5".into(),
            asset_value: "1.500.000.000".into(),
            ..Default::default()
        };
        assert_eq!(d.parse().unwrap().asset_value, 1_500_000_000);
    }
}
