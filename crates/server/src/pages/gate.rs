//! Visitors at the gate (R7–R8): the check-in form (a CCCD QR code pasted or scanned fills it
//! on the server), the consent notice, who is inside now with a check-out button each, the
//! logbook with its PDF and XLSX, the evacuation list, visitor cards and their closing-time
//! reconciliation, the watchlists (a unit's own; the police's for their area at the same
//! route) and the unit's retention settings. A watchlist hit holds the visitor and raises an
//! alert; a hit on a police list goes to the duty desk at once.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::UnitId;
use baove_core::access::{Org, Role};
use baove_core::patrol::alert::{Alert, AlertKind};
use baove_core::patrol::escalation::Tier;
use baove_core::time::{format_date, format_datetime, local_date, vietnam};
use baove_core::validate::{Checker, FieldError, Invalid, Problem};
use baove_core::visitor::card::{CardState, reconcile};
use baove_core::visitor::consent::{self, ConsentNotice};
use baove_core::visitor::retention::{PURGED, RetentionDraft};
use baove_core::visitor::watchlist::{ListSource, MatchField, WatchOwner};
use baove_core::visitor::{
    CardAction, CardNumber, CheckInDraft, Visit, VisitId, WatchEntryId, cccd_qr, countries, passport,
};
use baove_store::{CheckInRequest, CheckedIn, NewAlert, NewWatchEntry, VisitFilter, VisitorSettings};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use super::forms::FormBuilder;
use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, invalid, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::patrol::bus::Event;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/gate", get(gate))
        .route("/gate/checkin", post(checkin))
        .route("/gate/checkout", post(checkout))
        .route("/gate/log", get(log))
        .route("/gate/log.pdf", get(log_pdf))
        .route("/gate/log.xlsx", get(log_xlsx))
        .route("/gate/evacuation", get(evacuation))
        .route("/gate/watchlist", get(watchlist).post(add_watch))
        .route("/gate/watchlist/remove", post(remove_watch))
        .route("/gate/cards", get(cards).post(add_cards))
        .route("/gate/cards/move", post(move_card))
        .route("/gate/settings", get(settings).post(save_settings))
        .route("/gate/purge", post(purge))
        .route("/gate/forget", post(forget))
}

/// The gate belongs to the people of one unit.
pub(super) fn own_unit(ctx: &Ctx) -> Result<UnitId, AppError> {
    match ctx.principal.org {
        Org::Unit(u) => Ok(u),
        _ => Err(AppError::Forbidden),
    }
}

pub(super) fn administers(role: Role) -> bool {
    matches!(role, Role::SecurityOfficer | Role::UnitHead | Role::SystemAdmin)
}

/// An ID number with only its last four characters shown.
pub(super) fn masked(number: &str) -> String {
    if number == PURGED {
        return number.to_owned();
    }
    let n = number.chars().count();
    number.chars().enumerate().map(|(i, c)| if i + 4 < n { '•' } else { c }).collect()
}

fn start_of(d: Date) -> Timestamp {
    d.to_zoned(vietnam()).map(|z| z.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn time_of(ts: Option<Timestamp>) -> String {
    ts.map(format_datetime).unwrap_or_default()
}

fn card_of(v: &Visit) -> String {
    v.card.map(|c| c.to_string()).unwrap_or_default()
}

// ---- the gate page ----

#[derive(Deserialize, Default, Clone)]
struct CheckInForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    qr: String,
    /// The two lines of a passport's machine-readable zone, scanned or typed.
    #[serde(default)]
    mrz: String,
    #[serde(default)]
    doc_kind: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    cmnd: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    plate: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    card: String,
    #[serde(default)]
    consent: String,
    /// Staying overnight at the unit's own accommodation.
    #[serde(default)]
    overnight: String,
    /// Read from a passport's MRZ (kept in hidden fields if the form comes back), for a
    /// temporary-residence declaration.
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    gender: String,
}

impl CheckInForm {
    fn fresh() -> Self {
        Self { id: VisitId(uuid::Uuid::now_v7()).to_string(), doc_kind: "cccd".into(), ..Self::default() }
    }

    fn draft(&self) -> CheckInDraft {
        CheckInDraft {
            doc_kind: self.doc_kind.clone(),
            doc_number: self.doc_number.clone(),
            cmnd: self.cmnd.clone(),
            name: self.name.clone(),
            organisation: self.organisation.clone(),
            phone: self.phone.clone(),
            purpose: self.purpose.clone(),
            host: self.host.clone(),
            plate: self.plate.clone(),
            items: self.items.clone(),
            nationality: self.nationality.clone(),
        }
    }
}

pub(super) fn country_options(l: Lang) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = countries::all()
        .map(|c| {
            let name = if l == Lang::Vi { c.display_vi() } else { c.name_en };
            (c.alpha3.to_owned(), format!("{name} ({})", c.alpha3))
        })
        .collect();
    all.sort_by(|a, b| (a.0 != "VNM").cmp(&(b.0 != "VNM")).then_with(|| a.1.cmp(&b.1)));
    all
}

