//! Scan intake: what a guard's phone sends (now, or later in an offline batch) becomes a
//! recorded scan with its evidence level and flags, or a clear refusal. Every scan carries the
//! id the phone minted, so a batch sent twice records nothing twice.

use baove_core::access::{Org, Principal};
use baove_core::evidence::sun::{self, FILE_KEY_NO};
use baove_core::patrol::alert::AlertKind;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use baove_core::patrol::anomaly::{self, Layout};
use baove_core::patrol::round::{Round, outside_rounds};
use baove_core::patrol::scan::{Evidence, Flag, Scan};
use baove_core::registry::Checkpoint;
use baove_core::{CheckpointId, RoundId, ScanId, SiteId, UnitId, ZoneId};
use baove_store::{Actor, NewAlert, ScanOutcome, StoreError};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::bus::Event;
use crate::state::AppState;

/// Largest batch a phone may send at once.
pub const MAX_BATCH: usize = 500;

/// One scan as the phone sends it.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ScanIn {
    /// The UUID the phone minted for this scan.
    pub id: String,
    /// `nfc_sun`, `qr_live`, `qr_photo` or `manual`.
    pub evidence: String,
    /// The URL the NFC tag opened (for `nfc_sun`).
    #[serde(default)]
    pub url: String,
    /// The QR content (for `qr_*`): the checkpoint's secret or a URL ending in it.
    #[serde(default)]
    pub code: String,
    /// A photo of the QR label (for `qr_photo`): base64 JPEG, PNG or WebP, perhaps a `data:` URL.
    #[serde(default)]
    pub photo: String,
    /// The checkpoint chosen by hand (for `manual`).
    #[serde(default)]
    pub checkpoint_id: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub round_id: String,
    /// When the phone says the scan happened (RFC 3339).
    pub scanned_at: String,
}

/// A batch from one phone.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BatchIn {
    /// The phone's own identifier, kept in its storage.
    pub device_id: String,
    /// The phone's clock when it sent the batch (RFC 3339), to measure its skew.
    pub device_now: String,
    pub scans: Vec<ScanIn>,
}

/// What became of one scan.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScanResult {
    pub id: String,
    /// `recorded`, `duplicate` or `rejected`.
    pub status: &'static str,
    /// A stable reason code for a rejection.
    pub code: Option<&'static str>,
    pub checkpoint: Option<String>,
    pub flags: Vec<Flag>,
}

impl ScanResult {
    fn rejected(id: &str, code: &'static str) -> Self {
        Self { id: id.to_owned(), status: "rejected", code: Some(code), checkpoint: None, flags: vec![] }
    }
}

/// The checkpoint a scan proves, its evidence, and the tag facts of an NFC tap.
struct Proof {
    checkpoint: Checkpoint,
    evidence: Evidence,
    tag: Option<(String, u32, u32)>,
}

/// The QR secret inside what the camera read (the label prints a URL ending in `/q/<secret>`).
fn qr_secret(code: &str) -> &str {
    code.trim().rsplit('/').next().unwrap_or_default()
}

async fn prove(state: &AppState, p: &Principal, s: &ScanIn) -> Result<Proof, &'static str> {
    let store = &state.store;
    let evidence = Evidence::from_code(&s.evidence).ok_or("bad_evidence")?;
    match evidence {
        Evidence::NfcSun => {
            let Org::Unit(unit) = p.org else { return Err("not_a_unit_account") };
            let msg = sun::parse_url(&s.url).map_err(|_| "bad_sun_url")?;
            let master = store.tag_master(unit).await.map_err(|_| "internal")?.ok_or("no_tag_key")?;
            let meta = sun::derive(&master, &[0; 7], FILE_KEY_NO, false).map_err(|_| "zero_key")?.meta;
            let tap = sun::verify(&msg, &meta, |uid| {
                sun::derive(&master, uid, FILE_KEY_NO, false).map_or([0; 16], |k| k.file)
            })
            .map_err(|_| "bad_mac")?;
            let uid = hex::encode_upper(tap.uid);
            let binding = store.tag(&uid).await.map_err(|_| "internal")?.ok_or("unknown_tag")?;
            if binding.unit_id != unit {
                return Err("unknown_tag");
            }
            let jump = sun::check_counter(binding.last_counter, tap.counter).unwrap_or(0);
            let checkpoint = store.checkpoint(p, binding.checkpoint_id).await.map_err(|_| "unknown_tag")?;
            Ok(Proof { checkpoint, evidence, tag: Some((uid, tap.counter, jump)) })
        }
        Evidence::QrLive => {
            let checkpoint = store.checkpoint_by_code(p, qr_secret(&s.code)).await.map_err(|_| "unknown_code")?;
            Ok(Proof { checkpoint, evidence, tag: None })
        }
        Evidence::QrPhoto => {
            // The photo is the evidence: read the code from it here, never trust a code sent with it.
            if s.photo.is_empty() {
                return Err("photo_required");
            }
            let photo = s.photo.clone();
            let code = tokio::task::spawn_blocking(move || super::qr_photo::decode(&photo))
                .await
                .map_err(|_| "internal")?
                .map_err(super::qr_photo::PhotoError::code)?;
            let checkpoint = store.checkpoint_by_code(p, qr_secret(&code)).await.map_err(|_| "unknown_code")?;
            Ok(Proof { checkpoint, evidence, tag: None })
        }
        Evidence::Manual => {
            if s.reason.trim().chars().count() < 3 {
                return Err("reason_required");
            }
            let id = CheckpointId::parse(&s.checkpoint_id).map_err(|_| "bad_checkpoint")?;
            let checkpoint = store.checkpoint(p, id).await.map_err(|_| "bad_checkpoint")?;
            Ok(Proof { checkpoint, evidence, tag: None })
        }
    }
}

