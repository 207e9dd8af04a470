//! Watchlists: people and vehicles a unit, or the police for an area, want flagged at the gate
//! (R11: suspicious persons, fake-plated vehicles).
//!
//! An entry matches on exactly one key:
//! - an ID number (CCCD, CMND or passport), stored only as HMAC-SHA256 under the deployment's
//!   key, so a leaked list does not reveal numbers (they are personal data under NĐ 13/2023
//!   Điều 2 khoản 3);
//! - a plate's match key ([`super::plate::key`]; not validated, since fake plates are the point);
//! - a whole name, folded ([`crate::text::fold`]): accent-, case- and spacing-insensitive, but
//!   never a substring match ("Nguyễn Văn An" is not "Nguyễn Văn A").
//!
//! An expired entry never matches. Which lists apply to a unit (its own, and the police's for
//! its area) is the caller's choice of `entries`.

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::{WatchEntryId, plate};
use crate::registry::code_enum;
use crate::text;
use crate::{AuthorityId, UnitId};

code_enum!(
    /// Whose list an entry is on.
    ListSource {
        Unit = "unit",
        Police = "police",
    }
);

code_enum!(
    /// Which field of the visitor an entry matched.
    MatchField {
        IdNumber = "id_number",
        Plate = "plate",
        Name = "name",
    }
);

/// The owner of a watchlist entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum WatchOwner {
    /// The unit's own list.
    Unit(UnitId),
    /// Shared by a police body with the units of its area.
    Police(AuthorityId),
}

impl WatchOwner {
    /// Unit or police.
    #[must_use]
    pub fn source(self) -> ListSource {
        match self {
            Self::Unit(_) => ListSource::Unit,
            Self::Police(_) => ListSource::Police,
        }
    }
}

/// The canonical form of an ID number before hashing: ASCII letters and digits, uppercase.
#[must_use]
pub fn canonical_id(number: &str) -> String {
    number.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// HMAC-SHA256 of the canonical ID number under `key`.
#[must_use]
pub fn id_hash(key: &[u8; 32], id_number: &str) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(canonical_id(id_number).as_bytes());
    mac.finalize().into_bytes().into()
}

/// The whole-name key: folded, whitespace collapsed.
#[must_use]
pub fn name_key(name: &str) -> String {
    text::fold(name)
}

/// What an entry matches on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum WatchKey {
    IdNumber {
        #[serde(with = "hex32")]
        hash: [u8; 32],
    },
    Plate {
        key: String,
    },
    Name {
        key: String,
    },
}

impl WatchKey {
    /// An ID-number key (the number itself is not kept).
    #[must_use]
    pub fn id_number(secret: &[u8; 32], number: &str) -> Self {
        Self::IdNumber { hash: id_hash(secret, number) }
    }

    /// A plate key; `None` when the text has no letters or digits.
    #[must_use]
    pub fn plate(raw: &str) -> Option<Self> {
        let key = plate::key(raw);
        (!key.is_empty()).then_some(Self::Plate { key })
    }

    /// A whole-name key; `None` for an empty name.
    #[must_use]
    pub fn name(raw: &str) -> Option<Self> {
        let key = name_key(raw);
        (!key.is_empty()).then_some(Self::Name { key })
    }

    /// The field it matches.
    #[must_use]
    pub fn field(&self) -> MatchField {
        match self {
            Self::IdNumber { .. } => MatchField::IdNumber,
            Self::Plate { .. } => MatchField::Plate,
            Self::Name { .. } => MatchField::Name,
        }
    }
}

/// One watchlist entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchEntry {
    pub id: WatchEntryId,
    pub owner: WatchOwner,
    pub key: WatchKey,
    /// Why the person or vehicle is listed (shown to the guard on a hit).
    pub reason: String,
    pub created_at: Timestamp,
    /// After this instant the entry no longer matches.
    pub expires_at: Option<Timestamp>,
}

