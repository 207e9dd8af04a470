//! A scan: one proof that someone was at a checkpoint, with how strong the proof is.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::registry::code_enum;
use crate::{AccountId, CheckpointId, RoundId, ScanId};

code_enum!(
    /// How a visit was proved, strongest first.
    Evidence {
        NfcSun = "nfc_sun",
        QrLive = "qr_live",
        QrPhoto = "qr_photo",
        Manual = "manual",
    }
);

code_enum!(
    /// Something about a scan that a supervisor should look at. Scans are flagged, never
    /// rejected for these: the guard may have a reason, and a rejected scan proves nothing.
    Flag {
        ImpossibleTravel = "impossible_travel",
        ClockSkew = "clock_skew",
        CounterJump = "counter_jump",
        TwoDevices = "two_devices",
        OutsideRound = "outside_round",
        OutOfOrder = "out_of_order",
        Manual = "manual",
    }
);

impl Evidence {
    /// 3 for a verified SUN tap down to 0 for a manual entry.
    #[must_use]
    pub fn strength(self) -> u8 {
        match self {
            Self::NfcSun => 3,
            Self::QrLive => 2,
            Self::QrPhoto => 1,
            Self::Manual => 0,
        }
    }
}

/// A recorded scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    pub id: ScanId,
    pub checkpoint_id: CheckpointId,
    pub round_id: Option<RoundId>,
    pub account_id: AccountId,
    /// The phone's own identifier (kept in its storage), to tell two devices apart.
    pub device_id: String,
    pub evidence: Evidence,
    /// When the phone says the scan happened.
    pub scanned_at: Timestamp,
    /// When the server received it.
    pub received_at: Timestamp,
    /// The SUN read counter of an NFC tap.
    pub counter: Option<u32>,
    /// Why a manual scan was needed.
    pub reason: String,
    pub flags: Vec<Flag>,
}
