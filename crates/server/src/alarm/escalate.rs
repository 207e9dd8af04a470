//! Escalation of alarms nobody acknowledged, on core's [`EscalationPolicy`]: the unit's own
//! ladder for ordinary alarms, the short one for critical alarms; the clock starts after an
//! entry delay. Run by the patrol monitor every second.

use std::collections::HashMap;

use baove_core::UnitId;
use baove_core::access::Principal;
use baove_core::alarm::escalation::EscalationPolicy;
use baove_core::patrol::escalation::Tier;
use baove_store::{StoreError, StoredAlarm};
use jiff::Timestamp;

use crate::patrol::bus::Event;
use crate::state::AppState;

fn rank(t: Tier) -> usize {
    Tier::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// One pass at `now`; returns the alarms that climbed.
///
/// # Errors
/// A storage failure (the next pass retries).
pub async fn check(state: &AppState, me: &Principal, now: Timestamp) -> Result<Vec<StoredAlarm>, StoreError> {
    let ladders: HashMap<UnitId, _> = state.store.ladders(me).await?.into_iter().collect();
    let mut out = Vec::new();
    for a in state.store.unclosed_alarms(me).await? {
        let policy = EscalationPolicy {
            normal: *ladders.get(&a.unit_id).unwrap_or(&state.ladder),
            ..EscalationPolicy::default()
        };
        let Some(due) = policy.due(&a.alarm, now) else { continue };
        if rank(due) > rank(a.tier)
            && let Some(up) = state.store.escalate_alarm(me, a.alarm.id, due).await?
        {
            state.bus.publish(Event::Alarm(Box::new(up.clone())));
            if up.tier == baove_core::patrol::escalation::Tier::DutyDesk {
                crate::notify::queue::alarm(state, &up).await;
            }
            out.push(up);
        }
    }
    Ok(out)
}
