//! The patrol monitor: once a second it evaluates every round that is open or just closed,
//! raises an alert for each checkpoint whose deadline passed without a visit (late) and each
//! whose grace period passed too (missed), and climbs the escalation ladder (the unit's own
//! times, or the installation's) of every alert nobody acknowledged. Alerts are keyed, so a restart or a second instance raises nothing twice.

use std::collections::HashMap;
use std::time::Duration;

use baove_core::access::Principal;
use baove_core::patrol::alert::{Alert, AlertKind};
use baove_core::patrol::escalation::{Ladder, Tier};
use baove_core::patrol::round::PointState;
use baove_core::time::format_datetime;
use baove_core::{CheckpointId, UnitId};
use baove_store::NewAlert;
use jiff::{SignedDuration, Timestamp};

use super::bus::Event;
use crate::state::AppState;

/// The installation itself, as the monitor acts.
#[must_use]
pub fn installation() -> Principal {
    Principal::installation("baove")
}

fn rank(t: Tier) -> usize {
    Tier::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// Runs until the process ends.
pub async fn run(state: AppState) {
    let me = installation();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut n: u64 = 0;
    loop {
        tick.tick().await;
        // Once a minute: tonight's plans for sites that have none yet.
        if n.is_multiple_of(60) {
            if state.config.nightly_plans
                && let Err(e) = super::nightly::draw_missing(&state, &me, Timestamp::now()).await
            {
                tracing::error!(error = %e, "nightly plans");
            }
            if let Err(e) = super::templates::materialise(&state, &me, Timestamp::now()).await {
                tracing::error!(error = %e, "weekly round templates");
            }
        }
        // Once an hour: visitors' personal data past their unit's retention (R7, NĐ 13/2023).
        if n.is_multiple_of(3600) {
            let actor = baove_store::Actor { principal: me.clone(), at: Timestamp::now() };
            if let Err(e) = state.store.purge_expired(&actor, None).await {
                tracing::error!(error = %e, "visitor retention");
            }
        }
        n += 1;
        if let Err(e) = check(&state, &me, Timestamp::now()).await {
            tracing::error!(error = %e, "patrol monitor");
        }
    }
}

/// One pass at `now`: new late/missed alerts, then escalations. Returns the alerts raised.
///
/// # Errors
/// A storage failure (the next pass retries).
pub async fn check(state: &AppState, me: &Principal, now: Timestamp) -> Result<Vec<Alert>, baove_store::StoreError> {
    let store = &state.store;
    let rounds = store.rounds_in_scope(me, now - SignedDuration::from_hours(14), now).await?;
    let mut by_unit: HashMap<UnitId, Vec<_>> = HashMap::new();
    for r in rounds.into_iter().filter(|r| r.window_start <= now) {
        by_unit.entry(r.unit_id).or_default().push(r);
    }
    let mut raised = Vec::new();
    for (unit, rounds) in by_unit {
        let from =
            rounds.iter().map(|r| r.window_start - SignedDuration::from_mins(r.grace_minutes)).min().unwrap_or(now);
        let scans = store.list_scans(me, unit, from, now).await?;
        let codes: HashMap<CheckpointId, String> =
            store.list_checkpoints(me, unit, "").await?.into_iter().map(|c| (c.id, c.code)).collect();
        for round in rounds {
            let eval = round.evaluate(&scans, now);
            for (i, point) in eval.points.iter().enumerate() {
                let (kind, key, due) = match point {
                    PointState::Pending { due } if *due < now => (AlertKind::CheckpointLate, "late", due),
                    PointState::Missed { due } => (AlertKind::CheckpointMissed, "missed", due),
                    _ => continue,
                };
                let code = codes.get(&round.checkpoints[i]).cloned().unwrap_or_default();
                let verb = if kind == AlertKind::CheckpointMissed { "bỏ sót" } else { "chưa đến" };
                let alert = NewAlert {
                    key: format!("{}:{i}:{key}", round.id),
                    unit_id: round.unit_id,
                    site_id: Some(round.site_id),
                    round_id: Some(round.id),
                    kind,
                    message: format!("{}: điểm {code} {verb} (hạn {})", round.name, format_datetime(*due)),
                    raised_at: now,
                };
                if let Some(a) = store.raise_alert(&alert).await? {
                    state.bus.publish(Event::Alert(a.clone()));
                    raised.push(a);
                }
            }
        }
    }
    if let Err(e) = crate::alarm::escalate::check(state, me, now).await {
        tracing::error!(error = %e, "alarm escalation");
    }
    let ladders: HashMap<UnitId, Ladder> = store.ladders(me).await?.into_iter().collect();
    for alert in store.open_alerts(me).await? {
        let ladder = ladders.get(&alert.unit_id).unwrap_or(&state.ladder);
        let due = ladder.tier_at(alert.raised_at, now);
        if rank(due) > rank(alert.tier) {
            store.escalate_alert(alert.id, due).await?;
            state.bus.publish(Event::Alert(Alert { tier: due, ..alert }));
        }
    }
    Ok(raised)
}
