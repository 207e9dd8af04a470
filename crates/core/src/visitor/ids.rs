//! Typed identifiers of the visitor module (UUIDv7, minted at the edge like those of
//! [`crate::ids`]).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::BadId;

macro_rules! visitor_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Parses the canonical hyphenated form.
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
    )*};
}

visitor_id!(
    /// One visit: a line of the visitor logbook.
    VisitId,
    /// One watchlist entry.
    WatchEntryId,
    /// One foreigner in a unit's register of foreign workers.
    ForeignWorkerId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips_and_garbage_is_refused() {
        let id = VisitId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001));
        assert_eq!(VisitId::parse(&id.to_string()), Ok(id));
        assert!(WatchEntryId::parse("not-a-uuid").is_err());
    }
}
