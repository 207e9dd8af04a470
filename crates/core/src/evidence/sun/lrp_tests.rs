//! LRP-mode SUN: the vectors V8 and V9 of shared/vectors/ntag424-sun.md §4.4 (from
//! sdm-backend's `tests/test_libsdm.py`), the intermediate values of sdm-backend's LRP SDM
//! walkthrough (`tests/test_lrp_sdm.py`), tampering, and the LRP tag simulator.

use super::*;

const ZERO: [u8; 16] = [0; 16];

const V8_URL: &str = "https://baove.example/n?picc_data=07D9CA2545881D4BFDD920BE1603268C0714420DD893A497&enc=D6E921C47DB4C17C56F979F81559BB83&cmac=F9481AC7D855BDB6";
const V9_URL: &str =
    "https://baove.example/n?picc_data=1FCBE61B3E4CAD980CBFDD333E7A4AC4A579569BAFD22C5F&cmac=4231608BA7B02BA9";

fn uid(s: &str) -> Uid {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn h16(s: &str) -> [u8; 16] {
    hex::decode(s).unwrap().try_into().unwrap()
}

/// The all-zero tag keys, obtained the way production code would (and only with `allow_zero`).
fn zero_keys(u: &Uid) -> TagKeys {
    derive(&[0; 32], u, FILE_KEY_NO, true).unwrap()
}

fn verify_zero(url: &str) -> Result<Tap, SunError> {
    let msg = parse_url(url)?;
    verify(&msg, &zero_keys(&[0; 7]).meta, |u| zero_keys(u).file)
}

/// Replaces the hex digit at `at` (an index into `url`) by another one.
fn flip_digit(url: &str, at: usize) -> String {
    let old = url.as_bytes()[at];
    let new = if old == b'0' { '1' } else { '0' };
    let mut out = url.to_owned();
    out.replace_range(at..=at, &new.to_string());
    assert_ne!(out, url);
    out
}

fn index_after(url: &str, marker: &str) -> usize {
    url.find(marker).unwrap() + marker.len()
}

#[test]
fn v8_lrp_with_encrypted_file_data() {
    let msg = parse_url(V8_URL).unwrap();
    assert_eq!(
        msg,
        Message::Lrp {
            picc_rand: hex::decode("07D9CA2545881D4B").unwrap().try_into().unwrap(),
            picc_data: h16("FDD920BE1603268C0714420DD893A497"),
            enc: Some(hex::decode("D6E921C47DB4C17C56F979F81559BB83").unwrap()),
            layout: MacInput::Separated,
            mac: hex::decode("F9481AC7D855BDB6").unwrap().try_into().unwrap(),
        }
    );
    let tap = verify_zero(V8_URL).unwrap();
    assert_eq!(tap.uid, uid("049B112A2F7080"));
    assert_eq!(tap.counter, 4);
    // The plaintext is not in our vectors table; sdm-backend's test_sdm_lrp1 gives it.
    assert_eq!(tap.file_data.as_deref(), Some(&b"NTXXb7dz3PsYYBlU"[..]));
}

#[test]
fn v9_lrp_picc_only() {
    let tap = verify_zero(V9_URL).unwrap();
    assert_eq!(tap.uid, uid("04940E2A2F7080"));
    assert_eq!(tap.counter, 3);
    assert_eq!(tap.file_data, None);
}

#[test]
fn v8_v9_intermediate_values() {
    let (u, ctr) = decrypt_picc_lrp(
        &ZERO,
        &hex::decode("1FCBE61B3E4CAD98").unwrap().try_into().unwrap(),
        &h16("0CBFDD333E7A4AC4A579569BAFD22C5F"),
    )
    .unwrap();
    assert_eq!((u, ctr), (uid("04940E2A2F7080"), 3));
    assert_eq!(hex::encode_upper(lrp_session_vector(&u, ctr)), "0001008004940E2A2F70800300001EE1");
    assert_eq!(hex::encode_upper(lrp_truncated_mac(&ZERO, &u, ctr, &[])), "4231608BA7B02BA9");
    // V8: the MAC input is the hex of the file data followed by `&cmac=`.
    let v8 = uid("049B112A2F7080");
    let input = b"D6E921C47DB4C17C56F979F81559BB83&cmac=";
    assert_eq!(hex::encode_upper(lrp_truncated_mac(&ZERO, &v8, 4, input)), "F9481AC7D855BDB6");
}

#[test]
fn sdm_backend_lrp_walkthrough_picc_only() {
    // test_lrp_sdm.py: MAC input offset = PICCData offset, so the MAC covers the PICCData
    // hex and the `x` separator.
    let mut rand = *b"\xAA\xE1\x50\x89\x39\xEC\xF6\xFF";
    let plain = Lrp::new(&ZERO, 0).decrypt_block(&mut rand, &h16("26BCE407959AB1A5EC022819A35CD293"));
    assert_eq!(hex::encode(plain), "c7042e1d222a63806a000016e2ca89d1");
    let (u, ctr) = read_picc_plaintext(&plain).unwrap();
    assert_eq!(ctr, 0x6A);
    assert_eq!(hex::encode(lrp_session_master(&ZERO, &u, ctr)), "99c2fd9c885c2ca3c9089c20057310c0");
    let input = b"AAE1508939ECF6FF26BCE407959AB1A5EC022819A35CD293x";
    assert_eq!(hex::encode_upper(lrp_truncated_mac(&ZERO, &u, ctr, input)), "5E3DB82C19E3865F");
}

#[test]
fn sdm_backend_lrp_walkthrough_with_file_data() {
    let mut rand = *b"\x65\x62\x8E\xD3\x68\x88\xCF\x9C";
    let plain = Lrp::new(&ZERO, 0).decrypt_block(&mut rand, &h16("84797E43ECACF114C6ED9A5E101EB592"));
    assert_eq!(hex::encode(plain), "c7042e1d222a63807b00002993571635");
    let (u, ctr) = read_picc_plaintext(&plain).unwrap();
    assert_eq!(hex::encode(lrp_session_master(&ZERO, &u, ctr)), "817133dd9fff11b94fc2fb107aa4d971");
    let input = b"any.domain/?m=65628ED36888CF9C84797E43ECACF114C6ED9A5E101EB592x4ADE304B5AB9474CB40AFFCAB0607A85x";
    assert_eq!(hex::encode_upper(lrp_truncated_mac(&ZERO, &u, ctr, input)), "87E287E8135BFC06");
    let file = decrypt_file_lrp(&ZERO, &u, ctr, &hex::decode("4ADE304B5AB9474CB40AFFCAB0607A85").unwrap()).unwrap();
    assert_eq!(file, b"0102030400000000");
}

#[test]
fn a_tampered_lrp_mac_fails() {
    for (url, len) in [(V8_URL, 16), (V9_URL, 16)] {
        let mac_at = index_after(url, "cmac=");
        for at in [mac_at, mac_at + len - 1] {
            assert_eq!(verify_zero(&flip_digit(url, at)), Err(SunError::BadMac), "{url} digit {at}");
        }
    }
}

#[test]
fn tampered_lrp_picc_data_fails() {
    for url in [V8_URL, V9_URL] {
        let picc_at = index_after(url, "picc_data=");
        // A digit of PICCRand (the LRICB counter) and digits of the encrypted block.
        for at in [picc_at, picc_at + 16, picc_at + 40, picc_at + 47] {
            let err = verify_zero(&flip_digit(url, at)).unwrap_err();
            assert!(matches!(err, SunError::BadMac | SunError::BadPiccData { .. }), "{url} digit {at}: {err:?}");
        }
    }
    // The encrypted file data is covered by the MAC too.
    let enc_at = index_after(V8_URL, "enc=");
    assert_eq!(verify_zero(&flip_digit(V8_URL, enc_at + 5)), Err(SunError::BadMac));
}

#[test]
fn lrp_tags_need_the_right_keys() {
    let msg = parse_url(V9_URL).unwrap();
    assert!(verify(&msg, &ZERO, |_| [7; 16]).is_err(), "another file key");
    assert!(verify(&msg, &[7; 16], |_| ZERO).is_err(), "another meta key");
}

#[test]
fn the_length_of_picc_data_selects_the_mode() {
    assert!(matches!(parse_url(V9_URL), Ok(Message::Lrp { enc: None, layout: MacInput::Empty, .. })));
    let aes = "https://x/n?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086";
    assert!(matches!(parse_url(aes), Ok(Message::Encrypted { .. })));
    assert_eq!(
        parse_url("https://x/n?picc_data=ZZD9CA2545881D4BFDD920BE1603268C0714420DD893A497&cmac=F9481AC7D855BDB6"),
        Err(SunError::BadHex { name: "picc_data", len: 48 })
    );
    assert_eq!(
        parse_url("https://x/n?picc_data=07D9CA2545881D4BFDD920BE1603268C0714420DD893A4&cmac=F9481AC7D855BDB6"),
        Err(SunError::BadHex { name: "picc_data", len: 32 })
    );
    assert_eq!(
        parse_url(
            "https://x/n?picc_data=07D9CA2545881D4BFDD920BE1603268C0714420DD893A497&enc=AB&cmac=F9481AC7D855BDB6"
        ),
        Err(SunError::BadFileData)
    );
}

#[test]
fn the_lrp_simulator_reproduces_v9_and_round_trips() {
    // V9 decrypts to C7 || UID || 03 00 00 || padding; re-encrypting it with the same PICCRand
    // must give the published URL back.
    let mut rand = *b"\x1F\xCB\xE6\x1B\x3E\x4C\xAD\x98";
    let plain = Lrp::new(&ZERO, 0).decrypt_block(&mut rand, &h16("0CBFDD333E7A4AC4A579569BAFD22C5F"));
    let padding: [u8; 5] = plain[11..].try_into().unwrap();
    let v9 = uid("04940E2A2F7080");
    let q = tap_query_lrp(&zero_keys(&v9), &v9, 3, *b"\x1F\xCB\xE6\x1B\x3E\x4C\xAD\x98", padding);
    assert_eq!(q, "picc_data=1FCBE61B3E4CAD980CBFDD333E7A4AC4A579569BAFD22C5F&cmac=4231608BA7B02BA9");

    let master: [u8; 32] = [0x42; 32];
    let tag = uid("04112233445566");
    let keys = derive(&master, &tag, FILE_KEY_NO, false).unwrap();
    let url = format!("https://baove.example/n?{}", tap_query_lrp(&keys, &tag, 300, [9; 8], [1, 2, 3, 4, 5]));
    let tap = verify(&parse_url(&url).unwrap(), &keys.meta, |u| derive(&master, u, FILE_KEY_NO, false).unwrap().file)
        .unwrap();
    assert_eq!((tap.uid, tap.counter), (tag, 300));
}
