//! What a unit prints or writes onto its checkpoints: the sheet of QR labels of a site, the
//! NFC provisioning of a checkpoint (the NDEF URL template, its SDM offsets and settings, the
//! keys of one tag, and binding the tag), and the patrol logbook of a night or a week as PDF
//! and XLSX. Documents are typeset by `baove-report` off the async runtime.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use baove_core::evidence::sun;
use baove_core::patrol::round::{PointState, Round, RoundState};
use baove_core::patrol::scan::Scan;
use baove_core::time::{format_date, format_datetime, vietnam};
use baove_core::validate::{Invalid, Problem};
use baove_core::{AccountId, CheckpointId, ScanId, SiteId, UnitId};
use baove_report::{Label, PatrolLog, PatrolRow, PatrolTotals};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::forms::FormBuilder;
use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, id, invalid, see};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sites/{id}/labels.pdf", get(labels))
        .route("/checkpoints/{id}/nfc", get(nfc_page).post(bind))
        .route("/units/{id}/patrol-log.pdf", get(log_pdf))
        .route("/units/{id}/patrol-log.xlsx", get(log_xlsx))
}

pub(super) const PDF: &str = "application/pdf";
pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to save, under an ASCII name.
pub(super) fn download(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// "Trường THPT Nguyễn Trãi" → "truong-thpt-nguyen-trai": file names stay ASCII so every
/// browser and mail client keeps them.
fn slug(text: &str) -> String {
    let folded = baove_core::text::fold(text);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.truncate(60);
    out.trim_end_matches('-').to_owned()
}

/// Typesets off the async runtime: a document takes tens of milliseconds of CPU.
pub(super) async fn typeset<F>(f: F) -> Result<Vec<u8>, AppError>
where
    F: FnOnce() -> Result<Vec<u8>, baove_report::ReportError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            tracing::error!(%e, "document failed");
            Err(AppError::Internal)
        }
        Err(e) => {
            tracing::error!(%e, "typesetting task failed");
            Err(AppError::Internal)
        }
    }
}

/// The host the phones reach this server by, from the request: it goes into QR codes and
/// NFC tags, so anything but a plain host name (and port) is refused.
fn host(headers: &HeaderMap) -> Result<String, AppError> {
    let h = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let fine = !h.is_empty()
        && h.len() <= 100
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if fine { Ok(h.to_owned()) } else { Err(AppError::BadRequest("host".into())) }
}

/// Only the unit's security officer and head (and administrators) print labels and
/// provision tags: both hand out the secrets a scan is checked against.
fn may_provision(ctx: &Ctx) -> Result<(), AppError> {
    if ctx.principal.role.edits_details() { Ok(()) } else { Err(AppError::Forbidden) }
}

async fn labels(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let site = s.store.site(&ctx.principal, id::<SiteId>(&raw)?).await?;
    may_provision(&ctx)?;
    let host = host(&headers)?;
    let unit = s.store.unit(&ctx.principal, site.unit_id).await?;
    let mut checkpoints: Vec<_> = s
        .store
        .list_checkpoints(&ctx.principal, site.unit_id, "")
        .await?
        .into_iter()
        .filter(|c| c.site_id == site.id && c.active)
        .collect();
    checkpoints.sort_by(|a, b| a.code.cmp(&b.code));
    let actor = ctx.actor();
    let mut out = Vec::with_capacity(checkpoints.len());
    for cp in checkpoints {
        let fresh = hex::encode(rand::random::<[u8; 16]>());
        let secret = s.store.checkpoint_code(&actor, cp.id, &fresh).await?;
        out.push(Label { code: cp.code, name: cp.name, url: format!("https://{host}/q/{secret}") });
    }
    let name = format!("nhan-qr-{}.pdf", slug(&site.name));
    let (unit_name, site_name) = (unit.name, site.name);
    let pdf = typeset(move || baove_report::qr_labels_pdf(&unit_name, &site_name, &out)).await?;
    Ok(download(pdf, PDF, &name))
}

// ---- NFC provisioning (NTAG 424 DNA, AN12196) ----

/// The NDEF URI record header before the URL's text: NLEN (2 bytes), record header 0xD1,
/// type length, payload length, type "U", URI prefix code 0x04 ("https://"). SDM offsets
/// count from the start of the NDEF file, so a character's offset is this plus its index.
const NDEF_PREFIX: usize = 7;

