//! Patrols at run time: the event bus that carries alerts to open consoles, the monitor that
//! watches every round's deadlines and escalates what nobody acknowledges, and the intake
//! that turns a phone's scans (NFC SUN taps, QR codes, manual entries) into proofs.

pub mod bus;
pub mod intake;
pub mod monitor;
pub mod nightly;
pub mod plan;
pub mod qr_photo;
pub mod templates;
