//! Rounds: the checkpoints of a site to visit in a time window, starting and ending at the
//! guard post, in order or in any order, and their state at any instant given the scans.
//!
//! Each position of a round has a deadline. In an ordered round the window is shared out
//! evenly, so position i of n is due at `start + (i + 1)/n × (end − start)`: a guard who
//! stops half-way is late at the next checkpoint, not only at the end. In an any-order round
//! every position is due at the end. A position is *late* when visited after its deadline but
//! within the grace period, and *missed* when the grace period passes without a visit.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::scan::{Flag, Scan};
use crate::registry::code_enum;
use crate::{CheckpointId, GuardId, RoundId, ScanId, SiteId, UnitId};

code_enum!(
    /// Where a round came from.
    RoundSource {
        Manual = "manual",
        Template = "template",
        Plan = "plan",
    }
);

/// A round to walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub id: RoundId,
    pub unit_id: UnitId,
    pub site_id: SiteId,
    pub name: String,
    /// Checkpoints in walking order; the guard post's checkpoint first and last.
    pub checkpoints: Vec<CheckpointId>,
    pub ordered: bool,
    pub window_start: Timestamp,
    pub window_end: Timestamp,
    pub grace_minutes: i64,
    /// The guard it is assigned to, if any.
    pub guard_id: Option<GuardId>,
    pub source: RoundSource,
}

/// The state of one position of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PointState {
    Pending {
        due: Timestamp,
    },
    Done {
        scan: ScanId,
        at: Timestamp,
    },
    Late {
        scan: ScanId,
        at: Timestamp,
        due: Timestamp,
    },
    /// The deadline plus grace has passed without a visit.
    Missed {
        due: Timestamp,
    },
}

/// The state of a round as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    /// Its window has not opened and nothing was scanned.
    Planned,
    InProgress,
    /// Every position visited on time.
    Done,
    /// Every position visited, some late.
    Late,
    /// At least one position missed.
    Missed,
}

/// A round evaluated at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub state: RoundState,
    pub points: Vec<PointState>,
    /// Scans that belong to the round but arrived out of the expected order.
    pub out_of_order: Vec<ScanId>,
}

impl Evaluation {
    /// Positions visited (on time or late) over all positions.
    #[must_use]
    pub fn completion(&self) -> (usize, usize) {
        let done =
            self.points.iter().filter(|p| matches!(p, PointState::Done { .. } | PointState::Late { .. })).count();
        (done, self.points.len())
    }
}

impl Round {
    fn grace(&self) -> SignedDuration {
        SignedDuration::from_mins(self.grace_minutes)
    }

    /// The deadline of position `i`.
    #[must_use]
    pub fn due(&self, i: usize) -> Timestamp {
        if !self.ordered || self.checkpoints.is_empty() {
            return self.window_end;
        }
        let span = self.window_end.duration_since(self.window_start);
        let n = i32::try_from(self.checkpoints.len()).unwrap_or(i32::MAX);
        let k = i32::try_from(i + 1).unwrap_or(i32::MAX);
        self.window_start + span.checked_mul(k).and_then(|d| d.checked_div(n)).unwrap_or(span)
    }

    /// Whether a scan at `at` can count for this round: from the window's opening (with the
    /// grace period before it, for a guard who sets out a little early) to its last deadline
    /// plus grace.
    #[must_use]
    pub fn accepts(&self, at: Timestamp) -> bool {
        at >= self.window_start - self.grace() && at <= self.window_end + self.grace()
    }

