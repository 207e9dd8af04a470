//! Tonight's patrol rounds for the demo: every site gets rounds at 21:00, 23:00, 01:00 and
//! 03:00 (Vietnam time) through its checkpoints, the unit gets its NFC tag key and every
//! checkpoint its QR secret, so the guard's page and the board have something to show. (The
//! patrol planner replaces the fixed hours with an unpredictable plan.)

use anyhow::{Result, anyhow};
use baove_core::RoundId;
use baove_core::access::Principal;
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::time::vietnam;
use baove_store::{Actor, Store, UnitFilter};
use jiff::{SignedDuration, Timestamp};

const HOURS: [i8; 4] = [21, 23, 1, 3];

fn secret() -> String {
    let bytes: [u8; 18] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates tonight's rounds unless the unit already has rounds tonight. Returns how many.
pub async fn prepare(store: &dyn Store, actor: &Actor, now: Timestamp) -> Result<usize> {
    let p: &Principal = &actor.principal;
    let e = |e: baove_store::StoreError| anyhow!("{e}");
    let local = now.to_zoned(vietnam());
    // The duty night that contains `now`: it starts on the evening of the day before when it
    // is past midnight and before 06:00.
    let evening = if local.hour() < 6 { local.date().yesterday().unwrap_or(local.date()) } else { local.date() };
    let night_start = evening.at(18, 0, 0, 0).to_zoned(vietnam()).map_err(|x| anyhow!("{x}"))?.timestamp();
    let night_end = night_start + SignedDuration::from_hours(12);
    let mut made = 0;
    for unit in store.list_units(p, &UnitFilter::default()).await.map_err(e)? {
        store.unit_master_key(actor, unit.id, rand::random()).await.map_err(e)?;
        if !store.list_rounds(p, unit.id, night_start, night_end).await.map_err(e)?.is_empty() {
            continue;
        }
        let checkpoints = store.list_checkpoints(p, unit.id, "").await.map_err(e)?;
        for cp in &checkpoints {
            store.checkpoint_code(actor, cp.id, &secret()).await.map_err(e)?;
        }
        for site in store.list_sites(p, unit.id, "").await.map_err(e)? {
            let mut mine: Vec<_> = checkpoints.iter().filter(|c| c.site_id == site.id && c.active).collect();
            mine.sort_by(|a, b| a.code.cmp(&b.code));
            if mine.is_empty() {
                continue;
            }
            for hour in HOURS {
                let day = if hour < 12 { evening.tomorrow().unwrap_or(evening) } else { evening };
                let start = day.at(hour, 0, 0, 0).to_zoned(vietnam()).map_err(|x| anyhow!("{x}"))?.timestamp();
                let round = Round {
                    id: RoundId::mint(),
                    unit_id: unit.id,
                    site_id: site.id,
                    name: format!("Vòng {hour:02}:00 · {}", site.name),
                    checkpoints: mine.iter().map(|c| c.id).collect(),
                    ordered: true,
                    window_start: start,
                    window_end: start + SignedDuration::from_mins(40),
                    grace_minutes: 10,
                    guard_id: None,
                    source: RoundSource::Template,
                };
                store.create_round(actor, &round).await.map_err(e)?;
                made += 1;
            }
        }
    }
    Ok(made)
}
