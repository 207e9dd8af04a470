//! The demo units' premises: one site each with its guard post, zones of the kinds the
//! directives name, patrol checkpoints ("CP-01"…, 3–6 per site) and installed devices.
//!
//! The layouts leave a few gaps on purpose, because the home page lists them (see
//! `baove_core::registry::gaps`): a school accounting room with no alarm, a corridor and a blind
//! corner with no working camera, a storeroom with no alarm, sensitive rooms no patrol proves.
//! The bank, a key target, has none. Everything here is written by the unit's own head.

mod others;
mod schools;

use baove_core::SiteId;
use baove_core::account::Account;
use baove_core::registry::{CheckpointInput, DeviceInput, DeviceKind, SiteInput, ZoneInput, ZoneKind};
use baove_store::StoreError;

use crate::Ctx;
use crate::places::{Place, Registry, unit_spec};

/// A device to install.
pub(crate) struct DeviceSpec {
    pub kind: DeviceKind,
    pub name: &'static str,
    pub location: &'static str,
    pub active: bool,
}

/// A working device.
pub(crate) const fn on(kind: DeviceKind, name: &'static str, location: &'static str) -> DeviceSpec {
    DeviceSpec { kind, name, location, active: true }
}

/// A device that is installed but out of order (so it covers nothing).
pub(crate) const fn broken(kind: DeviceKind, name: &'static str, location: &'static str) -> DeviceSpec {
    DeviceSpec { kind, name, location, active: false }
}

/// A zone, its devices and, when patrols must prove it, where its checkpoint tag is mounted
/// (the checkpoint takes the zone's name).
pub(crate) struct ZoneSpec {
    pub kind: ZoneKind,
    pub name: &'static str,
    pub sensitivity: i64,
    pub asset_value: i64,
    pub description: &'static str,
    pub checkpoint: Option<&'static str>,
    pub devices: &'static [DeviceSpec],
}

/// A site with its zones and the devices not tied to one zone.
pub(crate) struct SiteSpec {
    pub unit: Place,
    pub name: &'static str,
    pub address: &'static str,
    pub guard_post: &'static str,
    pub notes: &'static str,
    pub zones: &'static [ZoneSpec],
    pub devices: &'static [DeviceSpec],
}

/// Every demo site.
pub(crate) fn sites() -> impl Iterator<Item = &'static SiteSpec> {
    schools::SITES.iter().chain(others::SITES.iter())
}

/// Short code of a device kind in serial numbers.
fn abbreviation(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Camera => "CAM",
        DeviceKind::AlarmPanel => "ALM",
        DeviceKind::DoorContact => "DC",
        DeviceKind::MotionSensor => "PIR",
        DeviceKind::FireEquipment => "PCCC",
    }
}

/// Numbers devices per kind within a unit, for serials and external references.
struct Numbering {
    slug: &'static str,
    counts: Vec<(DeviceKind, u32)>,
}

impl Numbering {
    fn next(&mut self, kind: DeviceKind) -> (String, String) {
        let n = match self.counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.counts.push((kind, 1));
                1
            }
        };
        let serial = format!("{}-{}-{n:02}", self.slug.to_uppercase(), abbreviation(kind));
        let external_ref = format!("{}/{}-{n:02}", self.slug, kind.code());
        (serial, external_ref)
    }
}

/// Creates the unit's sites, zones, checkpoints and devices as its head; returns the site ids
/// (the main site first).
pub(crate) async fn create(
    cx: &mut Ctx<'_>,
    registry: &Registry,
    unit: Place,
    head: &Account,
) -> Result<Vec<SiteId>, StoreError> {
    let unit_id = registry.unit(unit).id;
    let head = head.principal();
    let mut numbering = Numbering { slug: unit_spec(unit).slug, counts: Vec::new() };
    let mut ids = Vec::new();
    for spec in sites().filter(|s| s.unit == unit) {
        let input = SiteInput {
            id: None,
            unit_id,
            name: spec.name.into(),
            address: spec.address.into(),
            guard_post: spec.guard_post.into(),
            notes: spec.notes.into(),
        };
        let actor = cx.acting_as(&head);
        let site = cx.store.create_site(&actor, &input).await?;
        let mut checkpoints = 0;
        for z in spec.zones {
            let input = ZoneInput {
                id: None,
                site_id: site.id,
                kind: z.kind,
                name: z.name.into(),
                sensitivity: z.sensitivity,
                asset_value: z.asset_value,
                description: z.description.into(),
            };
            let actor = cx.acting_as(&head);
            let zone = cx.store.create_zone(&actor, &input).await?;
            if let Some(location) = z.checkpoint {
                checkpoints += 1;
                let input = CheckpointInput {
                    id: None,
                    zone_id: zone.id,
                    code: format!("CP-{checkpoints:02}"),
                    name: z.name.into(),
                    location: location.into(),
                    active: true,
                };
                let actor = cx.acting_as(&head);
                cx.store.create_checkpoint(&actor, &input).await?;
            }
            for d in z.devices {
                install(cx, &head, &mut numbering, site.id, Some(zone.id), d).await?;
            }
        }
        for d in spec.devices {
            install(cx, &head, &mut numbering, site.id, None, d).await?;
        }
        ids.push(site.id);
    }
    Ok(ids)
}

