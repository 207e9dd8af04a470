//! baove's domain: the types and rules of protecting premises, with no I/O.
//!
//! Everything here is pure: time and randomness come in as values, so every rule can be
//! tested without a clock, a database or a network. The store and the server depend on this
//! crate; it depends on nothing of ours.

pub mod access;
pub mod account;
pub mod admin_units;
pub mod alarm;
pub mod audit;
pub mod calendar;
pub mod evidence;
pub mod ids;
pub mod incident;
pub mod notify;
pub mod patrol;
pub mod registry;
pub mod stats;
pub mod text;
pub mod time;
pub mod validate;
pub mod visitor;

pub use ids::*;
