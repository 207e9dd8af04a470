//! The home page: what this person must do now, by role.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use baove_core::UnitId;
use baove_core::access::{Org, Role};
use baove_core::incident::tally_from_counts;
use baove_core::registry::CertificateStatus;
use baove_core::registry::gaps::{self, Gap};
use baove_core::time::{format_date, format_datetime, local_date};
use baove_store::{IncidentFilter, UnitFilter};
use jiff::SignedDuration;

use super::layout::{page, render};
use super::view::{Cell, Link, Section, Table};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut p = page(&ctx, ctx.t("home.title"));
    p.subtitle = Some(format!("{} · {}", ctx.account.display_name, format_date(local_date(ctx.now))));
    p.sections = match ctx.principal.org {
        Org::Unit(unit) => unit_home(&s, &ctx, unit).await?,
        Org::Authority(_) | Org::System => police_home(&s, &ctx).await?,
    };
    if !matches!(ctx.principal.role, Role::Guard | Role::Gate | Role::Staff) {
        p.actions.push(Link::new("/stats", ctx.t("stats.title")));
    }
    // A host's visitors, arrived or expected, first.
    if let Some(invited) = super::invites::host_section(&s, &ctx).await? {
        p.sections.insert(0, invited);
    }
    if matches!(ctx.principal.role, Role::UnitHead | Role::AuthorityAdmin | Role::SystemAdmin) {
        let org = match ctx.principal.org {
            Org::Unit(u) => u.to_string(),
            Org::Authority(a) => a.to_string(),
            Org::System => "system".into(),
        };
        p.actions.push(Link::new(format!("/accounts?org={org}"), ctx.t("home.accounts")));
    }
    Ok(render(&p))
}

/// The lines of a gap list.
pub fn gap_table(l: Lang, gaps: &[Gap]) -> Table {
    let rows = gaps
        .iter()
        .map(|g| {
            let (key, what, tone, href) = match g {
                Gap::NoAlarm { zone, name } => ("gap.no_alarm", name.clone(), "bad", format!("/zones/{zone}/edit")),
                Gap::NoCamera { zone, name } => ("gap.no_camera", name.clone(), "warn", format!("/zones/{zone}/edit")),
                Gap::NoCheckpoint { zone, name } => {
                    ("gap.no_checkpoint", name.clone(), "warn", format!("/zones/{zone}/edit"))
                }
                Gap::NoCertificate { guard, name } => {
                    ("gap.no_certificate", name.clone(), "bad", format!("/guards/{guard}"))
                }
                Gap::CertificateExpired { guard, name, days_ago } => (
                    "gap.certificate_expired",
                    format!("{name} ({days_ago} {})", l.t("common.days_ago")),
                    "bad",
                    format!("/guards/{guard}"),
                ),
                Gap::CertificateExpiring { guard, name, days_left } => (
                    "gap.certificate_expiring",
                    format!("{name} ({days_left} {})", l.t("common.days_left")),
                    "warn",
                    format!("/guards/{guard}"),
                ),
            };
            vec![Cell::text(l.t(key)).tone(tone), Cell::link(what, href)]
        })
        .collect();
    Table { headers: vec![l.t("gaps.title").into(), l.t("field.name").into()], rows }
}

async fn unit_home(s: &AppState, ctx: &Ctx, unit: UnitId) -> Result<Vec<Section>, AppError> {
    let l = ctx.lang;
    let p = &ctx.principal;
    let today = local_date(ctx.now);
    let mut out = Vec::new();
    let details = s.store.list_sites(p, unit, "").await;
    let Ok(sites) = details else {
        out.push(Section { title: ctx.t("unit.details_hidden").into(), tone: "warn", ..Section::default() });
        return Ok(out);
    };
    if matches!(p.role, Role::UnitHead | Role::SecurityOfficer) {
        let zones = s.store.list_zones(p, unit, "").await?;
        let checkpoints = s.store.list_checkpoints(p, unit, "").await?;
        let devices = s.store.list_devices(p, unit, "").await?;
        let guards = s.store.list_guards(p, unit, "").await?;
        let found = gaps::find(&zones, &checkpoints, &devices, &guards, today);
        out.push(if found.is_empty() {
            Section {
                title: ctx.t("gaps.title").into(),
                note: Some(ctx.t("gaps.none").into()),
                tone: "ok",
                ..Section::default()
            }
        } else {
            Section {
                title: ctx.t("gaps.title").into(),
                table: Some(gap_table(l, &found)),
                tone: "bad",
                ..Section::default()
            }
        });
        let recent = s
            .store
            .list_incidents(p, &IncidentFilter { unit_id: Some(unit), limit: Some(5), ..Default::default() })
            .await?;
        out.push(Section {
            title: ctx.t("home.recent_incidents").into(),
            table: Some(incident_table(l, &recent, false)),
            ..Section::default()
        });
    }
    if p.role == Role::Guard
        && let Some(gid) = ctx.account.guard_id
    {
        let me = s.store.guard(p, gid).await?;
        let (text, tone) = match me.certificate_status(today) {
            None => (l.t("certificate.none").to_owned(), "bad"),
            Some(CertificateStatus::Valid) => (l.t("certificate.valid").to_owned(), "ok"),
            Some(CertificateStatus::ExpiringSoon { days_left }) => {
                (format!("{} ({days_left} {})", l.t("certificate.expiring"), l.t("common.days_left")), "warn")
            }
            Some(CertificateStatus::Expired { days_ago }) => {
                (format!("{} ({days_ago} {})", l.t("certificate.expired"), l.t("common.days_ago")), "bad")
            }
        };
        let tools = me
            .tools_held()
            .map(|t| vec![Cell::text(l.label("tool_kind", t.kind.code())), Cell::text(&t.serial)])
            .collect();
        out.push(Section { title: l.t("home.my_certificate").into(), note: Some(text), tone, ..Section::default() });
        out.push(Section {
            title: l.t("home.my_tools").into(),
            table: Some(Table { headers: vec![l.t("field.kind").into(), l.t("field.serial").into()], rows: tools }),
            ..Section::default()
        });
    }
    let checkpoints = s.store.list_checkpoints(p, unit, "").await?;
    let rows = sites
        .iter()
        .map(|site| {
            let n = checkpoints.iter().filter(|c| c.site_id == site.id && c.active).count();
            vec![
                Cell::link(&site.name, format!("/sites/{}", site.id)),
                Cell::text(&site.guard_post),
                Cell::text(n.to_string()),
            ]
        })
        .collect();
    let headers = vec![l.t("field.name").into(), l.t("field.guard_post").into(), l.t("checkpoints.title").into()];
    out.push(Section {
        title: l.t("home.your_sites").into(),
        table: Some(Table { headers, rows }),
        ..Section::default()
    });
    Ok(out)
}

