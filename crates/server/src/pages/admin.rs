//! The audit chain check for system admins, and each person's integration tokens.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::TokenId;
use baove_core::audit;
use baove_core::time::{format_datetime, from_micros};
use serde::Deserialize;

use super::forms::FormBuilder;
use super::layout::{page, render};
use super::view::{Cell, Section, Table};
use super::{FormBody, id, see};
use crate::auth::context::Ctx;
use crate::auth::token;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit_page))
        .route("/tokens", get(tokens).post(create_token))
        .route("/tokens/revoke", post(revoke_token))
}

async fn audit_page(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let l = ctx.lang;
    // Verified page by page; only the newest entries are kept to show.
    let mut verifier = audit::Verifier::default();
    let mut outcome = Ok(());
    let mut newest: std::collections::VecDeque<audit::AuditEntry> = std::collections::VecDeque::new();
    let mut after = 0;
    loop {
        let batch = s.store.audit_entries(&ctx.principal, after, 5000).await?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for e in batch {
            if outcome.is_ok() {
                outcome = verifier.push(&e);
            }
            newest.push_back(e);
            if newest.len() > 100 {
                newest.pop_front();
            }
        }
    }
    let mut p = page(&ctx, l.t("audit.title"));
    p.sections.push(match outcome.map(|()| verifier.count()) {
        Ok(n) => Section {
            title: l.t("audit.ok").into(),
            note: Some(format!("{n} {}", l.t("audit.entries"))),
            tone: "ok",
            ..Section::default()
        },
        Err(broken) => Section {
            title: l.t("audit.broken").into(),
            note: Some(broken.to_string()),
            tone: "bad",
            ..Section::default()
        },
    });
    let rows = newest
        .iter()
        .rev()
        .map(|e| {
            vec![
                Cell::text(e.seq.to_string()),
                Cell::text(format_datetime(from_micros(e.at_us))),
                Cell::text(&e.actor_name),
                Cell::text(&e.action),
                Cell::text(&e.entity_id),
            ]
        })
        .collect();
    let headers = vec![
        "#".into(),
        l.t("incident.occurred_at").into(),
        l.t("field.display_name").into(),
        l.t("field.kind").into(),
        "id".into(),
    ];
    p.sections.push(Section { table: Some(Table { headers, rows }), ..Section::default() });
    Ok(render(&p))
}

async fn token_page(s: &AppState, ctx: &Ctx, fresh: Option<String>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let mine = s.store.list_tokens(&ctx.principal).await?;
    let mut p = page(ctx, l.t("tokens.title"));
    if let Some(secret) = fresh {
        p.sections.push(Section {
            title: l.t("tokens.created").into(),
            note: Some(secret),
            tone: "ok",
            ..Section::default()
        });
    }
    let rows = mine
        .iter()
        .map(|t| {
            vec![
                Cell::text(&t.name),
                Cell::text(format_datetime(t.created_at)),
                if t.revoked {
                    Cell::text(l.t("tokens.revoked")).tone("warn")
                } else {
                    Cell::text(l.t("account.active")).tone("ok")
                },
            ]
        })
        .collect();
    let live: Vec<_> = mine.iter().filter(|t| !t.revoked).map(|t| (t.id.to_string(), t.name.clone())).collect();
    p.sections.push(Section {
        table: Some(Table {
            headers: vec![l.t("field.name").into(), l.t("field.issued_on").into(), l.t("field.active").into()],
            rows,
        }),
        form: (!live.is_empty()).then(|| {
            FormBuilder::new(l, None).select("token_id", "", live, true).build(
                "/tokens/revoke",
                &ctx.csrf,
                l.t("clearance.revoke"),
            )
        }),
        ..Section::default()
    });
    let form = FormBuilder::new(l, None).field("name", "text", "", true).build("/tokens", &ctx.csrf, l.t("tokens.new"));
    p.sections.push(Section { title: l.t("tokens.new").into(), form: Some(form), ..Section::default() });
    Ok(render(&p))
}

async fn tokens(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    token_page(&s, &ctx, None).await
}

#[derive(Deserialize)]
struct NewToken {
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(t): FormBody<NewToken>,
) -> Result<Response, AppError> {
    let mut c = baove_core::validate::Checker::new();
    let name = c.line("name", &t.name, 100);
    c.finish(())?;
    let secret = format!("bv_{}", token::random());
    s.store.create_token(&ctx.actor(), &name, &token::digest(&secret)).await?;
    token_page(&s, &ctx, Some(secret)).await
}

#[derive(Deserialize)]
struct Revoke {
    #[serde(default)]
    token_id: String,
}

async fn revoke_token(
    State(s): State<AppState>,
    ctx: Ctx,
    FormBody(r): FormBody<Revoke>,
) -> Result<Response, AppError> {
    let tid: TokenId = id(&r.token_id)?;
    s.store.revoke_token(&ctx.actor(), tid).await?;
    Ok(see("/tokens"))
}
