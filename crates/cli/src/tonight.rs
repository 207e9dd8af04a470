//! Tonight's patrols for the demo: every unit gets its NFC tag key and every checkpoint its QR
//! secret, and every site tonight's plan drawn by the patrol game (coverage that peaks at
//! 01:00–03:00, turned into rounds), so the guard's page, the board and the plan page have
//! something to show.

use anyhow::{Result, anyhow};
use baove_core::calendar::Weather;
use baove_server::AppState;
use baove_store::{Actor, UnitFilter};

fn secret() -> String {
    let bytes: [u8; 18] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The next night (within four months) that runs into a public holiday or Tết, to show how
/// the plan reinforces it.
fn next_holiday_night(after: jiff::civil::Date) -> Option<jiff::civil::Date> {
    let mut d = after.tomorrow().ok()?;
    for _ in 0..120 {
        let night = baove_core::calendar::DayFacts::for_duty_day(d, &baove_core::calendar::Overrides::default())
            .ok()?
            .night_type;
        if matches!(night, baove_core::calendar::DayType::Holiday | baove_core::calendar::DayType::TetPeriod) {
            return Some(d);
        }
        d = d.tomorrow().ok()?;
    }
    None
}

/// Prepares keys, QR secrets, tonight's plans and those of the next holiday night. Returns how
/// many plans were drawn.
pub async fn prepare(state: &AppState, actor: &Actor) -> Result<usize> {
    let store = &state.store;
    let p = &actor.principal;
    let e = |e: baove_store::StoreError| anyhow!("{e}");
    let evening = baove_server::patrol::plan::night_of(actor.at);
    let holiday = next_holiday_night(evening);
    let mut drawn = 0;
    for unit in store.list_units(p, &UnitFilter::default()).await.map_err(e)? {
        store.unit_master_key(actor, unit.id, rand::random()).await.map_err(e)?;
        for cp in store.list_checkpoints(p, unit.id, "").await.map_err(e)? {
            store.checkpoint_code(actor, cp.id, &secret()).await.map_err(e)?;
        }
        for site in store.list_sites(p, unit.id, "").await.map_err(e)? {
            for night in [Some(evening), holiday].into_iter().flatten() {
                if store.plan(p, site.id, night).await.map_err(e)?.is_some() {
                    continue;
                }
                if baove_server::patrol::nightly::draw_site(state, actor, site.id, night, Weather::default())
                    .await
                    .is_ok()
                {
                    drawn += 1;
                }
            }
        }
    }
    Ok(drawn)
}