/// The URL template of a tag and the offsets of the fields the tag fills in on each tap.
struct Template {
    url: String,
    picc_offset: usize,
    mac_offset: usize,
    ndef_hex: String,
}

fn template(host: &str) -> Template {
    let rest = format!("{host}/n?picc_data={}&cmac={}", "0".repeat(32), "0".repeat(16));
    let picc_offset = NDEF_PREFIX + rest.find("picc_data=").map_or(0, |i| i + "picc_data=".len());
    let mac_offset = NDEF_PREFIX + rest.find("cmac=").map_or(0, |i| i + "cmac=".len());
    // The host is at most 100 bytes, so the record stays a short record (payload < 256).
    let payload = rest.len() + 1;
    let mut ndef = Vec::with_capacity(payload + 6);
    ndef.extend_from_slice(&u16::try_from(payload + 4).unwrap_or(u16::MAX).to_be_bytes());
    ndef.extend_from_slice(&[0xD1, 0x01, u8::try_from(payload).unwrap_or(u8::MAX), b'U', 0x04]);
    ndef.extend_from_slice(rest.as_bytes());
    Template { url: format!("https://{rest}"), picc_offset, mac_offset, ndef_hex: hex::encode_upper(ndef) }
}

/// An offset as the three little-endian bytes of ChangeFileSettings.
fn offset_bytes(offset: usize) -> String {
    let b = u32::try_from(offset).unwrap_or(0).to_le_bytes();
    format!("{offset} (0x{:02X}{:02X}{:02X} → {:02X} {:02X} {:02X})", b[2], b[1], b[0], b[0], b[1], b[2])
}

/// A UID as typed (spaces and colons allowed, any case) → 14 upper-case hex characters.
fn parse_uid(raw: &str) -> Option<(String, sun::Uid)> {
    let clean: String = raw.chars().filter(|c| !matches!(c, ' ' | ':' | '-')).collect();
    let bytes: sun::Uid = hex::decode(&clean).ok()?.try_into().ok()?;
    Some((hex::encode_upper(bytes), bytes))
}

#[derive(Deserialize, Default)]
struct UidIn {
    #[serde(default)]
    uid: String,
}

fn table(l: Lang, rows: Vec<(String, String)>) -> Table {
    Table {
        headers: vec![l.t("nfc.setting").into(), l.t("nfc.value").into()],
        rows: rows.into_iter().map(|(k, v)| vec![Cell::text(k), Cell::text(v)]).collect(),
    }
}

async fn nfc_page(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(q): Query<UidIn>,
) -> Result<Response, AppError> {
    show_nfc(&s, &ctx, &headers, &raw, &q.uid, false).await
}

async fn bind(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(raw): Path<String>,
    FormBody(f): FormBody<UidIn>,
) -> Result<Response, AppError> {
    let cp = s.store.checkpoint(&ctx.principal, id::<CheckpointId>(&raw)?).await?;
    may_provision(&ctx)?;
    match parse_uid(&f.uid) {
        Some((uid, _)) => {
            s.store.bind_tag(&ctx.actor(), cp.id, &uid).await?;
            Ok(see(format!("/checkpoints/{}/nfc?uid={uid}", cp.id)))
        }
        None => show_nfc(&s, &ctx, &headers, &raw, &f.uid, true).await,
    }
}

