//! Closed-loop patrols (R4–R5): duty shifts, rounds through checkpoints, the scans that prove
//! each visit, the anomalies worth a supervisor's look, and the escalation of missed rounds.

pub mod alert;
pub mod anomaly;
pub mod escalation;
pub mod plan;
pub mod roster;
pub mod round;
pub mod scan;
pub mod template;
