//! The form of each registry entity: which fields, in which order, with which choices. A form
//! is filled from a draft (what the person typed) and the problems found in it.

use baove_core::access::Role;
use baove_core::account::AccountDraft;
use baove_core::admin_units::PROVINCES;
use baove_core::registry::*;
use baove_core::validate::Invalid;

use super::view::{Field, FormView};
use crate::i18n::Lang;

/// Builds a form field by field.
pub struct FormBuilder<'a> {
    l: Lang,
    errors: Option<&'a Invalid>,
    fields: Vec<Field>,
}

impl<'a> FormBuilder<'a> {
    pub fn new(l: Lang, errors: Option<&'a Invalid>) -> Self {
        Self { l, errors, fields: Vec::new() }
    }

    pub fn field(mut self, name: &'static str, kind: &'static str, value: &str, required: bool) -> Self {
        let error = self.errors.and_then(|e| e.for_field(name)).map(|p| self.l.problem(p));
        self.fields.push(Field {
            name,
            label: self.l.t(&format!("field.{name}")).to_owned(),
            kind,
            value: value.to_owned(),
            options: Vec::new(),
            required,
            error,
        });
        self
    }

    pub fn select(mut self, name: &'static str, value: &str, options: Vec<(String, String)>, required: bool) -> Self {
        self = self.field(name, "select", value, required);
        if let Some(f) = self.fields.last_mut() {
            f.options = options;
        }
        self
    }

    /// A select over a closed set of codes, labelled from the catalogue.
    pub fn codes(self, name: &'static str, value: &str, set: &str, codes: &[&'static str]) -> Self {
        let l = self.l;
        let options = codes.iter().map(|c| ((*c).to_owned(), l.label(set, c).to_owned())).collect();
        self.select(name, value, options, true)
    }

    pub fn build(self, action: impl Into<String>, csrf: &str, submit: &str) -> FormView {
        let error = self.errors.map(|_| self.l.t("error.invalid").to_owned());
        FormView { action: action.into(), csrf: csrf.to_owned(), fields: self.fields, submit: submit.to_owned(), error }
    }
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|k| code(*k)).collect()
}

/// Where a form posts, and the CSRF token it carries.
pub struct Target<'a> {
    pub action: String,
    pub csrf: &'a str,
}

impl Target<'_> {
    fn finish(&self, b: FormBuilder<'_>, l: Lang) -> FormView {
        b.build(self.action.clone(), self.csrf, l.t("action.save"))
    }
}

fn options<T>(
    items: &[T],
    id: impl Fn(&T) -> String,
    name: impl Fn(&T) -> String,
    blank: bool,
) -> Vec<(String, String)> {
    let mut out = if blank { vec![(String::new(), "—".to_owned())] } else { vec![] };
    out.extend(items.iter().map(|i| (id(i), name(i))));
    out
}

pub fn authority(l: Lang, t: &Target, d: &AuthorityDraft, e: Option<&Invalid>, parents: &[Authority]) -> FormView {
    let provinces = PROVINCES.iter().map(|(c, n)| ((*c).to_owned(), format!("{c} · {n}"))).collect();
    let b = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .codes("kind", &d.kind, "authority_kind", &codes(AuthorityKind::ALL, AuthorityKind::code))
        .field("name", "text", &d.name, true)
        .select("parent_id", &d.parent_id, options(parents, |a| a.id.to_string(), |a| a.name.clone(), true), false)
        .select("province_code", &d.province_code, provinces, true)
        .field("ward_code", "text", &d.ward_code, false)
        .field("phone", "tel", &d.phone, false)
        .field("address", "text", &d.address, false);
    t.finish(b, l)
}

/// `place`: whether the writer may choose the authority and the key-target flag (police only).
pub fn unit(
    l: Lang,
    t: &Target,
    d: &UnitDraft,
    e: Option<&Invalid>,
    authorities: &[Authority],
    place: bool,
) -> FormView {
    let holders: Vec<&Authority> = authorities.iter().filter(|a| a.kind.has_jurisdiction()).collect();
    let mut b = FormBuilder::new(l, e).field("id", "hidden", &d.id, false).field("name", "text", &d.name, true).codes(
        "kind",
        &d.kind,
        "unit_kind",
        &codes(UnitKind::ALL, UnitKind::code),
    );
    if place {
        b = b
            .select(
                "authority_id",
                &d.authority_id,
                options(&holders, |a| a.id.to_string(), |a| a.name.clone(), false),
                true,
            )
            .field("key_target", "checkbox", &d.key_target, false);
    } else {
        b = b.field("authority_id", "hidden", &d.authority_id, true).field(
            "key_target",
            "hidden",
            &d.key_target,
            false,
        );
    }
    let b = b.field("address", "text", &d.address, false).field("phone", "tel", &d.phone, false).field(
        "head_name",
        "text",
        &d.head_name,
        false,
    );
    t.finish(b, l)
}

