use baove_core::registry::{Checkpoint, Site, Zone, ZoneKind};
use baove_core::{CheckpointId, SiteId, UnitId, ZoneId};
use jiff::Timestamp;

use super::*;

fn site() -> (Site, Vec<Zone>, Vec<Checkpoint>) {
    let unit = UnitId::mint();
    let site = Site {
        id: SiteId::mint(),
        unit_id: unit,
        name: "Cơ sở chính".into(),
        address: String::new(),
        guard_post: String::new(),
        notes: String::new(),
        created_at: Timestamp::UNIX_EPOCH,
        updated_at: Timestamp::UNIX_EPOCH,
    };
    let spec = [
        (ZoneKind::Gate, "Cổng chính", 2, 0),
        (ZoneKind::Cashier, "Phòng thủ quỹ", 5, 500_000_000),
        (ZoneKind::Accounting, "Phòng kế toán", 4, 200_000_000),
        (ZoneKind::Corridor, "Hành lang", 2, 0),
        (ZoneKind::Storeroom, "Kho vật tư", 3, 80_000_000),
    ];
    let zones: Vec<Zone> = spec
        .iter()
        .map(|(kind, name, s, v)| Zone {
            id: ZoneId::mint(),
            site_id: site.id,
            unit_id: unit,
            kind: *kind,
            name: (*name).into(),
            sensitivity: *s,
            asset_value: *v,
            description: String::new(),
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        })
        .collect();
    let cps = zones
        .iter()
        .enumerate()
        .map(|(i, z)| Checkpoint {
            id: CheckpointId::mint(),
            zone_id: z.id,
            site_id: site.id,
            unit_id: unit,
            code: format!("CP-{i:02}"),
            name: z.name.clone(),
            location: String::new(),
            active: true,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        })
        .collect();
    (site, zones, cps)
}

fn slot_total(s: &Solution, from: usize, to: usize) -> f64 {
    s.coverage.iter().map(|row| row[from..to].iter().sum::<f64>()).sum()
}

#[test]
fn coverage_concentrates_between_one_and_three_in_the_morning() {
    let (site, zones, cps) = site();
    let evening = jiff::civil::date(2026, 11, 18);
    let (plan, rounds) =
        draw(&site, &zones, &cps, evening, 1, Weather::default(), None, &Overrides::default(), 42).unwrap();
    let s: Solution = serde_json::from_str(&plan.solution).unwrap();
    assert_eq!(s.slots[0], "22:00");
    // Slots 1..=2 are 22:30–23:30; slots 6..=9 are 01:00–03:00.
    let early = slot_total(&s, 1, 3) / 2.0;
    let peak = slot_total(&s, 6, 10) / 4.0;
    assert!(peak > early, "coverage per slot 01–03h {peak} must exceed 22:30–23:30 {early}");
    assert!(!rounds.is_empty() && rounds.len() <= (SLOTS as usize - 1));
    for r in &rounds {
        assert!(
            r.window_start >= night_start(evening)
                && r.window_end <= night_start(evening) + SignedDuration::from_hours(8)
        );
        assert_eq!(r.checkpoints.len(), 1, "each planned inspection proves its zone's checkpoint");
    }
    assert!(s.top[0].contains("thủ quỹ"), "the cashier's office is the riskiest: {:?}", s.top);
}

#[test]
fn the_same_seed_draws_the_same_night_and_another_seed_another() {
    let (site, zones, cps) = site();
    let evening = jiff::civil::date(2026, 11, 18);
    // One guard for five zones: coverage is fractional, so the route is a random draw.
    let a = draw(&site, &zones, &cps, evening, 1, Weather::default(), None, &Overrides::default(), 7).unwrap().1;
    let b = draw(&site, &zones, &cps, evening, 1, Weather::default(), None, &Overrides::default(), 7).unwrap().1;
    let c = draw(&site, &zones, &cps, evening, 1, Weather::default(), None, &Overrides::default(), 8).unwrap().1;
    let key = |rs: &[Round]| rs.iter().map(|r| (r.window_start, r.checkpoints.clone())).collect::<Vec<_>>();
    assert_eq!(key(&a), key(&b));
    assert_ne!(key(&a), key(&c), "nightly draws differ (a thief watching learns nothing)");
}