/// The provisioning page; with a UID, that tag's keys and binding too. `posted` marks a
/// refused bind, where an empty UID is an error too.
async fn show_nfc(
    s: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    raw: &str,
    uid_in: &str,
    posted: bool,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let cp = s.store.checkpoint(&ctx.principal, id::<CheckpointId>(raw)?).await?;
    may_provision(ctx)?;
    let t = template(&host(headers)?);
    let mut p = page(ctx, l.t("nfc.title"));
    p.subtitle = Some(format!("{} · {}", cp.code, cp.name));
    p.sections.push(Section {
        title: l.t("nfc.url").into(),
        note: Some(l.t("nfc.url_note").into()),
        table: Some(table(
            l,
            vec![
                ("URL".into(), t.url.clone()),
                (l.t("nfc.ndef").into(), t.ndef_hex.clone()),
                ("PICCDataOffset".into(), offset_bytes(t.picc_offset)),
                ("SDMMACInputOffset".into(), offset_bytes(t.mac_offset)),
                ("SDMMACOffset".into(), offset_bytes(t.mac_offset)),
            ],
        )),
        ..Section::default()
    });
    let on = l.t("nfc.enabled");
    p.sections.push(Section {
        title: l.t("nfc.sdm").into(),
        table: Some(table(
            l,
            vec![
                ("Secure Messaging".into(), "AES".into()),
                ("FileOption".into(), format!("0x40 (SDM {on}, CommMode plain)")),
                ("AccessRights (Read)".into(), l.t("nfc.free").into()),
                ("SDMOptions".into(), "0xC1 (UID mirror, SDMReadCtr, ASCII)".into()),
                ("UID mirroring".into(), on.into()),
                ("SDMReadCtr".into(), on.into()),
                ("SDMReadCtrLimit".into(), l.t("nfc.off").into()),
                ("SDMENCFileData".into(), l.t("nfc.off").into()),
                ("SDMMetaRead".into(), format!("{} 1", l.t("nfc.key"))),
                ("SDMFileRead".into(), format!("{} {}", l.t("nfc.key"), sun::FILE_KEY_NO)),
                ("SDMCtrRet".into(), l.t("nfc.no_access").into()),
            ],
        )),
        ..Section::default()
    });
    let uid = (!uid_in.trim().is_empty()).then(|| parse_uid(uid_in));
    if let Some(Some((hex_uid, bytes))) = &uid {
        let master = s.store.unit_master_key(&ctx.actor(), cp.unit_id, rand::random()).await?;
        let keys = sun::derive(&master, bytes, sun::FILE_KEY_NO, false).map_err(|e| {
            tracing::error!(%e, "tag key derivation failed");
            AppError::Internal
        })?;
        let bound = match s.store.tag(hex_uid).await? {
            Some(b) if b.checkpoint_id == cp.id => Some(("nfc.bound", "ok")),
            Some(_) => Some(("nfc.bound_elsewhere", "warn")),
            None => None,
        };
        p.sections.push(Section {
            title: format!("{} {hex_uid}", l.t("nfc.keys")),
            note: Some(l.t("nfc.keys_note").into()),
            tone: bound.map_or("", |(_, tone)| tone),
            table: Some(table(
                l,
                vec![
                    (format!("{} 1 (SDMMetaRead)", l.t("nfc.key")), hex::encode_upper(keys.meta)),
                    (format!("{} {} (SDMFileRead)", l.t("nfc.key"), sun::FILE_KEY_NO), hex::encode_upper(keys.file)),
                    (l.t("nfc.binding").into(), bound.map_or(l.t("nfc.unbound"), |(k, _)| l.t(k)).into()),
                ],
            )),
            ..Section::default()
        });
    }
    // A UID that does not parse, or none at all in a bind, is the form's error.
    let malformed = matches!(uid, Some(None)) || (posted && uid.is_none());
    let mut form = FormBuilder::new(l, None).field("uid", "text", uid_in, true).build(
        format!("/checkpoints/{}/nfc", cp.id),
        &ctx.csrf,
        l.t("nfc.bind"),
    );
    if malformed {
        form.error = Some(l.t("nfc.bad_uid").into());
        if let Some(f) = form.fields.first_mut() {
            f.error = Some(l.t("nfc.bad_uid").into());
        }
    }
    p.sections.push(Section {
        title: l.t("nfc.bind").into(),
        note: Some(l.t("nfc.bind_note").into()),
        form: Some(form),
        links: vec![Link::new(format!("/sites/{}/labels.pdf", cp.site_id), l.t("print.labels"))],
        ..Section::default()
    });
    let resp = render(&p);
    Ok(if malformed { invalid(resp) } else { resp })
}

// ---- The patrol logbook ----

#[derive(Deserialize, Default)]
struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    days: String,
}

/// The first date and the number of nights: `from` defaults to last night (the night that
/// began on the Vietnam date twelve hours ago), `days` to one.
fn period(q: &Period, now: Timestamp) -> Result<(Date, i32), AppError> {
    let from = if q.from.trim().is_empty() {
        baove_core::time::local_date(now - SignedDuration::from_hours(12))
    } else {
        q.from.trim().parse::<Date>().map_err(|_| AppError::Invalid(Invalid::one("from", Problem::BadDate)))?
    };
    match q.days.trim() {
        "" | "1" => Ok((from, 1)),
        "7" => Ok((from, 7)),
        _ => Err(AppError::Invalid(Invalid::one("days", Problem::NotAnOption))),
    }
}

