//! NTAG 424 DNA Secure Unique NFC (SUN) verification, AES mode (NXP AN12196 §3–4; the
//! algorithm as summarised in shared/vectors/ntag424-sun.md §4.3).
//!
//! On every tap the tag writes into its NDEF URL the encrypted PICCData (UID and a 24-bit
//! read counter), optionally encrypted file data, and an 8-byte truncated AES-CMAC. The phone
//! needs no key: the server decrypts, recomputes the MAC with a session key derived from the
//! tag's file key, and accepts a counter only if it is higher than the last one seen. Tag keys
//! are diversified per UID from a per-unit master key; the all-zero master key is refused
//! unless the caller explicitly allows it (tests and NXP's published vectors).
//!
//! Tags personalised in **LRP mode** (NXP AN12304, see [`super::lrp`]) are also verified: their
//! PICCData is 24 bytes (an 8-byte PICCRand in clear, then 16 LRICB-encrypted bytes), and the
//! session keys come from `CMAC_LRP` over `00 01 00 80 || UID || ctr || 1E E1`. baove itself
//! provisions AES tags only ([`tap_query`]); LRP support is for tags personalised elsewhere.

use aes::Aes128;
use aes::cipher::{BlockDecrypt, BlockDecryptMut, BlockEncrypt, KeyInit, KeyIvInit, generic_array::GenericArray};
use cmac::{Cmac, Mac};
use hmac::Hmac;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::lrp::Lrp;

/// A 7-byte NFC UID.
pub type Uid = [u8; 7];

/// Why a tap was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SunError {
    #[error("the URL has no {0} parameter")]
    Missing(&'static str),
    #[error("parameter {name} is not {len} hex characters")]
    BadHex { name: &'static str, len: usize },
    #[error("PICCData does not mirror a 7-byte UID and a counter (tag byte {tag:#04x})")]
    BadPiccData { tag: u8 },
    #[error("the MAC does not match: the URL was edited, cloned or made with another key")]
    BadMac,
    #[error("counter {got} is not above the last accepted {last}: a replayed or cloned tap")]
    Replayed { last: u32, got: u32 },
    #[error("the all-zero master key is refused outside tests")]
    ZeroKey,
    #[error("encrypted file data is not a whole number of AES blocks")]
    BadFileData,
}

/// The AES keys of one tag: PICCData decryption (`meta`) and MAC/file (`file`).
#[derive(Clone, PartialEq, Eq)]
pub struct TagKeys {
    pub meta: [u8; 16],
    pub file: [u8; 16],
}

impl std::fmt::Debug for TagKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TagKeys(…)")
    }
}

/// How the MAC input is laid out in the URL when file data is mirrored (§4.3 step 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacInput {
    /// No file data, or the MAC input is empty: SDMMACInputOffset = SDMMACOffset.
    Empty,
    /// The upper-case hex of the file data followed by the literal `&cmac=`.
    Separated,
    /// The upper-case hex of the file data alone.
    Bulk,
}

/// What a SUN URL mirrored, before verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Encrypted PICCData (and perhaps encrypted file data).
    Encrypted { picc_data: [u8; 16], enc: Option<Vec<u8>>, layout: MacInput, mac: [u8; 8] },
    /// UID and counter in clear (weaker: the UID is visible, but the MAC still binds both).
    Plain { uid: Uid, counter: u32, mac: [u8; 8] },
    /// LRP mode: the 48 hex characters of `picc_data` are PICCRand (the LRICB counter, in
    /// clear) followed by the encrypted PICCData; perhaps with encrypted file data.
    Lrp { picc_rand: [u8; 8], picc_data: [u8; 16], enc: Option<Vec<u8>>, layout: MacInput, mac: [u8; 8] },
}

/// A verified tap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tap {
    pub uid: Uid,
    pub counter: u32,
    /// Decrypted file data, when the tag mirrors it.
    pub file_data: Option<Vec<u8>>,
}

fn hex_exact<const N: usize>(s: &str, name: &'static str) -> Result<[u8; N], SunError> {
    let bytes = hex::decode(s.trim()).map_err(|_| SunError::BadHex { name, len: 2 * N })?;
    bytes.try_into().map_err(|_| SunError::BadHex { name, len: 2 * N })
}

