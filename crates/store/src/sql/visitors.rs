//! Visitors at the gate (R7–R8): the logbook, visitor cards, watchlists and the unit's settings.
//!
//! Personal data at rest: the ID numbers (CCCD, CMND, passport) of the logbook are sealed with
//! AES-256-GCM under a data key of the unit (`visitor_keys`, made on first use like the tag
//! master key), with the unit and visit ids as associated data so a sealed number cannot be
//! moved to another row. Beside each number sits its HMAC-SHA256 under the installation's
//! secret (`visitor_secret`), which watchlists and "returning visitor" searches match on. Both
//! keys live in the database: sealing protects exports, logs and column dumps of the logbook,
//! not a full copy of the database (moving the keys to the configuration or a KMS is a later
//! step). The audit images of visits carry ids, times and flags only, so the append-only chain
//! keeps no personal data that retention must later remove.

use aes_gcm::aead::{Aead, AeadCore, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, KeyInit, Nonce};
use baove_core::access::{Action, Org, Principal, Target};
use baove_core::validate::{Invalid, Problem};
use baove_core::visitor::foreigner::needs_declaration;
use baove_core::visitor::retention::{PurgeDecision, anonymise, visit_purge};
use baove_core::visitor::visit::{DocKind, Opening, VisitError};
use baove_core::visitor::watchlist::{Candidate, MatchField, WatchKey, WatchOwner, id_hash, matches};
use baove_core::visitor::{
    CardAction, CardNumber, CardState, Nationality, RetentionPolicy, Visit, VisitId, VisitorCard, WatchEntry,
    WatchEntryId,
};
use baove_core::{AuthorityId, SiteId, UnitId};

use super::audit::{Change, append};
use super::common::{at, code, json, one, opt, search, ts};
use super::scope::{require_authority, require_unit};
use crate::driver::{Driver, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::store::{Actor, CheckInRequest, CheckedIn, NewWatchEntry, VisitFilter, VisitorSettings, WatchRow};

fn fresh_key() -> [u8; 32] {
    Aes256Gcm::generate_key(OsRng).into()
}

fn key32(bytes: &[u8], what: &str) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| StoreError::Other(format!("{what} is not 32 bytes")))
}

/// The installation's secret for hashing ID numbers, made on first use.
async fn hash_secret(tx: &mut dyn Tx, now: jiff::Timestamp) -> Result<[u8; 32]> {
    if let Some(r) = opt(tx, "select secret from visitor_secret where id = 1", &[]).await? {
        return key32(&r.bytes("secret")?, "visitor secret");
    }
    let fresh = fresh_key();
    tx.execute(
        "insert into visitor_secret (id, secret, created_at) values (1, $1, $2)",
        &[Value::Bytes(fresh.to_vec()), at(now)],
    )
    .await?;
    Ok(fresh)
}

/// The unit's data key for ID numbers, made on first use.
pub(super) async fn data_key(tx: &mut dyn Tx, unit: UnitId, now: jiff::Timestamp) -> Result<[u8; 32]> {
    if let Some(r) = opt(tx, "select data_key from visitor_keys where unit_id = $1", &[unit.0.into()]).await? {
        return key32(&r.bytes("data_key")?, "visitor data key");
    }
    let fresh = fresh_key();
    tx.execute(
        "insert into visitor_keys (unit_id, data_key, created_at) values ($1, $2, $3)",
        &[unit.0.into(), Value::Bytes(fresh.to_vec()), at(now)],
    )
    .await?;
    Ok(fresh)
}

pub(super) fn aad(unit: UnitId, visit: VisitId) -> Vec<u8> {
    [unit.0.as_bytes().as_slice(), visit.0.as_bytes().as_slice()].concat()
}

/// nonce ‖ ciphertext; nothing for an empty text.
pub(super) fn seal(key: &[u8; 32], aad: &[u8], plain: &str) -> Result<Vec<u8>> {
    if plain.is_empty() {
        return Ok(Vec::new());
    }
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(&nonce, Payload { msg: plain.as_bytes(), aad })
        .map_err(|_| StoreError::Other("sealing an ID number failed".into()))?;
    Ok([nonce.as_slice(), sealed.as_slice()].concat())
}

pub(super) fn unseal(key: &[u8; 32], aad: &[u8], sealed: &[u8]) -> Result<String> {
    if sealed.is_empty() {
        return Ok(String::new());
    }
    if sealed.len() < 12 + 16 {
        return Err(StoreError::Other("sealed ID number too short".into()));
    }
    let (nonce, body) = sealed.split_at(12);
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let plain = cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad })
        .map_err(|_| StoreError::Other("an ID number does not unseal".into()))?;
    String::from_utf8(plain).map_err(|_| StoreError::Other("an ID number is not UTF-8".into()))
}

