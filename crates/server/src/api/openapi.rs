//! The OpenAPI 3.1 document of `/api/v1`, built from one table of operations so that it
//! cannot drift from the router by more than a line; schemas come from the domain types.

use axum::Json;
use baove_core::account::Account;
use baove_core::incident::Incident;
use baove_core::registry::*;
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ArrayBuilder, ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, ObjectBuilder, OpenApi, OpenApiBuilder,
    PathItem, PathsBuilder, Ref, RefOr, ResponseBuilder, Schema, Type,
};

/// (method, path, summary, request schema, response schema, response is a list)
type Op = (HttpMethod, &'static str, &'static str, Option<&'static str>, &'static str, bool);

const OPS: &[Op] = &[
    (HttpMethod::Get, "/me", "The account behind the token", None, "Account", false),
    (HttpMethod::Get, "/authorities", "Authorities in scope (q: accent-insensitive search)", None, "Authority", true),
    (HttpMethod::Post, "/authorities", "Create an authority", Some("AuthorityDraft"), "Authority", false),
    (HttpMethod::Get, "/authorities/{id}", "One authority", None, "Authority", false),
    (HttpMethod::Put, "/authorities/{id}", "Change an authority", Some("AuthorityDraft"), "Authority", false),
    (HttpMethod::Get, "/units", "Units in scope (q, kind, key_target)", None, "Unit", true),
    (HttpMethod::Post, "/units", "Register a unit", Some("UnitDraft"), "Unit", false),
    (HttpMethod::Get, "/units/{id}", "One unit", None, "Unit", false),
    (HttpMethod::Put, "/units/{id}", "Change a unit's profile", Some("UnitDraft"), "Unit", false),
    (HttpMethod::Get, "/units/{id}/sites", "A unit's sites", None, "Site", true),
    (HttpMethod::Get, "/units/{id}/zones", "A unit's zones", None, "Zone", true),
    (HttpMethod::Get, "/units/{id}/checkpoints", "A unit's checkpoints", None, "Checkpoint", true),
    (HttpMethod::Get, "/units/{id}/devices", "A unit's devices", None, "Device", true),
    (HttpMethod::Get, "/units/{id}/guards", "A unit's guards", None, "Guard", true),
    (HttpMethod::Post, "/sites", "Create a site", Some("SiteDraft"), "Site", false),
    (HttpMethod::Get, "/sites/{id}", "One site", None, "Site", false),
    (HttpMethod::Put, "/sites/{id}", "Change a site", Some("SiteDraft"), "Site", false),
    (HttpMethod::Post, "/zones", "Create a zone", Some("ZoneDraft"), "Zone", false),
    (HttpMethod::Get, "/zones/{id}", "One zone", None, "Zone", false),
    (HttpMethod::Put, "/zones/{id}", "Change a zone", Some("ZoneDraft"), "Zone", false),
    (HttpMethod::Post, "/checkpoints", "Create a checkpoint", Some("CheckpointDraft"), "Checkpoint", false),
    (HttpMethod::Get, "/checkpoints/{id}", "One checkpoint", None, "Checkpoint", false),
    (HttpMethod::Put, "/checkpoints/{id}", "Change a checkpoint", Some("CheckpointDraft"), "Checkpoint", false),
    (HttpMethod::Post, "/devices", "Register a device", Some("DeviceDraft"), "Device", false),
    (HttpMethod::Get, "/devices/{id}", "One device", None, "Device", false),
    (HttpMethod::Put, "/devices/{id}", "Change a device", Some("DeviceDraft"), "Device", false),
    (HttpMethod::Post, "/guards", "Add a guard", Some("GuardDraft"), "Guard", false),
    (HttpMethod::Get, "/guards/{id}", "One guard with certificates and tools", None, "Guard", false),
    (HttpMethod::Put, "/guards/{id}", "Change a guard", Some("GuardDraft"), "Guard", false),
    (
        HttpMethod::Post,
        "/guards/{id}/certificates",
        "Add a training certificate",
        Some("CertificateDraft"),
        "Guard",
        false,
    ),
    (HttpMethod::Post, "/guards/{id}/tools", "Issue a support tool", Some("ToolDraft"), "Guard", false),
    (HttpMethod::Get, "/incidents", "Incidents in scope, newest first", None, "Incident", true),
    (
        HttpMethod::Post,
        "/incidents",
        "Report an incident or a suspicious person or vehicle (idempotent by id: 201 new, 200 resent)",
        Some("IncidentReportDraft"),
        "Incident",
        false,
    ),
];

fn schema_ref(name: &str, list: bool) -> RefOr<Schema> {
    let one = RefOr::Ref(Ref::from_schema_name(name));
    if list { ArrayBuilder::new().items(one).build().into() } else { one }
}

fn error_schema() -> Schema {
    let field = ObjectBuilder::new()
        .property("field", ObjectBuilder::new().schema_type(Type::String))
        .property("code", ObjectBuilder::new().schema_type(Type::String))
        .property("message", ObjectBuilder::new().schema_type(Type::String));
    let inner = ObjectBuilder::new()
        .property("code", ObjectBuilder::new().schema_type(Type::String).description(Some("stable machine-readable code: invalid_input, not_found, forbidden, not_cleared, unauthorized, bad_id, bad_request, payload_too_large, internal")))
        .property("message", ObjectBuilder::new().schema_type(Type::String))
        .property("fields", ArrayBuilder::new().items(field))
        .required("code")
        .required("message");
    ObjectBuilder::new().property("error", inner).required("error").into()
}