fn query_param<'a>(query: &'a str, name: &str) -> Option<(usize, &'a str)> {
    let mut offset = 0;
    for pair in query.split('&') {
        if let Some(v) = pair.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            return Some((offset + name.len() + 1, v));
        }
        offset += pair.len() + 1;
    }
    None
}

/// The optional `enc` parameter and the MAC input layout: the text from the start of the
/// `enc` value up to the start of the `cmac` value (at `mac_at`) ends in `&cmac=` or not.
fn file_data_param(query: &str, mac_at: usize) -> Result<(Option<Vec<u8>>, MacInput), SunError> {
    let Some((enc_at, enc_hex)) = query_param(query, "enc") else {
        return Ok((None, MacInput::Empty));
    };
    let between = query.get(enc_at..mac_at).unwrap_or_default();
    let layout = if between.ends_with("&cmac=") { MacInput::Separated } else { MacInput::Bulk };
    let bytes = hex::decode(enc_hex).map_err(|_| SunError::BadHex { name: "enc", len: 32 })?;
    if bytes.is_empty() || !bytes.len().is_multiple_of(16) {
        return Err(SunError::BadFileData);
    }
    Ok((Some(bytes), layout))
}

/// Hex characters of `picc_data` in LRP mode: PICCRand (8 bytes) and PICCData (16 bytes).
const LRP_PICC_HEX: usize = 48;

/// Reads a SUN URL (or its query string): `picc_data`, optional `enc`, `cmac`; or plain
/// `uid`, `ctr`, `cmac`. The MAC input layout is taken from the URL itself: it is the text
/// from the start of the `enc` value up to the start of the `cmac` value. A `picc_data` of
/// 32 hex characters is AES mode, one of 48 is LRP mode ([`Message::Lrp`]).
///
/// # Errors
/// A missing or malformed parameter.
pub fn parse_url(url: &str) -> Result<Message, SunError> {
    let query = url.split_once('?').map_or(url, |(_, q)| q);
    let query = query.split('#').next().unwrap_or(query);
    let (mac_at, mac) = query_param(query, "cmac").ok_or(SunError::Missing("cmac"))?;
    let mac = hex_exact::<8>(mac, "cmac")?;
    if let Some((_, picc)) = query_param(query, "picc_data") {
        if picc.trim().len() == LRP_PICC_HEX {
            let raw = hex_exact::<24>(picc, "picc_data")?;
            let (enc, layout) = file_data_param(query, mac_at)?;
            let (picc_rand, picc_data) = split_lrp_picc(&raw);
            return Ok(Message::Lrp { picc_rand, picc_data, enc, layout, mac });
        }
        let picc_data = hex_exact::<16>(picc, "picc_data")?;
        let (enc, layout) = file_data_param(query, mac_at)?;
        return Ok(Message::Encrypted { picc_data, enc, layout, mac });
    }
    let (_, uid) = query_param(query, "uid").ok_or(SunError::Missing("picc_data"))?;
    let (_, ctr) = query_param(query, "ctr").ok_or(SunError::Missing("ctr"))?;
    let uid = hex_exact::<7>(uid, "uid")?;
    let ctr = hex_exact::<3>(ctr, "ctr")?;
    // The plain mirror writes the counter big-endian (§4.3 step 6).
    let counter = u32::from_be_bytes([0, ctr[0], ctr[1], ctr[2]]);
    Ok(Message::Plain { uid, counter, mac })
}

/// Splits LRP-mode PICCData into PICCRand and the encrypted block.
fn split_lrp_picc(raw: &[u8; 24]) -> ([u8; 8], [u8; 16]) {
    let mut picc_rand = [0u8; 8];
    let mut picc_data = [0u8; 16];
    picc_rand.copy_from_slice(&raw[..8]);
    picc_data.copy_from_slice(&raw[8..]);
    (picc_rand, picc_data)
}

fn aes_cmac(key: &[u8; 16], data: &[u8]) -> [u8; 16] {
    let mut mac = <Cmac<Aes128> as KeyInit>::new(GenericArray::from_slice(key));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// SV1/SV2 of AN12196: the 6-byte label, UID and little-endian counter (exactly 16 bytes).
fn session_vector(label: [u8; 6], uid: &Uid, counter: u32) -> [u8; 16] {
    let mut sv = [0u8; 16];
    sv[..6].copy_from_slice(&label);
    sv[6..13].copy_from_slice(uid);
    sv[13..16].copy_from_slice(&counter.to_le_bytes()[..3]);
    sv
}

const SV1: [u8; 6] = [0xC3, 0x3C, 0x00, 0x01, 0x00, 0x80];
const SV2: [u8; 6] = [0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80];

/// The odd-indexed bytes of a full 16-byte MAC (SDMMAC truncation, both modes).
fn odd_bytes(full: &[u8; 16]) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (i, b) in out.iter_mut().enumerate() {
        *b = full[2 * i + 1];
    }
    out
}