async fn install(
    cx: &mut Ctx<'_>,
    head: &baove_core::access::Principal,
    numbering: &mut Numbering,
    site_id: SiteId,
    zone_id: Option<baove_core::ZoneId>,
    d: &DeviceSpec,
) -> Result<(), StoreError> {
    let (serial, external_ref) = numbering.next(d.kind);
    let input = DeviceInput {
        id: None,
        site_id,
        zone_id,
        kind: d.kind,
        name: d.name.into(),
        location: d.location.into(),
        serial,
        external_ref,
        active: d.active,
    };
    let actor = cx.acting_as(head);
    let device = cx.store.create_device(&actor, &input).await?;
    // A zoned device reports in baove's generic MQTT format as `baove/<its reference>`, one
    // topic level (`ngoclam/camera-01` → `baove/ngoclam-camera-01`).
    if let Some(zone_id) = zone_id {
        let binding = baove_store::BindingInput {
            zone_id,
            device_id: Some(device.id),
            filter: format!("baove/{}", device.external_ref.replace('/', "-")),
            zone_hint: String::new(),
        };
        let actor = cx.acting_as(head);
        cx.store.add_binding(&actor, &binding).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::UNITS;

    #[test]
    fn every_unit_has_a_site_with_a_guard_post_and_three_to_six_checkpoints() {
        for unit in &UNITS {
            let mine: Vec<_> = sites().filter(|s| s.unit == unit.key).collect();
            assert!(!mine.is_empty(), "{}", unit.name);
            for site in mine {
                assert!(!site.guard_post.is_empty(), "{}", site.name);
                let n = site.zones.iter().filter(|z| z.checkpoint.is_some()).count();
                assert!((3..=6).contains(&n), "{}: {n} checkpoints", site.name);
            }
        }
    }

    #[test]
    fn zones_are_within_the_ranges_a_form_accepts() {
        for z in sites().flat_map(|s| s.zones) {
            assert!((1..=5).contains(&z.sensitivity), "{}", z.name);
            assert!((0..=baove_core::registry::MAX_ASSET_VALUE).contains(&z.asset_value), "{}", z.name);
        }
    }

    #[test]
    fn the_bank_is_fully_equipped_and_the_schools_are_not() {
        let gaps_of = |unit: Place| -> usize {
            sites()
                .filter(|s| s.unit == unit)
                .flat_map(|s| s.zones)
                .filter(|z| {
                    let has = |pred: fn(&DeviceSpec) -> bool| z.devices.iter().any(|d| d.active && pred(d));
                    (z.kind.is_sensitive_room() && !has(|d| d.kind.is_alarm()))
                        || (z.kind.wants_camera() && !has(|d| d.kind == DeviceKind::Camera))
                        || (z.sensitivity >= 4 && z.checkpoint.is_none())
                })
                .count()
        };
        assert_eq!(gaps_of(Place::NganHang), 0);
        assert!(gaps_of(Place::NgocLam) >= 2);
        let total: usize = UNITS.iter().map(|u| gaps_of(u.key)).sum();
        assert!((5..=10).contains(&total), "a few gaps, not a wreck: {total}");
    }

    #[test]
    fn device_serials_are_numbered_per_kind() {
        let mut n = Numbering { slug: "ngoclam", counts: Vec::new() };
        assert_eq!(n.next(DeviceKind::Camera).0, "NGOCLAM-CAM-01");
        assert_eq!(n.next(DeviceKind::DoorContact).0, "NGOCLAM-DC-01");
        assert_eq!(n.next(DeviceKind::Camera), ("NGOCLAM-CAM-02".into(), "ngoclam/camera-02".into()));
    }
}
