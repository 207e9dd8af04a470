//! Incidents on the server: reports from the unit's people and the police (with photos,
//! idempotent by the client's id, [`intake`]), the bounded photo check ([`photos`]) and the
//! live feed to the duty desk, the area officer and the unit ([`live`]).

pub mod intake;
pub mod live;
pub mod photos;
