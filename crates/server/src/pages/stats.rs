//! The police statistics (R12): `/stats` over the incidents of the reader's scope for a period
//! (the last twelve months unless `from`/`to` say otherwise), by type of premises, hour ×
//! weekday, holiday against ordinary nights, modus operandi, cause, kind and status, with
//! SVG charts; `?unit_kind=` drills down to the units of one type and `?unit=` to one unit's
//! incidents; `/stats.xlsx` is the same tables, one sheet each. The counting is
//! [`baove_core::stats`]; this module only reads the query, loads the facts and lays them out.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use baove_core::UnitId;
use baove_core::access::Role;
use baove_core::registry::UnitKind;
use baove_core::stats::{self, IncidentFact, Nights, Period, Stats};
use baove_core::time::{format_date, format_datetime, local_date};
use baove_core::validate::{FieldError, Invalid, Problem};
use baove_report::tables::{Sheet, Value};

use super::charts;
use super::forms::FormBuilder;
use super::layout::{page, render};
use super::printing::{XLSX, download, typeset};
use super::view::{Cell, Link, SearchBox, Section, Table};
use crate::auth::context::{Ctx, urlencode};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/stats", get(show)).route("/stats.xlsx", get(xlsx))
}

/// The query as typed.
#[derive(Debug, Clone, Default)]
struct Raw {
    from: String,
    to: String,
    unit_kind: String,
    unit: String,
}

impl Raw {
    fn read(query: Option<&str>) -> Self {
        let mut r = Self::default();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let v = v.trim().to_owned();
            match k.as_ref() {
                "from" => r.from = v,
                "to" => r.to = v,
                "unit_kind" => r.unit_kind = v,
                "unit" => r.unit = v,
                _ => {}
            }
        }
        r
    }
}

/// What the reader asked for, checked.
struct Ask {
    period: Period,
    unit_kind: Option<UnitKind>,
    unit: Option<UnitId>,
}

impl Ask {
    fn parse(r: &Raw, ctx: &Ctx) -> Result<Self, Invalid> {
        let mut problems = Vec::new();
        let period = Period::parse(&r.from, &r.to, local_date(ctx.now)).map_err(|e| problems.extend(e.0)).ok();
        let unit_kind = match r.unit_kind.as_str() {
            "" => None,
            code => UnitKind::from_code(code).or_else(|| {
                problems.extend(Invalid::one("unit_kind", Problem::NotAnOption).0);
                None
            }),
        };
        let unit = match r.unit.as_str() {
            "" => None,
            id => id.parse().map_err(|_| problems.extend(Invalid::one("unit", Problem::BadId).0)).ok(),
        };
        match period {
            Some(period) if problems.is_empty() => Ok(Self { period, unit_kind, unit }),
            _ => Err(Invalid(problems)),
        }
    }

    /// `path` for the same period, narrowed to a type of premises or a unit.
    fn href(&self, path: &str, unit_kind: Option<UnitKind>, unit: Option<UnitId>) -> String {
        let mut q = format!(
            "{path}?from={}&to={}",
            urlencode(&format_date(self.period.from)),
            urlencode(&format_date(self.period.to))
        );
        if let Some(k) = unit_kind {
            q.push_str(&format!("&unit_kind={}", k.code()));
        }
        if let Some(u) = unit {
            q.push_str(&format!("&unit={u}"));
        }
        q
    }
}

/// One table of counts: its title key and its rows (label, drill-down link, count).
struct Counts {
    key: &'static str,
    rows: Vec<(String, Option<String>, u32)>,
    /// Whether every incident counts once (a total row makes sense).
    totalled: bool,
}

fn counted<T: Copy>(
    l: Lang,
    set: &str,
    table: &[(T, u32)],
    code: fn(T) -> &'static str,
) -> Vec<(String, Option<String>, u32)> {
    table.iter().map(|(x, n)| (l.label(set, code(*x)).to_owned(), None, *n)).collect()
}

fn count_tables(l: Lang, s: &Stats, ask: &Ask) -> Vec<Counts> {
    let premises = s
        .by_unit_kind
        .iter()
        .map(|(k, n)| (l.label("unit_kind", k.code()).to_owned(), Some(ask.href("/stats", Some(*k), None)), *n))
        .collect();
    vec![
        Counts { key: "stats.by_unit_kind", rows: premises, totalled: true },
        Counts { key: "stats.by_modus", rows: counted(l, "modus", &s.by_modus, |m| m.code()), totalled: false },
        Counts { key: "stats.by_cause", rows: counted(l, "cause", &s.by_cause, |c| c.code()), totalled: false },
        Counts { key: "stats.by_kind", rows: counted(l, "incident.kind", &s.by_kind, |k| k.code()), totalled: true },
        Counts {
            key: "stats.by_status",
            rows: counted(l, "incident_status", &s.by_status, |k| k.code()),
            totalled: true,
        },
    ]
}

