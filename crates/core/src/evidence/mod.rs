//! Proof that a guard was at a checkpoint: NTAG 424 DNA Secure Unique NFC messages, the
//! per-checkpoint QR secret, and the manual fallback, each recorded with its evidence level.

pub mod lrp;
pub mod sun;