#[test]
fn tet_and_rain_raise_the_stakes_and_say_why() {
    let (site, zones, cps) = site();
    let ordinary = draw(
        &site,
        &zones,
        &cps,
        jiff::civil::date(2026, 11, 18),
        1,
        Weather::default(),
        None,
        &Overrides::default(),
        1,
    )
    .unwrap()
    .0;
    let tet = draw(
        &site,
        &zones,
        &cps,
        jiff::civil::date(2026, 2, 17),
        1,
        Weather { rain: true, cold: false },
        None,
        &Overrides::default(),
        1,
    )
    .unwrap()
    .0;
    let (o, t): (Solution, Solution) =
        (serde_json::from_str(&ordinary.solution).unwrap(), serde_json::from_str(&tet.solution).unwrap());
    assert!(t.attacker_value > o.attacker_value, "a thief gains more on a rainy Tết night");
    assert!(t.top[0].contains("Tết") && t.top[0].contains("mưa"), "{}", t.top[0]);
}

#[test]
fn a_site_without_checkpoints_cannot_be_planned() {
    let (site, zones, _) = site();
    assert!(matches!(
        draw(
            &site,
            &zones,
            &[],
            jiff::civil::date(2026, 11, 18),
            1,
            Weather::default(),
            None,
            &Overrides::default(),
            1
        ),
        Err(PlanError::NothingToPatrol)
    ));
}

#[test]
fn the_heat_map_escapes_zone_names() {
    let s = Solution {
        zones: vec!["<script>x</script>".into()],
        slots: vec!["22:00".into()],
        coverage: vec![vec![0.5]],
        holes: vec![],
        attacker_value: 0.0,
        defender_value: 0.0,
        top: vec![],
        guards: 1,
    };
    let svg = heat_map(&s);
    assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
}

#[test]
fn holiday_nights_get_a_reinforced_watch() {
    assert_eq!(guards_on_duty(2, jiff::civil::date(2026, 11, 18), &Overrides::default()), 1);
    assert_eq!(guards_on_duty(2, jiff::civil::date(2026, 2, 16), &Overrides::default()), 2, "the night into Tết");
    assert_eq!(guards_on_duty(5, jiff::civil::date(2026, 4, 29), &Overrides::default()), 3, "the night into 30/4");
}

#[test]
fn a_units_own_incidents_weigh_their_hours() {
    let (site, zones, cps) = site();
    let evening = jiff::civil::date(2026, 11, 18);
    let at_two: Vec<Timestamp> =
        (0..6).map(|i| format!("2026-0{}-1{i}T19:10:00Z", 3 + i % 5).parse().unwrap()).collect();
    let h = history_of(&at_two, jiff::civil::date(2025, 11, 18), evening, &Overrides::default());
    let plain = draw(&site, &zones, &cps, evening, 1, Weather::default(), None, &Overrides::default(), 3).unwrap().0;
    let weighted =
        draw(&site, &zones, &cps, evening, 1, Weather::default(), Some(&h), &Overrides::default(), 3).unwrap().0;
    let (p, w): (Solution, Solution) =
        (serde_json::from_str(&plain.solution).unwrap(), serde_json::from_str(&weighted.solution).unwrap());
    // 19:10 UTC is 02:10 in Vietnam: the 02:00–02:30 slot (index 8) weighs more than before.
    let slot = |s: &Solution| s.coverage.iter().map(|r| r[8]).sum::<f64>();
    assert!(slot(&w) >= slot(&p), "{} < {}", slot(&w), slot(&p));
    assert!(w.attacker_value > p.attacker_value, "the thief's best target is worth more where the unit was hit");
}

#[test]
fn a_units_own_closed_day_is_planned_as_a_holiday() {
    use baove_core::calendar::{Change, Override};
    let evening = jiff::civil::date(2026, 11, 18);
    let closed = Overrides {
        entries: vec![Override {
            date: jiff::civil::date(2026, 11, 19),
            change: Change::Add { name_vi: "Ngày thành lập trường".into(), name_en: "Founding day".into() },
            reason: "nghỉ".into(),
        }],
    };
    assert_eq!(guards_on_duty(2, evening, &Overrides::default()), 1);
    assert_eq!(guards_on_duty(2, evening, &closed), 2, "the night into the unit's own day off is reinforced");
}