/// The keyed hash of a number, or nothing for an empty one.
fn hash_of(secret: &[u8; 32], number: &str) -> Vec<u8> {
    if number.trim().is_empty() { Vec::new() } else { id_hash(secret, number).to_vec() }
}

pub(super) const VISIT: &str =
    "select v.id, v.unit_id, v.site_id, v.doc_kind, v.doc_cipher, v.cmnd_cipher, v.name, v.organisation,
    v.phone, v.purpose, v.host, v.plate, v.plate_key, v.items, v.nationality, v.foreigner, v.card,
    v.consent_version, v.hold, v.checked_in_at, v.checked_out_at, v.purged_at from visits v";

/// A row as a visit; `key` unseals the numbers (without it they stay empty: enough for
/// decisions on times and flags).
pub(super) fn visit_row(r: &Row, key: Option<&[u8; 32]>) -> Result<Visit> {
    let id = VisitId(r.uuid("id")?);
    let unit_id = UnitId(r.uuid("unit_id")?);
    let purged_at = r.opt_int("purged_at")?.map(baove_core::time::from_micros);
    let (doc_number, cmnd) = match key {
        Some(k) if purged_at.is_none() => {
            let a = aad(unit_id, id);
            (unseal(k, &a, &r.bytes("doc_cipher")?)?, unseal(k, &a, &r.bytes("cmnd_cipher")?)?)
        }
        _ if purged_at.is_some() => (baove_core::visitor::retention::PURGED.to_owned(), String::new()),
        _ => (String::new(), String::new()),
    };
    let nationality = Nationality::parse(&r.text("nationality")?)
        .map_err(|_| StoreError::Other("column nationality: unknown code".into()))?;
    let plate = r.text("plate")?;
    let plate_key = r.text("plate_key")?;
    Ok(Visit {
        id,
        unit_id,
        site_id: SiteId(r.uuid("site_id")?),
        doc_kind: code(r, "doc_kind", DocKind::from_code)?,
        doc_number,
        cmnd_alias: (!cmnd.is_empty()).then_some(cmnd),
        name: r.text("name")?,
        organisation: r.text("organisation")?,
        phone: r.text("phone")?,
        purpose: r.text("purpose")?,
        host: r.text("host")?,
        plate: (!plate.is_empty()).then_some(plate),
        plate_key: (!plate_key.is_empty()).then_some(plate_key),
        items: r.text("items")?,
        nationality,
        card: r.opt_int("card")?.and_then(|n| u16::try_from(n).ok()).map(CardNumber),
        checked_in_at: ts(r, "checked_in_at")?,
        checked_out_at: r.opt_int("checked_out_at")?.map(baove_core::time::from_micros),
        consent_version: r.text("consent_version")?,
        foreigner: r.bool("foreigner")?,
        watchlist_hold: r.bool("hold")?,
        purged_at,
    })
}

/// What the audit chain keeps of a visit: no personal fields.
fn audit_image(v: &Visit) -> String {
    json(&serde_json::json!({
        "id": v.id,
        "site_id": v.site_id,
        "doc_kind": v.doc_kind.code(),
        "foreigner": v.foreigner,
        "card": v.card,
        "hold": v.watchlist_hold,
        "checked_in_at": v.checked_in_at,
        "checked_out_at": v.checked_out_at,
        "purged_at": v.purged_at,
    }))
}

fn settings_row(r: &Row) -> Result<VisitorSettings> {
    let days = |col| r.int(col).map(|d| u16::try_from(d).unwrap_or(u16::MAX));
    let retention = RetentionPolicy::new(days("visit_days")?, days("profile_days")?)
        .ok_or_else(|| StoreError::Other("stored retention out of range".into()))?;
    Ok(VisitorSettings {
        retention,
        overstay_minutes: r.int("overstay_minutes")?,
        accommodation: r.bool("accommodation")?,
    })
}

pub(super) async fn settings_in(tx: &mut dyn Tx, unit: UnitId) -> Result<VisitorSettings> {
    opt(
        tx,
        "select visit_days, profile_days, overstay_minutes, accommodation from visitor_settings where unit_id = $1",
        &[unit.0.into()],
    )
    .await?
    .map_or(Ok(VisitorSettings::default()), |r| settings_row(&r))
}

