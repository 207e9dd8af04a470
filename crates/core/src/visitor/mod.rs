//! Visitors at the gate (R7–R8): identity documents, visitor cards, watchlists, foreigners and
//! the personal-data rules of the logbook.
//!
//! The gate routine this module supports is "scan, record, hand the ID card back, issue a
//! numbered visitor card, reconcile at closing time": Luật Căn cước 2023 Điều 29 lets only
//! competent agencies hold a citizen's card, so the unit keeps data, never the card.
//!
//! Everything here is pure. Dates and instants come in as parameters (`today`, `now`), and the
//! keys of the watchlist hash come in as bytes.

pub mod card;
pub mod cccd;
pub mod cccd_qr;
pub mod consent;
pub mod countries;
pub mod foreigner;
pub mod gender;
pub mod ids;
pub mod invite;
pub mod passport;
pub mod plate;
pub mod problem;
pub mod retention;
pub mod visit;
pub mod watchlist;

pub use card::{CardAction, CardError, CardNumber, CardState, VisitorCard};
pub use cccd::{BirthPlace, Cccd, Cmnd};
pub use cccd_qr::CccdQr;
pub use consent::{ConsentNotice, ConsentRecord};
pub use countries::{Country, Nationality};
pub use foreigner::{DeclarationFields, DeclarationTask, ForeignWorker, TaskStatus};
pub use gender::Gender;
pub use ids::{ForeignWorkerId, VisitId, WatchEntryId};
pub use passport::{Mrz, PassportNumber};
pub use plate::{Plate, PlateKind};
pub use problem::DocProblem;
pub use retention::RetentionPolicy;
pub use visit::{CheckIn, CheckInDraft, CheckInRejected, DocKind, Visit};
pub use watchlist::{Candidate, Hit, WatchEntry};