async fn gate_page(
    s: &AppState,
    ctx: &Ctx,
    f: &CheckInForm,
    e: Option<&Invalid>,
    doc_notes: &[String],
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(ctx)?;
    let u = s.store.unit(&ctx.principal, unit).await?;
    let settings = s.store.visitor_settings(&ctx.principal, unit).await?;
    let sites = s.store.list_sites(&ctx.principal, unit, "").await?;
    let inside = s
        .store
        .list_visits(&ctx.actor(), unit, &VisitFilter { inside_only: true, limit: 500, ..VisitFilter::default() })
        .await?;
    let mut p = page(ctx, l.t("gate.title"));
    p.subtitle = Some(u.name.clone());
    p.actions = vec![
        Link::new("/gate/log", l.t("gate.log")),
        Link::new("/gate/evacuation", l.t("gate.evacuation")),
        Link::new("/gate/cards", l.t("gate.cards")),
        Link::new("/gate/watchlist", l.t("gate.watchlist")),
        Link::new("/gate/foreigners", l.t("foreign.title")),
        Link::new("/gate/reports", l.t("report.list")),
    ];
    if administers(ctx.principal.role) {
        p.actions.push(Link::new("/gate/settings", l.t("gate.settings")));
    }
    if !doc_notes.is_empty() {
        p.sections.push(Section { note: Some(doc_notes.join(" ")), tone: "bad", ..Section::default() });
    }
    // The form first: the guard's main task.
    let site_value = if f.site_id.is_empty() {
        sites.first().map(|x| x.id.to_string()).unwrap_or_default()
    } else {
        f.site_id.clone()
    };
    let mut b = FormBuilder::new(l, e).field("id", "hidden", &f.id, false);
    b = if sites.len() > 1 {
        b.select("site_id", &site_value, sites.iter().map(|x| (x.id.to_string(), x.name.clone())).collect(), true)
    } else {
        b.field("site_id", "hidden", &site_value, true)
    };
    let b = b
        .field("qr", "text", "", false)
        .field("mrz", "textarea", "", false)
        .field("birth_date", "hidden", &f.birth_date, false)
        .field("gender", "hidden", &f.gender, false)
        .codes("doc_kind", &f.doc_kind, "doc_kind", &["cccd", "passport", "other"])
        .field("doc_number", "text", &f.doc_number, true)
        .field("cmnd", "hidden", &f.cmnd, false)
        .select("nationality", if f.nationality.is_empty() { "VNM" } else { &f.nationality }, country_options(l), false)
        .field("name", "text", &f.name, true)
        .field("organisation", "text", &f.organisation, false)
        .field("phone", "tel", &f.phone, false)
        .field("purpose", "text", &f.purpose, true)
        .field("host", "text", &f.host, false)
        .field("plate", "text", &f.plate, false)
        .field("items", "text", &f.items, false)
        .field("card", "numeric", &f.card, false);
    let b = if settings.accommodation { b.field("overnight", "checkbox", &f.overnight, false) } else { b };
    let form = b.field("consent", "checkbox", &f.consent, true).build("/gate/checkin", &ctx.csrf, l.t("gate.check_in"));
    let notice = ConsentNotice::current().render(
        consent::Lang::from_code(l.code()).unwrap_or(consent::Lang::Vi),
        &u.name,
        settings.retention,
    );
    p.sections.push(Section {
        title: l.t("gate.check_in").into(),
        note: Some(format!("{} {}", l.t("gate.qr_note"), notice)),
        form: Some(form),
        ..Section::default()
    });
    p.sections.extend(super::gate_foreign::gate_sections(s, ctx).await?);
    // Who is inside now, each with a check-out button.
    let max_stay = jiff::SignedDuration::from_mins(settings.overstay_minutes);
    let rows = inside
        .iter()
        .map(|v| {
            let status = if v.watchlist_hold {
                Cell::text(l.t("gate.held")).tone("bad")
            } else if v.duration(ctx.now) > max_stay {
                Cell::text(l.t("gate.overstay")).tone("warn")
            } else {
                Cell::text(l.t("gate.inside")).tone("ok")
            };
            vec![
                Cell::text(&v.name),
                Cell::text(&v.organisation),
                Cell::text(&v.purpose),
                Cell::text(card_of(v)),
                Cell::text(format_datetime(v.checked_in_at)),
                status,
                Cell::link(l.t("gate.report"), format!("/gate/report?visit_id={}", v.id)),
            ]
        })
        .collect();
    let headers =
        ["field.name", "field.organisation", "field.purpose", "field.card", "gate.in_at", "gate.status", "gate.report"]
            .iter()
            .map(|k| l.t(k).to_owned())
            .collect();
    p.sections.push(Section {
        title: format!("{} ({})", l.t("gate.inside_now"), inside.len()),
        table: Some(Table { headers, rows }),
        ..Section::default()
    });
    for v in &inside {
        let label = match v.card {
            Some(c) => format!("{} {} · {} {c}", l.t("gate.check_out"), v.name, l.t("field.card")),
            None => format!("{} {}", l.t("gate.check_out"), v.name),
        };
        let b = FormBuilder::new(l, None).field("visit_id", "hidden", &v.id.to_string(), true);
        // A visitor may walk off with the card: it then stays on the closing list.
        let b = if v.card.is_some() { b.field("card_kept", "checkbox", "", false) } else { b };
        p.sections.push(Section { form: Some(b.build("/gate/checkout", &ctx.csrf, &label)), ..Section::default() });
    }
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn gate(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    gate_page(&s, &ctx, &CheckInForm::fresh(), None, &[]).await
}

fn doc_note(l: Lang, field: &str, p: &baove_core::visitor::DocProblem) -> String {
    format!("{}: {}", l.t(&format!("field.{field}")), l.t(&format!("doc_problem.{}", p.code())))
}

async fn checkin(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(mut f): FormBody<CheckInForm>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(&ctx)?;
    let today = local_date(ctx.now);
    let mut extra = Checker::new();
    let mut notes = Vec::new();
    // An invitation's QR scanned into the field opens the invitation.
    if let Some(i) = f.qr.find("/gate/invite/") {
        let token: String = f.qr[i + 13..].chars().take_while(char::is_ascii_alphanumeric).collect();
        return Ok(see(format!("/gate/invite/{token}")));
    }
    if !f.qr.trim().is_empty() {
        match cccd_qr::parse(&f.qr, today) {
            Ok(q) => {
                f.doc_kind = "cccd".into();
                f.doc_number = q.number.as_str().to_owned();
                f.cmnd = q.cmnd.map(String::from).unwrap_or_default();
                f.name = q.full_name;
                f.nationality = "VNM".into();
            }
            Err(p) => {
                extra.fail("qr", Problem::BadCode);
                notes.push(doc_note(l, "qr", &p));
            }
        }
        f.qr.clear();
    }
    if !f.mrz.trim().is_empty() {
        fill_from_mrz(l, &mut f, today, &mut extra, &mut notes);
    }
    let id = VisitId::parse(&f.id).map_err(|_| AppError::BadId)?;
    let site = baove_core::SiteId::parse(&f.site_id).map_err(|_| extra.fail("site_id", Problem::Required)).ok();
    if f.consent.is_empty() {
        extra.fail("consent", Problem::Required);
    }
    let card = match f.card.trim() {
        "" => None,
        raw => CardNumber::parse(raw).or_else(|| {
            extra.fail("card", Problem::OutOfRange { min: 1, max: 9999 });
            None
        }),
    };
    let parsed = f.draft().parse(today);
    let mut problems = extra.finish(()).err().unwrap_or(Invalid(Vec::new()));
    let check_in = match parsed {
        Ok(c) => Some(c),
        Err(rejected) => {
            notes.extend(rejected.documents.iter().map(|d| doc_note(l, d.field, &d.problem)));
            problems.0.extend(rejected.invalid.0);
            None
        }
    };
    let (Some(check_in), Some(site), true) = (check_in, site, problems.0.is_empty()) else {
        return gate_page(&s, &ctx, &f, Some(&problems), &notes).await;
    };
    let req = CheckInRequest {
        id,
        unit_id: unit,
        site_id: site,
        check_in,
        card,
        consent_version: consent::CURRENT_VERSION.into(),
        overnight: !f.overnight.is_empty(),
        traveller: f.birth_date.parse().ok().map(|d| (d, baove_core::visitor::Gender::from_code(&f.gender))),
    };
    let done = match split(s.store.check_in(&ctx.actor(), &req).await)? {
        Ok(done) => done,
        Err(e) => return gate_page(&s, &ctx, &f, Some(&e), &notes).await,
    };
    if done.hits.is_empty() {
        return Ok(see("/gate"));
    }
    raise_hold(&s, &ctx, &done).await?;
    Ok(held_page(&ctx, &[done]))
}

/// Alerts the unit (and, for a police list, the duty desk at once) about a held visitor; a
/// replayed check-in raised its alert the first time.
pub(super) async fn raise_hold(s: &AppState, ctx: &Ctx, done: &CheckedIn) -> Result<(), AppError> {
    if done.replayed || done.hits.is_empty() {
        return Ok(());
    }
    let reasons: Vec<&str> = done.hits.iter().map(|h| h.reason.as_str()).collect();
    let alert = NewAlert {
        key: format!("watchlist:{}", done.visit.id),
        unit_id: done.visit.unit_id,
        site_id: Some(done.visit.site_id),
        round_id: None,
        kind: AlertKind::WatchlistHit,
        message: format!("Khách trùng danh sách theo dõi: {} — {}", done.visit.name, reasons.join("; ")),
        raised_at: ctx.now,
    };
    if let Some(a) = s.store.raise_alert(&alert).await? {
        // A police list is the police's business: it goes to the duty desk at once.
        let a = if done.hits.iter().any(|h| h.source == ListSource::Police) {
            s.store.escalate_alert(a.id, Tier::DutyDesk).await?;
            Alert { tier: Tier::DutyDesk, ..a }
        } else {
            a
        };
        s.bus.publish(Event::Alert(a));
    }
    Ok(())
}

/// The hold page: each held visitor with the lists that matched.
pub(super) fn held_page(ctx: &Ctx, held: &[CheckedIn]) -> Response {
    let l = ctx.lang;
    let mut p = page(ctx, l.t("gate.held_title"));
    let names: Vec<&str> = held.iter().map(|d| d.visit.name.as_str()).collect();
    p.subtitle = Some(names.join(", "));
    let rows = held
        .iter()
        .flat_map(|d| d.hits.iter().map(move |h| (d, h)))
        .map(|(d, h)| {
            vec![
                Cell::text(&d.visit.name),
                Cell::text(l.label("watch_source", h.source.code())).tone("bad"),
                Cell::text(l.label("watch_field", h.field.code())),
                Cell::text(&h.reason),
            ]
        })
        .collect();
    p.sections.push(Section {
        note: Some(l.t("gate.held_note").into()),
        tone: "bad",
        table: Some(Table {
            headers: vec![
                l.t("field.name").into(),
                l.t("gate.list").into(),
                l.t("gate.matched").into(),
                l.t("field.reason").into(),
            ],
            rows,
        }),
        links: vec![Link::new("/gate", l.t("gate.title"))],
        ..Section::default()
    });
    render(&p)
}

/// Fills the passport fields from a TD3 MRZ (the birth date and sex it carries are not kept:
/// the logbook does not ask for them).
fn fill_from_mrz(l: Lang, f: &mut CheckInForm, today: Date, extra: &mut Checker, notes: &mut Vec<String>) {
    match passport::parse_td3(&f.mrz, today) {
        Ok(m) => {
            f.doc_kind = "passport".into();
            f.doc_number.clone_from(&m.number);
            f.nationality.clone_from(&m.nationality_code);
            f.name = m.full_name();
            f.birth_date = m.birth_date.to_string();
            f.gender = m.sex.map(|g| g.code().to_owned()).unwrap_or_default();
        }
        Err(p) => {
            extra.fail("mrz", Problem::BadCode);
            notes.push(doc_note(l, "mrz", &p));
        }
    }
    f.mrz.clear();
}

#[derive(Deserialize)]
struct CheckOutForm {
    #[serde(default)]
    visit_id: String,
    /// Ticked when the visitor left without handing the card back.
    #[serde(default)]
    card_kept: String,
}

async fn checkout(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(f): FormBody<CheckOutForm>,
) -> Result<Response, AppError> {
    own_unit(&ctx)?;
    let id = VisitId::parse(&f.visit_id).map_err(|_| AppError::BadId)?;
    s.store.check_out(&ctx.actor(), id, f.card_kept.is_empty()).await?;
    Ok(see("/gate"))
}

// ---- the logbook ----

#[derive(Deserialize, Default)]
struct LogQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    inside: String,
    #[serde(default)]
    page: String,
}

