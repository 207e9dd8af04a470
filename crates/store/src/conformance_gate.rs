//! Conformance checks of foreigners at the unit (R8): the register of foreign workers, the
//! temporary-residence declarations of overnight stays, and visits reported to the police.

use baove_core::access::{Org, Role};
use baove_core::visitor::foreigner::{ForeignDocKind, ForeignWorkerDraft, TaskStatus, expiring};
use baove_core::visitor::{CheckInDraft, ForeignWorkerId};
use baove_core::{SiteId, UnitId};
use jiff::SignedDuration;
use uuid::Uuid;

use super::{World, as_actor, gate_check_in, gate_guard, head_of, now, principal, site};
use crate::StoreError;
use crate::gate::NewPoliceReport;
use crate::store::{CheckInRequest, Store, VisitorSettings};

fn worker_draft(name: &str, passport_expires: &str) -> ForeignWorkerDraft {
    ForeignWorkerDraft {
        full_name: name.into(),
        nationality: "KOR".into(),
        job: "Kỹ sư bảo trì".into(),
        passport_number: "M1234567".into(),
        passport_expires: passport_expires.into(),
        permit_kind: "work_permit".into(),
        permit_number: "GP-77/2026".into(),
        permit_expires: "2026-12-01".into(),
    }
}

/// A foreign visitor with a passport, staying overnight or not.
fn foreign_check_in(unit: UnitId, site: SiteId, name: &str, overnight: bool) -> CheckInRequest {
    let draft = CheckInDraft {
        doc_kind: "passport".into(),
        doc_number: "M7654321".into(),
        nationality: "JPN".into(),
        name: name.into(),
        purpose: "Thăm người nhà nằm viện".into(),
        ..Default::default()
    };
    let check_in = draft.parse(jiff::civil::date(2026, 11, 21)).expect("a valid check-in");
    CheckInRequest { check_in, overnight, card: None, ..gate_check_in(unit, site, "001090123456", name) }
}

pub async fn foreign_workers_are_registered_sealed_and_scoped(s: &dyn Store) {
    let w = World::build(s).await;
    let head = head_of(w.school.id);
    let guard = gate_guard(w.school.id);
    let id = ForeignWorkerId(Uuid::now_v7());
    let worker = worker_draft("Kim Min-jun", "2026-12-10").parse(id, w.school.id).unwrap();
    assert!(matches!(s.save_foreign_worker(&guard, &worker).await, Err(StoreError::Denied(_))), "a guard reads only");
    s.save_foreign_worker(&head, &worker).await.expect("registered");
    s.save_foreign_worker(&head, &worker).await.expect("saved again: idempotent");
    let list = s.foreign_workers(&guard, w.school.id).await.unwrap();
    assert_eq!(list, vec![worker.clone()], "numbers come back unsealed");
    // Expiry: the passport within 30 days of 21/11/2026, the permit at 10 days.
    let soon = expiring(&list, jiff::civil::date(2026, 11, 21), 30);
    let kinds: Vec<_> = soon.iter().map(|e| (e.kind, e.days_left)).collect();
    assert_eq!(kinds, [(ForeignDocKind::WorkPermit, 10), (ForeignDocKind::Passport, 19)]);
    // Another unit neither reads the register nor takes over its entry.
    let other = head_of(w.hospital.id);
    assert!(matches!(s.foreign_workers(&other, w.school.id).await, Err(StoreError::NotFound)));
    let stolen = baove_core::visitor::ForeignWorker { unit_id: w.hospital.id, ..worker.clone() };
    assert!(matches!(s.save_foreign_worker(&other, &stolen).await, Err(StoreError::Invalid(_))));
    assert!(matches!(s.remove_foreign_worker(&other, id).await, Err(StoreError::NotFound)));
    let renewed = worker_draft("Kim Min-jun", "2036-12-10").parse(id, w.school.id).unwrap();
    s.save_foreign_worker(&head, &renewed).await.unwrap();
    assert_eq!(s.foreign_workers(&guard, w.school.id).await.unwrap()[0].documents[0].expires_on.year(), 2036);
    s.remove_foreign_worker(&head, id).await.unwrap();
    assert!(s.foreign_workers(&guard, w.school.id).await.unwrap().is_empty());
}

