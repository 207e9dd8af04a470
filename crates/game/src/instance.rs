//! The instance and solution JSON, for the CLI (`baove plan solve INSTANCE.json`) and for
//! checking against other solvers (bench/game_vs_highs.py).
//!
//! Input: `{"slots": S, "guards": K, "post": "zone-id", "zones": [{"id"}], "edges": [["a","b"]],
//! "targets": [{"zone","slot", "attacker_reward","attacker_penalty","defender_reward",
//! "defender_penalty"}], "seed": u64?, "name": string?}`. Without "post" it is the singleton
//! model: "guards" is m and targets carry "id" instead of "zone"/"slot".
//!
//! Output: `{"model", "attacker_value", "defender_value", "attacked", "coverage", "holes", ...}`.
//! For routes, coverage is `[{"zone","slot","p"}]` per target, holes `[{"zone","slot"}]`, and
//! "flow" lists the expected guards per move `{"slot","from","to","f"}`. With a "seed", the route
//! model adds one drawn night: "routes" (zone ids for slots 0..=S, one list per guard) and
//! "inspections" (the slots each guard inspects); the singleton model adds "assignment", the
//! target ids one comb sample covers. Without a seed nothing random is drawn. The seed drives
//! ChaCha8, so the same seed gives the same routes on every platform and build.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::comb::draw_assignment;
use crate::route::{RouteGame, RouteTarget, Site};
use crate::singleton::{SingletonGame, SingletonTarget};
use crate::{GameError, Payoffs};

/// A parsed, checked instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub game: Game,
    /// Seed for drawing one plan, if the instance asks for one.
    pub seed: Option<u64>,
}

