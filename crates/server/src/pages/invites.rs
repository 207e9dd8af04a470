//! Hosts' invitations (R7): anyone at a unit invites one visitor or a group for a time and
//! gets a QR to send them; at the gate one scan of it (into the check-in's QR field, or the
//! phone's camera opening the link) shows the group and one tap checks everyone in, through
//! the same watchlists as any check-in. The host sees arrivals on their home page.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use baove_core::access::Org;
use baove_core::time::{format_datetime, local_date};
use baove_core::validate::{Checker, Invalid, Problem};
use baove_core::visitor::invite::{InviteDraft, guest_draft};
use baove_core::visitor::{VisitId, consent};
use baove_store::{CheckInRequest, Invitation, InviteGuest, NewInvite};
use serde::Deserialize;

use super::forms::FormBuilder;
use super::gate::{held_page, masked, own_unit, raise_hold};
use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use super::{FormBody, id, invalid, see, split};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invites", get(invites).post(create))
        .route("/invites/{id}", get(show))
        .route("/gate/invite/{token}", get(at_gate).post(admit))
}

/// "Arrived at …" or "not yet arrived".
fn arrival(l: Lang, g: &InviteGuest) -> Cell {
    match g.arrived_at {
        Some(t) => Cell::text(format!("{} {}", l.t("invite.arrived"), format_datetime(t))).tone("ok"),
        None => Cell::text(l.t("invite.expected")).tone("warn"),
    }
}

fn guest_table(l: Lang, inv: &Invitation, mask: bool) -> Table {
    let rows = inv
        .guests
        .iter()
        .map(|g| {
            let status = arrival(l, g);
            let number = if mask { masked(&g.doc_number) } else { g.doc_number.clone() };
            vec![Cell::text(&g.name), Cell::text(number), Cell::text(g.nationality.code()), status]
        })
        .collect();
    Table {
        headers: vec![
            l.t("field.name").into(),
            l.t("field.doc_number").into(),
            l.t("field.nationality").into(),
            l.t("gate.status").into(),
        ],
        rows,
    }
}

// ---- the host's side ----

async fn invites_page(s: &AppState, ctx: &Ctx, f: &InviteDraft, e: Option<&Invalid>) -> Result<Response, AppError> {
    let l = ctx.lang;
    own_unit(ctx)?;
    let mine = s.store.my_invites(&ctx.actor()).await?;
    let mut p = page(ctx, l.t("invite.title"));
    p.sections.push(Section {
        note: Some(l.t("invite.note").into()),
        form: Some(
            FormBuilder::new(l, e)
                .field("purpose", "text", &f.purpose, true)
                .field("expected_at", "datetime-local", &f.expected_at, true)
                .field("guests", "textarea", &f.guests, true)
                .build("/invites", &ctx.csrf, l.t("invite.create")),
        ),
        ..Section::default()
    });
    for inv in &mine {
        p.sections.push(Section {
            title: format!("{} · {}", format_datetime(inv.expected_at), inv.purpose),
            table: Some(guest_table(l, inv, true)),
            links: vec![Link::new(format!("/invites/{}", inv.id), l.t("invite.show_qr"))],
            ..Section::default()
        });
    }
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn invites(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    invites_page(&s, &ctx, &InviteDraft::default(), None).await
}

async fn create(State(s): State<AppState>, ctx: Ctx, FormBody(f): FormBody<InviteDraft>) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let parsed = match f.parse(&ctx.account.display_name, ctx.now) {
        Ok(inv) => inv,
        Err(e) => return invites_page(&s, &ctx, &f, Some(&e)).await,
    };
    let new = NewInvite {
        id: uuid::Uuid::now_v7(),
        unit_id: unit,
        token: hex::encode(rand::random::<[u8; 16]>()),
        purpose: parsed.purpose,
        expected_at: parsed.expected_at,
        guests: parsed.guests.into_iter().map(|g| (VisitId(uuid::Uuid::now_v7()), g)).collect(),
    };
    match split(s.store.create_invite(&ctx.actor(), &new).await)? {
        Ok(inv) => Ok(see(format!("/invites/{}", inv.id))),
        Err(e) => invites_page(&s, &ctx, &f, Some(&e)).await,
    }
}

async fn show(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let inv = s.store.invite(&ctx.actor(), id(&raw)?).await?;
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let host: String = host.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')).collect();
    let url = format!("https://{host}/gate/invite/{}", inv.token);
    let mut p = page(&ctx, l.t("invite.title"));
    p.subtitle = Some(format!("{} · {}", format_datetime(inv.expected_at), inv.purpose));
    p.actions = vec![Link::new("/invites", l.t("invite.title"))];
    p.figure = Some(baove_report::qr_svg(&url).map_err(|_| AppError::Internal)?);
    p.sections.push(Section {
        note: Some(format!("{} {url}", l.t("invite.qr_note"))),
        table: Some(guest_table(l, &inv, true)),
        ..Section::default()
    });
    Ok(render(&p))
}

