use super::*;
use crate::AccountId;
use crate::patrol::scan::Evidence;

fn t(hm: &str) -> Timestamp {
    format!("2026-11-21T{hm}:00Z").parse().unwrap()
}

fn round(ordered: bool, n: usize) -> (Round, Vec<CheckpointId>) {
    let cps: Vec<CheckpointId> = (0..n).map(|_| CheckpointId::mint()).collect();
    let r = Round {
        id: RoundId::mint(),
        unit_id: UnitId::mint(),
        site_id: SiteId::mint(),
        name: "Vòng 01:00".into(),
        checkpoints: cps.clone(),
        ordered,
        window_start: t("18:00"),
        window_end: t("19:00"),
        grace_minutes: 10,
        guard_id: None,
        source: RoundSource::Manual,
    };
    (r, cps)
}

fn scan(cp: CheckpointId, at: &str) -> Scan {
    Scan {
        id: ScanId::mint(),
        checkpoint_id: cp,
        round_id: None,
        account_id: AccountId::mint(),
        device_id: "phone-1".into(),
        evidence: Evidence::QrLive,
        scanned_at: t(at),
        received_at: t(at),
        counter: None,
        reason: String::new(),
        flags: vec![],
    }
}

#[test]
fn an_ordered_round_shares_the_window_out_evenly() {
    let (r, _) = round(true, 4);
    assert_eq!(r.due(0), t("18:15"));
    assert_eq!(r.due(3), t("19:00"));
    let (any, _) = round(false, 4);
    assert_eq!(any.due(0), t("19:00"));
}

#[test]
fn a_round_walked_on_time_is_done() {
    let (r, cps) = round(true, 3);
    let scans = vec![scan(cps[0], "18:10"), scan(cps[1], "18:30"), scan(cps[2], "18:55")];
    let e = r.evaluate(&scans, t("19:30"));
    assert_eq!(e.state, RoundState::Done);
    assert_eq!(e.completion(), (3, 3));
}

#[test]
fn a_checkpoint_after_its_deadline_is_late_and_after_the_grace_missed() {
    let (r, cps) = round(true, 2);
    let e = r.evaluate(&[scan(cps[0], "18:40")], t("18:45"));
    assert!(matches!(e.points[0], PointState::Late { .. }), "due 18:30, visited 18:40");
    assert_eq!(e.state, RoundState::InProgress);
    let e = r.evaluate(&[scan(cps[0], "18:40")], t("19:11"));
    assert_eq!(e.state, RoundState::Missed, "the second point was due 19:00, grace 10 min");
    assert_eq!(r.next_check(&r.evaluate(&[], t("18:20")), t("18:20")), Some(t("18:30")));
}

#[test]
fn a_round_not_yet_open_is_planned_and_scans_outside_the_window_do_not_count() {
    let (r, cps) = round(false, 2);
    assert_eq!(r.evaluate(&[], t("17:00")).state, RoundState::Planned);
    let e = r.evaluate(&[scan(cps[0], "16:00"), scan(cps[1], "20:00")], t("18:30"));
    assert_eq!(e.completion(), (0, 2));
    assert_eq!(outside_rounds(&scan(cps[0], "16:00"), std::slice::from_ref(&r)), Some(Flag::OutsideRound));
    assert_eq!(outside_rounds(&scan(cps[0], "18:05"), std::slice::from_ref(&r)), None);
}

#[test]
fn out_of_order_visits_count_but_are_reported() {
    let (r, cps) = round(true, 3);
    let late_first = scan(cps[2], "18:05");
    let scans = vec![late_first.clone(), scan(cps[0], "18:10"), scan(cps[1], "18:20")];
    let e = r.evaluate(&scans, t("19:30"));
    assert_eq!(e.completion(), (3, 3));
    assert_eq!(e.out_of_order, vec![late_first.id]);
}

#[test]
fn the_post_may_open_and_close_the_loop() {
    let (mut r, cps) = round(true, 2);
    let post = CheckpointId::mint();
    r.checkpoints = vec![post, cps[0], cps[1], post];
    let scans = vec![scan(post, "18:01"), scan(cps[0], "18:20"), scan(cps[1], "18:40"), scan(post, "18:58")];
    let e = r.evaluate(&scans, t("19:30"));
    assert_eq!(e.state, RoundState::Done);
    let open = r.evaluate(&scans[..3], t("19:30"));
    assert_eq!(open.state, RoundState::Missed, "a loop not closed at the post is not done");
}

#[test]
fn the_same_scan_sent_twice_counts_once() {
    let (r, cps) = round(false, 2);
    let s = scan(cps[0], "18:10");
    let e = r.evaluate(&[s.clone(), s], t("18:20"));
    assert_eq!(e.completion(), (1, 2));
}

#[test]
fn completion_counts_only_what_is_due() {
    let (r, cps) = round(false, 2);
    let scans = vec![scan(cps[0], "18:10")];
    let before = tally(std::slice::from_ref(&r), &scans, t("18:20"));
    assert_eq!((before.due, before.visited), (1, 1), "the pending point is not counted yet");
    assert!((before.rate() - 100.0).abs() < 1e-9);
    let after = tally(std::slice::from_ref(&r), &scans, t("19:30"));
    assert_eq!((after.due, after.visited, after.rounds_missed), (2, 1, 1));
    assert!((after.rate() - 50.0).abs() < 1e-9);
    assert!((Tally::default().rate() - 100.0).abs() < 1e-9);
}
