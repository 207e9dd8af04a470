//! Numbered visitor cards (thẻ khách, R7): their life cycle, the closing-time reconciliation
//! of cards and visits, and overstays.
//!
//! A card is `Available` on the desk, `Issued` to one visit, `Returned` at check-out (and
//! issuable again), or `Lost`; a lost card that turns up is `Found` back onto the desk. The
//! transition function is pure: it returns the card's next state or says why the move is
//! illegal.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{Visit, VisitId};
use crate::registry::code_enum;

/// The highest card number.
pub const MAX_CARD: u16 = 9999;

/// The number printed on a visitor card (shown as `007`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardNumber(pub u16);

impl CardNumber {
    /// Parses `7`, `007` or `#007`; `None` outside 1–[`MAX_CARD`].
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().trim_start_matches('#');
        if raw.is_empty() || raw.len() > 6 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        raw.parse().ok().filter(|n| (1..=MAX_CARD).contains(n)).map(Self)
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

code_enum!(
    /// Where a visitor card is.
    CardState {
        Available = "available",
        Issued = "issued",
        Returned = "returned",
        Lost = "lost",
    }
);

impl CardState {
    /// Whether a card in this state may be handed out.
    #[must_use]
    pub fn issuable(self) -> bool {
        matches!(self, Self::Available | Self::Returned)
    }
}

/// What happens to a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CardAction {
    /// Handed to the visitor of `visit`.
    Issue { visit: VisitId },
    /// Handed back at check-out.
    Return,
    /// Reported missing (by the visitor, or found missing from the desk).
    ReportLost,
    /// A lost card turned up.
    Found,
}

impl CardAction {
    /// The stable name of the action.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Issue { .. } => "issue",
            Self::Return => "return",
            Self::ReportLost => "report_lost",
            Self::Found => "found",
        }
    }
}

/// One visitor card and its current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorCard {
    pub number: CardNumber,
    pub state: CardState,
    /// The visit holding the card (issued), or the last one that held it.
    pub visit: Option<VisitId>,
    pub changed_at: Timestamp,
}

/// A card move that is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("card {number} cannot {act} while {from}", act = .action.code())]
    IllegalMove { number: CardNumber, from: CardState, action: CardAction },
    #[error("card {number} changed at {last}; a change at {at} would go back in time")]
    OutOfOrder { number: CardNumber, last: Timestamp, at: Timestamp },
}

impl CardError {
    /// The stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalMove { .. } => "illegal_card_move",
            Self::OutOfOrder { .. } => "card_change_out_of_order",
        }
    }
}

impl VisitorCard {
    /// A new card on the desk.
    #[must_use]
    pub fn new(number: CardNumber, at: Timestamp) -> Self {
        Self { number, state: CardState::Available, visit: None, changed_at: at }
    }

    /// The card after `action` at `at`.
    ///
    /// # Errors
    /// [`CardError::IllegalMove`] (issuing an issued or lost card, returning a card that is not
    /// out, finding a card that is not lost) or [`CardError::OutOfOrder`].
    pub fn apply(&self, action: CardAction, at: Timestamp) -> Result<Self, CardError> {
        if at < self.changed_at {
            return Err(CardError::OutOfOrder { number: self.number, last: self.changed_at, at });
        }
        let (state, visit) = match (self.state, action) {
            (s, CardAction::Issue { visit }) if s.issuable() => (CardState::Issued, Some(visit)),
            (CardState::Issued, CardAction::Return) => (CardState::Returned, self.visit),
            (CardState::Issued | CardState::Available | CardState::Returned, CardAction::ReportLost) => {
                (CardState::Lost, self.visit)
            }
            (CardState::Lost, CardAction::Found) => (CardState::Available, self.visit),
            (from, action) => return Err(CardError::IllegalMove { number: self.number, from, action }),
        };
        Ok(Self { number: self.number, state, visit, changed_at: at })
    }
}

/// A card still out at closing time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardOut {
    pub number: CardNumber,
    pub visit: Option<VisitId>,
    pub since: Timestamp,
    /// The visit holding it has checked out: the card was not taken back at the gate.
    pub visitor_left: bool,
}

/// What the guard must sort out before closing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Reconciliation {
    /// Issued cards, by number.
    pub cards_out: Vec<CardOut>,
    /// Visits not checked out, by check-in time.
    pub visitors_inside: Vec<VisitId>,
    /// Lost cards, by number.
    pub cards_lost: Vec<CardNumber>,
    /// Visitors inside whose recorded card is not issued to them.
    pub card_mismatches: Vec<(VisitId, CardNumber)>,
}

