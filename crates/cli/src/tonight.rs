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

/// Prepares keys, QR secrets and tonight's plans. Returns how many plans were drawn.
pub async fn prepare(state: &AppState, actor: &Actor) -> Result<usize> {
    let store = &state.store;
    let p = &actor.principal;
    let e = |e: baove_store::StoreError| anyhow!("{e}");
    let evening = baove_server::patrol::plan::night_of(actor.at);
    let mut drawn = 0;
    for unit in store.list_units(p, &UnitFilter::default()).await.map_err(e)? {
        store.unit_master_key(actor, unit.id, rand::random()).await.map_err(e)?;
        for cp in store.list_checkpoints(p, unit.id, "").await.map_err(e)? {
            store.checkpoint_code(actor, cp.id, &secret()).await.map_err(e)?;
        }
        for site in store.list_sites(p, unit.id, "").await.map_err(e)? {
            if store.plan(p, site.id, evening).await.map_err(e)?.is_some() {
                continue;
            }
            if baove_server::patrol::nightly::draw_site(state, actor, site.id, Weather::default()).await.is_ok() {
                drawn += 1;
            }
        }
    }
    Ok(drawn)
}