/// Noon, Vietnam time, on `d`: a night's rounds run from one noon to the next.
fn noon(d: Date) -> Result<Timestamp, AppError> {
    d.at(12, 0, 0, 0).to_zoned(vietnam()).map(|z| z.timestamp()).map_err(|_| AppError::BadId)
}

/// The place name of the date line: the province of the police the unit answers to, as
/// NĐ 30/2020 writes it ("Hà Nội"; a city named after a person keeps "Thành phố"), else the
/// last part of the unit's address.
pub(super) async fn place(s: &AppState, ctx: &Ctx, unit: &baove_core::registry::Unit) -> String {
    let province = match s.store.authority(&ctx.principal, unit.authority_id).await {
        Ok(a) => baove_core::admin_units::province(&a.province_code),
        Err(_) => None,
    };
    match province {
        Some(p) if p != "Thành phố Hồ Chí Minh" => p.trim_start_matches("Thành phố ").to_owned(),
        Some(p) => p.to_owned(),
        None => unit.address.rsplit(',').next().unwrap_or_default().trim().to_owned(),
    }
}

fn evidence_and_note(l: Lang, scan: Option<&Scan>, state_note: Option<&str>) -> (String, String) {
    let mut notes: Vec<String> = state_note.map(str::to_owned).into_iter().collect();
    let Some(scan) = scan else { return (String::new(), notes.join("; ")) };
    if !scan.reason.is_empty() {
        notes.push(format!("{}: {}", l.t("field.reason"), scan.reason));
    }
    notes.extend(
        scan.flags
            .iter()
            .filter(|f| **f != baove_core::patrol::scan::Flag::Manual)
            .map(|f| l.label("flag", f.code()).to_owned()),
    );
    (l.label("evidence", scan.evidence.code()).to_owned(), notes.join("; "))
}

async fn build_log(s: &AppState, ctx: &Ctx, raw: &str, q: &Period) -> Result<(PatrolLog, String), AppError> {
    // An administrative document is in Vietnamese whatever the reader's page language.
    let l = Lang::Vi;
    let unit = s.store.unit(&ctx.principal, id::<UnitId>(raw)?).await?;
    let (first, days) = period(q, ctx.now)?;
    let last = first.checked_add(jiff::Span::new().days(days)).map_err(|_| AppError::BadId)?;
    let (from, to) = (noon(first)?, noon(last)?);
    let mut rounds: Vec<Round> = s
        .store
        .list_rounds(&ctx.principal, unit.id, from, to)
        .await?
        .into_iter()
        .filter(|r| r.window_start >= from && r.window_start < to)
        .collect();
    rounds.sort_by_key(|r| r.window_start);
    let margin = SignedDuration::from_hours(3);
    let scans = s.store.list_scans(&ctx.principal, unit.id, from - margin, to + margin).await?;
    let by_id: HashMap<ScanId, &Scan> = scans.iter().map(|x| (x.id, x)).collect();
    let checkpoints: HashMap<CheckpointId, String> = s
        .store
        .list_checkpoints(&ctx.principal, unit.id, "")
        .await?
        .into_iter()
        .map(|c| (c.id, format!("{} · {}", c.code, c.name)))
        .collect();
    let mut names: HashMap<AccountId, String> = HashMap::new();
    let mut rows = Vec::new();
    let mut totals = PatrolTotals::default();
    for r in &rounds {
        let e = r.evaluate(&scans, ctx.now);
        totals.rounds += 1;
        match e.state {
            RoundState::Done => totals.done += 1,
            RoundState::Late => totals.late += 1,
            RoundState::Missed => totals.missed += 1,
            RoundState::Planned | RoundState::InProgress => {}
        }
        let (visited, all) = e.completion();
        totals.points_visited += u32::try_from(visited).unwrap_or(0);
        totals.points_total += u32::try_from(all).unwrap_or(0);
        let window = format!("{} – {}", format_datetime(r.window_start), format_datetime(r.window_end));
        for (cp, point) in r.checkpoints.iter().zip(&e.points) {
            let (scan, at, note) = match point {
                PointState::Done { scan, at } => (by_id.get(scan).copied(), Some(*at), None),
                PointState::Late { scan, at, .. } => (by_id.get(scan).copied(), Some(*at), Some(l.t("print.late"))),
                PointState::Missed { .. } => (None, None, Some(l.t("print.missed"))),
                PointState::Pending { .. } => (None, None, Some(l.t("print.pending"))),
            };
            let scanner = match scan.map(|x| (x.account_id, names.get(&x.account_id))) {
                None => String::new(),
                Some((_, Some(name))) => name.clone(),
                Some((account, None)) => {
                    // Someone the reader may not see is shown by their account id.
                    let name = match s.store.account(&ctx.principal, account).await {
                        Ok(a) => a.display_name,
                        Err(_) => account.to_string(),
                    };
                    names.insert(account, name.clone());
                    name
                }
            };
            let (method, note) = evidence_and_note(l, scan, note);
            rows.push(PatrolRow {
                round: r.name.clone(),
                window: window.clone(),
                checkpoint: checkpoints.get(cp).cloned().unwrap_or_else(|| cp.to_string()),
                scanned_at: at.map(format_datetime).unwrap_or_default(),
                scanner,
                method,
                note,
            });
        }
    }
    let key = if days == 1 { "print.night" } else { "print.week" };
    let period = l.t(key).replace("{from}", &format_date(first)).replace("{to}", &format_date(last));
    let log = PatrolLog {
        parent: String::new(),
        place: place(s, ctx, &unit).await,
        date: baove_core::time::local_date(ctx.now),
        period,
        rows,
        totals,
        prepared_by: ctx.account.display_name.clone(),
        head: unit.head_name.clone(),
        unit: unit.name,
    };
    let name = format!("so-tuan-tra-{}-{first}", slug(&log.unit));
    Ok((log, name))
}

