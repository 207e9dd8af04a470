//! Signing in and out, and the language switch.

use std::net::SocketAddr;
use std::time::Instant;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use baove_store::Session;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::FormBody;
use super::layout::render;
use crate::auth::context::{Ctx, LANG_COOKIE, PRE_CSRF_COOKIE, SESSION_COOKIE, Visitor};
use crate::auth::{password, token};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/login", get(form).post(login)).route("/logout", post(logout)).route("/lang", get(switch_lang))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Lang,
    csrf: String,
    next: String,
    username: String,
    error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
struct Next {
    #[serde(default)]
    next: String,
}

/// Only local paths are followed after sign-in (no open redirect).
fn safe_next(next: &str) -> String {
    let plain = !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if plain && next.starts_with('/') && !next.starts_with("//") { next.to_owned() } else { "/".to_owned() }
}

fn cookie(name: &'static str, value: String, state: &AppState, strict: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(if strict { SameSite::Strict } else { SameSite::Lax })
        .build()
}

async fn form(State(state): State<AppState>, v: Visitor, jar: CookieJar, Query(q): Query<Next>) -> Response {
    let csrf = v.pre_csrf.clone().unwrap_or_else(token::random);
    let page =
        LoginPage { l: v.lang, csrf: csrf.clone(), next: safe_next(&q.next), username: String::new(), error: None };
    (jar.add(cookie(PRE_CSRF_COOKIE, csrf, &state, true)), render(&page)).into_response()
}

/// The client's IP address: the first `X-Forwarded-For` hop when baove runs behind a proxy
/// it trusts (`--behind-proxy`), else the peer address (empty in tests without connection info).
struct ClientAddr(String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .config
            .behind_proxy
            .then(|| parts.headers.get("x-forwarded-for").and_then(|h| h.to_str().ok()))
            .flatten()
            .and_then(|h| h.split(',').next())
            .map(|s| s.trim().to_owned());
        let peer =
            || parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default();
        Ok(Self(forwarded.unwrap_or_else(peer)))
    }
}

#[derive(Deserialize)]
struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    ClientAddr(addr): ClientAddr,
    FormBody(c): FormBody<Credentials>,
) -> Result<Response, AppError> {
    let username = baove_core::account::normalise_username(&c.username).unwrap_or_default();
    let retry = |error| {
        let page = LoginPage {
            l: v.lang,
            csrf: v.pre_csrf.clone().unwrap_or_default(),
            next: safe_next(&c.next),
            username: c.username.clone(),
            error: Some(error),
        };
        render(&page)
    };
    if !state.limiter.attempt(&username, &addr, Instant::now()) {
        let mut resp = retry(v.lang.t("error.too_many"));
        *resp.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(resp);
    }
    let found = if username.is_empty() { None } else { state.store.login_lookup(&username).await? };
    let (account, hash) = match &found {
        Some((a, h)) => (Some(a), h.clone()),
        None => (None, state.dummy_hash.to_string()),
    };
    let typed = baove_core::text::nfc(&c.password.chars().take(256).collect::<String>());
    let ok = password::verify_async(typed, hash).await && account.is_some();
    let Some(account) = account.filter(|_| ok) else {
        return Ok(super::invalid(retry(v.lang.t("login.failed"))));
    };
    state.limiter.succeeded(&username, &addr);
    let secret = token::random();
    let now = Timestamp::now();
    let session = Session {
        token_hash: token::digest(&secret),
        account_id: account.id,
        csrf: token::random(),
        created_at: now,
        expires_at: now + SignedDuration::from_hours(state.config.session_hours),
    };
    state.store.create_session(&session).await?;
    let jar = jar.add(cookie(SESSION_COOKIE, secret, &state, false)).remove(Cookie::from(PRE_CSRF_COOKIE));
    Ok((jar, Redirect::to(&safe_next(&c.next))).into_response())
}

async fn logout(State(state): State<AppState>, _ctx: Ctx, jar: CookieJar) -> Result<Response, AppError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(&token::digest(c.value())).await?;
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()), Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
struct LangChoice {
    #[serde(default)]
    to: String,
    #[serde(default)]
    back: String,
}

async fn switch_lang(State(state): State<AppState>, jar: CookieJar, Query(q): Query<LangChoice>) -> Response {
    let lang = Lang::from_code(&q.to);
    let mut c = cookie(LANG_COOKIE, lang.code().to_owned(), &state, false);
    c.set_max_age(Some(time::Duration::days(365)));
    (jar.add(c), Redirect::to(&safe_next(&q.back))).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/units?q=a"), "/units?q=a");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/", "browsers drop tabs: this would be //evil.example");
        assert_eq!(safe_next("/\n"), "/");
    }
}
