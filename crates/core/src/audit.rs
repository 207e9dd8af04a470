//! The audit chain: every change is appended as an entry whose hash covers the previous
//! entry's hash, so rewriting, deleting or reordering any row breaks the chain from that row on.
//!
//! hash(n) = SHA-256 over prev_hash(n) and every field of entry n, each written as its byte
//! length (8 bytes, big-endian) and its bytes. The before/after images are hashed as the exact
//! JSON text stored, so verification never depends on re-serialising.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audited change, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When, in microseconds since the Unix epoch (UTC).
    pub at_us: i64,
    /// The account that made the change (empty for the system itself).
    pub actor_id: String,
    pub actor_name: String,
    /// What was done, as `entity.verb` (e.g. `zone.update`).
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// The unit the change belongs to, when it belongs to one.
    pub unit_id: String,
    /// JSON of the entity before the change (empty for a creation).
    pub before: String,
    /// JSON of the entity after the change (empty for a deletion).
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry must carry, given its `prev_hash` and fields.
    #[must_use]
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_be_bytes();
        let at = self.at_us.to_be_bytes();
        let fields: [&[u8]; 11] = [
            self.prev_hash.as_bytes(),
            &seq,
            &at,
            self.actor_id.as_bytes(),
            self.actor_name.as_bytes(),
            self.action.as_bytes(),
            self.entity.as_bytes(),
            self.entity_id.as_bytes(),
            self.unit_id.as_bytes(),
            self.before.as_bytes(),
            self.after.as_bytes(),
        ];
        for field in fields {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field);
        }
        hex::encode(h.finalize())
    }

    /// Fills in `prev_hash` and `hash` to append this entry after `prev`.
    pub fn seal(&mut self, prev_hash: &str) {
        prev_hash.clone_into(&mut self.prev_hash);
        self.hash = self.compute_hash();
    }
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBroken {
    #[error("entry {seq}: its content does not match its hash (edited)")]
    Edited { seq: i64 },
    #[error("entry {seq}: it does not follow the entry before it (removed, inserted or reordered)")]
    Unlinked { seq: i64 },
    #[error("entry {seq}: expected sequence number {expected} (gap)")]
    Gap { seq: i64, expected: i64 },
}

/// Checks a chain entry by entry, so that a long chain is verified in pages without being
/// held in memory.
#[derive(Debug, Clone)]
pub struct Verifier {
    prev: String,
    expected: i64,
    count: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self { prev: GENESIS.to_owned(), expected: 1, count: 0 }
    }
}

impl Verifier {
    /// Checks the next entry.
    ///
    /// # Errors
    /// The break this entry shows.
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), ChainBroken> {
        if e.seq != self.expected {
            return Err(ChainBroken::Gap { seq: e.seq, expected: self.expected });
        }
        if e.prev_hash != self.prev {
            return Err(ChainBroken::Unlinked { seq: e.seq });
        }
        if e.compute_hash() != e.hash {
            return Err(ChainBroken::Edited { seq: e.seq });
        }
        self.prev.clone_from(&e.hash);
        self.expected += 1;
        self.count += 1;
        Ok(())
    }

    /// How many entries were verified.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.count
    }
}

/// Checks a whole chain in order; returns how many entries were verified.
///
/// # Errors
/// The first break found.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> Result<u64, ChainBroken> {
    let mut v = Verifier::default();
    for e in entries {
        v.push(e)?;
    }
    Ok(v.count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for seq in 1..=n {
            let mut e = AuditEntry {
                seq,
                at_us: 1_700_000_000_000_000 + seq,
                actor_id: "a".into(),
                actor_name: "Nguyễn Văn A".into(),
                action: "zone.update".into(),
                entity: "zone".into(),
                entity_id: format!("z{seq}"),
                unit_id: "u".into(),
                before: r#"{"name":"Kho"}"#.into(),
                after: r#"{"name":"Kho quỹ"}"#.into(),
                prev_hash: String::new(),
                hash: String::new(),
            };
            let prev = out.last().map_or(GENESIS.to_owned(), |p| p.hash.clone());
            e.seal(&prev);
            out.push(e);
        }
        out
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
    }

    #[test]
    fn an_edited_entry_is_found() {
        let mut c = chain(5);
        c[2].after = r#"{"name":"Kho trống"}"#.into();
        assert_eq!(verify(&c), Err(ChainBroken::Edited { seq: 3 }));
    }

    #[test]
    fn an_edited_entry_with_a_recomputed_hash_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].actor_name = "Kẻ gian".into();
        c[2].hash = c[2].compute_hash();
        assert_eq!(verify(&c), Err(ChainBroken::Unlinked { seq: 4 }));
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c), Err(ChainBroken::Gap { seq: 3, expected: 2 }));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.entity = "zo".into();
        a.entity_id = "nez1".into();
        b.entity_id = "z1".into();
        assert_ne!(a.compute_hash(), b.compute_hash());
    }
}