impl WatchEntry {
    /// Whether the entry is in force at `now`.
    #[must_use]
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|e| now < e)
    }
}

/// The visitor being checked, reduced to match keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidate {
    /// Hashes of every number the visitor showed (CCCD and its CMND alias, passport).
    pub id_hashes: Vec<[u8; 32]>,
    pub plate_key: Option<String>,
    pub name_key: Option<String>,
}

impl Candidate {
    /// Keys of a visitor from raw values; empty values are left out.
    #[must_use]
    pub fn new(secret: &[u8; 32], id_numbers: &[&str], plate: Option<&str>, name: Option<&str>) -> Self {
        Self {
            id_hashes: id_numbers.iter().filter(|n| !canonical_id(n).is_empty()).map(|n| id_hash(secret, n)).collect(),
            plate_key: plate.map(plate::key).filter(|k| !k.is_empty()),
            name_key: name.map(name_key).filter(|k| !k.is_empty()),
        }
    }
}

/// A watchlist hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub entry: WatchEntryId,
    pub field: MatchField,
    pub source: ListSource,
    pub owner: WatchOwner,
    pub reason: String,
}

/// The entries in force at `now` that match the candidate, police lists first.
#[must_use]
pub fn matches(entries: &[WatchEntry], candidate: &Candidate, now: Timestamp) -> Vec<Hit> {
    let mut hits: Vec<Hit> = entries
        .iter()
        .filter(|e| e.is_active(now))
        .filter(|e| match &e.key {
            WatchKey::IdNumber { hash } => candidate.id_hashes.iter().any(|h| bool::from(h.ct_eq(hash))),
            WatchKey::Plate { key } => candidate.plate_key.as_ref() == Some(key),
            WatchKey::Name { key } => candidate.name_key.as_ref() == Some(key),
        })
        .map(|e| Hit {
            entry: e.id,
            field: e.key.field(),
            source: e.owner.source(),
            owner: e.owner,
            reason: e.reason.clone(),
        })
        .collect();
    hits.sort_by_key(|h| (h.source != ListSource::Police, h.entry));
    hits
}