/// The 8-byte SDMMAC: the odd-indexed bytes of the full CMAC (§4.3 step 4).
fn truncated_mac(file_key: &[u8; 16], uid: &Uid, counter: u32, input: &[u8]) -> [u8; 8] {
    let session = aes_cmac(file_key, &session_vector(SV2, uid, counter));
    odd_bytes(&aes_cmac(&session, input))
}

/// The LRP-mode session vector (NT4H2421Gx, SDM session keys in LRP mode):
/// `00 01 00 80 || UID || SDMReadCtr` (little-endian), zero padding to 14 bytes (none with a
/// 7-byte UID), then `1E E1`. Unlike AES mode there is no `3C C3` / `C3 3C` label: one master
/// key serves both MAC and encryption, through different LRP updated keys.
fn lrp_session_vector(uid: &Uid, counter: u32) -> [u8; 16] {
    let mut sv = [0u8; 16];
    sv[..4].copy_from_slice(&[0x00, 0x01, 0x00, 0x80]);
    sv[4..11].copy_from_slice(uid);
    sv[11..14].copy_from_slice(&counter.to_le_bytes()[..3]);
    sv[14..].copy_from_slice(&[0x1E, 0xE1]);
    sv
}

/// The LRP-mode session master key: `CMAC_LRP(K_file, SV)`. Its updated key 0 MACs
/// (`KSesSDMFileReadMAC`), its updated key 1 encrypts file data (`KSesSDMFileReadENC`).
fn lrp_session_master(file_key: &[u8; 16], uid: &Uid, counter: u32) -> [u8; 16] {
    Lrp::new(file_key, 0).cmac(&lrp_session_vector(uid, counter))
}

/// The LRP-mode SDMMAC: `CMAC_LRP` under the session MAC key, truncated as in AES mode.
fn lrp_truncated_mac(file_key: &[u8; 16], uid: &Uid, counter: u32, input: &[u8]) -> [u8; 8] {
    let master = lrp_session_master(file_key, uid, counter);
    odd_bytes(&Lrp::new(&master, 0).cmac(input))
}

/// Reads decrypted PICCData: the PICCDataTag, the UID and the little-endian counter.
fn read_picc_plaintext(block: &[u8; 16]) -> Result<(Uid, u32), SunError> {
    let tag = block[0];
    // bit 7: UID mirrored, bit 6: counter mirrored, bits 3..0: UID length 7.
    if tag & 0xC0 != 0xC0 || tag & 0x0F != 7 {
        return Err(SunError::BadPiccData { tag });
    }
    let mut uid = [0u8; 7];
    uid.copy_from_slice(&block[1..8]);
    let counter = u32::from_le_bytes([block[8], block[9], block[10], 0]);
    Ok((uid, counter))
}

/// Decrypts PICCData (AES-CBC with a zero IV over one block is a single block decryption).
fn decrypt_picc(meta: &[u8; 16], picc: &[u8; 16]) -> Result<(Uid, u32), SunError> {
    let cipher = Aes128::new(GenericArray::from_slice(meta));
    let mut block = GenericArray::clone_from_slice(picc);
    cipher.decrypt_block(&mut block);
    read_picc_plaintext(&block.into())
}

/// Decrypts LRP-mode PICCData: one LRICB block under `K_meta` (updated key 0), with PICCRand
/// as the counter.
fn decrypt_picc_lrp(meta: &[u8; 16], picc_rand: &[u8; 8], picc: &[u8; 16]) -> Result<(Uid, u32), SunError> {
    let mut counter = *picc_rand;
    read_picc_plaintext(&Lrp::new(meta, 0).decrypt_block(&mut counter, picc))
}