pub async fn settings(d: &dyn Driver, p: &Principal, unit: UnitId) -> Result<VisitorSettings> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::VisitorGate, unit).await?;
    let s = settings_in(tx.as_mut(), unit).await?;
    tx.commit().await?;
    Ok(s)
}

pub async fn set_settings(d: &dyn Driver, actor: &Actor, unit: UnitId, s: VisitorSettings) -> Result<()> {
    if !(1..=VisitorSettings::MAX_OVERSTAY_MINUTES).contains(&s.overstay_minutes) {
        return Err(Invalid::one(
            "overstay_minutes",
            Problem::OutOfRange { min: 1, max: VisitorSettings::MAX_OVERSTAY_MINUTES },
        )
        .into());
    }
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorAdmin, unit).await?;
    let before = settings_in(tx.as_mut(), unit).await?;
    tx.execute("delete from visitor_settings where unit_id = $1", &[unit.0.into()]).await?;
    tx.execute(
        "insert into visitor_settings (unit_id, visit_days, profile_days, overstay_minutes, accommodation, updated_at)
         values ($1, $2, $3, $4, $5, $6)",
        &[
            unit.0.into(),
            i64::from(s.retention.visit_days()).into(),
            i64::from(s.retention.profile_days()).into(),
            s.overstay_minutes.into(),
            s.accommodation.into(),
            at(actor.at),
        ],
    )
    .await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "unit.visitor_settings",
            entity: "unit",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: Some(json(&before)),
            after: Some(json(&s)),
        },
    )
    .await?;
    tx.commit().await
}

fn watch_row(r: &Row) -> Result<WatchRow> {
    let owner = match (r.opt_uuid("unit_id")?, r.opt_uuid("authority_id")?) {
        (Some(u), _) => WatchOwner::Unit(UnitId(u)),
        (None, Some(a)) => WatchOwner::Police(AuthorityId(a)),
        (None, None) => return Err(StoreError::Other("watch entry without an owner".into())),
    };
    let text = r.text("key_text")?;
    let field = code(r, "key_kind", MatchField::from_code)?;
    let key = match field {
        MatchField::IdNumber => WatchKey::IdNumber { hash: key32(&r.bytes("key_hash")?, "watch hash")? },
        MatchField::Plate => WatchKey::Plate { key: text.clone() },
        MatchField::Name => WatchKey::Name { key: text.clone() },
    };
    Ok(WatchRow {
        entry: WatchEntry {
            id: WatchEntryId(r.uuid("id")?),
            owner,
            key,
            reason: r.text("reason")?,
            created_at: ts(r, "created_at")?,
            expires_at: r.opt_int("expires_at")?.map(baove_core::time::from_micros),
        },
        label: text,
    })
}

const WATCH: &str =
    "select id, unit_id, authority_id, key_kind, key_hash, key_text, reason, created_at, expires_at from watch_entries";

/// The entries that apply to a unit: its own and those of every police body above it.
async fn applicable(tx: &mut dyn Tx, unit: UnitId, chain: &[AuthorityId]) -> Result<Vec<WatchEntry>> {
    let mut rows = tx.fetch(&format!("{WATCH} where unit_id = $1"), &[unit.0.into()]).await?;
    for a in chain {
        rows.extend(tx.fetch(&format!("{WATCH} where authority_id = $1"), &[a.0.into()]).await?);
    }
    rows.iter().map(|r| watch_row(r).map(|w| w.entry)).collect()
}