/// Serde for 32-byte hashes as lowercase hex.
mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(&text).map_err(D::Error::custom)?;
        bytes.try_into().map_err(|_| D::Error::custom("expected 32 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    const SECRET: [u8; 32] = [0x42; 32];

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn entry(n: u128, owner: WatchOwner, key: WatchKey, expires_at: Option<&str>) -> WatchEntry {
        WatchEntry {
            id: WatchEntryId(Uuid::from_u128(n)),
            owner,
            key,
            reason: format!("lý do {n}"),
            created_at: ts("2026-01-01T00:00:00Z"),
            expires_at: expires_at.map(ts),
        }
    }

    fn unit() -> WatchOwner {
        WatchOwner::Unit(UnitId(Uuid::from_u128(100)))
    }

    fn police() -> WatchOwner {
        WatchOwner::Police(AuthorityId(Uuid::from_u128(200)))
    }

    #[test]
    fn id_hash_is_hmac_sha256_of_the_canonical_number() {
        // Computed independently with Python's hmac module.
        let expected = "213ed37718f28a828ef1b28d3d77e52627b3ec598a8a12ea166488bbf5aeeac1";
        assert_eq!(hex::encode(id_hash(&SECRET, "001090123456")), expected);
        assert_eq!(hex::encode(id_hash(&SECRET, " 001 090 123456 ")), expected);
        let passport = "e9e0422877cf226e5cd2ed64c63fef72eab0602d64577d7eabff7602d2d647fd";
        assert_eq!(hex::encode(id_hash(&SECRET, "c1234567")), passport);
        assert_ne!(id_hash(&[0x43; 32], "001090123456"), id_hash(&SECRET, "001090123456"), "the key matters");
    }

    #[test]
    fn each_kind_of_key_matches_and_says_which_list_hit() {
        let now = ts("2026-03-01T00:00:00Z");
        let entries = [
            entry(1, unit(), WatchKey::id_number(&SECRET, "001090123456"), None),
            entry(2, police(), WatchKey::plate("30A-999.99").unwrap(), None),
            entry(3, police(), WatchKey::name("Trần Văn Bình").unwrap(), None),
        ];
        let by_id = Candidate::new(&SECRET, &["001090123456"], None, None);
        let hits = matches(&entries, &by_id, now);
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].field, hits[0].source), (MatchField::IdNumber, ListSource::Unit));
        assert_eq!(hits[0].reason, "lý do 1");

        let by_plate = Candidate::new(&SECRET, &[], Some("30a 99999"), None);
        assert_eq!(matches(&entries, &by_plate, now)[0].field, MatchField::Plate);

        let by_name = Candidate::new(&SECRET, &[], None, Some("TRAN  VAN BINH"));
        let hit = &matches(&entries, &by_name, now)[0];
        assert_eq!((hit.field, hit.source, hit.owner), (MatchField::Name, ListSource::Police, police()));
    }

    #[test]
    fn a_cmnd_alias_matches_an_entry_made_from_the_old_number() {
        let entries = [entry(1, police(), WatchKey::id_number(&SECRET, "012345678"), None)];
        let candidate = Candidate::new(&SECRET, &["001090123456", "012345678"], None, None);
        assert_eq!(matches(&entries, &candidate, ts("2026-03-01T00:00:00Z")).len(), 1);
    }

    #[test]
    fn names_match_whole_never_as_substrings() {
        let entries = [entry(1, unit(), WatchKey::name("Nguyễn Văn A").unwrap(), None)];
        let now = ts("2026-03-01T00:00:00Z");
        let hit = |name: &str| !matches(&entries, &Candidate::new(&SECRET, &[], None, Some(name)), now).is_empty();
        assert!(hit("nguyen van a"));
        assert!(hit(" Nguyễn   Văn  A "));
        assert!(!hit("Nguyễn Văn An"));
        assert!(!hit("Nguyễn Văn"));
        assert!(!hit("Lê Nguyễn Văn A"));
    }

    #[test]
    fn an_expired_entry_never_matches() {
        let entries = [entry(1, unit(), WatchKey::plate("51F-123.45").unwrap(), Some("2026-03-01T00:00:00Z"))];
        let candidate = Candidate::new(&SECRET, &[], Some("51F12345"), None);
        assert_eq!(matches(&entries, &candidate, ts("2026-02-28T23:59:59Z")).len(), 1);
        assert!(matches(&entries, &candidate, ts("2026-03-01T00:00:00Z")).is_empty());
    }

    #[test]
    fn empty_candidate_values_match_nothing() {
        assert_eq!(WatchKey::name("  "), None);
        assert_eq!(WatchKey::plate("--"), None);
        let c = Candidate::new(&SECRET, &["", " - "], Some(""), Some(""));
        assert_eq!(c, Candidate::default());
    }

    #[test]
    fn police_hits_come_first() {
        let key = || WatchKey::plate("30A-999.99").unwrap();
        let entries = [entry(1, unit(), key(), None), entry(2, police(), key(), None)];
        let hits = matches(&entries, &Candidate::new(&SECRET, &[], Some("30A99999"), None), ts("2026-03-01T00:00:00Z"));
        assert_eq!(hits.iter().map(|h| h.source).collect::<Vec<_>>(), [ListSource::Police, ListSource::Unit]);
    }

    #[test]
    fn an_entry_round_trips_through_json_with_a_hex_hash() {
        let e = entry(1, police(), WatchKey::id_number(&SECRET, "001090123456"), Some("2027-01-01T00:00:00Z"));
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("213ed37718f28a828ef1b28d3d77e52627b3ec598a8a12ea166488bbf5aeeac1"), "{json}");
        assert_eq!(serde_json::from_str::<WatchEntry>(&json).unwrap(), e);
    }
}