/// What a batch looks up once and then reads for every scan: the rounds of each unit over the
/// batch's span, each unit's checkpoints (their zone and site), each site's walkways, and the
/// phone's last scan (the one before, for the impossible-travel flag).
struct BatchContext {
    from: Timestamp,
    to: Timestamp,
    rounds: HashMap<UnitId, Vec<Round>>,
    places: HashMap<UnitId, HashMap<CheckpointId, (SiteId, ZoneId)>>,
    layouts: HashMap<SiteId, Layout>,
    last: HashMap<UnitId, Option<(CheckpointId, Timestamp)>>,
}

impl BatchContext {
    fn new(batch: &BatchIn) -> Self {
        let window = SignedDuration::from_hours(3);
        let times: Vec<Timestamp> = batch.scans.iter().filter_map(|s| s.scanned_at.parse().ok()).collect();
        let from = times.iter().min().copied().unwrap_or_default() - window;
        let to = times.iter().max().copied().unwrap_or_default() + window;
        Self { from, to, rounds: HashMap::new(), places: HashMap::new(), layouts: HashMap::new(), last: HashMap::new() }
    }

    async fn rounds(&mut self, state: &AppState, p: &Principal, unit: UnitId) -> &[Round] {
        if let Entry::Vacant(e) = self.rounds.entry(unit) {
            e.insert(state.store.list_rounds(p, unit, self.from, self.to).await.unwrap_or_default());
        }
        self.rounds.get(&unit).map_or(&[], Vec::as_slice)
    }

    /// Whether walking from the phone's previous scan to `cp` at `at` was faster than anyone
    /// can walk it (judged only within one site, over its recorded walkways).
    async fn travel(
        &mut self,
        state: &AppState,
        p: &Principal,
        device: &str,
        cp: &Checkpoint,
        at: Timestamp,
    ) -> Option<Flag> {
        let unit = cp.unit_id;
        if let Entry::Vacant(e) = self.places.entry(unit) {
            let cps = state.store.list_checkpoints(p, unit, "").await.unwrap_or_default();
            e.insert(cps.iter().map(|c| (c.id, (c.site_id, c.zone_id))).collect());
        }
        if let Entry::Vacant(e) = self.last.entry(unit) {
            let prev = state.store.previous_scan(p, unit, device, at).await.ok().flatten();
            e.insert(prev.map(|s| (s.checkpoint_id, s.scanned_at)));
        }
        let prev = self.last.insert(unit, Some((cp.id, at))).flatten()?;
        let &(site, zone) = self.places.get(&unit)?.get(&prev.0)?;
        if site != cp.site_id {
            return None;
        }
        if let Entry::Vacant(e) = self.layouts.entry(site) {
            let mut layout = Layout::default();
            for w in state.store.walkways(p, site).await.unwrap_or_default() {
                layout.link(w.a, w.b, w.seconds);
            }
            e.insert(layout);
        }
        anomaly::impossible_travel(self.layouts.get(&site)?, (zone, prev.1), (cp.zone_id, at))
    }
}

