//! Store errors: the handful of outcomes a caller must tell apart.

use baove_core::access::Denied;
use baove_core::validate::Invalid;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such record, or one outside the caller's scope (never tell which).
    #[error("not found")]
    NotFound,
    /// In scope, but the caller's role may not do this, or is not cleared for a key target.
    #[error("denied: {0}")]
    Denied(Denied),
    /// The input conflicts with stored data (a taken code, a parent of the wrong kind).
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A database constraint refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database failed; the cause is logged, never shown to users.
    #[error("storage failure: {0}")]
    Other(String),
}

impl From<Denied> for StoreError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::OutOfScope => Self::NotFound,
            other => Self::Denied(other),
        }
    }
}

/// Result of a store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
