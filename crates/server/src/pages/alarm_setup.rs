//! A unit's alarm setup (R10): when its zones are armed (the unit's default weekly schedule
//! and each zone's own), which device addresses belong to which zone (the MQTT mapping), and
//! the devices' webhook tokens; for the installation's administrators, the messages ingest
//! refused.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use baove_core::access::Role;
use baove_core::alarm::arming::{ArmingDraft, ArmingMode, OpenHours, ZoneArming, is_armed};
use baove_core::validate::Invalid;
use baove_core::{UnitId, ZoneId};
use baove_store::{BindingInput, DeviceBinding, ZoneSetup};

use super::forms::FormBuilder;
use super::layout::{page, render};
use super::view::{Cell, FormView, Section, Table};
use super::{fields, id, invalid, see, split, value};
use crate::auth::context::Ctx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units/{id}/alarm-setup", get(show))
        .route("/units/{id}/arming-schedule", post(set_schedule))
        .route("/units/{id}/bindings", post(add_binding))
        .route("/units/{id}/bindings/remove", post(remove_binding))
        .route("/alarms/ingest", get(counters))
}

/// "Open 06:30–18:00 on weekdays, Saturday 07:00–11:00, …" in the user's language.
fn describe(l: Lang, z: &ZoneArming) -> String {
    match z.mode {
        ArmingMode::AlwaysArmed => l.t("arming.mode.always").to_owned(),
        ArmingMode::NeverArmed => l.t("arming.mode.never").to_owned(),
        ArmingMode::Schedule => {
            let part = |key: &str, h: Option<&OpenHours>| {
                format!("{} {}", l.t(key), h.map_or_else(|| l.t("arming.all_day").to_owned(), OpenHours::label))
            };
            let mut parts = vec![
                part("field.weekday_hours", z.weekdays.as_ref()),
                part("field.saturday_hours", z.saturday.as_ref()),
                part("field.sunday_hours", z.sunday.as_ref()),
            ];
            if z.holidays_armed {
                parts.push(l.t("field.holidays_armed").to_owned());
            }
            parts.join(" · ")
        }
    }
}

/// The form of a schedule; `zones` given, it sets one zone's own (or clears it).
fn schedule_form(
    ctx: &Ctx,
    unit: UnitId,
    shown: &ZoneArming,
    zones: Option<&[ZoneSetup]>,
    e: Option<&Invalid>,
) -> FormView {
    let l = ctx.lang;
    let mut b = FormBuilder::new(l, e);
    if let Some(zones) = zones {
        let mut options = vec![(String::new(), l.t("arming.unit_default").to_owned())];
        options.extend(zones.iter().map(|z| (z.zone_id.to_string(), z.name.clone())));
        b = b.select("zone_id", "", options, true);
    }
    let d = ArmingDraft::of(shown);
    let modes = ArmingMode::ALL.iter().map(|m| m.code()).collect::<Vec<_>>();
    b = b
        .codes("mode", &d.mode, "arming.mode", &modes)
        .field("weekday_hours", "text", &d.weekday_hours, false)
        .field("saturday_hours", "text", &d.saturday_hours, false)
        .field("sunday_hours", "text", &d.sunday_hours, false)
        .field("holidays_armed", "checkbox", if d.holidays_armed { "on" } else { "" }, false);
    if zones.is_some() {
        b = b.field("use_default", "checkbox", "", false);
    }
    b.build(format!("/units/{unit}/arming-schedule"), &ctx.csrf, l.t("action.save"))
}

fn binding_form(
    ctx: &Ctx,
    unit: UnitId,
    zones: &[ZoneSetup],
    devices: &[(String, String)],
    e: Option<&Invalid>,
) -> FormView {
    let l = ctx.lang;
    let zone_options = zones.iter().map(|z| (z.zone_id.to_string(), z.name.clone())).collect();
    let mut device_options = vec![(String::new(), "—".to_owned())];
    device_options.extend(devices.iter().cloned());
    FormBuilder::new(l, e)
        .select("zone_id", "", zone_options, true)
        .field("filter", "text", "", true)
        .field("zone_hint", "text", "", false)
        .select("device_id", "", device_options, false)
        .build(format!("/units/{unit}/bindings"), &ctx.csrf, l.t("binding.add"))
}