/// The whole document.
#[must_use]
pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
    let mut grouped: Vec<(&str, Vec<&Op>)> = Vec::new();
    for op in OPS {
        match grouped.iter_mut().find(|(p, _)| *p == op.1) {
            Some((_, ops)) => ops.push(op),
            None => grouped.push((op.1, vec![op])),
        }
    }
    for (path, ops) in grouped {
        let mut item: Option<PathItem> = None;
        for (method, _, summary, body, response, list) in ops {
            let status = if *method == HttpMethod::Post { "201" } else { "200" };
            let mut b = OperationBuilder::new()
                .summary(Some(*summary))
                .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
                .response(
                    status,
                    ResponseBuilder::new().description("OK").content(
                        "application/json",
                        ContentBuilder::new().schema(Some(schema_ref(response, *list))).build(),
                    ),
                )
                .response(
                    "default",
                    ResponseBuilder::new().description("Error").content(
                        "application/json",
                        ContentBuilder::new().schema(Some(RefOr::Ref(Ref::from_schema_name("Error")))).build(),
                    ),
                );
            if path.contains("{id}") {
                b = b.parameter(
                    ParameterBuilder::new()
                        .name("id")
                        .parameter_in(ParameterIn::Path)
                        .required(utoipa::openapi::Required::True)
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String).format(Some(
                            utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Uuid),
                        )))),
                );
            }
            if let Some(body) = body {
                b = b.request_body(Some(
                    RequestBodyBuilder::new()
                        .content(
                            "application/json",
                            ContentBuilder::new().schema(Some(RefOr::Ref(Ref::from_schema_name(*body)))).build(),
                        )
                        .build(),
                ));
            }
            let this = PathItem::new(method.clone(), b.build());
            item = Some(match item {
                None => this,
                Some(mut prev) => {
                    prev.merge_operations(this);
                    prev
                }
            });
        }
        if let Some(item) = item {
            paths = paths.path(path, item);
        }
    }
    let components = ComponentsBuilder::new()
        .schema_from::<Account>()
        .schema_from::<Authority>()
        .schema_from::<AuthorityDraft>()
        .schema_from::<Unit>()
        .schema_from::<UnitDraft>()
        .schema_from::<Site>()
        .schema_from::<SiteDraft>()
        .schema_from::<Zone>()
        .schema_from::<ZoneDraft>()
        .schema_from::<Checkpoint>()
        .schema_from::<CheckpointDraft>()
        .schema_from::<Device>()
        .schema_from::<DeviceDraft>()
        .schema_from::<Guard>()
        .schema_from::<GuardDraft>()
        .schema_from::<CertificateDraft>()
        .schema_from::<ToolDraft>()
        .schema_from::<Incident>()
        .schema_from::<Certificate>()
        .schema_from::<IssuedTool>()
        .schema_from::<baove_core::access::Role>()
        .schema_from::<AuthorityKind>()
        .schema_from::<UnitKind>()
        .schema_from::<ZoneKind>()
        .schema_from::<DeviceKind>()
        .schema_from::<Employment>()
        .schema_from::<ToolKind>()
        .schema_from::<baove_core::incident::IncidentKind>()
        .schema_from::<baove_core::incident::IncidentStatus>()
        .schema_from::<baove_core::incident::Modus>()
        .schema_from::<baove_core::incident::Cause>()
        .schema_from::<baove_core::incident::Outcome>()
        .schema_from::<baove_core::alarm::report::IncidentReportDraft>()
        .schema_from::<baove_core::AccountId>()
        .schema_from::<baove_core::AuthorityId>()
        .schema_from::<baove_core::UnitId>()
        .schema_from::<baove_core::SiteId>()
        .schema_from::<baove_core::ZoneId>()
        .schema_from::<baove_core::CheckpointId>()
        .schema_from::<baove_core::DeviceId>()
        .schema_from::<baove_core::GuardId>()
        .schema_from::<baove_core::IncidentId>()
        .schema("Error", error_schema())
        .security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)))
        .build();
    OpenApiBuilder::new()
        .info(InfoBuilder::new().title("baove API").version(env!("CARGO_PKG_VERSION")).description(Some(
            "Bảo vệ: security operations for Vietnamese agencies, enterprises, schools, hospitals and banks.",
        )))
        .servers(Some(vec![utoipa::openapi::Server::new("/api/v1")]))
        .paths(paths.build())
        .components(Some(components))
        .build()
}

pub async fn serve() -> Json<OpenApi> {
    Json(document())
}

/// The routes the document lists, for the test that compares it with the router.
#[must_use]
pub fn operations() -> Vec<(String, &'static str)> {
    let name = |m: &HttpMethod| match m {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        _ => "OTHER",
    };
    OPS.iter().map(|(m, p, ..)| (name(m).to_owned(), *p)).collect()
}