pub async fn an_overnight_foreign_visitor_owes_a_declaration_within_twelve_hours(s: &dyn Store) {
    let w = World::build(s).await;
    let head = head_of(w.hospital.id);
    let site = site(s, w.hospital.id, "Khu điều trị").await;
    let guard = gate_guard(w.hospital.id);
    // Before the unit says it lodges people, an overnight stay owes nothing.
    s.check_in(&guard, &foreign_check_in(w.hospital.id, site.id, "TANAKA HIRO", true)).await.unwrap();
    assert!(s.stay_tasks(&guard, w.hospital.id).await.unwrap().is_empty());
    let lodging = VisitorSettings { accommodation: true, ..VisitorSettings::default() };
    s.set_visitor_settings(&head, w.hospital.id, lodging).await.unwrap();
    let stay = foreign_check_in(w.hospital.id, site.id, "SATO YUKI", true);
    s.check_in(&guard, &stay).await.unwrap();
    s.check_in(&guard, &stay).await.expect("a resent check-in opens no second task");
    s.check_in(&guard, &foreign_check_in(w.hospital.id, site.id, "SUZUKI KEN", false)).await.unwrap();
    let citizen =
        CheckInRequest { overnight: true, ..gate_check_in(w.hospital.id, site.id, "001090123456", "Lê Văn Tám") };
    s.check_in(&guard, &citizen).await.unwrap();
    let tasks = s.stay_tasks(&guard, w.hospital.id).await.unwrap();
    assert_eq!(tasks.len(), 1, "only the foreigner staying overnight: {tasks:?}");
    let t = &tasks[0];
    assert_eq!((t.visit_id, t.name.as_str(), t.doc_number.as_str()), (stay.id, "SATO YUKI", "M7654321"));
    assert_eq!(t.due_at, now() + SignedDuration::from_hours(12));
    assert_eq!(t.status(now()), TaskStatus::Open);
    assert_eq!(t.status(now() + SignedDuration::from_hours(13)), TaskStatus::Overdue);
    // Another unit cannot see or declare it; the gate declares it once.
    let other = gate_guard(w.school.id);
    assert!(matches!(s.stay_tasks(&other, w.hospital.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.mark_declared(&other, stay.id).await, Err(StoreError::NotFound)));
    let done = s.mark_declared(&guard, stay.id).await.unwrap();
    assert_eq!(done.declared_at, Some(now()));
    let later = crate::store::Actor { at: now() + SignedDuration::from_hours(1), ..guard.clone() };
    assert_eq!(s.mark_declared(&later, stay.id).await.unwrap().declared_at, Some(now()), "the first counts");
    assert_eq!(done.status(now()), TaskStatus::Done);
    let citizen_visit = s.mark_declared(&guard, citizen.id).await;
    assert!(matches!(citizen_visit, Err(StoreError::NotFound)), "no task, nothing to declare");
}

pub async fn a_visit_reported_to_the_police_reaches_its_ward_only(s: &dyn Store) {
    let w = World::build(s).await;
    let guard = gate_guard(w.school.id);
    let visit = gate_check_in(w.school.id, w.school_site.id, "001090123456", "Nguyễn Văn An");
    s.check_in(&guard, &visit).await.unwrap();
    let report =
        NewPoliceReport { id: Uuid::now_v7(), visit_id: visit.id, reason: "Chụp ảnh khu để tiền".into() };
    let blank = NewPoliceReport { id: Uuid::now_v7(), reason: "  ".into(), ..report.clone() };
    assert!(matches!(s.report_to_police(&guard, &blank).await, Err(StoreError::Invalid(_))));
    let first = s.report_to_police(&guard, &report).await.expect("reported");
    assert!(!first.replayed);
    assert_eq!(first.report.authority_id, w.ward_a.id, "the unit's own ward police");
    assert!(s.report_to_police(&guard, &report).await.unwrap().replayed);
    // Another unit cannot report the school's visit.
    let stranger = NewPoliceReport { id: Uuid::now_v7(), ..report.clone() };
    assert!(matches!(s.report_to_police(&gate_guard(w.hospital.id), &stranger).await, Err(StoreError::NotFound)));
    // Ward A and the province see it with the visit attached; ward B and the hospital do not.
    let ward_a = as_actor(&principal(Role::AreaOfficer, Org::Authority(w.ward_a.id)));
    let seen = s.police_reports(&ward_a, 50).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].visit.doc_number, "001090123456");
    assert_eq!((seen[0].unit_name.as_str(), seen[0].reason.as_str()), ("Trường THCS Ngọc Lâm", "Chụp ảnh khu để tiền"));
    let desk = as_actor(&principal(Role::DutyDesk, Org::Authority(w.province.id)));
    assert_eq!(s.police_reports(&desk, 50).await.unwrap().len(), 1);
    let ward_b = as_actor(&principal(Role::AreaOfficer, Org::Authority(w.ward_b.id)));
    assert!(s.police_reports(&ward_b, 50).await.unwrap().is_empty());
    assert!(s.police_reports(&head_of(w.hospital.id), 50).await.unwrap().is_empty());
    assert_eq!(s.police_reports(&guard, 50).await.unwrap().len(), 1, "the school sees what it sent");
    // The visit is the report's evidence: the retention purge leaves it whole, years later.
    s.check_out(&guard, visit.id, true).await.unwrap();
    let later = crate::store::Actor {
        principal: super::system().principal,
        at: now().checked_add(SignedDuration::from_hours(24 * 3650)).unwrap(),
    };
    s.purge_expired(&later, None).await.unwrap();
    assert_eq!(s.police_reports(&ward_a, 50).await.unwrap()[0].visit.doc_number, "001090123456");
    assert_eq!(s.police_reports(&ward_a, 50).await.unwrap()[0].visit.name, "Nguyễn Văn An");
}