async fn setup_page(
    s: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    schedule_error: Option<&Invalid>,
    binding_error: Option<&Invalid>,
) -> Result<Response, AppError> {
    let l = ctx.lang;
    let p = &ctx.principal;
    let u = s.store.unit(p, unit).await?;
    let zones = s.store.zone_setups(p, Some(unit)).await?;
    let bindings = s.store.list_bindings(p, unit).await?;
    let default = s.store.unit_arming(p, unit).await?.unwrap_or_default();
    let devices: Vec<(String, String)> =
        s.store.list_devices(p, unit, "").await?.into_iter().map(|d| (d.id.to_string(), d.name)).collect();
    let edit = p.role.edits_details();
    let mut page = page(ctx, l.t("arming.title"));
    page.subtitle = Some(u.name.clone());

    page.sections.push(Section {
        title: l.t("arming.unit_default").into(),
        note: Some(format!("{} {}", describe(l, &default), l.t("arming.note"))),
        form: edit.then(|| schedule_form(ctx, unit, &default, None, schedule_error)),
        ..Section::default()
    });
    let zone_name = |z: ZoneId| zones.iter().find(|x| x.zone_id == z).map(|x| x.name.clone()).unwrap_or_default();
    let rows = zones
        .iter()
        .map(|z| {
            let now = is_armed(&z.schedule, z.manual.as_ref(), ctx.now);
            let source = if z.own_schedule { l.t("arming.own") } else { l.t("arming.unit_default") };
            vec![
                Cell::text(&z.name),
                Cell::text(now.explain_vi()).tone(if now.armed { "warn" } else { "" }),
                Cell::text(format!("{source}: {}", describe(l, &z.schedule))),
                Cell::text(bindings.iter().filter(|b| b.zone_id == z.zone_id).count().to_string()),
            ]
        })
        .collect();
    let headers =
        ["field.name", "field.armed", "arming.schedule", "binding.title"].iter().map(|k| l.t(k).into()).collect();
    page.sections.push(Section {
        title: l.t("arming.zones").into(),
        table: Some(Table { headers, rows }),
        form: (edit && !zones.is_empty()).then(|| schedule_form(ctx, unit, &default, Some(&zones), None)),
        ..Section::default()
    });

    page.sections.push(Section {
        title: l.t("binding.title").into(),
        note: Some(l.t("binding.note").into()),
        table: Some(binding_table(l, &bindings, &zone_name, &devices)),
        form: (edit && !zones.is_empty()).then(|| binding_form(ctx, unit, &zones, &devices, binding_error)),
        ..Section::default()
    });
    if edit && !bindings.is_empty() {
        let options = bindings.iter().map(|b| (b.id.to_string(), label(b, &zone_name))).collect();
        let form = FormBuilder::new(l, None).select("binding_id", "", options, true).build(
            format!("/units/{unit}/bindings/remove"),
            &ctx.csrf,
            l.t("binding.remove"),
        );
        page.sections.push(Section { form: Some(form), ..Section::default() });
    }
    if edit && !devices.is_empty() {
        page.sections.push(Section {
            title: l.t("alarm.token").into(),
            note: Some(l.t("binding.token_note").into()),
            form: Some(FormBuilder::new(l, None).select("device_id", "", devices, true).build(
                "/devices/token",
                &ctx.csrf,
                l.t("binding.new_token"),
            )),
            ..Section::default()
        });
    }
    let response = render(&page);
    Ok(if schedule_error.is_some() || binding_error.is_some() { invalid(response) } else { response })
}

fn label(b: &DeviceBinding, zone_name: &impl Fn(ZoneId) -> String) -> String {
    if b.zone_hint.is_empty() {
        format!("{} → {}", b.filter, zone_name(b.zone_id))
    } else {
        format!("{} [{}] → {}", b.filter, b.zone_hint, zone_name(b.zone_id))
    }
}

