//! The route model (notes §4.2): K identical guards walk closed routes from the guard post over a
//! night of S slots, and each target is a (zone, slot) pair. Its strong Stackelberg equilibrium
//! for ORIGAMI-class payoffs is one minimax problem plus a closed form (the review note that
//! opens the notes): the attacker level x* comes from a parametric max-flow (sse.rs), the coverage is
//! `c_t = max(0, (Uau(t) − x*)/(Uau(t) − Uac(t)))`, and the defender's value is the best
//! `Ud(t, c_t)` over targets with `Uau(t) ≥ x*`. A night's plan is drawn from the equilibrium
//! flow by randomized cycle rounding (rounding.rs).
//!
//! Targets at zone-slots no closed route can reach (too far from the post for the slots left)
//! are holes: they stay in the game with coverage 0, so the attacker level never drops below
//! their reward, and they are listed so the operator can cover them some other way.

pub(crate) mod flow;
pub(crate) mod network;
pub(crate) mod rounding;
pub mod site;
pub(crate) mod sse;

use std::collections::HashSet;

use rand::Rng;

use crate::payoffs::closed_form;
use crate::{GameError, Payoffs};
use network::{ArcKind, Network};
pub use rounding::Route;
pub use site::Site;

/// Largest number of zone-slots (zones × (S+1)) accepted.
pub const MAX_ZONE_SLOTS: u64 = 20_000_000;
/// Largest number of guards accepted.
pub const MAX_GUARDS: u64 = 1_000_000;

/// One target of the route model.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteTarget {
    pub zone: String,
    pub slot: u32,
    pub payoffs: Payoffs,
}

/// A checked route game.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteGame {
    site: Site,
    slots: u32,
    guards: u32,
    places: Vec<(usize, u32)>,
    payoffs: Vec<Payoffs>,
}

/// The strong Stackelberg equilibrium of a route game.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteSolution {
    /// The attacker's equilibrium utility x*.
    pub attacker_value: f64,
    /// The defender's equilibrium utility: `Ud` of the attacked target.
    pub defender_value: f64,
    /// Probability that each target's zone-slot is inspected, in input order.
    pub coverage: Vec<f64>,
    /// The target the attacker hits (the defender-best one among those giving him x*).
    pub attacked: usize,
    /// Targets no closed route can reach, in input order.
    pub holes: Vec<usize>,
    /// The flow that realises the coverage, from which nights are drawn.
    pub plan: PatrolPlan,
}

/// The equilibrium as a flow of guards over the time-expanded site.
#[derive(Debug, Clone, PartialEq)]
pub struct PatrolPlan {
    network: Network,
    flow: Vec<f64>,
}

/// Expected guards walking from `from` at slot `slot` to `to` at `slot + 1` (`from == to` is
/// staying put).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    pub slot: u32,
    pub from: usize,
    pub to: usize,
    pub guards: f64,
}

impl RouteGame {
    /// Checks and builds a game of `guards` guards on `site` over a night of `slots` slots.
    ///
    /// # Errors
    /// [`GameError::NoSlots`], [`GameError::NoGuards`], [`GameError::NoTargets`],
    /// [`GameError::TooLarge`], [`GameError::UnknownZone`] for a target's zone,
    /// [`GameError::SlotOutOfRange`], [`GameError::DuplicateTarget`], and the payoff errors of
    /// [`Payoffs::check`].
    pub fn new(site: Site, slots: u32, guards: u32, targets: Vec<RouteTarget>) -> Result<Self, GameError> {
        if slots == 0 {
            return Err(GameError::NoSlots);
        }
        if guards == 0 {
            return Err(GameError::NoGuards);
        }
        if u64::from(guards) > MAX_GUARDS {
            return Err(GameError::TooLarge { what: "the number of guards", value: guards.into(), limit: MAX_GUARDS });
        }
        let zone_slots = site.zone_count() as u64 * (u64::from(slots) + 1);
        if zone_slots > MAX_ZONE_SLOTS {
            return Err(GameError::TooLarge { what: "zones × (slots + 1)", value: zone_slots, limit: MAX_ZONE_SLOTS });
        }
        if targets.is_empty() {
            return Err(GameError::NoTargets);
        }
        let mut seen = HashSet::with_capacity(targets.len());
        let mut places = Vec::with_capacity(targets.len());
        let mut payoffs = Vec::with_capacity(targets.len());
        for target in targets {
            let name = format!("{}@{}", target.zone, target.slot);
            let zone = site
                .zone_index(&target.zone)
                .ok_or_else(|| GameError::UnknownZone { zone: target.zone.clone(), place: "target" })?;
            if target.slot > slots {
                return Err(GameError::SlotOutOfRange { target: name, slot: target.slot.into(), slots });
            }
            target.payoffs.check(&name)?;
            if !seen.insert((zone, target.slot)) {
                return Err(GameError::DuplicateTarget { target: name });
            }
            places.push((zone, target.slot));
            payoffs.push(target.payoffs);
        }
        Ok(Self { site, slots, guards, places, payoffs })
    }