impl Reconciliation {
    /// Whether everything is back and everyone has left.
    #[must_use]
    pub fn is_clear(&self) -> bool {
        self.cards_out.is_empty() && self.visitors_inside.is_empty() && self.card_mismatches.is_empty()
    }
}

/// Closing-time reconciliation of the day's visits with the unit's cards.
#[must_use]
pub fn reconcile(visits: &[Visit], cards: &[VisitorCard]) -> Reconciliation {
    let mut r = Reconciliation::default();
    let mut cards: Vec<&VisitorCard> = cards.iter().collect();
    cards.sort_by_key(|c| c.number);
    for card in &cards {
        match card.state {
            CardState::Issued => {
                let holder = card.visit.and_then(|id| visits.iter().find(|v| v.id == id));
                r.cards_out.push(CardOut {
                    number: card.number,
                    visit: card.visit,
                    since: card.changed_at,
                    visitor_left: holder.is_some_and(|v| !v.is_inside()),
                });
            }
            CardState::Lost => r.cards_lost.push(card.number),
            CardState::Available | CardState::Returned => {}
        }
    }
    let mut inside: Vec<&Visit> = visits.iter().filter(|v| v.is_inside() && v.purged_at.is_none()).collect();
    inside.sort_by_key(|v| (v.checked_in_at, v.id));
    for v in &inside {
        if let Some(number) = v.card {
            let held =
                cards.iter().any(|c| c.number == number && c.state == CardState::Issued && c.visit == Some(v.id));
            if !held {
                r.card_mismatches.push((v.id, number));
            }
        }
    }
    r.visitors_inside = inside.iter().map(|v| v.id).collect();
    r
}

/// A visitor inside longer than allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overstay {
    pub visit: VisitId,
    pub checked_in_at: Timestamp,
    pub over_by: SignedDuration,
}