/// Either model.
#[derive(Debug, Clone, PartialEq)]
pub enum Game {
    Singleton(SingletonGame),
    Routes(RouteGame),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstanceJson {
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
    slots: Option<u64>,
    guards: u64,
    post: Option<String>,
    zones: Option<Vec<ZoneJson>>,
    edges: Option<Vec<(String, String)>>,
    targets: Vec<TargetJson>,
    seed: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneJson {
    id: String,
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetJson {
    id: Option<String>,
    zone: Option<String>,
    slot: Option<u64>,
    attacker_reward: f64,
    attacker_penalty: f64,
    defender_reward: f64,
    defender_penalty: f64,
}

impl TargetJson {
    fn payoffs(&self) -> Payoffs {
        Payoffs {
            attacker_reward: self.attacker_reward,
            attacker_penalty: self.attacker_penalty,
            defender_reward: self.defender_reward,
            defender_penalty: self.defender_penalty,
        }
    }
}

#[derive(Serialize)]
struct SolutionJson {
    model: &'static str,
    attacker_value: f64,
    defender_value: f64,
    attacked: Place,
    coverage: Vec<Covered>,
    holes: Vec<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow: Option<Vec<MoveJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    routes: Option<Vec<Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inspections: Option<Vec<Vec<u32>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignment: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Place {
    Id { id: String },
    ZoneSlot { zone: String, slot: u32 },
}

#[derive(Serialize)]
struct Covered {
    #[serde(flatten)]
    place: Place,
    p: f64,
}

#[derive(Serialize)]
struct MoveJson {
    slot: u32,
    from: String,
    to: String,
    f: f64,
}

/// Reads an instance, solves it and writes the solution (see the module docs for both shapes).
///
/// # Errors
/// [`GameError::InvalidJson`] for text that is not an instance, and every error of the checks
/// in [`Instance::from_json`].
pub fn solve_json(input: &str) -> Result<String, GameError> {
    Ok(Instance::from_json(input)?.solve_to_json())
}

impl Instance {
    /// Parses and checks an instance.
    ///
    /// # Errors
    /// [`GameError::InvalidJson`], [`GameError::EdgesWithoutPost`], [`GameError::MissingField`],
    /// [`GameError::UnexpectedField`], [`GameError::TooLarge`], and the errors of
    /// [`SingletonGame::new`], [`Site::new`] and [`RouteGame::new`].
    pub fn from_json(input: &str) -> Result<Self, GameError> {
        let raw: InstanceJson = serde_json::from_str(input).map_err(|e| GameError::InvalidJson {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let game = match raw.post {
            None => singleton(raw.guards, raw.slots, raw.zones.is_some(), raw.edges.is_some(), raw.targets)?,
            Some(post) => routes(raw.guards, raw.slots, &post, raw.zones, raw.edges, raw.targets)?,
        };
        Ok(Self { game, seed: raw.seed })
    }

    /// Solves the game and writes the solution JSON.
    #[must_use]
    pub fn solve_to_json(&self) -> String {
        let solution = match &self.game {
            Game::Singleton(game) => singleton_solution(game, self.seed),
            Game::Routes(game) => route_solution(game, self.seed),
        };
        // Serialising plain structs of strings and finite numbers cannot fail.
        serde_json::to_string(&solution).unwrap_or_default()
    }
}

fn singleton(
    guards: u64,
    slots: Option<u64>,
    has_zones: bool,
    has_edges: bool,
    targets: Vec<TargetJson>,
) -> Result<Game, GameError> {
    if has_edges {
        return Err(GameError::EdgesWithoutPost);
    }
    let unexpected = |field| GameError::UnexpectedField { place: "the instance".into(), model: "singleton", field };
    if slots.is_some() {
        return Err(unexpected("slots"));
    }
    if has_zones {
        return Err(unexpected("zones"));
    }
    let mut checked = Vec::with_capacity(targets.len());
    for (i, t) in targets.into_iter().enumerate() {
        let place = || format!("target #{i}");
        if t.zone.is_some() {
            return Err(GameError::UnexpectedField { place: place(), model: "singleton", field: "zone" });
        }
        if t.slot.is_some() {
            return Err(GameError::UnexpectedField { place: place(), model: "singleton", field: "slot" });
        }
        let payoffs = t.payoffs();
        let id = t.id.ok_or_else(|| GameError::MissingField { place: place(), model: "singleton", field: "id" })?;
        checked.push(SingletonTarget { id, payoffs });
    }
    Ok(Game::Singleton(SingletonGame::new(checked, guards)?))
}

fn routes(
    guards: u64,
    slots: Option<u64>,
    post: &str,
    zones: Option<Vec<ZoneJson>>,
    edges: Option<Vec<(String, String)>>,
    targets: Vec<TargetJson>,
) -> Result<Game, GameError> {
    let missing = |field| GameError::MissingField { place: "the instance".into(), model: "route", field };
    let slots = slots.ok_or_else(|| missing("slots"))?;
    let zones = zones.ok_or_else(|| missing("zones"))?;
    if slots == 0 {
        return Err(GameError::NoSlots);
    }
    let slots = u32::try_from(slots).map_err(|_| GameError::TooLarge {
        what: "the number of slots",
        value: slots,
        limit: u32::MAX.into(),
    })?;
    let guards = u32::try_from(guards).map_err(|_| GameError::TooLarge {
        what: "the number of guards",
        value: guards,
        limit: crate::route::MAX_GUARDS,
    })?;
    let site = Site::new(zones.into_iter().map(|z| z.id).collect(), edges.unwrap_or_default(), post)?;
    let mut checked = Vec::with_capacity(targets.len());
    for (i, t) in targets.into_iter().enumerate() {
        let place = || format!("target #{i}");
        if t.id.is_some() {
            return Err(GameError::UnexpectedField { place: place(), model: "route", field: "id" });
        }
        let payoffs = t.payoffs();
        let zone = t.zone.ok_or_else(|| GameError::MissingField { place: place(), model: "route", field: "zone" })?;
        let slot = t.slot.ok_or_else(|| GameError::MissingField { place: place(), model: "route", field: "slot" })?;
        let slot = u32::try_from(slot).ok().filter(|&s| s <= slots).ok_or_else(|| GameError::SlotOutOfRange {
            target: format!("{zone}@{slot}"),
            slot,
            slots,
        })?;
        checked.push(RouteTarget { zone, slot, payoffs });
    }
    Ok(Game::Routes(RouteGame::new(site, slots, guards, checked)?))
}

fn singleton_solution(game: &SingletonGame, seed: Option<u64>) -> SolutionJson {
    let eq = game.solve();
    let ids = game.ids();
    // The coverage comes from the solver, so it passes the sampler's checks.
    let assignment = seed.and_then(|seed| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        draw_assignment(&eq.coverage, game.guards(), &mut rng).ok()
    });
    SolutionJson {
        model: "singleton",
        attacker_value: eq.attacker_value,
        defender_value: eq.defender_value,
        attacked: Place::Id { id: ids[eq.attacked].clone() },
        coverage: ids
            .iter()
            .zip(&eq.coverage)
            .map(|(id, &p)| Covered { place: Place::Id { id: id.clone() }, p })
            .collect(),
        holes: Vec::new(),
        flow: None,
        routes: None,
        inspections: None,
        assignment: assignment.map(|a| a.into_iter().map(|t| ids[t].clone()).collect()),
    }
}

fn route_solution(game: &RouteGame, seed: Option<u64>) -> SolutionJson {
    let solution = game.solve();
    let site = game.site();
    let place = |t: usize| {
        let (zone, slot) = game.places()[t];
        Place::ZoneSlot { zone: site.zone_id(zone).to_owned(), slot }
    };
    let nights = seed.map(|seed| solution.plan.draw(&mut ChaCha8Rng::seed_from_u64(seed)));
    SolutionJson {
        model: "routes",
        attacker_value: solution.attacker_value,
        defender_value: solution.defender_value,
        attacked: place(solution.attacked),
        coverage: solution.coverage.iter().enumerate().map(|(t, &p)| Covered { place: place(t), p }).collect(),
        holes: solution.holes.iter().map(|&t| place(t)).collect(),
        flow: Some(
            solution
                .plan
                .moves()
                .into_iter()
                .map(|m| MoveJson {
                    slot: m.slot,
                    from: site.zone_id(m.from).to_owned(),
                    to: site.zone_id(m.to).to_owned(),
                    f: m.guards,
                })
                .collect(),
        ),
        routes: nights.as_ref().map(|routes| {
            routes.iter().map(|r| r.zones.iter().map(|&z| site.zone_id(z).to_owned()).collect()).collect()
        }),
        inspections: nights.map(|routes| routes.into_iter().map(|r| r.inspects).collect()),
        assignment: None,
    }
}
