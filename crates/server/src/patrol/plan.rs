//! Tonight's patrol plan of a site: the patrol game (baove-game) over the site's zones and the
//! night's slots, with payoffs from the risk calendar (baove-core::calendar), solved exactly,
//! then one random draw of the guards' routes turned into rounds — one per planned inspection,
//! so that each is due in its own slot. A fresh draw every night, and on every redraw.

use baove_core::calendar::{DayFacts, HistoryWeights, Overrides, Weather, ZoneFacts, target_payoffs_with_history};
use baove_core::patrol::plan::Plan;
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::registry::{Checkpoint, Site, Zone, ZoneKind};
use baove_core::time::vietnam;
use baove_core::{PlanId, RoundId};
use baove_game::{Payoffs, RouteGame, RouteTarget};
use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp};
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// The night runs 22:00–06:00 in half-hour slots.
pub const FIRST_HOUR: i8 = 22;
pub const SLOT_MINUTES: i64 = 30;
pub const SLOTS: u32 = 16;
/// Fewer incidents than this in a year do not reshape the night (too few to tell hours apart).
pub const MIN_HISTORY: usize = 5;

/// The evening a night belongs to: before 06:00 it is the night that began yesterday; from
/// 06:00 on it is the coming night.
#[must_use]
pub fn night_of(now: Timestamp) -> Date {
    let local = now.to_zoned(vietnam());
    if local.hour() < 6 { local.date().yesterday().unwrap_or(local.date()) } else { local.date() }
}

/// Slot 0 of the night of `evening`.
#[must_use]
pub fn night_start(evening: Date) -> Timestamp {
    evening.at(FIRST_HOUR, 0, 0, 0).to_zoned(vietnam()).map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
}

fn slot_local(evening: Date, slot: u32) -> DateTime {
    evening.at(FIRST_HOUR, 0, 0, 0) + SignedDuration::from_mins(SLOT_MINUTES * i64::from(slot))
}

/// What the plan page shows: coverage per zone and slot, holes, the top targets explained.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Solution {
    pub zones: Vec<String>,
    /// "22:00", "22:30", …
    pub slots: Vec<String>,
    /// coverage[zone][slot], in [0, 1]; slots 0 and S (at the post) are not targets.
    pub coverage: Vec<Vec<f64>>,
    /// (zone, slot) no route can reach.
    pub holes: Vec<(usize, usize)>,
    pub attacker_value: f64,
    pub defender_value: f64,
    /// The riskiest targets with their explanation ("kho quỹ, 01:30, mùng 2 Tết, mưa: ×5.2").
    pub top: Vec<String>,
    pub guards: u32,
}

/// Why no plan could be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("the site has no zone with an active checkpoint")]
    NothingToPatrol,
    #[error("{0}")]
    Game(#[from] baove_game::GameError),
    #[error("{0}")]
    Calendar(#[from] baove_core::calendar::CalendarError),
}

/// The guard post zone: the site's gate, else its first zone.
fn post_of(zones: &[&Zone]) -> usize {
    zones.iter().position(|z| z.kind == ZoneKind::Gate).unwrap_or(0)
}

/// Draws the plan of `site` for the night of `evening` with `guards` guards.
///
/// # Errors
/// No zone has a checkpoint, or the game refuses the instance.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    site: &Site,
    zones: &[Zone],
    checkpoints: &[Checkpoint],
    evening: Date,
    guards: u32,
    weather: Weather,
    history: Option<&HistoryWeights>,
    overrides: &Overrides,
    seed: u64,
) -> Result<(Plan, Vec<Round>), PlanError> {
    // Only zones whose visits can be proved take part: a plan must be checkable.
    let provable: Vec<&Zone> = zones
        .iter()
        .filter(|z| z.site_id == site.id && checkpoints.iter().any(|c| c.zone_id == z.id && c.active))
        .collect();
    if provable.is_empty() {
        return Err(PlanError::NothingToPatrol);
    }
    let ids: Vec<String> = provable.iter().map(|z| z.id.to_string()).collect();
    // Within half an hour a guard reaches any zone of a site: every zone is one step apart.
    let mut edges = Vec::new();
    for i in 0..ids.len() {
        for j in i + 1..ids.len() {
            edges.push((ids[i].clone(), ids[j].clone()));
        }
    }
    let post = post_of(&provable);
    let site_graph = baove_game::Site::new(ids.clone(), edges, &ids[post])?;
    let mut targets = Vec::new();
    let mut explained = Vec::new();
    for (zi, zone) in provable.iter().enumerate() {
        for slot in 1..SLOTS {
            let at = slot_local(evening, slot);
            let day = DayFacts::for_slot(at, overrides)?;
            let p = target_payoffs_with_history(&ZoneFacts::from(*zone), at, &day, weather, history);
            explained.push((p.attacker_reward, format!("{} ({})", p.explanation, p.explanation.explain_vi())));
            targets.push(RouteTarget {
                zone: ids[zi].clone(),
                slot,
                payoffs: Payoffs {
                    attacker_reward: p.attacker_reward,
                    attacker_penalty: p.attacker_penalty,
                    defender_reward: p.defender_reward,
                    defender_penalty: p.defender_penalty,
                },
            });
        }
    }
    let game = RouteGame::new(site_graph, SLOTS, guards.max(1), targets)?;
    let solved = game.solve();
    let mut coverage = vec![vec![0.0; SLOTS as usize + 1]; provable.len()];
    let mut holes = Vec::new();
    let per_zone = SLOTS as usize - 1;
    for (t, p) in solved.coverage.iter().enumerate() {
        coverage[t / per_zone][t % per_zone + 1] = *p;
    }
    for t in &solved.holes {
        holes.push((t / per_zone, t % per_zone + 1));
    }
    explained.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let routes = solved.plan.draw(&mut rng);
    let start = night_start(evening);
    let mut rounds = Vec::new();
    for (g, route) in routes.iter().enumerate() {
        for slot in &route.inspects {
            let zone = provable[route.zones[*slot as usize]];
            let mut cps: Vec<&Checkpoint> = checkpoints.iter().filter(|c| c.zone_id == zone.id && c.active).collect();
            cps.sort_by(|a, b| a.code.cmp(&b.code));
            let window_start = start + SignedDuration::from_mins(SLOT_MINUTES * i64::from(*slot));
            let local = window_start.to_zoned(vietnam());
            rounds.push(Round {
                id: RoundId(uuid::Uuid::from_u128(rng.random())),
                unit_id: site.unit_id,
                site_id: site.id,
                name: format!("Kế hoạch {:02}:{:02} · {} · tổ {}", local.hour(), local.minute(), zone.name, g + 1),
                checkpoints: cps.iter().map(|c| c.id).collect(),
                ordered: false,
                window_start,
                window_end: window_start + SignedDuration::from_mins(SLOT_MINUTES),
                grace_minutes: 10,
                guard_id: None,
                source: RoundSource::Plan,
            });
        }
    }
    let solution = Solution {
        zones: provable.iter().map(|z| z.name.clone()).collect(),
        slots: (0..=SLOTS)
            .map(|s| {
                let t = slot_local(evening, s);
                format!("{:02}:{:02}", t.hour(), t.minute())
            })
            .collect(),
        coverage,
        holes,
        attacker_value: solved.attacker_value,
        defender_value: solved.defender_value,
        top: explained.into_iter().take(5).map(|(_, e)| e).collect(),
        guards: guards.max(1),
    };
    let plan = Plan {
        id: PlanId::mint(),
        unit_id: site.unit_id,
        site_id: site.id,
        night: evening,
        seed: i64::from_le_bytes(seed.to_le_bytes()),
        locked: false,
        rain: weather.rain,
        cold: weather.cold,
        guards: i64::from(guards.max(1)),
        slot_minutes: SLOT_MINUTES,
        starts_at: start,
        solution: serde_json::to_string(&solution).unwrap_or_default(),
    };
    Ok((plan, rounds))
}