/// Decrypts LRP-mode file data: LRICB under the session ENC key (updated key 1 of the
/// session master key), the counter starting at `SDMReadCtr || 00 00 00`, no padding.
fn decrypt_file_lrp(file_key: &[u8; 16], uid: &Uid, counter: u32, enc: &[u8]) -> Result<Vec<u8>, SunError> {
    let master = lrp_session_master(file_key, uid, counter);
    let mut iv = [0u8; 6];
    iv[..3].copy_from_slice(&counter.to_le_bytes()[..3]);
    Lrp::new(&master, 1).decrypt(&mut iv, enc).map_err(|_| SunError::BadFileData)
}

fn decrypt_file(file_key: &[u8; 16], uid: &Uid, counter: u32, enc: &[u8]) -> Result<Vec<u8>, SunError> {
    if enc.is_empty() || !enc.len().is_multiple_of(16) {
        return Err(SunError::BadFileData);
    }
    let session = aes_cmac(file_key, &session_vector(SV1, uid, counter));
    let mut iv_block = GenericArray::clone_from_slice(&{
        let mut b = [0u8; 16];
        b[..3].copy_from_slice(&counter.to_le_bytes()[..3]);
        b
    });
    Aes128::new(GenericArray::from_slice(&session)).encrypt_block(&mut iv_block);
    let mut data = enc.to_vec();
    let mut dec = cbc::Decryptor::<Aes128>::new(GenericArray::from_slice(&session), &iv_block);
    for chunk in data.chunks_exact_mut(16) {
        dec.decrypt_block_mut(GenericArray::from_mut_slice(chunk));
    }
    Ok(data)
}

/// The cipher suite a tag was personalised with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Aes,
    Lrp,
}

impl Mode {
    fn truncated_mac(self, file_key: &[u8; 16], uid: &Uid, counter: u32, input: &[u8]) -> [u8; 8] {
        match self {
            Mode::Aes => truncated_mac(file_key, uid, counter, input),
            Mode::Lrp => lrp_truncated_mac(file_key, uid, counter, input),
        }
    }

    fn decrypt_file(self, file_key: &[u8; 16], uid: &Uid, counter: u32, enc: &[u8]) -> Result<Vec<u8>, SunError> {
        match self {
            Mode::Aes => decrypt_file(file_key, uid, counter, enc),
            Mode::Lrp => decrypt_file_lrp(file_key, uid, counter, enc),
        }
    }

    /// A MAC computation whose result is thrown away, so that a rejected PICCData takes as
    /// long as a MAC check.
    fn dummy_mac(self) {
        std::hint::black_box(self.truncated_mac(&[0u8; 16], &[0u8; 7], 0, &[]));
    }
}

/// The ASCII MAC input of §4.3 step 3 for the mirrored file data.
fn mac_input(enc: Option<&[u8]>, layout: MacInput) -> Vec<u8> {
    match (enc, layout) {
        (Some(e), MacInput::Separated) => format!("{}&cmac=", hex::encode_upper(e)).into_bytes(),
        (Some(e), MacInput::Bulk) => hex::encode_upper(e).into_bytes(),
        _ => Vec::new(),
    }
}

/// Verifies a SUN message (AES or LRP mode). `file_key` gives the file key of a UID
/// (diversified per tag); for the plain mirror `meta_key` is not used.
///
/// # Errors
/// [`SunError::BadPiccData`] or [`SunError::BadMac`]; a malformed PICCData still costs one MAC
/// computation, so failures take the same time.
pub fn verify(msg: &Message, meta_key: &[u8; 16], file_key: impl Fn(&Uid) -> [u8; 16]) -> Result<Tap, SunError> {
    let (mode, picc, enc, layout, mac) = match msg {
        Message::Plain { uid, counter, mac } => (Mode::Aes, Ok((*uid, *counter)), None, MacInput::Empty, mac),
        Message::Encrypted { picc_data, enc, layout, mac } => {
            (Mode::Aes, decrypt_picc(meta_key, picc_data), enc.as_deref(), *layout, mac)
        }
        Message::Lrp { picc_rand, picc_data, enc, layout, mac } => {
            (Mode::Lrp, decrypt_picc_lrp(meta_key, picc_rand, picc_data), enc.as_deref(), *layout, mac)
        }
    };
    let (uid, counter) = picc.inspect_err(|_| mode.dummy_mac())?;
    let key = file_key(&uid);
    let expected = mode.truncated_mac(&key, &uid, counter, &mac_input(enc, layout));
    if !bool::from(expected.ct_eq(mac)) {
        return Err(SunError::BadMac);
    }
    let file_data = enc.map(|e| mode.decrypt_file(&key, &uid, counter, e)).transpose()?;
    Ok(Tap { uid, counter, file_data })
}

