//! The request context: the session behind the cookie, the language, and the [`Ctx`]
//! extractor that every signed-in page takes. A page without a session redirects to sign-in.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use baove_core::access::Principal;
use baove_core::account::Account;
use baove_store::{Actor, Session};
use jiff::Timestamp;

use super::token::digest;
use crate::i18n::Lang;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "baove_session";
pub const PRE_CSRF_COOKIE: &str = "baove_csrf";
pub const LANG_COOKIE: &str = "baove_lang";

/// The language chosen by cookie (Vietnamese unless "en").
#[must_use]
pub fn lang_of(headers: &HeaderMap) -> Lang {
    CookieJar::from_headers(headers).get(LANG_COOKIE).map_or(Lang::Vi, |c| Lang::from_code(c.value()))
}

/// What the middleware learned about the visitor.
#[derive(Clone)]
pub struct Visitor {
    pub lang: Lang,
    pub session: Option<(Session, Account)>,
    /// The pre-sign-in CSRF cookie, if any.
    pub pre_csrf: Option<String>,
}

/// Loads the session (if the cookie names a live one) into the request.
pub async fn load(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let session = match jar.get(SESSION_COOKIE) {
        Some(c) => match state.store.session(&digest(c.value()), Timestamp::now()).await {
            Ok(s) => s,
            Err(e) => return crate::error::AppError::from(e).into_response(),
        },
        None => None,
    };
    let visitor = Visitor {
        lang: lang_of(req.headers()),
        session,
        pre_csrf: jar.get(PRE_CSRF_COOKIE).map(|c| c.value().to_owned()),
    };
    req.extensions_mut().insert(visitor);
    next.run(req).await
}

/// A signed-in person on a page.
pub struct Ctx {
    pub account: Account,
    pub principal: Principal,
    pub lang: Lang,
    pub csrf: String,
    pub now: Timestamp,
    /// Where this page can be fetched again (its URL for a GET; the home page after a POST):
    /// the language switch returns here.
    pub here: String,
}

impl Ctx {
    /// The actor for a write made now.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor { principal: self.principal.clone(), at: self.now }
    }

    #[must_use]
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = parts.extensions.get::<Visitor>().cloned();
        match visitor {
            Some(Visitor { lang, session: Some((session, account)), .. }) => {
                let here = if parts.method == axum::http::Method::GET {
                    parts.uri.path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned())
                } else {
                    "/".to_owned()
                };
                Ok(Self {
                    principal: account.principal(),
                    account,
                    lang,
                    csrf: session.csrf,
                    now: Timestamp::now(),
                    here,
                })
            }
            _ => {
                let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let target = format!("/login?next={}", urlencode(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Visitor>().cloned().ok_or_else(|| crate::error::AppError::Internal.into_response())
    }
}

/// Percent-encodes a path for a query parameter.
#[must_use]
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