fn binding_table(
    l: Lang,
    bindings: &[DeviceBinding],
    zone_name: &impl Fn(ZoneId) -> String,
    devices: &[(String, String)],
) -> Table {
    let device_name = |b: &DeviceBinding| {
        b.device_id
            .and_then(|d| devices.iter().find(|(id, _)| *id == d.to_string()).map(|(_, n)| n.clone()))
            .unwrap_or_default()
    };
    let rows = bindings
        .iter()
        .map(|b| {
            vec![
                Cell::text(&b.filter),
                Cell::text(&b.zone_hint),
                Cell::text(zone_name(b.zone_id)),
                Cell::text(device_name(b)),
            ]
        })
        .collect();
    let headers =
        ["field.filter", "field.zone_hint", "field.zone_id", "field.device_id"].iter().map(|k| l.t(k).into()).collect();
    Table { headers, rows }
}

async fn show(State(s): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    setup_page(&s, &ctx, id(&raw)?, None, None).await
}

async fn set_schedule(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let f = fields(&body);
    let zone: Option<ZoneId> = match value(&f, "zone_id") {
        "" => None,
        z => Some(id(z)?),
    };
    let clear = zone.is_some() && !value(&f, "use_default").is_empty();
    let schedule = if clear {
        None
    } else {
        let draft = ArmingDraft {
            mode: value(&f, "mode").to_owned(),
            weekday_hours: value(&f, "weekday_hours").to_owned(),
            saturday_hours: value(&f, "saturday_hours").to_owned(),
            sunday_hours: value(&f, "sunday_hours").to_owned(),
            holidays_armed: !value(&f, "holidays_armed").is_empty(),
        };
        match draft.parse() {
            Ok(z) => Some(z),
            Err(e) => return setup_page(&s, &ctx, unit, Some(&e), None).await,
        }
    };
    s.store.set_arming_schedule(&ctx.actor(), unit, zone, schedule.as_ref()).await?;
    s.alarms.invalidate();
    Ok(see(format!("/units/{unit}/alarm-setup")))
}

async fn add_binding(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let f = fields(&body);
    let input = BindingInput {
        zone_id: id(value(&f, "zone_id"))?,
        device_id: match value(&f, "device_id") {
            "" => None,
            d => Some(id(d)?),
        },
        filter: value(&f, "filter").to_owned(),
        zone_hint: value(&f, "zone_hint").to_owned(),
    };
    match split(s.store.add_binding(&ctx.actor(), &input).await)? {
        Ok(_) => {
            s.alarms.invalidate();
            Ok(see(format!("/units/{unit}/alarm-setup")))
        }
        Err(e) => setup_page(&s, &ctx, unit, None, Some(&e)).await,
    }
}

async fn remove_binding(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let unit: UnitId = id(&raw)?;
    let f = fields(&body);
    s.store.remove_binding(&ctx.actor(), id(value(&f, "binding_id"))?).await?;
    s.alarms.invalidate();
    Ok(see(format!("/units/{unit}/alarm-setup")))
}

/// Messages ingest refused, per source and reason (the installation's administrators).
async fn counters(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if ctx.principal.role != Role::SystemAdmin {
        return Err(AppError::Forbidden);
    }
    let l = ctx.lang;
    let rows = s
        .store
        .ingest_counters(&ctx.principal)
        .await?
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.source),
                Cell::text(l.label("ingest_reason", &c.reason)),
                Cell::text(c.count.to_string()),
                Cell::text(baove_core::time::format_datetime(c.last_at)),
                Cell::text(&c.last_detail),
            ]
        })
        .collect();
    let headers = ["ingest.source", "ingest.reason", "ingest.count", "ingest.last_at", "ingest.last_detail"]
        .iter()
        .map(|k| l.t(k).into())
        .collect();
    let mut p = page(&ctx, l.t("ingest.title"));
    p.sections.push(Section {
        note: Some(l.t("ingest.note").into()),
        table: Some(Table { headers, rows }),
        ..Section::default()
    });
    Ok(render(&p))
}