/// The host's invitations of today on, with arrivals: a notice on their home page.
pub async fn host_section(s: &AppState, ctx: &Ctx) -> Result<Option<Section>, AppError> {
    if !matches!(ctx.principal.org, Org::Unit(_)) {
        return Ok(None);
    }
    let l = ctx.lang;
    let mine = s.store.my_invites(&ctx.actor()).await?;
    if mine.is_empty() {
        return Ok(None);
    }
    let rows = mine
        .iter()
        .flat_map(|inv| inv.guests.iter().map(move |g| (inv, g)))
        .map(|(inv, g)| {
            let status = arrival(l, g);
            vec![
                Cell::link(&g.name, format!("/invites/{}", inv.id)),
                Cell::text(format_datetime(inv.expected_at)),
                status,
            ]
        })
        .collect();
    let arrived = mine.iter().flat_map(|i| &i.guests).filter(|g| g.arrived_at.is_some()).count();
    Ok(Some(Section {
        title: l.t("invite.mine").into(),
        note: (arrived > 0).then(|| l.t("invite.arrived_note").replace("{n}", &arrived.to_string())),
        tone: if arrived > 0 { "ok" } else { "" },
        table: Some(Table {
            headers: vec![l.t("field.name").into(), l.t("invite.expected_at").into(), l.t("gate.status").into()],
            rows,
        }),
        ..Section::default()
    }))
}

// ---- the gate's side ----

#[derive(Deserialize, Default)]
struct AdmitForm {
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    consent: String,
}

async fn gate_invite_page(s: &AppState, ctx: &Ctx, token: &str, e: Option<&Invalid>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let unit = own_unit(ctx)?;
    let inv = s.store.invite_by_token(&ctx.actor(), token).await?;
    let sites = s.store.list_sites(&ctx.principal, unit, "").await?;
    let waiting = inv.guests.iter().filter(|g| g.arrived_at.is_none()).count();
    let mut p = page(ctx, l.t("invite.at_gate"));
    p.subtitle = Some(format!("{} · {} · {}", inv.host_name, inv.purpose, format_datetime(inv.expected_at)));
    p.actions = vec![Link::new("/gate", l.t("gate.title"))];
    let site = sites.first().map(|x| x.id.to_string()).unwrap_or_default();
    let b = FormBuilder::new(l, e);
    let b = if sites.len() > 1 {
        b.select("site_id", &site, sites.iter().map(|x| (x.id.to_string(), x.name.clone())).collect(), true)
    } else {
        b.field("site_id", "hidden", &site, true)
    };
    p.sections.push(Section {
        note: Some(if waiting == 0 { l.t("invite.all_in").into() } else { l.t("gate.qr_note").into() }),
        table: Some(guest_table(l, &inv, true)),
        form: (waiting > 0).then(|| {
            b.field("consent", "checkbox", "", true).build(
                format!("/gate/invite/{token}"),
                &ctx.csrf,
                &l.t("invite.admit").replace("{n}", &waiting.to_string()),
            )
        }),
        ..Section::default()
    });
    let page = render(&p);
    Ok(if e.is_some() { invalid(page) } else { page })
}

async fn at_gate(State(s): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, AppError> {
    gate_invite_page(&s, &ctx, &token, None).await
}

async fn admit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    FormBody(f): FormBody<AdmitForm>,
) -> Result<Response, AppError> {
    let unit = own_unit(&ctx)?;
    let inv = s.store.invite_by_token(&ctx.actor(), &token).await?;
    let mut c = Checker::new();
    if f.consent.is_empty() {
        c.fail("consent", Problem::Required);
    }
    let site = baove_core::SiteId::parse(&f.site_id).map_err(|_| c.fail("site_id", Problem::Required)).ok();
    let checked = c.finish(());
    let (Ok(()), Some(site)) = (&checked, site) else {
        let e = checked.err().unwrap_or_else(|| Invalid::one("site_id", Problem::Required));
        return gate_invite_page(&s, &ctx, &token, Some(&e)).await;
    };
    let today = local_date(ctx.now);
    let mut held = Vec::new();
    for g in inv.guests.iter().filter(|g| g.arrived_at.is_none()) {
        let line = format!("{}; {}; {}", g.name, g.doc_number, g.nationality.code());
        // Validated when invited; a guest that no longer parses (a birth year now in the
        // future cannot happen, a purged number can) is skipped rather than refused as a group.
        let Ok(check_in) = guest_draft(&line, &inv.purpose, &inv.host_name).parse(today) else { continue };
        let req = CheckInRequest {
            id: g.visit_id,
            unit_id: unit,
            site_id: site,
            check_in,
            card: None,
            consent_version: consent::CURRENT_VERSION.into(),
            overnight: false,
            traveller: None,
        };
        let done = match split(s.store.check_in(&ctx.actor(), &req).await)? {
            Ok(done) => done,
            Err(e) => return gate_invite_page(&s, &ctx, &token, Some(&e)).await,
        };
        raise_hold(&s, &ctx, &done).await?;
        if !done.hits.is_empty() {
            held.push(done);
        }
    }
    if held.is_empty() { Ok(see("/gate")) } else { Ok(held_page(&ctx, &held)) }
}
