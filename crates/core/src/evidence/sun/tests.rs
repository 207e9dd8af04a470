//! The published vectors of shared/vectors/ntag424-sun.md §4.4, every one as a test, plus
//! replay, tampering and key handling.

use super::*;

fn h16(s: &str) -> [u8; 16] {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn h8(s: &str) -> [u8; 8] {
    hex::decode(s).unwrap().try_into().unwrap()
}

const ZERO: [u8; 16] = [0; 16];

#[test]
fn v1_an12196_picc_only() {
    let msg = Message::Encrypted {
        picc_data: h16("EF963FF7828658A599F3041510671E88"),
        enc: None,
        layout: MacInput::Empty,
        mac: h8("94EED9EE65337086"),
    };
    let tap = verify(&msg, &ZERO, |_| ZERO).unwrap();
    assert_eq!(hex::encode_upper(tap.uid), "04DE5F1EACC040");
    assert_eq!(tap.counter, 61);
    assert_eq!(tap.file_data, None);
}

#[test]
fn v1_intermediate_values() {
    let (uid, ctr) = decrypt_picc(&ZERO, &h16("EF963FF7828658A599F3041510671E88")).unwrap();
    let sv2 = session_vector(SV2, &uid, ctr);
    assert_eq!(hex::encode_upper(sv2), "3CC30001008004DE5F1EACC0403D0000");
    let session = aes_cmac(&ZERO, &sv2);
    assert_eq!(hex::encode_upper(session), "3FB5F6E3A807A03D5E3570ACE393776F");
    assert_eq!(hex::encode_upper(aes_cmac(&session, &[])), "E194C7EE12D9F7EE8A65C8331B704386");
}

fn v2() -> Message {
    Message::Encrypted {
        picc_data: h16("FD91EC264309878BE6345CBE53BADF40"),
        enc: Some(hex::decode("CEE9A53E3E463EF1F459635736738962").unwrap()),
        layout: MacInput::Separated,
        mac: h8("ECC1E7F6C6C73BF6"),
    }
}

#[test]
fn v2_an12196_with_encrypted_file_data() {
    let tap = verify(&v2(), &ZERO, |_| ZERO).unwrap();
    assert_eq!(hex::encode_upper(tap.uid), "04958CAA5C5E80");
    assert_eq!(tap.counter, 8);
    assert_eq!(tap.file_data.as_deref(), Some(&b"xxxxxxxxxxxxxxxx"[..]));
    let sv1 = session_vector(SV1, &tap.uid, 8);
    assert_eq!(hex::encode_upper(sv1), "C33C0001008004958CAA5C5E80080000");
    assert_eq!(hex::encode_upper(aes_cmac(&ZERO, &sv1)), "42132D669442AD43E072C8C0C9828A72");
    assert_eq!(
        hex::encode_upper(aes_cmac(&ZERO, &session_vector(SV2, &tap.uid, 8))),
        "3ED0920E5E6A0320D823D5987FEAFBB1"
    );
}

#[test]
fn v3_custom_keys_without_separator() {
    let msg = Message::Encrypted {
        picc_data: h16("8ACADDEF0A9B62CDAE39A16B83FC14DE"),
        enc: Some(hex::decode("B8436E11F627BB7F543FCC0C1E0D1A89").unwrap()),
        layout: MacInput::Bulk,
        mac: h8("238B2543A8DEBAD8"),
    };
    let tap =
        verify(&msg, &h16("42AFF114F2CB3B6141BE6DC95DFC5416"), |_| h16("B62A9BAF092439BD43C62AEE96B970C5")).unwrap();
    assert_eq!(hex::encode_upper(tap.uid), "041D3C8A2D6B80");
    assert_eq!(tap.counter, 291);
    assert_eq!(tap.file_data.as_deref(), Some(&b"NTXXqno_oBFpwy-V"[..]));
}

#[test]
fn v4_plain_mirror_reads_the_counter_big_endian() {
    let msg = parse_url("https://example.vn/tag?uid=041E3C8A2D6B80&ctr=000006&cmac=4B00064004B0B3D3").unwrap();
    let tap = verify(&msg, &ZERO, |_| ZERO).unwrap();
    assert_eq!(tap.counter, 6);
}

#[test]
fn v5_a_forged_mac_fails() {
    let mut msg = v2();
    if let Message::Encrypted { mac, .. } = &mut msg {
        *mac = h8("3CC1E7F6C6C33B33");
    }
    assert_eq!(verify(&msg, &ZERO, |_| ZERO), Err(SunError::BadMac));
}

const V6_MASTER: &str = "47BBB68AFA73F31310BEEFCE5DDA692DBAD671A03FEAD5A9BBDBCF3CD6D4C521";

fn master() -> [u8; 32] {
    hex::decode(V6_MASTER).unwrap().try_into().unwrap()
}

#[test]
fn v6_diversified_keys_bulk_file_data() {
    let m = master();
    let uid: Uid = hex::decode("04C24EDA926980").unwrap().try_into().unwrap();
    let keys = derive(&m, &uid, FILE_KEY_NO, false).unwrap();
    assert_eq!(hex::encode_upper(keys.meta), "C3B653D8484D82FD9D5DC48840E1F94E");
    assert_eq!(hex::encode_upper(keys.file), "1FD0D360CCF906DF902CC8404C7CE5AA");
    let enc = "382B4C3D68552C3A5F417F0695A3D857923764E1737AD1F80E834E46387F45DC77FE7468BBCF9DBF43B29CA58E8D6435F908C9C0CD56E9B4B9960FE1279C5DF1";
    let msg = Message::Encrypted {
        picc_data: h16("8DE9030262807261850FCCF5FE007E21"),
        enc: Some(hex::decode(enc).unwrap()),
        layout: MacInput::Bulk,
        mac: h8("DF3EF20BE7D91C8E"),
    };
    let tap = verify(&msg, &keys.meta, |u| derive(&m, u, FILE_KEY_NO, false).unwrap().file).unwrap();
    assert_eq!((hex::encode_upper(tap.uid).as_str(), tap.counter), ("04C24EDA926980", 1));
    let file = tap.file_data.unwrap();
    assert_eq!(file.len(), 64);
    assert!(file.starts_with(b"NT1") && file.ends_with(b"EEEEEEEEEEEE"), "{}", String::from_utf8_lossy(&file));
}

#[test]
fn v7_diversified_keys_second_tag() {
    let m = master();
    let uid: Uid = hex::decode("047D5F2AAA6180").unwrap().try_into().unwrap();
    assert_eq!(
        hex::encode_upper(derive(&m, &uid, FILE_KEY_NO, false).unwrap().file),
        "97D1C3D765BC22AB707E80723E17B126"
    );
    let msg = Message::Encrypted {
        picc_data: h16("4F5B914723915D456C038FE658686CD5"),
        enc: Some(hex::decode("5CE7DCDEA93F5DA7AAA0AADC97485ABF").unwrap()),
        layout: MacInput::Bulk,
        mac: h8("FFCD8DE82AD05289"),
    };
    let meta = derive(&m, &uid, FILE_KEY_NO, false).unwrap().meta;
    let tap = verify(&msg, &meta, |u| derive(&m, u, FILE_KEY_NO, false).unwrap().file).unwrap();
    assert_eq!(tap.counter, 2);
    assert_eq!(tap.file_data.as_deref(), Some(&b"CC\x04aaaaEEEEEEEEE"[..]));
}

#[test]
fn the_url_decides_the_mac_layout() {
    let separated = "https://baove.example/n?picc_data=FD91EC264309878BE6345CBE53BADF40&enc=CEE9A53E3E463EF1F459635736738962&cmac=ECC1E7F6C6C73BF6";
    assert_eq!(parse_url(separated).unwrap(), v2());
    let picc_only = "https://baove.example/n?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086";
    assert_eq!(verify(&parse_url(picc_only).unwrap(), &ZERO, |_| ZERO).unwrap().counter, 61);
}

#[test]
fn an_edited_url_is_rejected() {
    // One hex digit of PICCData changed: it decrypts to garbage or a different UID/counter.
    let edited = "https://baove.example/n?picc_data=EF963FF7828658A599F3041510671E89&cmac=94EED9EE65337086";
    assert!(verify(&parse_url(edited).unwrap(), &ZERO, |_| ZERO).is_err());
    // The counter of a plain mirror raised by hand.
    let raised = "https://baove.example/n?uid=041E3C8A2D6B80&ctr=000007&cmac=4B00064004B0B3D3";
    assert_eq!(verify(&parse_url(raised).unwrap(), &ZERO, |_| ZERO), Err(SunError::BadMac));
    // A tag answering with another key (a clone made without the unit's keys).
    let picc_only = "https://baove.example/n?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086";
    assert!(verify(&parse_url(picc_only).unwrap(), &ZERO, |_| [7u8; 16]).is_err());
}

#[test]
fn malformed_urls_get_a_precise_error() {
    assert_eq!(parse_url("https://x/n?picc_data=00"), Err(SunError::Missing("cmac")));
    assert_eq!(
        parse_url("https://x/n?picc_data=zz&cmac=94EED9EE65337086"),
        Err(SunError::BadHex { name: "picc_data", len: 32 })
    );
    assert_eq!(parse_url("https://x/n?cmac=94EED9EE65337086"), Err(SunError::Missing("picc_data")));
    assert_eq!(
        parse_url("https://x/n?picc_data=EF963FF7828658A599F3041510671E88&enc=ABCD&cmac=94EED9EE65337086"),
        Err(SunError::BadFileData)
    );
}

#[test]
fn a_counter_must_rise_and_a_jump_is_measured() {
    assert_eq!(check_counter(None, 61), Ok(1));
    assert_eq!(check_counter(Some(60), 61), Ok(1));
    assert_eq!(check_counter(Some(50), 61), Ok(11));
    assert_eq!(check_counter(Some(61), 61), Err(SunError::Replayed { last: 61, got: 61 }));
    assert_eq!(check_counter(Some(70), 61), Err(SunError::Replayed { last: 70, got: 61 }));
}

#[test]
fn the_all_zero_master_key_is_refused_outside_tests() {
    let uid = [4, 1, 2, 3, 4, 5, 6];
    assert_eq!(derive(&[0; 32], &uid, FILE_KEY_NO, false), Err(SunError::ZeroKey));
    assert_eq!(derive(&[0; 32], &uid, FILE_KEY_NO, true).unwrap(), TagKeys { meta: ZERO, file: ZERO });
    let a = derive(&master(), &uid, FILE_KEY_NO, false).unwrap();
    let b = derive(&master(), &[4, 1, 2, 3, 4, 5, 7], FILE_KEY_NO, false).unwrap();
    assert_eq!(a.meta, b.meta, "the meta key is shared by the unit's tags");
    assert_ne!(a.file, b.file, "file keys are diversified per UID");
}

#[test]
fn a_simulated_tap_verifies_and_reproduces_the_an12196_vector() {
    let uid: Uid = hex::decode("04DE5F1EACC040").unwrap().try_into().unwrap();
    let q = tap_query(&TagKeys { meta: ZERO, file: ZERO }, &uid, 61, [0xDA, 0x5C, 0xF6, 0x09, 0x41]);
    assert_eq!(q, "picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086");
    let keys = derive(&master(), &uid, FILE_KEY_NO, false).unwrap();
    let url = format!("https://baove.example/n?{}", tap_query(&keys, &uid, 7, [1, 2, 3, 4, 5]));
    let tap = verify(&parse_url(&url).unwrap(), &keys.meta, |u| derive(&master(), u, FILE_KEY_NO, false).unwrap().file)
        .unwrap();
    assert_eq!((tap.uid, tap.counter), (uid, 7));
}