pub async fn an_invitation_is_its_hosts_and_the_gate_checks_its_guests_in(s: &dyn Store) {
    use baove_core::visitor::VisitId;
    use baove_core::visitor::invite::InviteDraft;
    let w = World::build(s).await;
    let host = as_actor(&principal(Role::Staff, Org::Unit(w.school.id)));
    let draft = InviteDraft {
        purpose: "Họp ban đại diện cha mẹ học sinh".into(),
        expected_at: "2026-11-21T14:00".into(),
        guests: "Nguyễn Văn An; 001090123456\nKim Min-jun; M1234567; KOR".into(),
    };
    let invite = draft.parse("Cô Lan", now()).unwrap();
    let new = crate::gate::NewInvite {
        id: Uuid::now_v7(),
        unit_id: w.school.id,
        token: "bi-mat-loi-moi-kiem-thu-0001".into(),
        purpose: invite.purpose.clone(),
        expected_at: invite.expected_at,
        guests: invite.guests.iter().map(|g| (VisitId(Uuid::now_v7()), g.clone())).collect(),
    };
    let made = s.create_invite(&host, &new).await.expect("invited");
    assert_eq!(s.create_invite(&host, &new).await.unwrap(), made, "a resent form changes nothing");
    assert_eq!(made.guests[1].doc_number, "M1234567");
    let stranger = as_actor(&principal(Role::Staff, Org::Unit(w.hospital.id)));
    let elsewhere = crate::gate::NewInvite { id: Uuid::now_v7(), ..new.clone() };
    assert!(matches!(s.create_invite(&stranger, &elsewhere).await, Err(StoreError::NotFound)));
    // The school's gate finds it by the QR's token; another unit's gate does not.
    let guard = gate_guard(w.school.id);
    assert_eq!(s.invite_by_token(&guard, &new.token).await.unwrap().id, new.id);
    assert!(matches!(s.invite_by_token(&gate_guard(w.hospital.id), &new.token).await, Err(StoreError::NotFound)));
    let colleague = as_actor(&principal(Role::Staff, Org::Unit(w.school.id)));
    assert!(s.invite(&colleague, new.id).await.is_err(), "a colleague is not the host");
    // The first guest arrives: the host sees it.
    let (visit, guest) = &new.guests[0];
    let req = CheckInRequest {
        id: *visit,
        check_in: guest.clone(),
        ..gate_check_in(w.school.id, w.school_site.id, "001090123456", "x")
    };
    s.check_in(&guard, &req).await.unwrap();
    let mine = s.my_invites(&host).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].guests[0].arrived_at, Some(now()));
    assert_eq!(mine[0].guests[1].arrived_at, None);
    assert!(s.my_invites(&colleague).await.unwrap().is_empty());
}

pub async fn a_visitor_who_leaves_with_the_card_is_on_the_closing_list(s: &dyn Store) {
    use baove_core::visitor::card::{CardState, reconcile};
    let w = World::build(s).await;
    let guard = gate_guard(w.school.id);
    let kept = gate_check_in(w.school.id, w.school_site.id, "001090123456", "Nguyễn Văn An");
    let back = CheckInRequest {
        card: Some(baove_core::visitor::CardNumber(8)),
        ..gate_check_in(w.school.id, w.school_site.id, "001090123457", "Lê Thị Cúc")
    };
    s.check_in(&guard, &kept).await.unwrap();
    s.check_in(&guard, &back).await.unwrap();
    s.check_out(&guard, kept.id, false).await.expect("left with card 7");
    s.check_out(&guard, back.id, true).await.expect("handed card 8 back");
    let cards = s.visitor_cards(&guard.principal, w.school.id).await.unwrap();
    let state = |n: u16| cards.iter().find(|c| c.number.0 == n).map(|c| c.state);
    assert_eq!((state(7), state(8)), (Some(CardState::Issued), Some(CardState::Returned)));
    let visits = s.list_visits(&guard, w.school.id, &Default::default()).await.unwrap();
    let closing = reconcile(&visits, &cards);
    assert_eq!(closing.cards_out.len(), 1);
    assert!(closing.cards_out[0].visitor_left && closing.cards_out[0].visit == Some(kept.id));
    assert!(closing.visitors_inside.is_empty() && !closing.is_clear());
    // The card comes back later and the day closes clear.
    s.card_action(&guard, w.school.id, baove_core::visitor::CardNumber(7), baove_core::visitor::CardAction::Return)
        .await
        .unwrap();
    let cards = s.visitor_cards(&guard.principal, w.school.id).await.unwrap();
    assert!(reconcile(&visits, &cards).is_clear());
}
