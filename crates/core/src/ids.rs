//! Typed identifiers. Every entity has its own id type so that a zone id can never be passed
//! where a unit id is expected. IDs are UUIDv7, minted at the edge (server, client, demo),
//! never inside the domain.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The text given where an id was expected is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid identifier: {0:?}")]
pub struct BadId(pub String);

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh time-ordered id. Call this at the edge only.
            #[must_use]
            pub fn mint() -> Self {
                Self(Uuid::now_v7())
            }

            /// Parses the canonical hyphenated form (what the API and pages emit).
            ///
            /// # Errors
            /// [`BadId`] when the text is not a UUID.
            pub fn parse(text: &str) -> Result<Self, BadId> {
                Uuid::try_parse(text.trim()).map(Self).map_err(|_| BadId(text.chars().take(64).collect()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = BadId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    )*};
}

id_type!(
    /// A police body or steering committee.
    AuthorityId,
    /// An agency, enterprise, school, hospital, bank or other protected organisation.
    UnitId,
    /// One set of premises of a unit.
    SiteId,
    /// An area of a site (gate, vault, corridor…).
    ZoneId,
    /// A place a patrolling guard must visit.
    CheckpointId,
    /// A camera, alarm panel or sensor.
    DeviceId,
    /// A member of a unit's guard force.
    GuardId,
    /// A person who signs in.
    AccountId,
    /// An incident reported at a unit.
    IncidentId,
    /// An integration token.
    TokenId,
    /// A patrol round: checkpoints to visit in a time window.
    RoundId,
    /// One proof of presence at a checkpoint (minted by the phone, so retries are idempotent).
    ScanId,
    /// A duty shift.
    ShiftId,
    /// An alert raised to the people on duty.
    AlertId,
    /// A night's patrol plan of a site.
    PlanId,
    /// A weekly round template: the same round on chosen weekdays at a set time.
    TemplateId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_id_is_rejected_with_its_text() {
        let err = UnitId::parse("12345' or 1=1").unwrap_err();
        assert_eq!(err.0, "12345' or 1=1");
    }

    #[test]
    fn an_id_round_trips_through_its_text() {
        let id = ZoneId::mint();
        assert_eq!(ZoneId::parse(&id.to_string()).unwrap(), id);
    }
}
