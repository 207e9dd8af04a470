//! baove's storage port: the [`Store`] trait every handler talks to, its errors, and the
//! conformance suite that every backend must pass.
//!
//! There is one implementation of the trait, [`sql::SqlStore`], written once over a small
//! [`driver::Driver`] port; `baove-store-sqlite` and `baove-store-postgres` each provide the
//! driver (connection, transactions, types) and their own migrations. Every method that reads
//! tenant data takes the caller's [`Principal`] first, and every write takes an [`Actor`], so
//! isolation and the audit chain cannot be forgotten at a call site.

mod alarms;
pub mod conformance;
pub mod driver;
mod error;
mod gate;
mod incidents;
mod notify;
pub mod sql;
mod store;

pub use error::StoreError;
pub use store::*;

pub use alarms::*;
pub use gate::*;
pub use incidents::*;
pub use notify::*;

pub use baove_core::access::Principal;
