//! Weekly round templates become each day's rounds: the monitor asks once a minute, and a
//! template saved on its page makes today's round at once. A template's round on a day has a
//! fixed id, so asking again makes nothing twice.

use baove_core::access::Principal;
use baove_core::patrol::template::Template;
use baove_store::Actor;
use jiff::{SignedDuration, Timestamp};

use crate::state::AppState;

/// How far ahead rounds are made, so tonight's rounds are on the guard's phone in the evening.
const AHEAD: SignedDuration = SignedDuration::from_hours(18);

/// Makes the rounds of `t` that start within [`AHEAD`] of `now` and have not ended yet.
/// Returns how many rounds were new.
pub async fn materialise_one(state: &AppState, t: &Template, now: Timestamp) -> usize {
    let me = Principal::installation("baove");
    let today = baove_core::time::local_date(now);
    let mut made = 0;
    for date in [today.yesterday().ok(), Some(today), today.tomorrow().ok()].into_iter().flatten() {
        let Some(round) = t.round_on(date) else { continue };
        let ends = round.window_end + SignedDuration::from_mins(round.grace_minutes);
        if ends < now || round.window_start > now + AHEAD {
            continue;
        }
        if state.store.round(&me, round.id).await.is_ok() {
            continue;
        }
        match state.store.create_round(&Actor { principal: me.clone(), at: now }, &round).await {
            Ok(_) => made += 1,
            Err(e) => tracing::warn!(template = %t.id, error = %e, "a template's round was not made"),
        }
    }
    made
}

/// Makes the due rounds of every active template.
///
/// # Errors
/// A storage failure listing the templates.
pub async fn materialise(state: &AppState, me: &Principal, now: Timestamp) -> Result<usize, baove_store::StoreError> {
    let mut made = 0;
    for t in state.store.active_templates(me).await? {
        made += materialise_one(state, &t, now).await;
    }
    Ok(made)
}
