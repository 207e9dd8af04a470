//! Gaps in a unit's protection that the registry alone can show (R9, R13): sensitive rooms
//! without an alarm, entrances and corridors without a camera, zones no patrol can prove,
//! guards whose training certificate has lapsed. This is the security officer's to-do list.

use jiff::civil::Date;
use serde::Serialize;

use super::{CertificateStatus, Checkpoint, Device, Guard, Zone};
use crate::{GuardId, ZoneId};

/// One thing to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "gap", rename_all = "snake_case")]
pub enum Gap {
    /// A sensitive room (vault, cashier, server room…) with no alarm device.
    NoAlarm { zone: ZoneId, name: String },
    /// An entrance, exit, corridor or blind corner with no camera.
    NoCamera { zone: ZoneId, name: String },
    /// A zone of sensitivity 4 or 5 with no active checkpoint.
    NoCheckpoint { zone: ZoneId, name: String },
    /// A guard with no training certificate at all.
    NoCertificate { guard: GuardId, name: String },
    /// A guard whose certificate has expired.
    CertificateExpired { guard: GuardId, name: String, days_ago: i32 },
    /// A guard whose certificate expires soon.
    CertificateExpiring { guard: GuardId, name: String, days_left: i32 },
}

/// Every gap of one unit's registry on `today`, most urgent kinds first.
#[must_use]
pub fn find(zones: &[Zone], checkpoints: &[Checkpoint], devices: &[Device], guards: &[Guard], today: Date) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let has = |zone: ZoneId, pred: fn(&Device) -> bool| {
        devices.iter().any(|d| d.active && d.zone_id == Some(zone) && pred(d))
    };
    for z in zones {
        if z.kind.is_sensitive_room() && !has(z.id, |d| d.kind.is_alarm()) {
            gaps.push(Gap::NoAlarm { zone: z.id, name: z.name.clone() });
        }
        if z.kind.wants_camera() && !has(z.id, |d| d.kind == super::DeviceKind::Camera) {
            gaps.push(Gap::NoCamera { zone: z.id, name: z.name.clone() });
        }
        if z.sensitivity >= 4 && !checkpoints.iter().any(|c| c.active && c.zone_id == z.id) {
            gaps.push(Gap::NoCheckpoint { zone: z.id, name: z.name.clone() });
        }
    }
    for g in guards.iter().filter(|g| g.active) {
        match g.certificate_status(today) {
            None => gaps.push(Gap::NoCertificate { guard: g.id, name: g.full_name.clone() }),
            Some(CertificateStatus::Expired { days_ago }) => {
                gaps.push(Gap::CertificateExpired { guard: g.id, name: g.full_name.clone(), days_ago });
            }
            Some(CertificateStatus::ExpiringSoon { days_left }) => {
                gaps.push(Gap::CertificateExpiring { guard: g.id, name: g.full_name.clone(), days_left });
            }
            Some(CertificateStatus::Valid) => {}
        }
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;
    use crate::{CheckpointId, DeviceId, SiteId, UnitId};
    use jiff::Timestamp;
    use jiff::civil::date;

    fn zone(kind: ZoneKind, sensitivity: i64) -> Zone {
        Zone {
            id: ZoneId::mint(),
            site_id: SiteId::mint(),
            unit_id: UnitId::mint(),
            kind,
            name: format!("{kind}"),
            sensitivity,
            asset_value: 0,
            description: String::new(),
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn device(z: &Zone, kind: DeviceKind) -> Device {
        Device {
            id: DeviceId::mint(),
            site_id: z.site_id,
            unit_id: z.unit_id,
            zone_id: Some(z.id),
            kind,
            name: String::new(),
            location: String::new(),
            serial: String::new(),
            external_ref: String::new(),
            active: true,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_vault_without_an_alarm_or_checkpoint_is_a_gap_until_both_exist() {
        let vault = zone(ZoneKind::Vault, 5);
        let today = date(2026, 11, 21);
        let gaps = find(std::slice::from_ref(&vault), &[], &[], &[], today);
        assert!(gaps.contains(&Gap::NoAlarm { zone: vault.id, name: vault.name.clone() }));
        assert!(gaps.contains(&Gap::NoCheckpoint { zone: vault.id, name: vault.name.clone() }));
        let cp = Checkpoint {
            id: CheckpointId::mint(),
            zone_id: vault.id,
            site_id: vault.site_id,
            unit_id: vault.unit_id,
            code: "CP-1".into(),
            name: String::new(),
            location: String::new(),
            active: true,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        };
        let alarm = device(&vault, DeviceKind::DoorContact);
        assert!(find(std::slice::from_ref(&vault), &[cp], &[alarm], &[], today).is_empty());
    }

    #[test]
    fn a_camera_in_another_zone_does_not_cover_the_gate() {
        let gate = zone(ZoneKind::Gate, 2);
        let hall = zone(ZoneKind::Corridor, 1);
        let cam = device(&hall, DeviceKind::Camera);
        let gaps = find(&[gate.clone(), hall], &[], &[cam], &[], date(2026, 1, 1));
        assert_eq!(gaps, vec![Gap::NoCamera { zone: gate.id, name: gate.name }]);
    }
}
