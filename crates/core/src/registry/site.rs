//! Sites: one set of premises of a unit (a campus, a branch office), with its guard post.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::lenient;
use crate::validate::{Checker, Invalid, Problem};
use crate::{SiteId, UnitId};

/// One set of premises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    pub id: SiteId,
    pub unit_id: UnitId,
    pub name: String,
    pub address: String,
    /// Where the guard post is (patrols start and end there).
    pub guard_post: String,
    pub notes: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// A site as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteDraft {
    /// Optional client-chosen id of a new site, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub unit_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub address: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub guard_post: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub notes: String,
}

/// A validated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInput {
    /// The id the client chose (a retried create returns what the first one made), or
    /// `None` to have one minted.
    pub id: Option<SiteId>,
    pub unit_id: UnitId,
    pub name: String,
    pub address: String,
    pub guard_post: String,
    pub notes: String,
}

impl SiteDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<SiteInput, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, SiteId::parse);
        let unit_id = UnitId::parse(&self.unit_id).map_err(|_| c.fail("unit_id", Problem::BadId)).ok();
        let name = c.line("name", &self.name, 200);
        let address = c.opt_line("address", &self.address, 300);
        let guard_post = c.opt_line("guard_post", &self.guard_post, 200);
        let notes = c.opt_text("notes", &self.notes, 2000);
        match unit_id {
            Some(unit_id) => c.finish(SiteInput { id, unit_id, name, address, guard_post, notes }),
            None => Err(c.finish(()).unwrap_err()),
        }
    }
}

impl From<&Site> for SiteDraft {
    fn from(s: &Site) -> Self {
        Self {
            id: String::new(),
            unit_id: s.unit_id.to_string(),
            name: s.name.clone(),
            address: s.address.clone(),
            guard_post: s.guard_post.clone(),
            notes: s.notes.clone(),
        }
    }
}

impl From<&Site> for SiteInput {
    fn from(s: &Site) -> Self {
        Self {
            id: None,
            unit_id: s.unit_id,
            name: s.name.clone(),
            address: s.address.clone(),
            guard_post: s.guard_post.clone(),
            notes: s.notes.clone(),
        }
    }
}
