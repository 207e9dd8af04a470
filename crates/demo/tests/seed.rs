//! The demo data on a fresh SQLite file: it seeds, every role can sign in, the incidents match
//! seed 000 and seed 001, the key target stays need-to-know, the audit chain verifies, and every
//! record would pass the validation a form applies.

use baove_core::access::{Denied, Principal, Role};
use baove_core::audit;
use baove_core::registry::gaps::{self, Gap};
use baove_core::registry::*;
use baove_core::time::{local, local_date};
use baove_demo::{DEMO_PASSWORD, accounts, seed};
use baove_store::{IncidentFilter, Store, StoreError, UnitFilter};
use jiff::{Timestamp, ToSpan};

/// Stands in for the argon2 hash the CLI makes of [`DEMO_PASSWORD`]; the store only keeps it.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtby1zYWx0$ZGVtby1oYXNoLW9mLWJhb3ZlLWRlbW8tMjAyNg";

fn now() -> Timestamp {
    "2026-11-21T02:00:00Z".parse().expect("fixed instant")
}

async fn open() -> baove_store_sqlite::SqliteStore {
    let dir = std::env::temp_dir().join(format!("baove-demo-test-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    baove_store_sqlite::open(dir.join("baove.db").to_str().expect("utf-8 path")).await.expect("open sqlite")
}

async fn seeded() -> baove_store_sqlite::SqliteStore {
    let store = open().await;
    seed(&store, HASH, now()).await.expect("seed");
    store
}

async fn who(s: &dyn Store, username: &str) -> Principal {
    s.login_lookup(username).await.expect("lookup").unwrap_or_else(|| panic!("no account {username}")).0.principal()
}

fn installation() -> Principal {
    Principal::installation("kiểm thử")
}

async fn unit_named(s: &dyn Store, name: &str) -> Unit {
    let all = s.list_units(&installation(), &UnitFilter::default()).await.expect("units");
    all.into_iter().find(|u| u.name == name).unwrap_or_else(|| panic!("no unit {name}"))
}

#[tokio::test]
async fn seeding_an_empty_store_succeeds_once() {
    let store = open().await;
    fn assert_send<T: Send>(_: &T) {}
    let seeding = seed(&store, HASH, now());
    assert_send(&seeding);
    seeding.await.expect("seed");
    assert_eq!(store.account_count().await.unwrap(), i64::try_from(accounts().len()).unwrap());
    let again = seed(&store, HASH, now()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

#[tokio::test]
async fn every_role_has_an_account_that_signs_in_with_the_demo_hash() {
    let s = seeded().await;
    assert!(DEMO_PASSWORD.len() >= baove_core::account::MIN_PASSWORD);
    let mut roles = Vec::new();
    for demo in accounts() {
        let (account, hash) =
            s.login_lookup(demo.username).await.unwrap().unwrap_or_else(|| panic!("{}", demo.username));
        assert_eq!((account.role, account.display_name.as_str(), hash.as_str()), (demo.role, demo.display_name, HASH));
        roles.push(account.role);
        if account.role == Role::Guard {
            let guard_id = account.guard_id.unwrap_or_else(|| panic!("{} has no guard record", demo.username));
            let guard = s.guard(&account.principal(), guard_id).await.expect("a guard sees their own record");
            assert_eq!(Some(guard.unit_id), account.unit_id);
            assert_eq!(guard.full_name, account.display_name);
        }
    }
    for role in Role::ALL {
        assert!(roles.contains(role), "no demo account for {role}");
    }
}

#[tokio::test]
async fn the_province_duty_desk_counts_14_incidents_9_at_schools_4_at_cqdn_1_at_the_hospital() {
    let s = seeded().await;
    let desk = who(&s, "trucban.catp").await;
    let all = s.list_incidents(&desk, &IncidentFilter::default()).await.unwrap();
    assert_eq!(all.len(), 14);
    let tally = baove_core::incident::tally_by_unit_kind(all.iter().map(|(_, u)| u.kind));
    let n = |kinds: &[UnitKind]| tally.iter().filter(|(k, _)| kinds.contains(k)).map(|(_, n)| n).sum::<u32>();
    assert_eq!(n(&[UnitKind::School]), 9);
    assert_eq!(n(&[UnitKind::Agency, UnitKind::Enterprise, UnitKind::Bank]), 4);
    assert_eq!(n(&[UnitKind::Hospital]), 1);
    let ward = who(&s, "canbo.viethung").await;
    assert_eq!(s.list_incidents(&ward, &IncidentFilter::default()).await.unwrap().len(), 3, "hospital and factory");
}

#[tokio::test]
async fn incidents_happen_mostly_at_night_within_the_year_before_now() {
    let s = seeded().await;
    let all = s.list_incidents(&who(&s, "trucban.catp").await, &IncidentFilter::default()).await.unwrap();
    let year_ago = local(now()).checked_sub(1.year()).unwrap().timestamp();
    for (i, _) in &all {
        assert!(year_ago <= i.occurred_at && i.occurred_at <= now(), "{}", i.occurred_at);
        assert!(i.occurred_at < i.reported_at && i.reported_at <= now(), "{}", i.reported_at);
        assert!(i.site_id.is_some());
    }
    let night = all.iter().filter(|(i, _)| local(i.occurred_at).hour() < 5).count();
    assert!(night >= 10, "{night} of 14 between 00:00 and 05:00");
    let modus = all.iter().filter(|(i, _)| !i.modus.is_empty()).count();
    assert!(modus >= 12, "{modus}");
    let statuses: Vec<_> = all.iter().map(|(i, _)| i.status).collect();
    assert!(statuses.contains(&baove_core::incident::IncidentStatus::Closed));
    assert!(statuses.contains(&baove_core::incident::IncidentStatus::Received));
}

#[tokio::test]
async fn the_bank_is_open_to_the_cleared_area_officer_and_not_to_duty_desks() {
    let s = seeded().await;
    let bank = unit_named(&s, "Ngân hàng TMCP Sông Hồng – Chi nhánh Long Biên").await;
    assert!(bank.key_target);
    let officer = who(&s, "canbo.bode").await;
    let zones = s.list_zones(&officer, bank.id, "").await.expect("cleared");
    assert!(zones.iter().any(|z| z.kind == ZoneKind::Vault));
    for desk in ["trucban.catp", "trucban.bode"] {
        let denied = s.list_zones(&who(&s, desk).await, bank.id, "").await;
        assert!(matches!(denied, Err(StoreError::Denied(Denied::NotCleared))), "{desk}: {denied:?}");
    }
    let elsewhere = s.list_zones(&who(&s, "canbo.viethung").await, bank.id, "").await;
    assert!(matches!(elsewhere, Err(StoreError::NotFound)), "{elsewhere:?}");
    assert!(s.list_guards(&who(&s, "baove.nganhang").await, bank.id, "").await.is_ok());
}

#[tokio::test]
async fn the_audit_chain_verifies() {
    let s = seeded().await;
    let chain = s.audit_entries(&installation(), 0, 100_000).await.unwrap();
    assert!(chain.len() > 200, "{}", chain.len());
    assert_eq!(audit::verify(&chain), Ok(chain.len() as u64));
    assert!(chain.windows(2).all(|w| w[0].at_us <= w[1].at_us), "the trail reads in time order");
    assert!(chain.iter().any(|e| e.action == "clearance.grant"));
}

#[tokio::test]
async fn the_schools_show_gaps_and_the_bank_shows_none() {
    let s = seeded().await;
    let today = local_date(now());
    let gaps_of = async |head: &str, unit: &str| {
        let (p, u) = (who(&s, head).await, unit_named(&s, unit).await.id);
        let zones = s.list_zones(&p, u, "").await.unwrap();
        let checkpoints = s.list_checkpoints(&p, u, "").await.unwrap();
        let devices = s.list_devices(&p, u, "").await.unwrap();
        let guards = s.list_guards(&p, u, "").await.unwrap();
        assert!((3..=6).contains(&checkpoints.len()), "{unit}");
        assert!(guards.iter().all(|g| !g.certificates.is_empty() && !g.tools.is_empty()), "{unit}");
        gaps::find(&zones, &checkpoints, &devices, &guards, today)
    };
    let school = gaps_of("hieutruong.ngoclam", "Trường THCS Ngọc Lâm").await;
    assert!(school.iter().any(|g| matches!(g, Gap::NoAlarm { name, .. } if name == "Phòng kế toán")), "{school:?}");
    assert!(
        school.iter().any(|g| matches!(g, Gap::NoCamera { name, .. } if name == "Hành lang tầng 2 nhà B")),
        "{school:?}"
    );
    assert!(school.iter().any(|g| matches!(g, Gap::CertificateExpired { days_ago: 40, .. })), "{school:?}");
    let primary = gaps_of("hieutruong.thbode", "Trường Tiểu học Bồ Đề").await;
    assert!(primary.iter().any(|g| matches!(g, Gap::CertificateExpiring { days_left: 25, .. })), "{primary:?}");
    assert!(primary.iter().any(|g| matches!(g, Gap::NoCamera { .. })), "a broken camera covers nothing: {primary:?}");
    assert_eq!(gaps_of("giamdoc.nganhang", "Ngân hàng TMCP Sông Hồng – Chi nhánh Long Biên").await, vec![]);
}

#[tokio::test]
async fn every_record_passes_the_validation_a_form_applies() {
    let s = seeded().await;
    let today = local_date(now());
    for a in s.list_authorities(&installation(), "").await.unwrap() {
        assert_eq!(AuthorityDraft::from(&a).parse(), Ok(AuthorityInput::from(&a)), "{}", a.name);
    }
    let heads: Vec<_> = accounts().into_iter().filter(|a| a.role == Role::UnitHead).collect();
    assert_eq!(heads.len(), 7);
    for head in heads {
        let p = who(&s, head.username).await;
        let baove_core::access::Org::Unit(unit) = p.org else { panic!("{} is not in a unit", head.username) };
        let u = s.unit(&p, unit).await.unwrap();
        assert_eq!(u.name, head.org);
        assert_eq!(UnitDraft::from(&u).parse(), Ok(UnitInput::from(&u)), "{}", u.name);
        for site in s.list_sites(&p, unit, "").await.unwrap() {
            assert_eq!(SiteDraft::from(&site).parse(), Ok(SiteInput::from(&site)), "{}", site.name);
        }
        for z in s.list_zones(&p, unit, "").await.unwrap() {
            assert_eq!(ZoneDraft::from(&z).parse(), Ok(ZoneInput::from(&z)), "{}", z.name);
        }
        for c in s.list_checkpoints(&p, unit, "").await.unwrap() {
            let parsed = CheckpointDraft::from(&c).parse().unwrap();
            assert_eq!(
                (parsed.zone_id, parsed.code, parsed.name, parsed.location, parsed.active),
                (c.zone_id, c.code, c.name, c.location, c.active)
            );
        }
        for d in s.list_devices(&p, unit, "").await.unwrap() {
            let parsed = DeviceDraft::from(&d).parse().unwrap();
            assert_eq!(
                (parsed.site_id, parsed.zone_id, parsed.kind, &parsed.name),
                (d.site_id, d.zone_id, d.kind, &d.name)
            );
            assert_eq!(
                (parsed.location, parsed.serial, parsed.external_ref, parsed.active),
                (d.location, d.serial, d.external_ref, d.active)
            );
        }
        for g in s.list_guards(&p, unit, "").await.unwrap() {
            let parsed = GuardDraft::from(&g).parse(today).unwrap();
            assert_eq!(
                (&parsed.full_name, parsed.employment, &parsed.phone, parsed.birth_date, &parsed.health),
                (&g.full_name, g.employment, &g.phone, g.birth_date, &g.health)
            );
            for c in &g.certificates {
                let draft = CertificateDraft {
                    number: c.number.clone(),
                    issuer: c.issuer.clone(),
                    issued_on: c.issued_on.to_string(),
                    expires_on: c.expires_on.to_string(),
                };
                assert_eq!(draft.parse().as_ref(), Ok(c));
            }
            for t in &g.tools {
                let draft = ToolDraft {
                    kind: t.kind.code().into(),
                    serial: t.serial.clone(),
                    issued_on: t.issued_on.to_string(),
                    returned_on: String::new(),
                };
                assert_eq!(draft.parse().as_ref(), Ok(t));
            }
        }
    }
    let incidents = s.list_incidents(&installation(), &IncidentFilter::default()).await.unwrap();
    for (i, _) in incidents {
        for text in [&i.summary, &i.losses] {
            assert_eq!(&baove_core::text::nfc(text), text);
            assert!(!baove_core::text::has_control(text, false) && !text.trim().is_empty());
        }
    }
}

#[tokio::test]
async fn the_same_now_gives_the_same_incidents() {
    let (a, b) = (seeded().await, seeded().await);
    let view = async |s: &baove_store_sqlite::SqliteStore| {
        let all = s.list_incidents(&installation(), &IncidentFilter::default()).await.unwrap();
        all.into_iter().map(|(i, u)| (i.occurred_at, i.reported_at, i.status, i.summary, u.name)).collect::<Vec<_>>()
    };
    assert_eq!(view(&a).await, view(&b).await);
}