    #[must_use]
    pub fn site(&self) -> &Site {
        &self.site
    }

    #[must_use]
    pub fn slots(&self) -> u32 {
        self.slots
    }

    #[must_use]
    pub fn guards(&self) -> u32 {
        self.guards
    }

    /// (zone index, slot) of every target, in input order.
    #[must_use]
    pub fn places(&self) -> &[(usize, u32)] {
        &self.places
    }

    #[must_use]
    pub fn payoffs(&self) -> &[Payoffs] {
        &self.payoffs
    }

    /// The strong Stackelberg equilibrium and a flow realising its coverage.
    #[must_use]
    pub fn solve(&self) -> RouteSolution {
        let network = Network::build(&self.site, self.slots, self.guards, &self.places);
        let holes: Vec<usize> = (0..self.places.len()).filter(|&t| network.target_arcs[t].is_none()).collect();
        let minimax = sse::solve(&network, &self.payoffs);
        let unreachable: Vec<bool> = network.target_arcs.iter().map(Option::is_none).collect();
        let (coverage, attacked, defender_value) = closed_form(&self.payoffs, minimax.level, &unreachable);
        RouteSolution {
            attacker_value: minimax.level,
            defender_value,
            coverage,
            attacked,
            holes,
            plan: PatrolPlan { network, flow: minimax.flow },
        }
    }
}

impl PatrolPlan {
    /// Draws one night: K routes such that each target's zone-slot is inspected (by exactly one
    /// guard) with probability exactly its coverage (notes §3.3).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<Route> {
        let integral = rounding::round(&self.network, &self.flow, rng);
        rounding::routes(&self.network, &integral, rng)
    }

    /// The expected guard movements between consecutive slots, with positive flow.
    #[must_use]
    pub fn moves(&self) -> Vec<Move> {
        self.network
            .arcs
            .iter()
            .zip(&self.flow)
            .filter(|(arc, f)| arc.kind == ArcKind::Move && **f > 0.0)
            .map(|(arc, &guards)| {
                let (from, slot) = self.network.place[arc.tail as usize];
                let to = self.network.place[arc.head as usize].0;
                Move { slot, from: from as usize, to: to as usize, guards }
            })
            .collect()
    }

    /// Expected guards present at each reachable (zone, slot), as (zone, slot, guards).
    #[must_use]
    pub fn presence(&self) -> Vec<(usize, u32, f64)> {
        let mut through = vec![0.0; self.network.node_count];
        for (arc, f) in self.network.arcs.iter().zip(&self.flow) {
            if arc.kind == ArcKind::Move {
                through[arc.head as usize] += f;
            }
        }
        through[self.network.source as usize] = f64::from(self.network.guards);
        let mut presence = Vec::new();
        for (v, &(zone, slot)) in self.network.place.iter().enumerate() {
            // Split nodes appear twice in `place`: count each zone-slot at its in-node.
            if v > 0 && self.network.place[v - 1] == (zone, slot) {
                continue;
            }
            presence.push((zone as usize, slot, through[v]));
        }
        presence
    }
}