/// A table of incidents; `with_unit` adds the unit column (police views).
pub fn incident_table(
    l: Lang,
    list: &[(baove_core::incident::Incident, baove_store::UnitBrief)],
    with_unit: bool,
) -> Table {
    let mut headers = vec![l.t("incident.occurred_at").into()];
    if with_unit {
        headers.push(l.t("field.unit_id").into());
    }
    headers.extend([
        l.t("field.kind").into(),
        l.t("incident.summary").into(),
        l.t("incident.modus").into(),
        l.t("incident.status").into(),
    ]);
    let rows = list
        .iter()
        .map(|(i, u)| {
            let mut row = vec![Cell::text(format_datetime(i.occurred_at))];
            if with_unit {
                row.push(Cell::link(&u.name, format!("/units/{}", u.id)));
            }
            let modus = i.modus.iter().map(|m| l.label("modus", m.code())).collect::<Vec<_>>().join(", ");
            row.extend([
                Cell::text(l.label("incident.kind", i.kind.code())),
                Cell::text(&i.summary),
                Cell::text(modus),
                Cell::text(l.label("incident_status", i.status.code())),
            ]);
            row
        })
        .collect();
    Table { headers, rows }
}

/// The seed's statistic: incidents by type of premises (counted by the database over the
/// whole scope).
pub fn tally_table(l: Lang, counts: &[(baove_core::registry::UnitKind, i64)]) -> Table {
    let tally = tally_from_counts(counts);
    let total: u32 = tally.iter().map(|(_, n)| n).sum();
    let mut rows: Vec<Vec<Cell>> = tally
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| vec![Cell::text(l.label("unit_kind", k.code())), Cell::text(n.to_string())])
        .collect();
    rows.push(vec![Cell::text(l.t("common.all")).tone("ok"), Cell::text(total.to_string()).tone("ok")]);
    Table { headers: vec![l.t("field.kind").into(), l.t("common.count").into()], rows }
}

async fn police_home(s: &AppState, ctx: &Ctx) -> Result<Vec<Section>, AppError> {
    let l = ctx.lang;
    let p = &ctx.principal;
    let since = ctx.now - SignedDuration::from_hours(24 * 366);
    let recent =
        s.store.list_incidents(p, &IncidentFilter { since: Some(since), limit: Some(8), ..Default::default() }).await?;
    let year = s.store.incident_tally(p, since).await?;
    let units = s.store.list_units(p, &UnitFilter::default()).await?;
    let key_targets: Vec<_> = units.iter().filter(|u| u.key_target).collect();
    let mut by_kind: Vec<Vec<Cell>> = baove_core::registry::UnitKind::ALL
        .iter()
        .map(|k| (k, units.iter().filter(|u| u.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| {
            vec![
                Cell::link(l.label("unit_kind", k.code()), format!("/units?kind={}", k.code())),
                Cell::text(n.to_string()),
            ]
        })
        .collect();
    by_kind
        .push(vec![Cell::link(l.t("common.all"), "/units").tone("ok"), Cell::text(units.len().to_string()).tone("ok")]);
    Ok(vec![
        Section {
            title: l.t("home.recent_incidents").into(),
            table: Some(incident_table(l, &recent, true)),
            links: vec![Link::new("/incidents", l.t("incidents.title"))],
            ..Section::default()
        },
        Section {
            title: l.t("home.incidents_by_kind").into(),
            table: Some(tally_table(l, &year)),
            ..Section::default()
        },
        Section {
            title: l.t("home.units_in_area").into(),
            table: Some(Table { headers: vec![l.t("field.kind").into(), l.t("common.count").into()], rows: by_kind }),
            ..Section::default()
        },
        Section {
            title: l.t("home.key_targets").into(),
            table: Some(Table {
                headers: vec![l.t("field.name").into(), l.t("field.address").into()],
                rows: key_targets
                    .iter()
                    .map(|u| vec![Cell::link(&u.name, format!("/units/{}", u.id)), Cell::text(&u.address)])
                    .collect(),
            }),
            ..Section::default()
        },
    ])
}