/// Visitors still inside at `now` for longer than `max_stay`, longest overstay first.
#[must_use]
pub fn overstays(visits: &[Visit], now: Timestamp, max_stay: SignedDuration) -> Vec<Overstay> {
    let mut out: Vec<Overstay> = visits
        .iter()
        .filter(|v| v.is_inside())
        .filter_map(|v| {
            let over_by = v.duration(now).checked_sub(max_stay)?;
            over_by.is_positive().then_some(Overstay { visit: v.id, checked_in_at: v.checked_in_at, over_by })
        })
        .collect();
    out.sort_by(|a, b| b.over_by.cmp(&a.over_by).then(a.visit.cmp(&b.visit)));
    out
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::visitor::visit::tests::visit_at;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn visit_id(n: u128) -> VisitId {
        VisitId(Uuid::from_u128(n))
    }

    #[test]
    fn card_numbers_parse_and_print_with_three_digits() {
        assert_eq!(CardNumber::parse("007"), Some(CardNumber(7)));
        assert_eq!(CardNumber::parse(" #12 "), Some(CardNumber(12)));
        assert_eq!(CardNumber(7).to_string(), "007");
        assert_eq!(CardNumber(1234).to_string(), "1234");
        for bad in ["0", "10000", "-1", "7a", "", "99999999999999999999"] {
            assert_eq!(CardNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_card_goes_out_comes_back_and_goes_out_again() {
        let t0 = ts("2026-03-01T01:00:00Z");
        let card = VisitorCard::new(CardNumber(7), t0);
        let issued = card.apply(CardAction::Issue { visit: visit_id(1) }, t0).unwrap();
        assert_eq!((issued.state, issued.visit), (CardState::Issued, Some(visit_id(1))));
        let back = issued.apply(CardAction::Return, ts("2026-03-01T02:00:00Z")).unwrap();
        assert_eq!((back.state, back.visit), (CardState::Returned, Some(visit_id(1))));
        let again = back.apply(CardAction::Issue { visit: visit_id(2) }, ts("2026-03-01T03:00:00Z")).unwrap();
        assert_eq!(again.visit, Some(visit_id(2)));
    }

    #[test]
    fn a_lost_card_is_found_back_onto_the_desk() {
        let t0 = ts("2026-03-01T01:00:00Z");
        let issued = VisitorCard::new(CardNumber(3), t0).apply(CardAction::Issue { visit: visit_id(1) }, t0).unwrap();
        let lost = issued.apply(CardAction::ReportLost, t0).unwrap();
        assert_eq!(lost.state, CardState::Lost);
        assert_eq!(lost.visit, Some(visit_id(1)), "who lost it is remembered");
        let found = lost.apply(CardAction::Found, t0).unwrap();
        assert_eq!(found.state, CardState::Available);
    }

    #[test]
    fn illegal_moves_are_refused_with_the_state_they_came_from() {
        let t0 = ts("2026-03-01T01:00:00Z");
        let available = VisitorCard::new(CardNumber(5), t0);
        let issued = available.apply(CardAction::Issue { visit: visit_id(1) }, t0).unwrap();
        let lost = issued.apply(CardAction::ReportLost, t0).unwrap();
        let cases = [
            (&issued, CardAction::Issue { visit: visit_id(2) }, CardState::Issued),
            (&lost, CardAction::Issue { visit: visit_id(2) }, CardState::Lost),
            (&available, CardAction::Return, CardState::Available),
            (&lost, CardAction::Return, CardState::Lost),
            (&available, CardAction::Found, CardState::Available),
            (&issued, CardAction::Found, CardState::Issued),
            (&lost, CardAction::ReportLost, CardState::Lost),
        ];
        for (card, action, from) in cases {
            let err = card.apply(action, t0).unwrap_err();
            assert_eq!(err, CardError::IllegalMove { number: card.number, from, action });
            assert_eq!(err.code(), "illegal_card_move");
        }
        assert!(matches!(
            issued.apply(CardAction::Return, ts("2026-03-01T00:59:00Z")),
            Err(CardError::OutOfOrder { .. })
        ));
    }

    #[test]
    fn closing_lists_cards_out_visitors_inside_and_mismatches() {
        let t0 = ts("2026-03-01T01:00:00Z");
        let inside = visit_at(1, "2026-03-01T01:00:00Z");
        let left_without_card = visit_at(2, "2026-03-01T00:30:00Z").check_out(ts("2026-03-01T02:00:00Z")).unwrap();
        let left_properly = visit_at(3, "2026-03-01T00:10:00Z").check_out(ts("2026-03-01T02:00:00Z")).unwrap();
        let inside_card_mixup = visit_at(4, "2026-03-01T00:20:00Z");
        let issue =
            |n: u16, v: u128| VisitorCard::new(CardNumber(n), t0).apply(CardAction::Issue { visit: visit_id(v) }, t0);
        let cards = [
            issue(1, 1).unwrap(),
            issue(2, 2).unwrap(),
            issue(3, 3).unwrap().apply(CardAction::Return, t0).unwrap(),
            VisitorCard::new(CardNumber(4), t0),
            issue(9, 9).unwrap().apply(CardAction::ReportLost, t0).unwrap(),
        ];
        let r = reconcile(&[inside, left_without_card, left_properly, inside_card_mixup], &cards);
        assert_eq!(
            r.cards_out.iter().map(|c| (c.number.0, c.visitor_left)).collect::<Vec<_>>(),
            [(1, false), (2, true)]
        );
        assert_eq!(r.visitors_inside, [visit_id(4), visit_id(1)], "by check-in time");
        assert_eq!(r.cards_lost, [CardNumber(9)]);
        assert_eq!(r.card_mismatches, [(visit_id(4), CardNumber(4))]);
        assert!(!r.is_clear());
        assert!(reconcile(&[], &[VisitorCard::new(CardNumber(1), t0)]).is_clear());
    }

    #[test]
    fn overstays_are_those_inside_past_the_limit_longest_first() {
        let now = ts("2026-03-01T09:00:00Z");
        let visits = [
            visit_at(1, "2026-03-01T05:00:00Z"),
            visit_at(2, "2026-03-01T01:00:00Z"),
            visit_at(3, "2026-03-01T05:00:01Z"),
            visit_at(4, "2026-03-01T00:00:00Z").check_out(ts("2026-03-01T08:00:00Z")).unwrap(),
        ];
        let found = overstays(&visits, now, SignedDuration::from_hours(4));
        assert_eq!(found.len(), 1, "exactly the limit is not an overstay; checked-out visits never are: {found:?}");
        assert_eq!(found[0].visit, visit_id(2));
        assert_eq!(found[0].over_by, SignedDuration::from_hours(4));
        let found = overstays(&visits, now, SignedDuration::from_mins(30));
        assert_eq!(found.iter().map(|o| o.visit).collect::<Vec<_>>(), [visit_id(2), visit_id(1), visit_id(3)]);
    }
}