/// Incidents per night as people write it: two decimals, a decimal comma in Vietnamese.
fn rate(l: Lang, n: &Nights) -> String {
    let text = format!("{:.2}", n.rate());
    if l == Lang::Vi { text.replace('.', ",") } else { text }
}

fn nights(s: &Stats) -> [(&'static str, Nights); 2] {
    [("stats.holiday_nights", s.holiday_nights), ("stats.ordinary_nights", s.ordinary_nights)]
}

fn weekdays(l: Lang) -> [&'static str; 7] {
    ["weekday.1", "weekday.2", "weekday.3", "weekday.4", "weekday.5", "weekday.6", "weekday.7"].map(|k| l.t(k))
}

fn section(l: Lang, c: &Counts, total: u32) -> Section {
    let mut rows: Vec<Vec<Cell>> = c
        .rows
        .iter()
        .map(|(label, href, n)| {
            let first = href.as_ref().map_or_else(|| Cell::text(label), |h| Cell::link(label, h));
            vec![first, Cell::text(n.to_string())]
        })
        .collect();
    if c.totalled {
        rows.push(vec![Cell::text(l.t("common.all")).tone("ok"), Cell::text(total.to_string()).tone("ok")]);
    }
    let bars: Vec<(String, f64, String)> =
        c.rows.iter().map(|(label, _, n)| (label.clone(), f64::from(*n), n.to_string())).collect();
    Section {
        title: l.t(c.key).into(),
        note: match c.key {
            "stats.by_modus" => Some(l.t("stats.modus_note").into()),
            "stats.by_cause" => Some(l.t("stats.cause_note").into()),
            _ => None,
        },
        table: Some(Table { headers: vec![l.t("field.kind").into(), l.t("stats.incidents").into()], rows }),
        figure: Some(charts::bars(l.t(c.key), &bars)),
        ..Section::default()
    }
}

/// The period and scope line under the title.
fn scope_line(l: Lang, ask: &Ask, unit_name: Option<&str>) -> String {
    let mut line = format!("{} – {}", format_date(ask.period.from), format_date(ask.period.to));
    if let Some(k) = ask.unit_kind {
        line.push_str(&format!(" · {}", l.label("unit_kind", k.code())));
    }
    if let Some(name) = unit_name {
        line.push_str(&format!(" · {name}"));
    }
    line
}

/// The period filter above the tables, with the problems of a refused query.
fn filter(l: Lang, raw: &Raw, ask: Option<&Ask>, e: Option<&Invalid>) -> SearchBox {
    let (from, to) = ask
        .map_or_else(|| (raw.from.clone(), raw.to.clone()), |a| (format_date(a.period.from), format_date(a.period.to)));
    let mut b = FormBuilder::new(l, e).field("from", "text", &from, false).field("to", "text", &to, false);
    if !raw.unit_kind.is_empty() {
        b = b.field("unit_kind", "hidden", &raw.unit_kind, false);
    }
    if !raw.unit.is_empty() {
        b = b.field("unit", "hidden", &raw.unit, false);
    }
    SearchBox { action: "/stats".into(), query: None, filters: b.build("", "", "").fields }
}

/// The facts asked for, with the unit's name when one unit is asked for (out of scope: not
/// found).
async fn load(s: &AppState, ctx: &Ctx, ask: &Ask) -> Result<(Vec<IncidentFact>, Option<String>), AppError> {
    let unit_name = match ask.unit {
        Some(u) => Some(s.store.unit(&ctx.principal, u).await?.name),
        None => None,
    };
    let facts = s.store.incident_facts(&ctx.principal, ask.period.start, ask.period.end).await?;
    Ok((stats::narrow(facts, ask.unit_kind, ask.unit), unit_name))
}

/// Guards, gate and staff report incidents but do not read the statistics.
fn allowed(ctx: &Ctx) -> Result<(), AppError> {
    if matches!(ctx.principal.role, Role::Guard | Role::Gate | Role::Staff) { Err(AppError::Forbidden) } else { Ok(()) }
}

/// The page again with the filter and its problems, 422. The period's own problems (its end
/// before its start, too long) are said in words of periods, not under one field.
fn refused(ctx: &Ctx, raw: &Raw, e: &Invalid) -> Response {
    let l = ctx.lang;
    let mut p = page(ctx, l.t("stats.title"));
    let of_period = |f: &FieldError| match f.problem {
        Problem::DateOrder => Some(l.t("stats.date_order")),
        Problem::OutOfRange { .. } => Some(l.t("stats.too_long")),
        _ => None,
    };
    let fields = Invalid(e.0.iter().filter(|f| of_period(f).is_none()).cloned().collect());
    p.search = Some(filter(l, raw, None, Some(&fields)));
    let problems =
        e.0.iter().map(|f| of_period(f).map_or_else(|| l.field_error(f), str::to_owned)).collect::<Vec<_>>().join(" ");
    p.sections.push(Section {
        title: l.t("error.invalid").into(),
        note: Some(problems),
        tone: "bad",
        ..Section::default()
    });
    super::invalid(render(&p))
}

/// The statistics asked for.
struct Counted {
    raw: Raw,
    ask: Ask,
    facts: Vec<IncidentFact>,
    unit_name: Option<String>,
    stats: Stats,
}

/// Reads the query and counts; `Err(page)`: the query was refused (422).
async fn count(s: &AppState, ctx: &Ctx, q: Option<&str>) -> Result<Result<Counted, Response>, AppError> {
    allowed(ctx)?;
    let raw = Raw::read(q);
    let ask = match Ask::parse(&raw, ctx) {
        Ok(a) => a,
        Err(e) => return Ok(Err(refused(ctx, &raw, &e))),
    };
    let (facts, unit_name) = load(s, ctx, &ask).await?;
    let stats = stats::compute(&facts, &ask.period, stats::is_holiday_night);
    Ok(Ok(Counted { raw, ask, facts, unit_name, stats }))
}

async fn show(State(s): State<AppState>, ctx: Ctx, RawQuery(q): RawQuery) -> Result<Response, AppError> {
    let l = ctx.lang;
    let Counted { raw, ask, facts, unit_name, stats: st } = match count(&s, &ctx, q.as_deref()).await? {
        Ok(c) => c,
        Err(refused) => return Ok(refused),
    };
    let mut p = page(&ctx, l.t("stats.title"));
    p.subtitle = Some(scope_line(l, &ask, unit_name.as_deref()));
    p.actions.push(Link::new(ask.href("/stats.xlsx", ask.unit_kind, ask.unit), l.t("stats.export")));
    if ask.unit_kind.is_some() || ask.unit.is_some() {
        p.actions.push(Link::new(ask.href("/stats", None, None), l.t("stats.whole_area")));
    }
    p.actions.push(Link::new("/incidents", l.t("nav.incidents")));
    p.search = Some(filter(l, &raw, Some(&ask), None));
    p.facts = vec![
        (l.t("stats.total").into(), st.total.to_string()),
        (l.t("stats.small_hours").into(), format!("{}/{}", st.small_hours, st.total)),
    ];
    if ask.unit_kind.is_some() && ask.unit.is_none() {
        p.sections.push(units_section(l, &st, &ask));
    }
    if ask.unit.is_some() {
        p.sections.push(incidents_section(l, &facts));
    }
    let tables = count_tables(l, &st, &ask);
    let mut tables = tables.iter();
    if let Some(first) = tables.next() {
        p.sections.push(section(l, first, st.total));
    }
    p.sections.push(Section {
        title: l.t("stats.by_hour").into(),
        note: Some(l.t("stats.heat_note").into()),
        figure: Some(charts::heat_map(l.t("stats.by_hour"), &weekdays(l), &st.heat)),
        ..Section::default()
    });
    p.sections.push(nights_section(l, &st));
    p.sections.extend(tables.map(|c| section(l, c, st.total)));
    Ok(render(&p))
}

fn nights_section(l: Lang, st: &Stats) -> Section {
    let rows = nights(st)
        .iter()
        .map(|(key, n)| {
            vec![
                Cell::text(l.t(key)),
                Cell::text(n.incidents.to_string()),
                Cell::text(n.nights.to_string()),
                Cell::text(rate(l, n)),
            ]
        })
        .collect();
    let bars: Vec<(String, f64, String)> =
        nights(st).iter().map(|(key, n)| (l.t(key).to_owned(), n.rate(), rate(l, n))).collect();
    Section {
        title: l.t("stats.nights").into(),
        note: Some(l.t("stats.night_rule").into()),
        table: Some(Table { headers: words(l, &NIGHT_HEADERS), rows }),
        figure: Some(charts::bars(l.t("stats.rate"), &bars)),
        ..Section::default()
    }
}

/// The columns of the nights table.
const NIGHT_HEADERS: [&str; 4] = ["field.kind", "stats.incidents", "stats.nights_count", "stats.rate"];

/// The columns of the unit's incident list.
const INCIDENT_HEADERS: [&str; 4] = ["incident.occurred_at", "field.kind", "incident.status", "incident.modus"];

/// The texts of catalogue keys.
fn words(l: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| l.t(k).to_owned()).collect()
}

