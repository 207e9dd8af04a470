//! Checkpoints: the places in a zone that a patrolling guard must visit and prove.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{lenient, truthy};
use crate::validate::{Checker, Invalid, Problem};
use crate::{CheckpointId, SiteId, UnitId, ZoneId};

/// A place a guard must visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    pub id: CheckpointId,
    pub zone_id: ZoneId,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    /// Short label printed on the tag, unique within the site (e.g. "CP-03").
    pub code: String,
    pub name: String,
    /// Where exactly the tag is mounted.
    pub location: String,
    pub active: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// A checkpoint as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckpointDraft {
    /// Optional client-chosen id of a new checkpoint, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub zone_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub location: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub active: String,
}

/// A validated checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointInput {
    /// The id the client chose (a retried create returns what the first one made), or
    /// `None` to have one minted.
    pub id: Option<CheckpointId>,
    pub zone_id: ZoneId,
    pub code: String,
    pub name: String,
    pub location: String,
    pub active: bool,
}

impl CheckpointDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<CheckpointInput, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, CheckpointId::parse);
        let zone_id = ZoneId::parse(&self.zone_id).map_err(|_| c.fail("zone_id", Problem::BadId)).ok();
        let code = c.line("code", &self.code, 20).to_uppercase();
        if !code.is_empty() && !code.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            c.fail("code", Problem::BadCode);
        }
        let name = c.line("name", &self.name, 200);
        let location = c.opt_line("location", &self.location, 300);
        match zone_id {
            Some(zone_id) => {
                c.finish(CheckpointInput { id, zone_id, code, name, location, active: truthy(&self.active) })
            }
            None => Err(c.finish(()).unwrap_err()),
        }
    }
}

impl From<&Checkpoint> for CheckpointDraft {
    fn from(cp: &Checkpoint) -> Self {
        Self {
            id: String::new(),
            zone_id: cp.zone_id.to_string(),
            code: cp.code.clone(),
            name: cp.name.clone(),
            location: cp.location.clone(),
            active: if cp.active { "on".into() } else { String::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_code_is_upper_cased_and_plain() {
        let mut d = CheckpointDraft {
            zone_id: ZoneId::mint().to_string(),
            code: "cp-03".into(),
            name: "Cổng sau".into(),
            active: "on".into(),
            ..Default::default()
        };
        assert_eq!(d.parse().unwrap().code, "CP-03");
        d.code = "CP 03/ä".into();
        assert_eq!(d.parse().unwrap_err().for_field("code"), Some(&Problem::BadCode));
    }
}
