//! Conformance checks of device alarms: events recorded once, alarms seen only in scope,
//! acknowledgement by those on duty and only when the rules allow.

use baove_core::access::{Denied, Org, Role};
use baove_core::alarm::DeviceEvent;
use baove_core::alarm::formats::generic;
use baove_core::alarm::lifecycle::{Alarm, AlarmId, AlarmState, Disposition};
use baove_core::alarm::mapping::Binding;
use baove_core::alarm::rules::{AlarmBook, Decision, ZoneRules};
use baove_core::patrol::escalation::Tier;
use baove_core::registry::ZoneKind;
use baove_core::validate::Problem;
use uuid::Uuid;

use super::{World, as_actor, head_of, is_invalid, now, principal, system, zone};
use crate::StoreError;
use crate::alarms::{AckInput, AlarmWrite, BindingInput, EventRecord};
use crate::store::Store;

fn event(id: &str, device: &str, kind: &str) -> DeviceEvent {
    let body = format!(r#"{{"id":"{id}","device":"{device}","kind":"{kind}"}}"#);
    generic::parse_body("baove", None, body.as_bytes(), now()).expect("a generic event")
}

/// Raises an alarm through the domain rules for `kind` in `zone` of the school.
fn raise(binding: &Binding, kind: &str) -> (DeviceEvent, Alarm) {
    let e = event(&Uuid::now_v7().to_string(), "door-1", kind);
    let mut book = AlarmBook::default();
    let id = AlarmId(Uuid::now_v7());
    assert_eq!(book.handle(&e, binding, &ZoneRules::default(), true, id), Decision::Raised { alarm: id });
    let alarm = book.get(id).expect("raised").clone();
    (e, alarm)
}

async fn school_binding(s: &dyn Store, w: &World) -> Binding {
    let z = zone(s, &w.school_site, ZoneKind::Corridor, "Hành lang tầng 1").await;
    Binding { site_id: w.school_site.id, zone_id: z.id, device_id: None }
}

pub async fn device_events_are_recorded_once(s: &dyn Store) {
    let w = World::build(s).await;
    let b = school_binding(s, &w).await;
    let e = event("evt-1", "door-1", "door_open");
    let rec = EventRecord { event: e.clone(), place: Some((w.school.id, b)), alarm_id: None };
    assert_eq!(s.record_ingest(now(), std::slice::from_ref(&rec), &[], &[]).await.unwrap().inserted, 1);
    assert_eq!(
        s.record_ingest(now(), &[rec.clone(), rec], &[], &[]).await.unwrap().inserted,
        0,
        "a redelivery adds nothing"
    );
    let key = EventRecord::key(&e);
    assert_eq!(s.seen_events(&[key.clone(), "other".into()]).await.unwrap(), vec![key]);
    // A batch: many events in one transaction; an unmapped event is kept too.
    let batch: Vec<EventRecord> = (0..250)
        .map(|i| EventRecord {
            event: event(&format!("b-{i}"), "pir-2", "motion"),
            place: (i % 2 == 0).then_some((w.school.id, b)),
            alarm_id: None,
        })
        .collect();
    assert_eq!(s.record_ingest(now(), &batch, &[], &[]).await.unwrap().inserted, 250);
    assert_eq!(s.record_ingest(now(), &batch, &[], &[]).await.unwrap().inserted, 0);
    let counts = [("frigate".to_owned(), "malformed".to_owned(), 2, "bad json".to_owned())];
    s.count_ingest(now(), &counts).await.unwrap();
    s.count_ingest(now(), &counts).await.unwrap();
    let c = s.ingest_counters(&system().principal).await.unwrap();
    assert_eq!((c.len(), c[0].count), (1, 4));
    assert!(s.ingest_counters(&head_of(w.school.id).principal).await.is_err());
}

pub async fn alarms_are_seen_only_in_scope(s: &dyn Store) {
    let w = World::build(s).await;
    let b = school_binding(s, &w).await;
    let (e, alarm) = raise(&b, "door_open");
    let rec = EventRecord { event: e, place: Some((w.school.id, b)), alarm_id: Some(alarm.id) };
    let out = s
        .record_ingest(now(), &[rec], &[AlarmWrite { unit_id: w.school.id, alarm: alarm.clone() }], &[])
        .await
        .unwrap();
    assert_eq!(out.alarms.len(), 1);
    let first = &out.alarms[0];
    assert_eq!((first.tier, first.alarm.state), (Tier::SecurityOfficer, AlarmState::Open));
    let school = head_of(w.school.id).principal;
    let bank = head_of(w.bank.id).principal;
    let officer_a = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    let officer_b = principal(Role::AreaOfficer, Org::Authority(w.ward_b.id));
    assert_eq!(s.alarms_after(&school, 0, 100).await.unwrap().len(), 1);
    assert_eq!(s.alarms_after(&officer_a, 0, 100).await.unwrap().len(), 1);
    assert!(s.alarms_after(&bank, 0, 100).await.unwrap().is_empty());
    assert!(s.alarms_after(&officer_b, 0, 100).await.unwrap().is_empty());
    assert!(s.alarms_after(&school, first.seq, 100).await.unwrap().is_empty(), "a console resumes after the last");
    assert!(matches!(s.alarm(&bank, alarm.id).await, Err(StoreError::NotFound)));
    assert!(s.unclosed_alarms(&school).await.is_err());
    assert_eq!(s.unclosed_alarms(&system().principal).await.unwrap().len(), 1);
    let up = s.escalate_alarm(&system().principal, alarm.id, Tier::UnitHead).await.unwrap().expect("open");
    assert!(up.seq > first.seq && up.tier == Tier::UnitHead);
    assert!(s.escalate_alarm(&school, alarm.id, Tier::DutyDesk).await.is_err());
    // Bindings: the unit's own zones only, one owner per filter, filters checked.
    let input = BindingInput {
        zone_id: b.zone_id,
        device_id: None,
        filter: "site-1/frigate/+".into(),
        zone_hint: String::new(),
    };
    s.add_binding(&head_of(w.school.id), &input).await.unwrap();
    assert!(is_invalid(&s.add_binding(&head_of(w.school.id), &input).await.unwrap_err(), "filter", &Problem::Taken));
    let other = BindingInput { filter: "bank/#".into(), ..input.clone() };
    assert!(matches!(s.add_binding(&head_of(w.bank.id), &other).await, Err(StoreError::NotFound)));
    let bad = BindingInput { filter: "a/#/b".into(), ..input };
    assert!(is_invalid(&s.add_binding(&head_of(w.school.id), &bad).await.unwrap_err(), "filter", &Problem::BadCode));
    assert_eq!(s.list_bindings(&school, w.school.id).await.unwrap().len(), 1);
    assert!(matches!(s.list_bindings(&bank, w.school.id).await, Err(StoreError::NotFound)));
    assert_eq!(s.all_bindings(&system().principal).await.unwrap().len(), 1);
    // Removing: the owner only; another unit learns nothing.
    let id = s.list_bindings(&school, w.school.id).await.unwrap()[0].id;
    assert!(matches!(s.remove_binding(&head_of(w.bank.id), id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.remove_binding(&head_of(w.school.id), Uuid::now_v7()).await, Err(StoreError::NotFound)));
    s.remove_binding(&head_of(w.school.id), id).await.unwrap();
    assert!(s.all_bindings(&system().principal).await.unwrap().is_empty());
}

pub async fn arming_schedules_follow_the_units_own_days(s: &dyn Store) {
    use baove_core::alarm::arming::{ArmingMode, OpenHours, ZoneArming};
    use baove_core::calendar::{Change, Override};
    let w = World::build(s).await;
    let b = school_binding(s, &w).await;
    let head = head_of(w.school.id);
    assert_eq!(s.unit_arming(&head.principal, w.school.id).await.unwrap(), None);
    let default = ZoneArming { weekdays: Some(OpenHours::parse("07:00-17:00").unwrap()), ..ZoneArming::default() };
    s.set_arming_schedule(&head, w.school.id, None, Some(&default)).await.unwrap();
    let vault = ZoneArming { mode: ArmingMode::AlwaysArmed, ..ZoneArming::default() };
    let other = zone(s, &w.school_site, ZoneKind::Storeroom, "Kho thiết bị").await;
    s.set_arming_schedule(&head, w.school.id, Some(other.id), Some(&vault)).await.unwrap();
    assert!(matches!(
        s.set_arming_schedule(&head_of(w.bank.id), w.school.id, None, Some(&vault)).await,
        Err(StoreError::NotFound)
    ));
    let day = Override {
        date: jiff::civil::date(2026, 12, 24),
        change: Change::Add { name_vi: "Nghỉ bù".into(), name_en: "Nghỉ bù".into() },
        reason: String::new(),
    };
    s.set_unit_day(&head, w.school.id, &day).await.unwrap();
    let zones = s.zone_setups(&head.principal, Some(w.school.id)).await.unwrap();
    let by_zone = |id| zones.iter().find(|z| z.zone_id == id).expect("zone");
    let corridor = by_zone(b.zone_id);
    assert!(!corridor.own_schedule && corridor.schedule.weekdays == default.weekdays);
    assert!(by_zone(other.id).own_schedule && by_zone(other.id).schedule.mode == ArmingMode::AlwaysArmed);
    for z in [corridor, by_zone(other.id)] {
        assert_eq!(z.schedule.days_off.entries, vec![day.clone()], "the unit's own days count in every schedule");
    }
    let all = s.zone_setups(&system().principal, None).await.unwrap();
    assert!(all.iter().any(|z| z.zone_id == b.zone_id && z.schedule.days_off.entries.len() == 1));
    assert_eq!(s.unit_arming(&head.principal, w.school.id).await.unwrap(), Some(default));
    assert!(s.unit_arming(&head_of(w.bank.id).principal, w.school.id).await.is_err());
}

pub async fn alarms_are_acknowledged_by_those_on_duty_once_restored(s: &dyn Store) {
    let w = World::build(s).await;
    let b = school_binding(s, &w).await;
    let (_, open) = raise(&b, "door_open");
    let (_, forced) = raise(&b, "door_forced");
    let writes = [
        AlarmWrite { unit_id: w.school.id, alarm: open.clone() },
        AlarmWrite { unit_id: w.school.id, alarm: forced.clone() },
    ];
    s.record_ingest(now(), &[], &writes, &[]).await.unwrap();
    let ack = AckInput { disposition: Disposition::FalseAlarm, note: "Gió làm mở cửa".into(), sop_done: vec![] };
    let guard = as_actor(&principal(Role::Guard, Org::Unit(w.school.id)));
    assert!(matches!(s.acknowledge_alarm(&guard, open.id, &ack).await, Err(StoreError::Denied(Denied::Forbidden))));
    assert!(matches!(s.acknowledge_alarm(&head_of(w.bank.id), open.id, &ack).await, Err(StoreError::NotFound)));
    assert!(
        matches!(s.acknowledge_alarm(&head_of(w.school.id), forced.id, &ack).await, Err(StoreError::Conflict(_))),
        "a forced door must be closed before anyone may say it is dealt with"
    );
    let done = s.acknowledge_alarm(&head_of(w.school.id), open.id, &ack).await.unwrap();
    assert_eq!(done.alarm.state, AlarmState::Acknowledged);
    let a = done.alarm.acknowledgement.as_ref().expect("acknowledged");
    assert_eq!(a.disposition, Disposition::FalseAlarm);
    assert!(a.flagged(), "no SOP step ticked: the required ones are skipped and flagged");
    assert!(matches!(s.acknowledge_alarm(&head_of(w.school.id), open.id, &ack).await, Err(StoreError::Conflict(_))));
    assert!(s.escalate_alarm(&system().principal, open.id, Tier::DutyDesk).await.unwrap().is_none());
    let closed = s.close_alarm(&head_of(w.school.id), open.id).await.unwrap();
    assert_eq!(closed.alarm.state, AlarmState::Closed);
    assert_eq!(s.unclosed_alarms(&system().principal).await.unwrap().len(), 1);
    // Manual arming by the people on duty, named.
    s.set_manual_arming(&head_of(w.school.id), b.zone_id, true).await.unwrap();
    assert!(matches!(s.set_manual_arming(&guard, b.zone_id, false).await, Err(StoreError::Denied(Denied::Forbidden))));
    assert!(matches!(s.set_manual_arming(&head_of(w.bank.id), b.zone_id, false).await, Err(StoreError::NotFound)));
    let zones = s.zone_setups(&head_of(w.school.id).principal, Some(w.school.id)).await.unwrap();
    let z = zones.iter().find(|z| z.zone_id == b.zone_id).expect("the zone");
    assert!(z.manual.as_ref().is_some_and(|m| m.armed));
    assert!(s.zone_setups(&head_of(w.school.id).principal, None).await.is_err());
}

pub async fn a_key_targets_alarm_reaches_the_police_without_its_details(s: &dyn Store) {
    use baove_core::account::AccountInput;
    let w = World::build(s).await;
    let b = Binding { site_id: w.bank_site.id, zone_id: w.vault.id, device_id: None };
    let (e, alarm) = raise(&b, "door_forced");
    let rec = EventRecord { event: e, place: Some((w.bank.id, b)), alarm_id: Some(alarm.id) };
    s.record_ingest(now(), &[rec], &[AlarmWrite { unit_id: w.bank.id, alarm: alarm.clone() }], &[]).await.unwrap();
    let input = AccountInput {
        username: "canbo.kho".into(),
        display_name: "Cán bộ địa bàn".into(),
        role: Role::AreaOfficer,
        org: Org::Authority(w.ward_a.id),
        guard_id: None,
        password: String::new(),
    };
    let officer = s.create_account(&system(), &input, "hash").await.unwrap().principal();
    // The police see that the vault door was forced, when and how urgent — not which device.
    let seen = s.alarms_after(&officer, 0, 10).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].withheld && seen[0].alarm.devices.is_empty() && seen[0].alarm.identities.is_empty());
    assert_eq!((seen[0].alarm.kind, seen[0].alarm.state), (alarm.kind, AlarmState::Open));
    let one = s.alarm(&officer, alarm.id).await.unwrap();
    assert!(one.withheld && one.alarm.devices.is_empty());
    // The bank's own head and a cleared officer see everything.
    let head = head_of(w.bank.id).principal;
    assert_eq!(s.alarm(&head, alarm.id).await.unwrap().alarm.devices, alarm.devices);
    assert!(!s.alarms_after(&head, 0, 10).await.unwrap()[0].withheld);
    let ward_admin = principal(Role::AuthorityAdmin, Org::Authority(w.ward_a.id));
    s.grant_clearance(&as_actor(&ward_admin), w.bank.id, officer.account_id).await.unwrap();
    assert_eq!(s.alarms_after(&officer, 0, 10).await.unwrap()[0].alarm.devices, alarm.devices);
    assert!(!s.alarm(&officer, alarm.id).await.unwrap().withheld);
}
