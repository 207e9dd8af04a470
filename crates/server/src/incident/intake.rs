//! A report coming in, from the report form, the phone's offline queue or the API: parsed,
//! photos checked, recorded once (a resend with the same id is the same report), then pushed
//! live to the duty desk, the area officer and the unit, and the alarms it grew from linked.

use baove_core::IncidentId;
use baove_core::access::Org;
use baove_core::alarm::report::IncidentReportDraft;
use baove_core::incident::Incident;
use baove_core::validate::{Invalid, Problem};
use baove_store::{Actor, IncidentCase};

use super::photos::{self, MAX_PHOTOS};
use crate::error::AppError;
use crate::patrol::qr_photo::{MAX_PHOTO_BYTES, PhotoError};
use crate::state::AppState;

/// The largest report body: a few camera photos, downsized on the phone.
pub const REPORT_BODY: usize = 8 * 1024 * 1024;

/// A report as the form's script and the API send it: the draft's fields and the photos.
pub type ReportIn = IncidentReportDraft;

fn photo_problem(e: PhotoError) -> Invalid {
    match e {
        PhotoError::TooLarge => Invalid::one("photos", Problem::TooLarge { max_kb: MAX_PHOTO_BYTES / 1024 }),
        PhotoError::NotAnImage | PhotoError::NoCode => Invalid::one("photos", Problem::BadImage),
    }
}

/// Records the report; `true` when it is new (a resend answers the same case with `false`).
///
/// # Errors
/// A field that does not parse, a photo refused, a place outside the reporter's scope.
pub async fn submit(s: &AppState, actor: &Actor, input: &ReportIn) -> Result<(IncidentCase, bool), AppError> {
    if input.photos.len() > MAX_PHOTOS {
        return Err(AppError::Invalid(Invalid::one("photos", Problem::TooMany { max: MAX_PHOTOS })));
    }
    let report = input.parse(actor.at).map_err(AppError::Invalid)?;
    let photos = input
        .photos
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| photos::accept(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::Invalid(photo_problem(e)))?;
    let unit = match actor.principal.org {
        Org::Unit(u) => u,
        _ => s.store.site(&actor.principal, report.place.site_id).await?.unit_id,
    };
    let id = report.id.unwrap_or_else(IncidentId::mint);
    let reporter = format!(
        "{} ({})",
        actor.principal.display_name,
        crate::i18n::Lang::Vi.label("role", actor.principal.role.code())
    );
    let incident = Incident::reported(id, unit, &report, &reporter, actor.at);
    let (case, created) = s.store.report_incident(actor, &incident, &photos).await?;
    if !created {
        return Ok((case, false));
    }
    for alarm in &report.alarm_ids {
        match s.store.link_alarm_incident(actor, *alarm, case.incident.id).await {
            Ok(linked) => s.bus.publish(crate::patrol::bus::Event::Alarm(Box::new(linked))),
            Err(e) => tracing::warn!(alarm = %alarm, error = %e, "alarm not linked to the report"),
        }
    }
    // The case as it now stands, with the alarms just linked.
    let case = if report.alarm_ids.is_empty() {
        case
    } else {
        s.store.incident_case(&actor.principal, case.incident.id).await.unwrap_or(case)
    };
    super::live::publish(s, &case);
    Ok((case, true))
}