async fn require_owner(tx: &mut dyn Tx, p: &Principal, owner: WatchOwner, action: Action) -> Result<()> {
    match owner {
        WatchOwner::Unit(u) => require_unit(tx, p, action, u).await.map(|_| ()),
        WatchOwner::Police(a) => {
            if action == Action::VisitorGate {
                // Reading a police list: the police of that body and above.
                require_authority(tx, p, Action::ViewAuthority, Some(a)).await?;
                if matches!(p.org, Org::Unit(_)) {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            } else {
                require_authority(tx, p, action, Some(a)).await
            }
        }
    }
}

pub async fn watchlist(d: &dyn Driver, p: &Principal, owner: WatchOwner) -> Result<Vec<WatchRow>> {
    let mut tx = d.begin(false).await?;
    require_owner(tx.as_mut(), p, owner, Action::VisitorGate).await?;
    let (col, id) = match owner {
        WatchOwner::Unit(u) => ("unit_id", u.0),
        WatchOwner::Police(a) => ("authority_id", a.0),
    };
    let rows = tx.fetch(&format!("{WATCH} where {col} = $1 order by created_at"), &[id.into()]).await?;
    tx.commit().await?;
    rows.iter().map(watch_row).collect()
}

/// The last four characters of a number behind dots.
fn masked(number: &str) -> String {
    let canon = baove_core::visitor::watchlist::canonical_id(number);
    let tail: String = canon.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("•••{tail}")
}

pub async fn add_watch(d: &dyn Driver, actor: &Actor, e: &NewWatchEntry) -> Result<WatchRow> {
    let reason = e.reason.trim();
    if reason.is_empty() {
        return Err(Invalid::one("reason", Problem::Required).into());
    }
    if reason.chars().count() > 300 {
        return Err(Invalid::one("reason", Problem::TooLong { max: 300 }).into());
    }
    let mut tx = d.begin(true).await?;
    require_owner(tx.as_mut(), &actor.principal, e.owner, Action::VisitorAdmin).await?;
    let (hash, text) = match e.field {
        MatchField::IdNumber => {
            let canon = baove_core::visitor::watchlist::canonical_id(&e.value);
            if canon.len() < 6 || canon.len() > 32 {
                return Err(Invalid::one("value", Problem::BadId).into());
            }
            let secret = hash_secret(tx.as_mut(), actor.at).await?;
            (id_hash(&secret, &canon).to_vec(), masked(&canon))
        }
        MatchField::Plate => match WatchKey::plate(&e.value) {
            Some(WatchKey::Plate { key }) if key.len() <= 16 => (Vec::new(), key),
            _ => return Err(Invalid::one("value", Problem::BadCode).into()),
        },
        MatchField::Name => match WatchKey::name(&e.value) {
            Some(WatchKey::Name { key }) if key.chars().count() <= 100 => (Vec::new(), key),
            _ => return Err(Invalid::one("value", Problem::Required).into()),
        },
    };
    let (unit, authority) = match e.owner {
        WatchOwner::Unit(u) => (Some(u.0), None),
        WatchOwner::Police(a) => (None, Some(a.0)),
    };
    if opt(tx.as_mut(), "select id from watch_entries where id = $1", &[e.id.0.into()]).await?.is_some() {
        return Err(Invalid::one("id", Problem::Taken).into());
    }
    tx.execute(
        "insert into watch_entries (id, unit_id, authority_id, key_kind, key_hash, key_text, reason, created_at, expires_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            e.id.0.into(),
            unit.into(),
            authority.into(),
            e.field.code().into(),
            Value::Bytes(hash),
            text.as_str().into(),
            reason.into(),
            at(actor.at),
            e.expires_at.map_or(Value::Null, at),
            actor.principal.account_id.0.into(),
        ],
    )
    .await?;
    let row = watch_row(&one(tx.as_mut(), &format!("{WATCH} where id = $1"), &[e.id.0.into()]).await?)?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "watchlist.add",
            entity: "watch_entry",
            entity_id: e.id.to_string(),
            unit_id: unit.map(UnitId),
            before: None,
            after: Some(json(&serde_json::json!({ "field": e.field.code(), "key": text, "reason": reason }))),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn remove_watch(d: &dyn Driver, actor: &Actor, id: WatchEntryId) -> Result<()> {
    let mut tx = d.begin(true).await?;
    let row = watch_row(&one(tx.as_mut(), &format!("{WATCH} where id = $1"), &[id.0.into()]).await?)?;
    require_owner(tx.as_mut(), &actor.principal, row.entry.owner, Action::VisitorAdmin).await?;
    tx.execute("delete from watch_entries where id = $1", &[id.0.into()]).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "watchlist.remove",
            entity: "watch_entry",
            entity_id: id.to_string(),
            unit_id: match row.entry.owner {
                WatchOwner::Unit(u) => Some(u),
                WatchOwner::Police(_) => None,
            },
            before: Some(json(&serde_json::json!({ "key": row.label, "reason": row.entry.reason }))),
            after: None,
        },
    )
    .await?;
    tx.commit().await
}

async fn card_in(tx: &mut dyn Tx, unit: UnitId, number: CardNumber) -> Result<Option<VisitorCard>> {
    opt(
        tx,
        "select number, state, visit_id, changed_at from visitor_cards where unit_id = $1 and number = $2",
        &[unit.0.into(), i64::from(number.0).into()],
    )
    .await?
    .map(|r| card_row(&r))
    .transpose()
}