const PAGE_SIZE: u32 = 50;

fn parse_day(raw: &str, field: &str) -> Result<Option<Date>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        d => d.parse().map(Some).map_err(|_| AppError::BadRequest(field.into())),
    }
}

impl LogQuery {
    /// The filter, and the days it covers.
    fn filter(&self, limit: u32) -> Result<(VisitFilter, Option<Date>, Option<Date>), AppError> {
        let from = parse_day(&self.from, "from")?;
        let to = parse_day(&self.to, "to")?;
        let page: u32 = match self.page.trim() {
            "" => 0,
            p => p.parse().map_err(|_| AppError::BadRequest("page".into()))?,
        };
        let f = VisitFilter {
            from: from.map(start_of),
            to: to.and_then(|d| d.tomorrow().ok()).map(start_of),
            text: self.q.clone(),
            id_number: self.number.clone(),
            inside_only: !self.inside.is_empty(),
            offset: page.saturating_mul(limit),
            limit,
        };
        Ok((f, from, to))
    }

    fn href(&self, path: &str, page: Option<u32>) -> String {
        let enc = crate::auth::context::urlencode;
        let mut h = format!(
            "{path}?q={}&number={}&from={}&to={}&inside={}",
            enc(&self.q),
            enc(&self.number),
            enc(&self.from),
            enc(&self.to),
            enc(&self.inside)
        );
        if let Some(p) = page {
            h.push_str(&format!("&page={p}"));
        }
        h
    }
}

