//! Visitors at the gate (R7–R8): identity documents, visitor cards, watchlists, foreigners and
//! the personal-data rules of the logbook.
