//! Conformance checks of incidents as reported and worked: recorded once per client id, read
//! only by the police of the area, the unit's officers and the reporter, moved only by the
//! police and only along the workflow, with every step kept.

use baove_core::IncidentId;
use baove_core::access::{Denied, Org, Role};
use baove_core::alarm::incident::{Move, Outcome};
use baove_core::alarm::report::IncidentReportDraft;
use baove_core::incident::{Cause, Incident, IncidentStatus, Modus};
use baove_core::registry::ZoneKind;
use baove_core::validate::Problem;
use uuid::Uuid;

use super::{World, as_actor, head_of, is_invalid, now, principal, zone};
use crate::StoreError;
use crate::incidents::NewPhoto;
use crate::store::{Actor, Store};

fn mv(to: IncidentStatus, note: &str, outcome: Option<Outcome>) -> Move {
    Move { to, at: now(), by: String::new(), note: note.into(), outcome }
}

pub async fn incidents_are_reported_once_and_worked_by_the_police(s: &dyn Store) {
    let w = World::build(s).await;
    let corridor = zone(s, &w.school_site, ZoneKind::Corridor, "Hành lang tầng 2").await;
    let guard = as_actor(&principal(Role::Guard, Org::Unit(w.school.id)));
    let draft = IncidentReportDraft {
        id: IncidentId::mint().to_string(),
        kind: "break_in".into(),
        site_id: w.school_site.id.to_string(),
        zone_id: corridor.id.to_string(),
        occurred_at: "21/11/2026 08:40".into(),
        summary: "Hai đối tượng đội mũ bảo hiểm cạy cửa phòng thiết bị".into(),
        modus: vec!["helmet".into(), "tools_in_bag".into()],
        plate: "29-X1 123.45".into(),
        ..IncidentReportDraft::default()
    };
    let report = draft.parse(now()).expect("a valid report");
    let id = report.id.expect("the client's id");
    let incident = Incident::reported(id, w.school.id, &report, "Bảo vệ (Bảo vệ)", now());
    let photo = NewPhoto { id: Uuid::now_v7(), content_type: "image/png".into(), data: b"\x89PNG\r\n".to_vec() };
    let (case, created) = s.report_incident(&guard, &incident, std::slice::from_ref(&photo)).await.unwrap();
    assert!(created);
    assert_eq!(case.incident.modus, vec![Modus::Helmet, Modus::ToolsInBag]);
    assert_eq!(case.incident.plate.as_deref(), Some("29X112345"));
    assert_eq!(case.photos, vec![photo.id]);
    // The phone sends it again (no answer reached it): the same case, nothing added.
    let (again, created) = s.report_incident(&guard, &incident, std::slice::from_ref(&photo)).await.unwrap();
    assert!(!created);
    assert_eq!(again, case);
    // The same id claimed for another unit is not found; a site of another unit is refused.
    let bank_guard = as_actor(&principal(Role::Guard, Org::Unit(w.bank.id)));
    let stolen = Incident { unit_id: w.bank.id, ..incident.clone() };
    assert!(matches!(s.report_incident(&bank_guard, &stolen, &[]).await, Err(StoreError::NotFound)));
    let elsewhere = Incident { id: IncidentId::mint(), unit_id: w.bank.id, zone_id: None, ..incident.clone() };
    let refused = s.report_incident(&bank_guard, &elsewhere, &[]).await.unwrap_err();
    assert!(is_invalid(&refused, "site_id", &Problem::WrongParent), "{refused:?}");
    let outside = Incident { id: IncidentId::mint(), ..incident.clone() };
    assert!(s.report_incident(&bank_guard, &outside, &[]).await.is_err(), "a guard reports only for their unit");

    // Who reads it: the reporter, the unit's officers, the police of the area; not another
    // guard of the unit, nor the other ward.
    let officer_a = principal(Role::AreaOfficer, Org::Authority(w.ward_a.id));
    let officer_b = principal(Role::AreaOfficer, Org::Authority(w.ward_b.id));
    let desk = principal(Role::DutyDesk, Org::Authority(w.province.id));
    let head = head_of(w.school.id);
    for p in [&guard.principal, &head.principal, &officer_a, &desk] {
        assert_eq!(s.incident_case(p, id).await.unwrap().incident.id, id, "{:?}", p.role);
    }
    let other_guard = principal(Role::Guard, Org::Unit(w.school.id));
    for p in [&other_guard, &officer_b, &bank_guard.principal] {
        assert!(matches!(s.incident_case(p, id).await, Err(StoreError::NotFound)), "{:?}", p.role);
        assert!(s.incidents_after(p, 0, 100).await.unwrap().iter().all(|c| c.incident.id != id));
        assert!(s.incident_photo(p, id, photo.id).await.is_err());
    }
    assert_eq!(s.incident_photo(&officer_a, id, photo.id).await.unwrap().1, photo.data);
    let feed = s.incidents_after(&officer_a, 0, 100).await.unwrap();
    assert!(feed.iter().any(|c| c.incident.id == id && c.seq == case.seq));
    assert!(s.incidents_after(&officer_a, case.seq, 100).await.unwrap().is_empty());
    let mine = s.list_incidents(&guard.principal, &Default::default()).await.unwrap();
    assert_eq!(mine.iter().map(|(i, _)| i.id).collect::<Vec<_>>(), vec![id]);
    assert!(s.list_incidents(&other_guard, &Default::default()).await.unwrap().is_empty());
    let since = now() - jiff::SignedDuration::from_hours(1);
    assert_eq!(s.open_incident_at(&head.principal, w.school_site.id, corridor.id, since).await.unwrap(), Some(id));

    // Only the police move it, and only along the workflow.
    for actor in [&guard, &head] {
        let e = s.move_incident(actor, id, &mv(IncidentStatus::Received, "", None), &[]).await.unwrap_err();
        assert!(matches!(e, StoreError::Denied(Denied::Forbidden)), "{e:?}");
    }
    let a = as_actor(&officer_a);
    let skip = s.move_incident(&a, id, &mv(IncidentStatus::Verifying, "", None), &[]).await.unwrap_err();
    assert!(is_invalid(&skip, "next_status", &Problem::NotAnOption), "{skip:?}");
    let received = s.move_incident(&a, id, &mv(IncidentStatus::Received, "", None), &[]).await.unwrap();
    assert!(received.seq > case.seq);
    s.move_incident(&a, id, &mv(IncidentStatus::Verifying, "Tổ công tác đến hiện trường", None), &[]).await.unwrap();
    let bare = s.move_incident(&a, id, &mv(IncidentStatus::Handled, " ", None), &[]).await.unwrap_err();
    assert!(is_invalid(&bare, "note", &Problem::Required), "{bare:?}");
    s.move_incident(&a, id, &mv(IncidentStatus::Handled, "Lập biên bản, thu giữ tang vật", None), &[]).await.unwrap();
    let noted = s.note_incident(&head, id, "Đã lắp thêm khóa cửa phòng thiết bị").await.unwrap();
    assert!(s.note_incident(&head, id, "  ").await.is_err());
    let causes = [Cause::LowFence, Cause::ThinGuard];
    let closed =
        s.move_incident(&a, id, &mv(IncidentStatus::Closed, "", Some(Outcome::Resolved)), &causes).await.unwrap();
    assert!(closed.seq > noted.seq);
    assert_eq!(closed.incident.status, IncidentStatus::Closed);
    assert_eq!(closed.incident.outcome, Some(Outcome::Resolved));
    assert_eq!(closed.incident.causes, vec![Cause::ThinGuard, Cause::LowFence]);
    let changes: Vec<_> = closed.steps.iter().filter_map(|st| st.change).collect();
    assert_eq!(
        changes,
        vec![
            (IncidentStatus::Reported, IncidentStatus::Received),
            (IncidentStatus::Received, IncidentStatus::Verifying),
            (IncidentStatus::Verifying, IncidentStatus::Handled),
            (IncidentStatus::Handled, IncidentStatus::Closed),
        ]
    );
    assert!(closed.steps.iter().any(|st| st.change.is_none() && st.note == "Đã lắp thêm khóa cửa phòng thiết bị"));
    assert!(closed.steps.iter().all(|st| !st.by.is_empty()));
    // The unit sees every step; a closed incident no longer takes alarms nor moves.
    assert_eq!(s.incident_case(&head.principal, id).await.unwrap(), closed);
    assert_eq!(s.open_incident_at(&head.principal, w.school_site.id, corridor.id, since).await.unwrap(), None);
    assert!(s.move_incident(&a, id, &mv(IncidentStatus::Received, "", None), &[]).await.is_err());
    let officer_b_actor: Actor = as_actor(&officer_b);
    assert!(s.note_incident(&officer_b_actor, id, "Ngoài địa bàn").await.is_err());
}