fn log_headers(l: Lang) -> Vec<String> {
    [
        "field.name",
        "field.doc_number",
        "field.organisation",
        "field.purpose",
        "field.host",
        "gate.in_at",
        "gate.out_at",
        "field.card",
        "field.plate",
    ]
    .iter()
    .map(|k| l.t(k).to_owned())
    .collect()
}

async fn log(State(s): State<AppState>, ctx: Ctx, Query(q): Query<LogQuery>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(&ctx)?;
    let (filter, _, _) = q.filter(PAGE_SIZE + 1)?;
    let page_no = filter.offset / (PAGE_SIZE + 1);
    let filter = VisitFilter { offset: page_no * PAGE_SIZE, ..filter };
    let mut visits = s.store.list_visits(&ctx.actor(), unit, &filter).await?;
    let more = visits.len() > PAGE_SIZE as usize;
    visits.truncate(PAGE_SIZE as usize);
    let mut p = page(&ctx, l.t("gate.log"));
    p.actions = vec![
        Link::new("/gate", l.t("gate.title")),
        Link::new(q.href("/gate/log.pdf", None), "PDF"),
        Link::new(q.href("/gate/log.xlsx", None), "XLSX"),
    ];
    p.search = Some(super::view::SearchBox {
        action: "/gate/log".into(),
        query: Some(q.q.clone()),
        filters: FormBuilder::new(l, None)
            .field("number", "text", &q.number, false)
            .field("from", "date", &q.from, false)
            .field("to", "date", &q.to, false)
            .field("inside", "checkbox", &q.inside, false)
            .build("", "", "")
            .fields,
    });
    let rows = visits
        .iter()
        .map(|v| {
            let name = if v.watchlist_hold { Cell::text(&v.name).tone("bad") } else { Cell::text(&v.name) };
            vec![
                name,
                Cell::text(masked(&v.doc_number)),
                Cell::text(&v.organisation),
                Cell::text(&v.purpose),
                Cell::text(&v.host),
                Cell::text(format_datetime(v.checked_in_at)),
                Cell::text(time_of(v.checked_out_at)),
                Cell::text(card_of(v)),
                Cell::text(v.plate.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let mut links = Vec::new();
    if page_no > 0 {
        links.push(Link::new(q.href("/gate/log", Some(page_no - 1)), l.t("common.previous")));
    }
    if more {
        links.push(Link::new(q.href("/gate/log", Some(page_no + 1)), l.t("common.next")));
    }
    p.sections.push(Section { table: Some(Table { headers: log_headers(l), rows }), links, ..Section::default() });
    Ok(render(&p))
}

async fn visitor_log(s: &AppState, ctx: &Ctx, q: &LogQuery) -> Result<baove_report::VisitorLog, AppError> {
    let unit = own_unit(ctx)?;
    let today = local_date(ctx.now);
    let (mut filter, from, to) = q.filter(1000)?;
    let (from, to) = match (from, to) {
        (None, None) => {
            filter.from = Some(start_of(today));
            (today, today)
        }
        (f, t) => (f.or(t).unwrap_or(today), t.or(f).unwrap_or(today)),
    };
    filter.offset = 0;
    let u = s.store.unit(&ctx.principal, unit).await?;
    let mut visits = s.store.list_visits(&ctx.actor(), unit, &filter).await?;
    visits.reverse();
    let period = if from == to {
        format!("Ngày {}", format_date(from))
    } else {
        format!("Từ ngày {} đến ngày {}", format_date(from), format_date(to))
    };
    Ok(baove_report::VisitorLog {
        unit: u.name.clone(),
        place: super::printing::place(s, ctx, &u).await,
        date: today,
        period,
        rows: visits
            .iter()
            .map(|v| baove_report::VisitorRow {
                name: v.name.clone(),
                document: masked(&v.doc_number),
                organisation: v.organisation.clone(),
                purpose: v.purpose.clone(),
                host: v.host.clone(),
                checked_in: format_datetime(v.checked_in_at),
                checked_out: time_of(v.checked_out_at),
                card: card_of(v),
                plate: v.plate.clone().unwrap_or_default(),
            })
            .collect(),
        prepared_by: ctx.account.display_name.clone(),
    })
}

async fn log_pdf(State(s): State<AppState>, ctx: Ctx, Query(q): Query<LogQuery>) -> Result<Response, AppError> {
    let log = visitor_log(&s, &ctx, &q).await?;
    let bytes = super::printing::typeset(move || baove_report::visitor_log_pdf(&log)).await?;
    Ok(super::printing::download(bytes, super::printing::PDF, "so-theo-doi-khach.pdf"))
}

async fn log_xlsx(State(s): State<AppState>, ctx: Ctx, Query(q): Query<LogQuery>) -> Result<Response, AppError> {
    let log = visitor_log(&s, &ctx, &q).await?;
    let bytes = super::printing::typeset(move || baove_report::visitor_log_xlsx(&log)).await?;
    Ok(super::printing::download(bytes, super::printing::XLSX, "so-theo-doi-khach.xlsx"))
}

async fn evacuation(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(&ctx)?;
    let u = s.store.unit(&ctx.principal, unit).await?;
    let inside = s
        .store
        .list_visits(&ctx.actor(), unit, &VisitFilter { inside_only: true, limit: 1000, ..VisitFilter::default() })
        .await?;
    let mut p = page(&ctx, l.t("gate.evacuation"));
    p.subtitle = Some(format!("{} · {}", u.name, format_datetime(ctx.now)));
    let rows = inside
        .iter()
        .enumerate()
        .map(|(i, v)| {
            vec![
                Cell::text((i + 1).to_string()),
                Cell::text(&v.name),
                Cell::text(&v.organisation),
                Cell::text(&v.host),
                Cell::text(card_of(v)),
                Cell::text(format_datetime(v.checked_in_at)),
                Cell::text(""),
            ]
        })
        .collect();
    let headers = [
        "common.number",
        "field.name",
        "field.organisation",
        "field.host",
        "field.card",
        "gate.in_at",
        "gate.accounted",
    ]
    .iter()
    .map(|k| l.t(k).to_owned())
    .collect();
    p.sections.push(Section {
        title: format!("{}: {}", l.t("gate.inside_now"), inside.len()),
        table: Some(Table { headers, rows }),
        ..Section::default()
    });
    Ok(render(&p))
}

// ---- visitor cards ----

async fn cards_page(s: &AppState, ctx: &Ctx, e: Option<&Invalid>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(ctx)?;
    let cards = s.store.visitor_cards(&ctx.principal, unit).await?;
    let since = start_of(local_date(ctx.now)).checked_sub(jiff::SignedDuration::from_hours(24 * 7)).ok();
    let visits = s
        .store
        .list_visits(&ctx.actor(), unit, &VisitFilter { from: since, limit: 1000, ..VisitFilter::default() })
        .await?;
    let r = reconcile(&visits, &cards);
    let name_of = |id: Option<VisitId>| {
        id.and_then(|id| visits.iter().find(|v| v.id == id)).map(|v| v.name.clone()).unwrap_or_default()
    };
    let mut p = page(ctx, l.t("gate.cards"));
    p.actions = vec![Link::new("/gate", l.t("gate.title"))];
    let mut lines = Vec::new();
    for c in &r.cards_out {
        let key = if c.visitor_left { "gate.card_not_returned" } else { "gate.card_out" };
        lines.push(vec![
            Cell::text(c.number.to_string()),
            Cell::text(l.t(key)).tone(if c.visitor_left { "bad" } else { "warn" }),
            Cell::text(name_of(c.visit)),
        ]);
    }
    for (v, n) in &r.card_mismatches {
        lines.push(vec![
            Cell::text(n.to_string()),
            Cell::text(l.t("gate.card_mismatch")).tone("bad"),
            Cell::text(name_of(Some(*v))),
        ]);
    }
    for n in &r.cards_lost {
        lines.push(vec![Cell::text(n.to_string()), Cell::text(l.t("card_state.lost")).tone("bad"), Cell::text("")]);
    }
    p.sections.push(Section {
        title: l.t("gate.closing").into(),
        note: Some(if r.is_clear() {
            l.t("gate.closing_clear").to_owned()
        } else {
            l.t("gate.closing_open").replace("{n}", &r.visitors_inside.len().to_string())
        }),
        tone: if r.is_clear() { "ok" } else { "warn" },
        table: Some(Table {
            headers: vec![l.t("field.card").into(), l.t("gate.status").into(), l.t("field.name").into()],
            rows: lines,
        }),
        ..Section::default()
    });
    let rows = cards
        .iter()
        .map(|c| {
            let tone = match c.state {
                CardState::Lost => "bad",
                CardState::Issued => "warn",
                _ => "ok",
            };
            vec![
                Cell::text(c.number.to_string()),
                Cell::text(l.label("card_state", c.state.code())).tone(tone),
                Cell::text(if c.state == CardState::Issued { name_of(c.visit) } else { String::new() }),
                Cell::text(format_datetime(c.changed_at)),
            ]
        })
        .collect();
    p.sections.push(Section {
        title: l.t("gate.all_cards").into(),
        table: Some(Table {
            headers: vec![
                l.t("field.card").into(),
                l.t("gate.status").into(),
                l.t("field.name").into(),
                l.t("gate.changed_at").into(),
            ],
            rows,
        }),
        form: Some(
            FormBuilder::new(l, e)
                .field("card", "numeric", "", true)
                .codes("action", "return", "card_action", &["return", "report_lost", "found"])
                .build("/gate/cards/move", &ctx.csrf, l.t("action.save")),
        ),
        ..Section::default()
    });
    p.sections.push(Section {
        title: l.t("gate.add_cards").into(),
        form: Some(
            FormBuilder::new(l, e).field("from", "numeric", "1", true).field("to", "numeric", "20", true).build(
                "/gate/cards",
                &ctx.csrf,
                l.t("gate.add_cards"),
            ),
        ),
        ..Section::default()
    });
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn cards(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    cards_page(&s, &ctx, None).await
}

#[derive(Deserialize)]
struct CardsForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn add_cards(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(f): FormBody<CardsForm>,
) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let mut c = Checker::new();
    let from = c.int("from", &f.from, 1, 9999, true);
    let to = c.int("to", &f.to, 1, 9999, true);
    let saved = match (c.finish(()), from.and_then(|n| u16::try_from(n).ok()), to.and_then(|n| u16::try_from(n).ok())) {
        (Ok(()), Some(a), Some(b)) => split(s.store.add_visitor_cards(&ctx.actor(), unit, a, b).await)?.map(|_| ()),
        (Err(e), _, _) => Err(e),
        _ => Err(Invalid::one("from", Problem::Required)),
    };
    match saved {
        Ok(()) => Ok(see("/gate/cards")),
        Err(e) => cards_page(&s, &ctx, Some(&e)).await,
    }
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    card: String,
    #[serde(default)]
    action: String,
}

async fn move_card(State(s): State<AppState>, ctx: Ctx, FormBody(f): FormBody<MoveForm>) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let action = match f.action.as_str() {
        "return" => Some(CardAction::Return),
        "report_lost" => Some(CardAction::ReportLost),
        "found" => Some(CardAction::Found),
        _ => None,
    };
    let saved = match (CardNumber::parse(&f.card), action) {
        (Some(n), Some(a)) => split(s.store.card_action(&ctx.actor(), unit, n, a).await)?.map(|_| ()),
        (None, _) => Err(Invalid::one("card", Problem::OutOfRange { min: 1, max: 9999 })),
        (_, None) => Err(Invalid::one("action", Problem::NotAnOption)),
    };
    match saved {
        Ok(()) => Ok(see("/gate/cards")),
        Err(e) => cards_page(&s, &ctx, Some(&e)).await,
    }
}

// ---- watchlists ----

fn list_owner(ctx: &Ctx) -> Result<WatchOwner, AppError> {
    match ctx.principal.org {
        Org::Unit(u) => Ok(WatchOwner::Unit(u)),
        Org::Authority(a) => Ok(WatchOwner::Police(a)),
        Org::System => Err(AppError::Forbidden),
    }
}

fn edits_list(ctx: &Ctx) -> bool {
    match ctx.principal.org {
        Org::Unit(_) => administers(ctx.principal.role),
        Org::Authority(_) => matches!(ctx.principal.role, Role::AreaOfficer | Role::DutyDesk | Role::AuthorityAdmin),
        Org::System => false,
    }
}

#[derive(Deserialize, Default)]
struct WatchForm {
    #[serde(default)]
    key_kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    expires_on: String,
}

async fn watch_page(s: &AppState, ctx: &Ctx, f: &WatchForm, e: Option<&Invalid>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let owner = list_owner(ctx)?;
    let entries = s.store.watchlist(&ctx.principal, owner).await?;
    let mut p = page(ctx, l.t("gate.watchlist"));
    p.subtitle = Some(
        l.t(if matches!(owner, WatchOwner::Police(_)) { "gate.watchlist_police" } else { "gate.watchlist_unit" })
            .into(),
    );
    let rows = entries
        .iter()
        .map(|w| {
            vec![
                Cell::text(l.label("watch_field", w.entry.key.field().code())),
                Cell::text(&w.label),
                Cell::text(&w.entry.reason),
                Cell::text(time_of(w.entry.expires_at)),
            ]
        })
        .collect();
    let edit = edits_list(ctx);
    p.sections.push(Section {
        table: Some(Table {
            headers: vec![
                l.t("field.key_kind").into(),
                l.t("field.value").into(),
                l.t("field.reason").into(),
                l.t("field.expires_on").into(),
            ],
            rows,
        }),
        form: edit.then(|| {
            FormBuilder::new(l, e)
                .codes("key_kind", &f.key_kind, "watch_field", &["id_number", "plate", "name"])
                .field("value", "text", &f.value, true)
                .field("reason", "text", &f.reason, true)
                .field("expires_on", "date", &f.expires_on, false)
                .build("/gate/watchlist", &ctx.csrf, l.t("action.save"))
        }),
        ..Section::default()
    });
    if edit {
        for w in &entries {
            let form = FormBuilder::new(l, None).field("entry_id", "hidden", &w.entry.id.to_string(), true).build(
                "/gate/watchlist/remove",
                &ctx.csrf,
                &format!("{} {}", l.t("action.remove"), w.label),
            );
            p.sections.push(Section { form: Some(form), ..Section::default() });
        }
    }
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn watchlist(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    watch_page(&s, &ctx, &WatchForm::default(), None).await
}

async fn add_watch(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(f): FormBody<WatchForm>,
) -> Result<Response, AppError> {
    let owner = list_owner(&ctx)?;
    let field = MatchField::from_code(&f.key_kind);
    let expires = parse_day(&f.expires_on, "expires_on").ok().flatten();
    let saved = match field {
        Some(field) => {
            let entry = NewWatchEntry {
                id: WatchEntryId(uuid::Uuid::now_v7()),
                owner,
                field,
                value: f.value.clone(),
                reason: f.reason.clone(),
                expires_at: expires.and_then(|d| d.tomorrow().ok()).map(start_of),
            };
            split(s.store.add_watch(&ctx.actor(), &entry).await)?.map(|_| ())
        }
        None => Err(Invalid::one("key_kind", Problem::NotAnOption)),
    };
    match saved {
        Ok(()) => Ok(see("/gate/watchlist")),
        Err(e) => watch_page(&s, &ctx, &f, Some(&e)).await,
    }
}

#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    entry_id: String,
}

async fn remove_watch(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(f): FormBody<RemoveForm>,
) -> Result<Response, AppError> {
    let id = WatchEntryId::parse(&f.entry_id).map_err(|_| AppError::BadId)?;
    s.store.remove_watch(&ctx.actor(), id).await?;
    Ok(see("/gate/watchlist"))
}

// ---- settings, retention and deletion requests ----

#[derive(Deserialize, Default, Clone)]
struct SettingsForm {
    #[serde(default)]
    visit_days: String,
    #[serde(default)]
    profile_days: String,
    #[serde(default)]
    overstay_minutes: String,
    #[serde(default)]
    accommodation: String,
}

async fn settings_page(
    s: &AppState,
    ctx: &Ctx,
    typed: Option<&SettingsForm>,
    e: Option<&Invalid>,
    done: Option<String>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(ctx)?;
    if !administers(ctx.principal.role) {
        return Err(AppError::Forbidden);
    }
    let cur = s.store.visitor_settings(&ctx.principal, unit).await?;
    let f = match typed {
        Some(t) => t.clone(),
        None => SettingsForm {
            visit_days: cur.retention.visit_days().to_string(),
            profile_days: cur.retention.profile_days().to_string(),
            overstay_minutes: cur.overstay_minutes.to_string(),
            accommodation: if cur.accommodation { "on".into() } else { String::new() },
        },
    };
    let mut p = page(ctx, l.t("gate.settings"));
    p.actions = vec![Link::new("/gate", l.t("gate.title"))];
    if let Some(d) = done {
        p.sections.push(Section { note: Some(d), tone: "ok", ..Section::default() });
    }
    p.sections.push(Section {
        note: Some(l.t("gate.retention_note").into()),
        form: Some(
            FormBuilder::new(l, e)
                .field("visit_days", "numeric", &f.visit_days, true)
                .field("profile_days", "numeric", &f.profile_days, true)
                .field("overstay_minutes", "numeric", &f.overstay_minutes, true)
                .field("accommodation", "checkbox", &f.accommodation, false)
                .build("/gate/settings", &ctx.csrf, l.t("action.save")),
        ),
        ..Section::default()
    });
    p.sections.push(Section {
        title: l.t("gate.purge").into(),
        note: Some(l.t("gate.purge_note").into()),
        form: Some(FormBuilder::new(l, None).build("/gate/purge", &ctx.csrf, l.t("gate.purge"))),
        ..Section::default()
    });
    p.sections.push(Section {
        title: l.t("gate.forget").into(),
        note: Some(l.t("gate.forget_note").into()),
        form: Some(FormBuilder::new(l, None).field("doc_number", "text", "", true).build(
            "/gate/forget",
            &ctx.csrf,
            l.t("gate.forget"),
        )),
        ..Section::default()
    });
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn settings(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    settings_page(&s, &ctx, None, None, None).await
}

async fn save_settings(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(f): FormBody<SettingsForm>,
) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let retention = RetentionDraft { visit_days: f.visit_days.clone(), profile_days: f.profile_days.clone() }.parse();
    let mut c = Checker::new();
    let overstay = c.int("overstay_minutes", &f.overstay_minutes, 1, VisitorSettings::MAX_OVERSTAY_MINUTES, true);
    let saved = match (retention, c.finish(()), overstay) {
        (Ok(retention), Ok(()), Some(overstay_minutes)) => {
            let settings = VisitorSettings { retention, overstay_minutes, accommodation: !f.accommodation.is_empty() };
            split(s.store.set_visitor_settings(&ctx.actor(), unit, settings).await)?
        }
        (r, o, _) => {
            let mut all: Vec<FieldError> = Vec::new();
            all.extend(r.err().map(|e| e.0).unwrap_or_default());
            all.extend(o.err().map(|e| e.0).unwrap_or_default());
            Err(Invalid(all))
        }
    };
    match saved {
        Ok(()) => Ok(see("/gate/settings")),
        Err(e) => settings_page(&s, &ctx, Some(&f), Some(&e), None).await,
    }
}

async fn purge(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let n = s.store.purge_expired(&ctx.actor(), Some(unit)).await?;
    settings_page(&s, &ctx, None, None, Some(ctx.t("gate.purged").replace("{n}", &n.to_string()))).await
}

#[derive(Deserialize)]
struct ForgetForm {
    #[serde(default)]
    doc_number: String,
}

async fn forget(State(s): State<AppState>, ctx: Ctx, FormBody(f): FormBody<ForgetForm>) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    match split(s.store.delete_person(&ctx.actor(), unit, &f.doc_number).await)? {
        Ok(n) => settings_page(&s, &ctx, None, None, Some(ctx.t("gate.purged").replace("{n}", &n.to_string()))).await,
        Err(e) => settings_page(&s, &ctx, None, Some(&e), None).await,
    }
}