/// A unit's incidents, newest first: when, kind, status and modus operandi.
fn incident_lines(l: Lang, facts: &[IncidentFact]) -> impl Iterator<Item = (&IncidentFact, [String; 4])> {
    facts.iter().rev().map(move |f| {
        let modus = f.modus.iter().map(|m| l.label("modus", m.code())).collect::<Vec<_>>().join(", ");
        let cells = [
            format_datetime(f.occurred_at),
            l.label("incident.kind", f.kind.code()).to_owned(),
            l.label("incident_status", f.status.code()).to_owned(),
            modus,
        ];
        (f, cells)
    })
}

fn units_section(l: Lang, st: &Stats, ask: &Ask) -> Section {
    let rows = st
        .by_unit
        .iter()
        .map(|u| {
            vec![
                Cell::link(&u.name, format!("/units/{}", u.unit_id)),
                Cell::link(u.incidents.to_string(), ask.href("/stats", None, Some(u.unit_id))),
            ]
        })
        .collect();
    Section {
        title: l.t("stats.by_unit").into(),
        table: Some(Table { headers: vec![l.t("field.unit_id").into(), l.t("stats.incidents").into()], rows }),
        ..Section::default()
    }
}

fn incidents_section(l: Lang, facts: &[IncidentFact]) -> Section {
    let rows = incident_lines(l, facts)
        .map(|(f, [when, rest @ ..])| {
            std::iter::once(Cell::link(when, format!("/incidents/{}", f.id))).chain(rest.map(Cell::text)).collect()
        })
        .collect();
    Section {
        title: l.t("stats.unit_incidents").into(),
        table: Some(Table { headers: words(l, &INCIDENT_HEADERS), rows }),
        ..Section::default()
    }
}