/// Records one scan of a batch.
async fn one(
    state: &AppState,
    actor: &Actor,
    ctx: &mut BatchContext,
    device: &str,
    skew: Option<Flag>,
    s: &ScanIn,
) -> ScanResult {
    let p = &actor.principal;
    let Ok(id) = ScanId::parse(&s.id) else { return ScanResult::rejected(&s.id, "bad_id") };
    let Ok(scanned_at) = s.scanned_at.parse::<Timestamp>() else { return ScanResult::rejected(&s.id, "bad_time") };
    let proof = match prove(state, p, s).await {
        Ok(proof) => proof,
        Err(code) => return ScanResult::rejected(&s.id, code),
    };
    let cp = &proof.checkpoint;
    let travel = ctx.travel(state, p, device, cp, scanned_at).await;
    let rounds = ctx.rounds(state, p, cp.unit_id).await;
    let nearby = state
        .store
        .checkpoint_scans(p, cp.id, scanned_at - anomaly::TWO_DEVICE_SPAN, scanned_at + anomaly::TWO_DEVICE_SPAN)
        .await
        .unwrap_or_default();
    let others: Vec<(String, Timestamp)> =
        nearby.iter().filter(|x| x.id != id).map(|x| (x.device_id.clone(), x.scanned_at)).collect();
    let mut scan = Scan {
        id,
        checkpoint_id: cp.id,
        round_id: RoundId::parse(&s.round_id).ok().filter(|r| rounds.iter().any(|x| x.id == *r)),
        account_id: p.account_id,
        device_id: device.to_owned(),
        evidence: proof.evidence,
        scanned_at,
        received_at: actor.at,
        counter: proof.tag.as_ref().map(|t| t.1),
        reason: s.reason.trim().chars().take(500).collect(),
        flags: vec![],
    };
    scan.flags = [
        (proof.evidence == Evidence::Manual).then_some(Flag::Manual),
        skew,
        proof.tag.as_ref().and_then(|t| anomaly::counter_jump(t.2)),
        anomaly::two_devices(device, scanned_at, &others),
        travel,
        outside_rounds(&scan, rounds),
    ]
    .into_iter()
    .flatten()
    .collect();
    match state.store.record_scan(actor, &scan, proof.tag.as_ref().map(|t| t.0.as_str())).await {
        Ok(ScanOutcome::Recorded(s)) => ScanResult {
            id: s.id.to_string(),
            status: "recorded",
            code: None,
            checkpoint: Some(cp.code.clone()),
            flags: s.flags,
        },
        Ok(ScanOutcome::Duplicate(s)) => ScanResult {
            id: s.id.to_string(),
            status: "duplicate",
            code: None,
            checkpoint: Some(cp.code.clone()),
            flags: s.flags,
        },
        Ok(ScanOutcome::Replayed { last, got }) => {
            let alert = NewAlert {
                key: format!("replay:{}:{got}:{id}", cp.id),
                unit_id: cp.unit_id,
                site_id: Some(cp.site_id),
                round_id: None,
                kind: AlertKind::TagReplayed,
                message: format!(
                    "Thẻ NFC điểm {} bị dùng lại (bộ đếm {got}, đã nhận {last}): có thể là bản sao hoặc đường dẫn cũ",
                    cp.code
                ),
                raised_at: actor.at,
            };
            if let Ok(Some(a)) = state.store.raise_alert(&alert).await {
                state.bus.publish(Event::Alert(a));
            }
            tracing::warn!(checkpoint = %cp.id, last, got, "replayed SUN counter refused");
            ScanResult::rejected(&s.id, "replayed")
        }
        Err(StoreError::Invalid(_)) => ScanResult::rejected(&s.id, "bad_id"),
        Err(e) => {
            tracing::error!(error = %e, "recording a scan");
            ScanResult::rejected(&s.id, "internal")
        }
    }
}

/// Records a batch, each scan on its own (one bad scan does not sink the others).
pub async fn record(state: &AppState, actor: &Actor, batch: &BatchIn) -> Vec<ScanResult> {
    let skew = batch.device_now.parse::<Timestamp>().ok().and_then(|t| anomaly::clock_skew(t, actor.at));
    let device: String = batch.device_id.chars().filter(|c| !c.is_control()).take(100).collect();
    let scans = &batch.scans[..batch.scans.len().min(MAX_BATCH)];
    // In the order they were made, so a tag's counters and a walk's legs are judged in order;
    // the answers go back in the order they were sent.
    let mut order: Vec<usize> = (0..scans.len()).collect();
    order.sort_by_key(|&i| scans[i].scanned_at.parse::<Timestamp>().ok());
    let mut ctx = BatchContext::new(batch);
    let mut out: Vec<Option<ScanResult>> = vec![None; scans.len()];
    for i in order {
        out[i] = Some(one(state, actor, &mut ctx, &device, skew, &scans[i]).await);
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_secret_is_the_last_path_segment() {
        assert_eq!(super::qr_secret("https://baove.example/q/abc123"), "abc123");
        assert_eq!(super::qr_secret(" abc123 "), "abc123");
    }
}
