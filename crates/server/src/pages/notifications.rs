//! `/notifications`: where the caller's unit or police authority sends its events (webhooks
//! and e-mail addresses, with the topics each wants), and how the latest deliveries went.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::notify::{ChannelDraft, ChannelKind, NotifyTopic};
use baove_core::time::format_datetime;
use baove_core::validate::Invalid;

use super::forms::FormBuilder;
use super::layout::{page, render};
use super::view::{Cell, Section, Table};
use super::{fields, see, value};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/notifications", get(list).post(add)).route("/notifications/remove", post(remove))
}

async fn view(s: &AppState, ctx: &Ctx, draft: &ChannelDraft, e: Option<&Invalid>) -> Result<Response, AppError> {
    let l = ctx.lang;
    let org = ctx.principal.org;
    let channels = s.store.channels(&ctx.principal, org).await?;
    let deliveries = s.store.deliveries(&ctx.principal, org, 50).await?;
    let mut p = page(ctx, l.t("notify.title"));
    p.subtitle = Some(l.t("notify.note").into());
    let rows = channels
        .iter()
        .map(|c| {
            let topics = c.topics.iter().map(|t| l.label("notify_topic", t.code())).collect::<Vec<_>>().join(", ");
            vec![
                Cell::text(l.label("channel_kind", c.kind.code())),
                Cell::text(&c.target),
                Cell::text(topics),
                Cell::text(if c.kind == ChannelKind::Webhook { c.secret.as_str() } else { "" }),
            ]
        })
        .collect();
    let headers = ["field.kind", "field.target", "field.topics", "notify.secret"];
    p.sections.push(Section {
        title: l.t("notify.channels").into(),
        table: Some(Table { headers: headers.iter().map(|h| l.t(h).to_owned()).collect(), rows }),
        ..Section::default()
    });
    for c in &channels {
        let form = FormBuilder::new(l, None).field("channel_id", "hidden", &c.id.to_string(), true).build(
            "/notifications/remove",
            &ctx.csrf,
            &format!("{} · {}", l.t("action.remove"), c.target),
        );
        p.sections.push(Section { form: Some(form), ..Section::default() });
    }
    let kinds =
        ChannelKind::ALL.iter().map(|k| (k.code().to_owned(), l.label("channel_kind", k.code()).to_owned())).collect();
    let topics =
        NotifyTopic::ALL.iter().map(|t| (t.code().to_owned(), l.label("notify_topic", t.code()).to_owned())).collect();
    let mut form = FormBuilder::new(l, e)
        .select("kind", &draft.kind, kinds, true)
        .field("target", "text", &draft.target, true)
        .select("topics", &draft.topics.join(","), topics, true)
        .build("/notifications", &ctx.csrf, l.t("notify.add"));
    if let Some(f) = form.fields.iter_mut().find(|f| f.name == "topics") {
        f.kind = "checks";
    }
    p.sections.push(Section { title: l.t("notify.add").into(), form: Some(form), ..Section::default() });
    let rows = deliveries
        .iter()
        .map(|d| {
            let tone = match d.status {
                baove_core::notify::DeliveryStatus::Failed => "bad",
                baove_core::notify::DeliveryStatus::Pending => "warn",
                _ => "ok",
            };
            vec![
                Cell::text(format_datetime(d.created_at)),
                Cell::text(&d.subject),
                Cell::text(l.label("delivery_status", d.status.code())).tone(tone),
                Cell::text(d.attempts.to_string()),
                Cell::text(d.sent_at.map(format_datetime).unwrap_or_default()),
                Cell::text(&d.last_error),
            ]
        })
        .collect();
    let headers =
        ["notify.created", "notify.subject", "notify.status", "notify.attempts", "notify.sent", "notify.error"];
    p.sections.push(Section {
        title: l.t("notify.deliveries").into(),
        table: Some(Table { headers: headers.iter().map(|h| l.t(h).to_owned()).collect(), rows }),
        ..Section::default()
    });
    let mut resp = render(&p);
    if e.is_some() {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    view(&s, &ctx, &ChannelDraft::default(), None).await
}

async fn add(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = fields(&body);
    let draft = ChannelDraft {
        kind: value(&f, "kind").to_owned(),
        target: value(&f, "target").to_owned(),
        topics: f.iter().filter(|(k, _)| k == "topics").map(|(_, v)| v.clone()).collect(),
    };
    let input = match draft.parse() {
        Ok(i) => i,
        Err(e) => return view(&s, &ctx, &draft, Some(&e)).await,
    };
    let secret = crate::auth::token::random();
    s.store.add_channel(&ctx.actor(), ctx.principal.org, &input, &secret).await?;
    Ok(see("/notifications"))
}

async fn remove(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = fields(&body);
    let id: uuid::Uuid = value(&f, "channel_id").parse().map_err(|_| AppError::BadId)?;
    s.store.remove_channel(&ctx.actor(), id).await?;
    Ok(see("/notifications"))
}
