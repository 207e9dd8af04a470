//! The page shell: navigation by role, the language switch, and the error page.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use baove_core::access::{OrgKind, Role};

use super::view::{Chrome, Link, Page};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;

/// The navigation a role needs.
fn nav(ctx: &Ctx) -> Vec<Link> {
    let l = ctx.lang;
    let mut nav = vec![Link::new("/", l.t("nav.home"))];
    let role = ctx.principal.role;
    if matches!(role, Role::Guard | Role::SecurityOfficer | Role::UnitHead) {
        nav.push(Link::new("/patrol", l.t("nav.patrol")));
    }
    if role.acks_alerts() {
        nav.push(Link::new("/patrol/board", l.t("nav.board")));
    }
    // Visitors at the gate; the police keep their area's watchlist.
    if matches!(role, Role::Guard | Role::Gate | Role::SecurityOfficer | Role::UnitHead) {
        nav.push(Link::new("/gate", l.t("nav.gate")));
    } else if matches!(role, Role::AreaOfficer | Role::DutyDesk | Role::AuthorityAdmin) {
        nav.push(Link::new("/gate/watchlist", l.t("gate.watchlist")));
        nav.push(Link::new("/gate/reports", l.t("report.list")));
    }
    match role.org_kind() {
        OrgKind::Unit => {
            nav.push(Link::new("/invites", l.t("invite.title")));
            if let Some(u) = ctx.account.unit_id {
                nav.push(Link::new(format!("/units/{u}"), l.t("nav.units")));
            }
            if matches!(role, Role::UnitHead | Role::SecurityOfficer) {
                nav.push(Link::new("/incidents", l.t("nav.incidents")));
            }
        }
        OrgKind::Authority | OrgKind::System => {
            nav.push(Link::new("/units", l.t("nav.units")));
            nav.push(Link::new("/incidents", l.t("nav.incidents")));
            nav.push(Link::new("/stats", l.t("nav.stats")));
            nav.push(Link::new("/authorities", l.t("nav.authorities")));
        }
    }
    if role == Role::SystemAdmin {
        nav.push(Link::new("/audit", l.t("nav.audit")));
    }
    nav.push(Link::new("/tokens", l.t("nav.tokens")));
    nav
}

/// The shell for a signed-in page.
#[must_use]
pub fn chrome(ctx: &Ctx) -> Chrome {
    let other = ctx.lang.other();
    Chrome {
        user: ctx.account.display_name.clone(),
        role: ctx.lang.label("role", ctx.principal.role.code()).to_owned(),
        nav: nav(ctx),
        csrf: ctx.csrf.clone(),
        lang_href: format!("/lang?to={}&back={}", other.code(), crate::auth::context::urlencode(&ctx.here)),
        lang_label: if other == Lang::En { "English" } else { "Tiếng Việt" },
    }
}

/// A blank page for `ctx` titled `title`.
#[must_use]
pub fn page(ctx: &Ctx, title: impl Into<String>) -> Page {
    Page::new(ctx.lang, chrome(ctx), title)
}

/// Renders a template into a response (a template error is an internal error).
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(%e, "template failed");
            AppError::Internal.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    l: Lang,
    message: &'a str,
}

/// The HTML of an error page.
#[must_use]
pub fn error_page(l: Lang, message: &str) -> String {
    ErrorPage { l, message }.render().unwrap_or_else(|_| message.to_owned())
}

/// A page holding one form; `errors` decides between 200 and 422.
pub fn form_page(ctx: &Ctx, title: &str, form: super::view::FormView) -> Response {
    let failed = form.error.is_some();
    let mut p = page(ctx, title);
    p.sections.push(super::view::Section { form: Some(form), ..Default::default() });
    let resp = render(&p);
    if failed { super::invalid(resp) } else { resp }
}