pub fn site(l: Lang, t: &Target, d: &SiteDraft, e: Option<&Invalid>) -> FormView {
    let b = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .field("unit_id", "hidden", &d.unit_id, true)
        .field("name", "text", &d.name, true)
        .field("address", "text", &d.address, false)
        .field("guard_post", "text", &d.guard_post, false)
        .field("notes", "textarea", &d.notes, false);
    t.finish(b, l)
}

pub fn zone(l: Lang, t: &Target, d: &ZoneDraft, e: Option<&Invalid>, sites: &[Site]) -> FormView {
    let b = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .field("name", "text", &d.name, true)
        .codes("kind", &d.kind, "zone_kind", &codes(ZoneKind::ALL, ZoneKind::code))
        .select("site_id", &d.site_id, options(sites, |s| s.id.to_string(), |s| s.name.clone(), false), true)
        .select("sensitivity", &d.sensitivity, (1..=5).map(|i| (i.to_string(), i.to_string())).collect(), true)
        .field("asset_value", "numeric", &d.asset_value, false)
        .field("description", "textarea", &d.description, false);
    t.finish(b, l)
}

pub fn checkpoint(l: Lang, t: &Target, d: &CheckpointDraft, e: Option<&Invalid>, zones: &[Zone]) -> FormView {
    let b = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .field("code", "text", &d.code, true)
        .field("name", "text", &d.name, true)
        .select("zone_id", &d.zone_id, options(zones, |z| z.id.to_string(), |z| z.name.clone(), false), true)
        .field("location", "text", &d.location, false)
        .field("active", "checkbox", &d.active, false);
    t.finish(b, l)
}

pub fn device(l: Lang, t: &Target, d: &DeviceDraft, e: Option<&Invalid>, zones: &[Zone]) -> FormView {
    let b = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .field("site_id", "hidden", &d.site_id, true)
        .codes("kind", &d.kind, "device_kind", &codes(DeviceKind::ALL, DeviceKind::code))
        .field("name", "text", &d.name, true)
        .select("zone_id", &d.zone_id, options(zones, |z| z.id.to_string(), |z| z.name.clone(), true), false)
        .field("location", "text", &d.location, false)
        .field("serial", "text", &d.serial, false)
        .field("external_ref", "text", &d.external_ref, false)
        .field("active", "checkbox", &d.active, false);
    t.finish(b, l)
}

pub fn guard(l: Lang, t: &Target, d: &GuardDraft, e: Option<&Invalid>) -> FormView {
    let b = FormBuilder::new(l, e)
        .field("id", "hidden", &d.id, false)
        .field("unit_id", "hidden", &d.unit_id, true)
        .field("full_name", "text", &d.full_name, true)
        .codes("employment", &d.employment, "employment", &codes(Employment::ALL, Employment::code))
        .field("phone", "tel", &d.phone, false)
        .field("birth_date", "date", &d.birth_date, false)
        .field("health", "textarea", &d.health, false)
        .field("active", "checkbox", &d.active, false);
    t.finish(b, l)
}

pub fn certificate(l: Lang, t: &Target, d: &CertificateDraft, e: Option<&Invalid>) -> FormView {
    let b = FormBuilder::new(l, e)
        .field("number", "text", &d.number, true)
        .field("issuer", "text", &d.issuer, false)
        .field("issued_on", "date", &d.issued_on, true)
        .field("expires_on", "date", &d.expires_on, false);
    b.build(t.action.clone(), t.csrf, l.t("certificate.add"))
}

pub fn tool(l: Lang, t: &Target, d: &ToolDraft, e: Option<&Invalid>) -> FormView {
    let b = FormBuilder::new(l, e)
        .codes("kind", &d.kind, "tool_kind", &codes(ToolKind::ALL, ToolKind::code))
        .field("serial", "text", &d.serial, false)
        .field("issued_on", "date", &d.issued_on, true)
        .field("returned_on", "date", &d.returned_on, false);
    b.build(t.action.clone(), t.csrf, l.t("tool.add"))
}

/// `roles`: the roles this writer may hand out for this organisation.
pub fn account(
    l: Lang,
    t: &Target,
    d: &AccountDraft,
    e: Option<&Invalid>,
    roles: &[Role],
    guards: &[Guard],
) -> FormView {
    let role_codes: Vec<&'static str> = roles.iter().map(|r| r.code()).collect();
    let mut b = FormBuilder::new(l, e)
        .field("org_id", "hidden", &d.org_id, true)
        .field("username", "text", &d.username, true)
        .field("display_name", "text", &d.display_name, true)
        .codes("role", &d.role, "role", &role_codes);
    if !guards.is_empty() {
        b = b.select(
            "guard_id",
            &d.guard_id,
            options(guards, |g| g.id.to_string(), |g| g.full_name.clone(), true),
            false,
        );
    }
    let b = b.field("password", "password", "", true);
    t.finish(b, l)
}