    /// The round's state at `now` given the scans recorded (any order, any checkpoints).
    #[must_use]
    pub fn evaluate(&self, scans: &[Scan], now: Timestamp) -> Evaluation {
        let mut mine: Vec<&Scan> = scans
            .iter()
            .filter(|s| self.checkpoints.contains(&s.checkpoint_id) && self.accepts(s.scanned_at))
            .collect();
        mine.sort_by_key(|s| (s.scanned_at, s.id));
        mine.dedup_by_key(|s| s.id);
        let mut taken: Vec<Option<&Scan>> = vec![None; self.checkpoints.len()];
        let mut out_of_order = Vec::new();
        let mut cursor = 0;
        for scan in mine {
            // The first free position for this checkpoint; in an ordered round the one at or
            // after the cursor, else any earlier free one (a visit out of order still counts).
            let free = |from: usize| {
                (from..self.checkpoints.len())
                    .find(|&i| taken[i].is_none() && self.checkpoints[i] == scan.checkpoint_id)
            };
            let at = if self.ordered { free(cursor).or_else(|| free(0)) } else { free(0) };
            let Some(i) = at else { continue };
            if self.ordered && i > cursor && taken[cursor..i].iter().any(Option::is_none) {
                out_of_order.push(scan.id);
            }
            taken[i] = Some(scan);
            if self.ordered && i >= cursor {
                cursor = i + 1;
            }
        }
        let points: Vec<PointState> = taken
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let due = self.due(i);
                match s {
                    Some(s) if s.scanned_at <= due => PointState::Done { scan: s.id, at: s.scanned_at },
                    Some(s) => PointState::Late { scan: s.id, at: s.scanned_at, due },
                    None if now > due + self.grace() => PointState::Missed { due },
                    None => PointState::Pending { due },
                }
            })
            .collect();
        let any = |f: fn(&PointState) -> bool| points.iter().any(f);
        let state = if any(|p| matches!(p, PointState::Missed { .. })) {
            RoundState::Missed
        } else if any(|p| matches!(p, PointState::Pending { .. })) {
            if now < self.window_start && !any(|p| !matches!(p, PointState::Pending { .. })) {
                RoundState::Planned
            } else {
                RoundState::InProgress
            }
        } else if any(|p| matches!(p, PointState::Late { .. })) {
            RoundState::Late
        } else {
            RoundState::Done
        };
        Evaluation { state, points, out_of_order }
    }

    /// The first deadline after `now` at which this round's state can change for lack of a
    /// visit: when the server should look again to raise a late or missed alert.
    #[must_use]
    pub fn next_check(&self, eval: &Evaluation, now: Timestamp) -> Option<Timestamp> {
        eval.points
            .iter()
            .filter_map(|p| match p {
                PointState::Pending { due } if *due > now => Some(*due),
                PointState::Pending { due } => Some(*due + self.grace()),
                _ => None,
            })
            .filter(|t| *t > now)
            .min()
    }
}

/// How well a set of rounds was walked, counting only positions already due (or visited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    /// Positions whose deadline plus grace has passed, or that were visited.
    pub due: usize,
    /// Of those, visited (on time or late).
    pub visited: usize,
    /// Of those, visited on time.
    pub on_time: usize,
    pub rounds_missed: usize,
}

impl Tally {
    /// Visited over due, as a percentage (100 when nothing was due yet).
    #[must_use]
    pub fn rate(&self) -> f64 {
        if self.due == 0 {
            100.0
        } else {
            #[allow(clippy::cast_precision_loss)]
            let r = self.visited as f64 * 100.0 / self.due as f64;
            r
        }
    }

    /// Adds another tally (another unit, another night).
    pub fn add(&mut self, other: Tally) {
        self.due += other.due;
        self.visited += other.visited;
        self.on_time += other.on_time;
        self.rounds_missed += other.rounds_missed;
    }
}

/// The completion of `rounds` at `now` given the scans.
#[must_use]
pub fn tally(rounds: &[Round], scans: &[Scan], now: Timestamp) -> Tally {
    let mut t = Tally::default();
    for r in rounds {
        let e = r.evaluate(scans, now);
        for p in &e.points {
            match p {
                PointState::Done { .. } => {
                    t.due += 1;
                    t.visited += 1;
                    t.on_time += 1;
                }
                PointState::Late { .. } => {
                    t.due += 1;
                    t.visited += 1;
                }
                PointState::Missed { .. } => t.due += 1,
                PointState::Pending { .. } => {}
            }
        }
        if e.state == RoundState::Missed {
            t.rounds_missed += 1;
        }
    }
    t
}

/// Flags of a scan that no round accepts.
#[must_use]
pub fn outside_rounds(scan: &Scan, rounds: &[Round]) -> Option<Flag> {
    let covered = rounds.iter().any(|r| r.checkpoints.contains(&scan.checkpoint_id) && r.accepts(scan.scanned_at));
    (!covered).then_some(Flag::OutsideRound)
}

#[cfg(test)]
mod tests;
