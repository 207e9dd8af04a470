//! Devices: the technical means of protection installed at a site (R9) — cameras, alarm
//! panels, door contacts, motion sensors and fire equipment — and where they are.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{code_enum, lenient, truthy};
use crate::validate::{Checker, Invalid, Problem};
use crate::{DeviceId, SiteId, UnitId, ZoneId};

code_enum!(
    /// What a device is.
    DeviceKind {
        Camera = "camera",
        AlarmPanel = "alarm_panel",
        DoorContact = "door_contact",
        MotionSensor = "motion_sensor",
        FireEquipment = "fire_equipment",
    }
);

impl DeviceKind {
    /// Whether the device raises intrusion alarms (as opposed to watching or fighting fire).
    #[must_use]
    pub fn is_alarm(self) -> bool {
        matches!(self, Self::AlarmPanel | Self::DoorContact | Self::MotionSensor)
    }
}

/// An installed device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Device {
    pub id: DeviceId,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub zone_id: Option<ZoneId>,
    pub kind: DeviceKind,
    pub name: String,
    /// Where it is mounted, in words.
    pub location: String,
    pub serial: String,
    /// The id the device itself reports (MQTT topic, camera name), to map its events.
    pub external_ref: String,
    pub active: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// A device as a form or API client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceDraft {
    /// Optional client-chosen id of a new device, for safe retries.
    #[serde(default, deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub site_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub zone_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub location: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub serial: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub external_ref: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub active: String,
}

/// A validated device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInput {
    /// The id the client chose (a retried create returns what the first one made), or
    /// `None` to have one minted.
    pub id: Option<DeviceId>,
    pub site_id: SiteId,
    pub zone_id: Option<ZoneId>,
    pub kind: DeviceKind,
    pub name: String,
    pub location: String,
    pub serial: String,
    pub external_ref: String,
    pub active: bool,
}

impl DeviceDraft {
    /// # Errors
    /// Every field that does not parse.
    pub fn parse(&self) -> Result<DeviceInput, Invalid> {
        let mut c = Checker::new();
        let id = c.client_id("id", &self.id, DeviceId::parse);
        let site_id = SiteId::parse(&self.site_id).map_err(|_| c.fail("site_id", Problem::BadId)).ok();
        let zone_id = if self.zone_id.trim().is_empty() {
            None
        } else {
            ZoneId::parse(&self.zone_id).map_err(|_| c.fail("zone_id", Problem::BadId)).ok()
        };
        let kind = c.option("kind", &self.kind, DeviceKind::from_code);
        let name = c.line("name", &self.name, 200);
        let location = c.opt_line("location", &self.location, 300);
        let serial = c.opt_line("serial", &self.serial, 100);
        let external_ref = c.opt_line("external_ref", &self.external_ref, 200);
        match (site_id, kind) {
            (Some(site_id), Some(kind)) => c.finish(DeviceInput {
                id,
                site_id,
                zone_id,
                kind,
                name,
                location,
                serial,
                external_ref,
                active: truthy(&self.active),
            }),
            _ => Err(c.finish(()).unwrap_err()),
        }
    }
}

impl From<&Device> for DeviceDraft {
    fn from(d: &Device) -> Self {
        Self {
            id: String::new(),
            site_id: d.site_id.to_string(),
            zone_id: d.zone_id.map(|z| z.to_string()).unwrap_or_default(),
            kind: d.kind.code().into(),
            name: d.name.clone(),
            location: d.location.clone(),
            serial: d.serial.clone(),
            external_ref: d.external_ref.clone(),
            active: if d.active { "on".into() } else { String::new() },
        }
    }
}