fn card_row(r: &Row) -> Result<VisitorCard> {
    Ok(VisitorCard {
        number: CardNumber(
            u16::try_from(r.int("number")?).map_err(|_| StoreError::Other("card number out of range".into()))?,
        ),
        state: code(r, "state", CardState::from_code)?,
        visit: r.opt_uuid("visit_id")?.map(VisitId),
        changed_at: ts(r, "changed_at")?,
    })
}

/// Applies a card move, creating the card on the desk if it was never listed.
async fn move_card(
    tx: &mut dyn Tx,
    unit: UnitId,
    number: CardNumber,
    action: CardAction,
    now: jiff::Timestamp,
) -> Result<VisitorCard> {
    let current = match card_in(tx, unit, number).await? {
        Some(c) => c,
        None => {
            let c = VisitorCard::new(number, now);
            tx.execute(
                "insert into visitor_cards (unit_id, number, state, visit_id, changed_at) values ($1, $2, $3, $4, $5)",
                &[unit.0.into(), i64::from(number.0).into(), c.state.code().into(), Value::NullUuid, at(now)],
            )
            .await?;
            c
        }
    };
    let next = current.apply(action, now).map_err(|_| Invalid::one("card", Problem::Taken))?;
    tx.execute(
        "update visitor_cards set state = $1, visit_id = $2, changed_at = $3 where unit_id = $4 and number = $5",
        &[
            next.state.code().into(),
            next.visit.map(|v| v.0).into(),
            at(next.changed_at),
            unit.0.into(),
            i64::from(number.0).into(),
        ],
    )
    .await?;
    Ok(next)
}

pub async fn cards(d: &dyn Driver, p: &Principal, unit: UnitId) -> Result<Vec<VisitorCard>> {
    let mut tx = d.begin(false).await?;
    require_unit(tx.as_mut(), p, Action::VisitorGate, unit).await?;
    let rows = tx
        .fetch(
            "select number, state, visit_id, changed_at from visitor_cards where unit_id = $1 order by number",
            &[unit.0.into()],
        )
        .await?;
    tx.commit().await?;
    rows.iter().map(card_row).collect()
}