/// The sheets of the workbook: the same tables as the page, every unit's count, and for one
/// unit its incidents.
fn sheets(l: Lang, c: &Counted, title: &str) -> Vec<Sheet> {
    let (st, ask) = (&c.stats, &c.ask);
    let text = |t: &str| Value::Text(t.to_owned());
    let number = |n: u32| Value::Number(f64::from(n));
    let sheet = |key: &str, headers: Vec<String>, rows: Vec<Vec<Value>>| Sheet {
        name: l.t(key).into(),
        title: format!("{} · {title}", l.t(key)),
        headers,
        rows,
    };
    let kind_count = || vec![l.t("field.kind").to_owned(), l.t("stats.incidents").to_owned()];
    let mut out: Vec<Sheet> = count_tables(l, st, ask)
        .iter()
        .map(|c| sheet(c.key, kind_count(), c.rows.iter().map(|(label, _, n)| vec![text(label), number(*n)]).collect()))
        .collect();
    let mut hours = vec![l.t("stats.weekday").to_owned()];
    hours.extend((0..24).map(|h| format!("{h:02}")));
    let heat = weekdays(l)
        .iter()
        .zip(&st.heat)
        .map(|(day, row)| std::iter::once(text(day)).chain(row.iter().map(|n| number(*n))).collect())
        .collect();
    out.insert(1, sheet("stats.by_hour", hours, heat));
    let night_rows = nights(st)
        .iter()
        .map(|(key, n)| vec![text(l.t(key)), number(n.incidents), number(n.nights), Value::Number(n.rate())])
        .collect();
    out.insert(2, sheet("stats.nights", words(l, &NIGHT_HEADERS), night_rows));
    let units = st
        .by_unit
        .iter()
        .map(|u| vec![text(&u.name), text(l.label("unit_kind", u.kind.code())), number(u.incidents)])
        .collect();
    out.push(sheet("stats.by_unit", words(l, &["field.unit_id", "field.kind", "stats.incidents"]), units));
    if ask.unit.is_some() {
        let lines = incident_lines(l, &c.facts).map(|(_, cells)| cells.iter().map(|t| text(t)).collect()).collect();
        out.push(sheet("stats.unit_incidents", words(l, &INCIDENT_HEADERS), lines));
    }
    out
}

async fn xlsx(State(s): State<AppState>, ctx: Ctx, RawQuery(q): RawQuery) -> Result<Response, AppError> {
    let l = ctx.lang;
    let counted = match count(&s, &ctx, q.as_deref()).await? {
        Ok(c) => c,
        Err(refused) => return Ok(refused),
    };
    let title = scope_line(l, &counted.ask, counted.unit_name.as_deref());
    let book = sheets(l, &counted, &title);
    let bytes = typeset(move || baove_report::tables_xlsx(&book)).await?;
    let name = format!("thong-ke-{}-{}.xlsx", counted.ask.period.from, counted.ask.period.to);
    Ok(download(bytes, XLSX, &name))
}