async fn log_pdf(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<Period>,
) -> Result<Response, AppError> {
    let (log, name) = build_log(&s, &ctx, &raw, &q).await?;
    let pdf = typeset(move || baove_report::patrol_log_pdf(&log)).await?;
    Ok(download(pdf, PDF, &format!("{name}.pdf")))
}

async fn log_xlsx(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<Period>,
) -> Result<Response, AppError> {
    let (log, name) = build_log(&s, &ctx, &raw, &q).await?;
    let xlsx = typeset(move || baove_report::patrol_log_xlsx(&log)).await?;
    Ok(download(xlsx, XLSX, &format!("{name}.xlsx")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_ascii_slugs() {
        assert_eq!(slug("Trường THPT Nguyễn Trãi"), "truong-thpt-nguyen-trai");
        assert_eq!(slug("  Cơ sở 2 / Đống Đa  "), "co-so-2-dong-da");
    }

    #[test]
    fn the_sdm_offsets_point_at_the_placeholders_in_the_ndef_file() {
        // NXP AN12196's example URL puts PICCData at 0x20 after "choose.url.com/ntag424?e=".
        let t = template("baove.example");
        let ndef = hex::decode(&t.ndef_hex).unwrap();
        assert_eq!(&ndef[t.picc_offset - 10..t.picc_offset], b"picc_data=");
        assert_eq!(&ndef[t.picc_offset..t.picc_offset + 32], "0".repeat(32).as_bytes());
        assert_eq!(&ndef[t.mac_offset - 5..t.mac_offset], b"cmac=");
        assert_eq!(ndef.len(), t.mac_offset + 16, "the MAC ends the file");
        assert_eq!(usize::from(u16::from_be_bytes([ndef[0], ndef[1]])), ndef.len() - 2);
        assert_eq!(offset_bytes(0x20), "32 (0x000020 → 20 00 00)");
    }

    #[test]
    fn uids_are_seven_bytes_of_hex_however_typed() {
        assert_eq!(parse_uid("04:a1:b2:c3:d4:e5:f6").unwrap().0, "04A1B2C3D4E5F6");
        assert!(parse_uid("04A1B2C3D4E5").is_none());
        assert!(parse_uid("04A1B2C3D4E5FZ").is_none());
        assert!(parse_uid("04A1B2C3D4E5F6A7").is_none());
    }
}