pub async fn add_cards(d: &dyn Driver, actor: &Actor, unit: UnitId, from: u16, to: u16) -> Result<u64> {
    let (Some(_), Some(_)) = (CardNumber::parse(&from.to_string()), CardNumber::parse(&to.to_string())) else {
        return Err(Invalid::one("from", Problem::OutOfRange { min: 1, max: 9999 }).into());
    };
    if to < from || to - from >= 500 {
        return Err(Invalid::one("to", Problem::OutOfRange { min: i64::from(from), max: i64::from(from) + 499 }).into());
    }
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, unit).await?;
    let mut added = 0;
    for n in from..=to {
        if card_in(tx.as_mut(), unit, CardNumber(n)).await?.is_none() {
            tx.execute(
                "insert into visitor_cards (unit_id, number, state, visit_id, changed_at) values ($1, $2, $3, $4, $5)",
                &[
                    unit.0.into(),
                    i64::from(n).into(),
                    CardState::Available.code().into(),
                    Value::NullUuid,
                    at(actor.at),
                ],
            )
            .await?;
            added += 1;
        }
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "visitor_card.add",
            entity: "unit",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some(json(&serde_json::json!({ "from": from, "to": to, "added": added }))),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

pub async fn card_action(
    d: &dyn Driver,
    actor: &Actor,
    unit: UnitId,
    number: CardNumber,
    action: CardAction,
) -> Result<VisitorCard> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, unit).await?;
    if let CardAction::Issue { visit } = action {
        let r = opt(tx.as_mut(), "select unit_id from visits where id = $1", &[visit.0.into()]).await?;
        if r.map(|r| r.uuid("unit_id")).transpose()? != Some(unit.0) {
            return Err(Invalid::one("visit_id", Problem::WrongParent).into());
        }
    }
    let card = move_card(tx.as_mut(), unit, number, action, actor.at).await?;
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "visitor_card.move",
            entity: "unit",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some(json(
                &serde_json::json!({ "card": number, "action": action.code(), "state": card.state.code() }),
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(card)
}

pub async fn check_in(d: &dyn Driver, actor: &Actor, req: &CheckInRequest) -> Result<CheckedIn> {
    let mut tx = d.begin(true).await?;
    let target = require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, req.unit_id).await?;
    let key = data_key(tx.as_mut(), req.unit_id, actor.at).await?;
    if let Some(r) = opt(tx.as_mut(), &format!("{VISIT} where v.id = $1"), &[req.id.0.into()]).await? {
        if UnitId(r.uuid("unit_id")?) != req.unit_id {
            return Err(Invalid::one("id", Problem::Taken).into());
        }
        let visit = visit_row(&r, Some(&key))?;
        // A resent held check-in shows the same hold again.
        let stored = one(tx.as_mut(), "select hits from visits where id = $1", &[req.id.0.into()]).await?;
        let hits = serde_json::from_str(&stored.text("hits")?).unwrap_or_default();
        tx.commit().await?;
        return Ok(CheckedIn { visit, hits, replayed: true });
    }
    let site = opt(tx.as_mut(), "select unit_id from sites where id = $1", &[req.site_id.0.into()]).await?;
    if site.map(|r| r.uuid("unit_id")).transpose()? != Some(req.unit_id.0) {
        return Err(Invalid::one("site_id", Problem::WrongParent).into());
    }
    let chain = match &target {
        Target::Unit { authority_chain, .. } => authority_chain.clone(),
        _ => Vec::new(),
    };
    let secret = hash_secret(tx.as_mut(), actor.at).await?;
    let c = &req.check_in;
    let number = c.document.number().to_owned();
    let cmnd = c.cmnd_alias.as_ref().map(|a| a.as_str().to_owned()).unwrap_or_default();
    let plate_display = c.plate.as_ref().map(ToString::to_string);
    let candidate = Candidate::new(&secret, &[&number, &cmnd], plate_display.as_deref(), Some(&c.name));
    let entries = applicable(tx.as_mut(), req.unit_id, &chain).await?;
    let hits = matches(&entries, &candidate, actor.at);
    let held = !hits.is_empty();
    // A held visitor is not admitted, so gets no card.
    let card = if held { None } else { req.card };
    let visit = Visit::open(
        c.clone(),
        Opening {
            id: req.id,
            unit_id: req.unit_id,
            site_id: req.site_id,
            card,
            consent_version: req.consent_version.clone(),
            watchlist_hold: held,
            at: actor.at,
        },
    );
    let a = aad(visit.unit_id, visit.id);
    tx.execute(
        "insert into visits (id, unit_id, site_id, doc_kind, doc_cipher, id_hash, cmnd_cipher, cmnd_hash, name, search_key,
            organisation, phone, purpose, host, plate, plate_key, items, nationality, foreigner, card, consent_version,
            hold, hits, checked_in_at, checked_out_at, purged_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
            $23, $24, $25, $26, $27)",
        &[
            visit.id.0.into(),
            visit.unit_id.0.into(),
            visit.site_id.0.into(),
            visit.doc_kind.code().into(),
            Value::Bytes(seal(&key, &a, &visit.doc_number)?),
            Value::Bytes(hash_of(&secret, &visit.doc_number)),
            Value::Bytes(seal(&key, &a, &cmnd)?),
            Value::Bytes(hash_of(&secret, &cmnd)),
            visit.name.as_str().into(),
            super::common::key(&[&visit.name, &visit.organisation]).into(),
            visit.organisation.as_str().into(),
            visit.phone.as_str().into(),
            visit.purpose.as_str().into(),
            visit.host.as_str().into(),
            visit.plate.clone().map_or(Value::NullText, Value::Text),
            visit.plate_key.clone().map_or(Value::NullText, Value::Text),
            visit.items.as_str().into(),
            visit.nationality.code().into(),
            visit.foreigner.into(),
            visit.card.map_or(Value::Null, |n| i64::from(n.0).into()),
            visit.consent_version.as_str().into(),
            held.into(),
            json(&hits).into(),
            at(visit.checked_in_at),
            Value::Null,
            Value::Null,
            actor.principal.account_id.0.into(),
        ],
    )
    .await?;
    if let Some(n) = card {
        move_card(tx.as_mut(), req.unit_id, n, CardAction::Issue { visit: visit.id }, actor.at).await?;
    }
    // A held visitor is not admitted, so does not stay either.
    if !held
        && needs_declaration(visit.foreigner, req.overnight, true)
        && settings_in(tx.as_mut(), req.unit_id).await?.accommodation
    {
        super::foreigners::open_stay(tx.as_mut(), &visit, req.traveller).await?;
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: if held { "visit.held" } else { "visit.check_in" },
            entity: "visit",
            entity_id: visit.id.to_string(),
            unit_id: Some(visit.unit_id),
            before: None,
            after: Some(audit_image(&visit)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CheckedIn { visit, hits, replayed: false })
}