/// Accepts a counter only above the last accepted one for the tag (§4.3 step 8); returns the
/// jump (1 for consecutive taps; more means taps were made and not submitted).
///
/// # Errors
/// [`SunError::Replayed`] for a counter at or below the last one.
pub fn check_counter(last: Option<u32>, got: u32) -> Result<u32, SunError> {
    match last {
        Some(last) if got <= last => Err(SunError::Replayed { last, got }),
        Some(last) => Ok(got - last),
        None => Ok(1),
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as hmac::Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    hmac::Mac::update(&mut mac, data);
    hmac::Mac::finalize(mac).into_bytes().into()
}

/// The key number of the file key in our provisioning (key #2, as in the vectors).
pub const FILE_KEY_NO: u8 = 2;

/// Per-tag keys from a master key (§4.3 step 9): `K_meta` is shared, `K_file` is diversified
/// per UID. `allow_zero` admits the all-zero master key (tests and NXP vectors only).
///
/// # Errors
/// [`SunError::ZeroKey`] for the all-zero master key when not allowed.
pub fn derive(master: &[u8; 32], uid: &Uid, key_no: u8, allow_zero: bool) -> Result<TagKeys, SunError> {
    if master.iter().all(|b| *b == 0) {
        return if allow_zero { Ok(TagKeys { meta: [0; 16], file: [0; 16] }) } else { Err(SunError::ZeroKey) };
    }
    let mut meta = [0u8; 16];
    meta.copy_from_slice(&hmac_sha256(master, b"PICCDataKey")[..16]);
    let mut slot_label = b"SlotMasterKey".to_vec();
    slot_label.push(key_no);
    let slot = hmac_sha256(master, &slot_label);
    let div_base = hmac_sha256(master, b"DivBaseKey");
    let mut input = [0u8; 17];
    input[0] = 0x01;
    input[1..].copy_from_slice(&hmac_sha256(&div_base, uid)[..16]);
    let mut slot_key = [0u8; 16];
    slot_key.copy_from_slice(&slot[..16]);
    Ok(TagKeys { meta, file: aes_cmac(&slot_key, &input) })
}

/// What a provisioned tag writes into its URL on a tap (PICC-only layout, the one baove
/// provisions): for the tag simulator of tests and benchmarks, and to check provisioning.
/// `padding` fills the five unused bytes of PICCData (the tag puts random bytes there).
#[must_use]
pub fn tap_query(keys: &TagKeys, uid: &Uid, counter: u32, padding: [u8; 5]) -> String {
    let block = picc_plaintext(uid, counter, padding);
    let mut b = GenericArray::clone_from_slice(&block);
    Aes128::new(GenericArray::from_slice(&keys.meta)).encrypt_block(&mut b);
    let mac = truncated_mac(&keys.file, uid, counter, &[]);
    format!("picc_data={}&cmac={}", hex::encode_upper(b), hex::encode_upper(mac))
}

/// The LRP-mode counterpart of [`tap_query`] (PICC-only layout), for tests and simulators
/// only: baove provisions AES tags. `picc_rand` is the LRICB counter the tag draws at random.
#[must_use]
pub fn tap_query_lrp(keys: &TagKeys, uid: &Uid, counter: u32, picc_rand: [u8; 8], padding: [u8; 5]) -> String {
    let mut lricb_counter = picc_rand;
    let encrypted = Lrp::new(&keys.meta, 0).encrypt_block(&mut lricb_counter, &picc_plaintext(uid, counter, padding));
    let mac = lrp_truncated_mac(&keys.file, uid, counter, &[]);
    format!(
        "picc_data={}{}&cmac={}",
        hex::encode_upper(picc_rand),
        hex::encode_upper(encrypted),
        hex::encode_upper(mac)
    )
}

/// PICCData before encryption: tag `C7` (UID and counter mirrored, 7-byte UID), UID,
/// little-endian counter and five bytes of padding.
fn picc_plaintext(uid: &Uid, counter: u32, padding: [u8; 5]) -> [u8; 16] {
    let mut block = [0u8; 16];
    block[0] = 0xC7;
    block[1..8].copy_from_slice(uid);
    block[8..11].copy_from_slice(&counter.to_le_bytes()[..3]);
    block[11..].copy_from_slice(&padding);
    block
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lrp_tests;
