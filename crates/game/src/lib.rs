//! The patrol game (R6): strong Stackelberg equilibria of the patrol-planning game and the
//! sampling of unpredictable patrol plans with exact marginals. Pure math with no dependency of
//! ours; the risk calendar in `baove-core` supplies the payoffs. Section numbers (§) in comments
//! refer to the research note `shared/vectors/security-games.md`.
//!
//! - [`singleton`]: m identical guards, one target each; exact SSE by water-filling ORIGAMI in
//!   O(n log n) (§2.4).
//! - [`comb`]: one assignment of the m guards with exact marginals (§3.1).
//! - [`route`]: K guards walking closed routes from the post over a night of slots; exact SSE
//!   from a parametric max-flow and a closed form, nights drawn by randomized cycle rounding
//!   (§3.3, §4.2, §7.3).
//! - [`instance`]: the JSON the CLI and the cross-checks read and write.
//!
//! Both models need ORIGAMI-class payoffs (coverage helps the defender and hurts the attacker on
//! every target, §1.2); anything else is refused, as is every malformed instance
//! ([`GameError`]). Randomness comes in as a `rand::Rng`; nothing here reads a clock or an
//! operating-system random source.
//!
//! Numerics are f64. Tolerances, each documented where defined: attacker ties within
//! [`payoffs::TIE_EPS`] (1e-9 × payoff scale); a max-flow deficit of at most 1e-11 counts as
//! feasible; flows within 1e-9 of an integer are that integer when rounding.

pub mod comb;
mod error;
pub mod instance;
pub mod payoffs;
pub mod route;
pub mod singleton;

pub use comb::{comb_sample, draw_assignment};
pub use error::GameError;
pub use instance::{Game, Instance, solve_json};
pub use payoffs::Payoffs;
pub use route::{Move, PatrolPlan, Route, RouteGame, RouteSolution, RouteTarget, Site};
pub use singleton::{Equilibrium, SingletonGame, SingletonTarget};