/// Loads a visit the caller may act on at the gate, with its unit's data key.
pub(super) async fn gate_visit(tx: &mut dyn Tx, actor: &Actor, id: VisitId) -> Result<(Visit, [u8; 32])> {
    let r = one(tx, &format!("{VISIT} where v.id = $1"), &[id.0.into()]).await?;
    let unit = UnitId(r.uuid("unit_id")?);
    require_unit(tx, &actor.principal, Action::VisitorGate, unit).await?;
    let key = data_key(tx, unit, actor.at).await?;
    Ok((visit_row(&r, Some(&key))?, key))
}

pub async fn check_out(d: &dyn Driver, actor: &Actor, id: VisitId, card_back: bool) -> Result<Visit> {
    let mut tx = d.begin(true).await?;
    let (before, _) = gate_visit(tx.as_mut(), actor, id).await?;
    let after = before.check_out(actor.at).map_err(|e| match e {
        VisitError::AlreadyCheckedOut => Invalid::one("visit_id", Problem::Taken),
        VisitError::CheckOutBeforeCheckIn => Invalid::one("visit_id", Problem::DateOrder),
    })?;
    tx.execute("update visits set checked_out_at = $1 where id = $2", &[at(actor.at), id.0.into()]).await?;
    if card_back
        && let Some(n) = before.card
        && card_in(tx.as_mut(), before.unit_id, n)
            .await?
            .is_some_and(|c| c.state == CardState::Issued && c.visit == Some(id))
    {
        move_card(tx.as_mut(), before.unit_id, n, CardAction::Return, actor.at).await?;
    }
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "visit.check_out",
            entity: "visit",
            entity_id: id.to_string(),
            unit_id: Some(before.unit_id),
            before: Some(audit_image(&before)),
            after: Some(audit_image(&after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(super) async fn audit_read(tx: &mut dyn Tx, actor: &Actor, unit: UnitId, what: serde_json::Value) -> Result<()> {
    append(
        tx,
        actor,
        Change {
            action: "visit.read",
            entity: "visit_log",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some(json(&what)),
        },
    )
    .await
}

pub async fn visit(d: &dyn Driver, actor: &Actor, id: VisitId) -> Result<Visit> {
    let mut tx = d.begin(true).await?;
    let (v, _) = gate_visit(tx.as_mut(), actor, id).await?;
    audit_read(tx.as_mut(), actor, v.unit_id, serde_json::json!({ "visit": id })).await?;
    tx.commit().await?;
    Ok(v)
}

pub async fn list(d: &dyn Driver, actor: &Actor, unit: UnitId, f: &VisitFilter) -> Result<Vec<Visit>> {
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorGate, unit).await?;
    let key = data_key(tx.as_mut(), unit, actor.at).await?;
    let mut sql = format!("{VISIT} where v.unit_id = $1");
    let mut args: Vec<Value> = vec![unit.0.into()];
    if let Some(from) = f.from {
        args.push(at(from));
        sql.push_str(&format!(" and v.checked_in_at >= ${}", args.len()));
    }
    if let Some(to) = f.to {
        args.push(at(to));
        sql.push_str(&format!(" and v.checked_in_at < ${}", args.len()));
    }
    if f.inside_only {
        sql.push_str(" and v.checked_out_at is null and v.purged_at is null");
    }
    if !f.id_number.trim().is_empty() {
        let secret = hash_secret(tx.as_mut(), actor.at).await?;
        args.push(Value::Bytes(hash_of(&secret, &f.id_number)));
        sql.push_str(&format!(" and (v.id_hash = ${n} or v.cmnd_hash = ${n})", n = args.len()));
    }
    let (words, word_args) = search("v.search_key", &f.text, args.len() + 1);
    sql.push_str(&words);
    args.extend(word_args);
    let limit = if f.limit == 0 { 100 } else { f.limit.min(1000) };
    args.push(i64::from(limit).into());
    args.push(i64::from(f.offset).into());
    sql.push_str(&format!(
        " order by v.checked_in_at desc, v.id desc limit ${} offset ${}",
        args.len() - 1,
        args.len()
    ));
    let visits = tx.fetch(&sql, &args).await?.iter().map(|r| visit_row(r, Some(&key))).collect::<Result<Vec<_>>>()?;
    audit_read(
        tx.as_mut(),
        actor,
        unit,
        serde_json::json!({ "rows": visits.len(), "inside_only": f.inside_only, "by_number": !f.id_number.trim().is_empty() }),
    )
    .await?;
    tx.commit().await?;
    Ok(visits)
}

/// Replaces the personal fields of `v` by the markers of [`anonymise`].
async fn write_anonymised(tx: &mut dyn Tx, v: &Visit, now: jiff::Timestamp) -> Result<()> {
    let a = anonymise(v, now);
    tx.execute(
        "update visits set doc_cipher = $1, id_hash = $2, cmnd_cipher = $3, cmnd_hash = $4, name = $5, search_key = $6,
            phone = $7, plate = $8, plate_key = $9, items = $10, purged_at = $11 where id = $12",
        &[
            Value::Bytes(Vec::new()),
            Value::Bytes(Vec::new()),
            Value::Bytes(Vec::new()),
            Value::Bytes(Vec::new()),
            a.name.as_str().into(),
            "".into(),
            a.phone.as_str().into(),
            a.plate.clone().map_or(Value::NullText, Value::Text),
            a.plate_key.clone().map_or(Value::NullText, Value::Text),
            a.items.as_str().into(),
            a.purged_at.map_or(Value::Null, at),
            v.id.0.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Visits reported to the police are held from the retention purge: their personal fields are
/// the report's evidence (deletion on a person's request still applies).
const REPORTED_HELD: &str = "and not exists (select 1 from police_reports r where r.visit_id = v.id)";

pub async fn purge_expired(d: &dyn Driver, actor: &Actor, unit: Option<UnitId>) -> Result<u64> {
    let mut tx = d.begin(true).await?;
    let rows = match unit {
        Some(u) => {
            require_unit(tx.as_mut(), &actor.principal, Action::VisitorAdmin, u).await?;
            tx.fetch(&format!("{VISIT} where v.unit_id = $1 and v.purged_at is null {REPORTED_HELD}"), &[u.0.into()])
                .await?
        }
        None if actor.principal.org == Org::System => {
            tx.fetch(&format!("{VISIT} where v.purged_at is null {REPORTED_HELD}"), &[]).await?
        }
        None => return Err(StoreError::NotFound),
    };
    let mut policies: Vec<(UnitId, RetentionPolicy)> = Vec::new();
    let mut purged: Vec<(UnitId, u64)> = Vec::new();
    for r in &rows {
        let v = visit_row(r, None)?;
        let policy = match policies.iter().find(|(u, _)| *u == v.unit_id) {
            Some((_, p)) => *p,
            None => {
                let p = settings_in(tx.as_mut(), v.unit_id).await?.retention;
                policies.push((v.unit_id, p));
                p
            }
        };
        if visit_purge(policy, &v, actor.at) == PurgeDecision::Purge {
            write_anonymised(tx.as_mut(), &v, actor.at).await?;
            match purged.iter_mut().find(|(u, _)| *u == v.unit_id) {
                Some((_, n)) => *n += 1,
                None => purged.push((v.unit_id, 1)),
            }
        }
    }
    for (u, n) in &purged {
        append(
            tx.as_mut(),
            actor,
            Change {
                action: "visit.purge",
                entity: "visit_log",
                entity_id: u.to_string(),
                unit_id: Some(*u),
                before: None,
                after: Some(json(&serde_json::json!({ "purged": n }))),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(purged.iter().map(|(_, n)| n).sum())
}

pub async fn delete_person(d: &dyn Driver, actor: &Actor, unit: UnitId, id_number: &str) -> Result<u64> {
    if baove_core::visitor::watchlist::canonical_id(id_number).is_empty() {
        return Err(Invalid::one("doc_number", Problem::Required).into());
    }
    let mut tx = d.begin(true).await?;
    require_unit(tx.as_mut(), &actor.principal, Action::VisitorAdmin, unit).await?;
    let secret = hash_secret(tx.as_mut(), actor.at).await?;
    let h = Value::Bytes(hash_of(&secret, id_number));
    let rows = tx
        .fetch(
            &format!("{VISIT} where v.unit_id = $1 and v.purged_at is null and (v.id_hash = $2 or v.cmnd_hash = $2)"),
            &[unit.0.into(), h],
        )
        .await?;
    for r in &rows {
        write_anonymised(tx.as_mut(), &visit_row(r, None)?, actor.at).await?;
    }
    let n = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    append(
        tx.as_mut(),
        actor,
        Change {
            action: "visit.delete_person",
            entity: "visit_log",
            entity_id: unit.to_string(),
            unit_id: Some(unit),
            before: None,
            after: Some(json(&serde_json::json!({ "anonymised": n }))),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
