//! Why a game was refused. Every check happens once, where an instance enters the crate
//! (`SingletonGame::new`, `Site::new`, `RouteGame::new`, the JSON reader, the samplers), and each
//! variant carries the facts needed to fix the input, so a caller can show it as it is.

/// A game, site or sampling request that the solver will not take.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GameError {
    /// The instance text is not JSON of the expected shape.
    #[error("the instance is not valid: {message} (line {line}, column {column})")]
    InvalidJson { line: usize, column: usize, message: String },
    /// A route-model field appears without the route model (`edges` without `post`).
    #[error("\"edges\" is given without \"post\": a site needs its guard post")]
    EdgesWithoutPost,
    /// A target lacks a field its model needs (`id` for singleton targets, `zone`/`slot` for routes).
    #[error("{place}: the {model} model needs \"{field}\"")]
    MissingField { place: String, model: &'static str, field: &'static str },
    /// A target carries a field of the other model.
    #[error("{place}: \"{field}\" has no meaning in the {model} model")]
    UnexpectedField { place: String, model: &'static str, field: &'static str },
    /// An identifier is the empty string.
    #[error("an empty {place} id")]
    EmptyId { place: &'static str },
    /// No guards: the game has no defender.
    #[error("there are no guards (at least one is needed)")]
    NoGuards,
    /// No targets: the game has no attacker move.
    #[error("there are no targets")]
    NoTargets,
    /// A night of zero slots: routes could not leave the post.
    #[error("the night has no slots (at least one is needed)")]
    NoSlots,
    /// More than the solver is sized for.
    #[error("{what} is {value}, above the limit of {limit}")]
    TooLarge { what: &'static str, value: u64, limit: u64 },
    /// A payoff is NaN or infinite.
    #[error("target {target}: {field} is {value}, not a finite number")]
    NonFinitePayoff { target: String, field: &'static str, value: f64 },
    /// Coverage does not help the defender and hurt the attacker on this target (notes §1.2), so
    /// the exact closed forms of this crate do not apply.
    #[error(
        "target {target} is not ORIGAMI-class: it needs defender_reward > defender_penalty \
         ({defender_reward} vs {defender_penalty}) and attacker_reward > attacker_penalty \
         ({attacker_reward} vs {attacker_penalty})"
    )]
    NotOrigamiClass {
        target: String,
        attacker_reward: f64,
        attacker_penalty: f64,
        defender_reward: f64,
        defender_penalty: f64,
    },
    /// Two targets with the same id, or the same (zone, slot).
    #[error("target {target} is given twice")]
    DuplicateTarget { target: String },
    /// Two zones with the same id.
    #[error("zone {zone} is given twice")]
    DuplicateZone { zone: String },
    /// A zone named in an edge, a target or the post that the zone list does not have.
    #[error("unknown zone {zone} in {place}")]
    UnknownZone { zone: String, place: &'static str },
    /// An edge from a zone to itself (staying put is always allowed; the edge means nothing).
    #[error("edge from zone {zone} to itself")]
    SelfLoop { zone: String },
    /// The same undirected edge twice.
    #[error("edge {a} – {b} is given twice")]
    DuplicateEdge { a: String, b: String },
    /// A zone that no walk from the guard post reaches.
    #[error("zone {zone} cannot be reached from the guard post {post} by any walk")]
    PostDisconnected { post: String, zone: String },
    /// A target slot past the end of the night.
    #[error("target {target}: slot {slot} is past the night's last slot {slots}")]
    SlotOutOfRange { target: String, slot: u64, slots: u32 },
    /// A coverage probability outside [0, 1] or not finite.
    #[error("coverage of target {index} is {value}, not a probability")]
    InvalidCoverage { index: usize, value: f64 },
    /// Coverage that more guards than there are would be needed to carry.
    #[error("coverage sums to {total}, more than the {guards} guards can carry")]
    CoverageExceedsGuards { total: f64, guards: u64 },
    /// The comb's offset must be uniform in [0, 1).
    #[error("comb offset {u} is not in [0, 1)")]
    InvalidUniform { u: f64 },
}