/// How many guards patrol at once: one on a small force, two when it has four or more, and one
/// more on holiday and Tết nights, when the directives ask for a reinforced watch (seed 000 §5–6).
#[must_use]
pub fn guards_on_duty(active_guards: usize, evening: Date, overrides: &Overrides) -> u32 {
    let base = if active_guards >= 4 { 2 } else { 1 };
    let night = DayFacts::for_duty_day(evening, overrides).map(|d| d.night_type);
    match night {
        Ok(baove_core::calendar::DayType::Holiday | baove_core::calendar::DayType::TetPeriod) => base + 1,
        _ => base,
    }
}

/// The unit's own incidents as weights by hour and type of day, over the days they span (§R6:
/// "later from the unit's own incident history").
#[must_use]
pub fn history_of(incidents: &[Timestamp], from: Date, to: Date, overrides: &Overrides) -> HistoryWeights {
    let mut h = HistoryWeights::default();
    let mut d = from;
    while d <= to {
        h.observe_day(baove_core::calendar::risk::day_type(d, overrides));
        d = match d.tomorrow() {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    for t in incidents {
        let local = t.to_zoned(vietnam()).datetime();
        if let Ok(day) = DayFacts::for_slot(local, overrides) {
            let night = local.hour() < 6 || local.hour() >= 18;
            h.record(local.hour(), if night { day.night_type } else { day.day_type });
        }
    }
    h
}

/// The heat map of a plan (zones × slots) as SVG; all text escaped.
#[must_use]
pub fn heat_map(s: &Solution) -> String {
    let esc = |t: &str| {
        t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
    };
    let (label_w, cell, top) = (150, 22, 40);
    let cols = s.slots.len();
    let width = label_w + cell * cols + 10;
    let height = top + cell * s.zones.len() + 10;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" class=\"heat\" aria-label=\"coverage\">"
    );
    for (c, label) in s.slots.iter().enumerate() {
        if c % 2 == 0 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" transform=\"rotate(-45 {} {})\">{}</text>",
                label_w + c * cell + 4,
                top - 6,
                label_w + c * cell + 4,
                top - 6,
                esc(label)
            ));
        }
    }
    for (r, zone) in s.zones.iter().enumerate() {
        let y = top + r * cell;
        let name: String = zone.chars().take(22).collect();
        svg.push_str(&format!("<text x=\"4\" y=\"{}\" font-size=\"11\">{}</text>", y + 15, esc(&name)));
        for c in 0..cols {
            let p = s.coverage.get(r).and_then(|row| row.get(c)).copied().unwrap_or(0.0);
            let hole = s.holes.contains(&(r, c));
            let fill = if hole {
                "#bbbbbb".to_owned()
            } else {
                format!("rgba(139,26,26,{:.3})", 0.08 + 0.92 * p.clamp(0.0, 1.0))
            };
            svg.push_str(&format!("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"><title>{} {}: {:.0}%</title></rect>", label_w + c * cell, y, cell - 2, cell - 2, esc(zone), esc(&s.slots[c]), p * 100.0));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests;
