-- Per-unit patrol settings, site layouts and weekly round templates (PostgreSQL).

-- How long each tier has to acknowledge a unit's alerts before the next is called.
create table unit_settings (
    unit_id uuid primary key not null references units (id),
    officer_minutes bigint not null,
    head_minutes bigint not null,
    updated_at bigint not null
);

-- Walking times between neighbouring zones of a site, for the impossible-travel flag.
-- Stored once per pair, the smaller zone id first.
create table walkways (
    site_id uuid not null references sites (id),
    zone_a uuid not null references zones (id),
    zone_b uuid not null references zones (id),
    seconds bigint not null,
    primary key (site_id, zone_a, zone_b)
);

create table round_templates (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid not null references sites (id),
    name text not null,
    ordered boolean not null,
    weekdays bigint not null,
    start_minute bigint not null,
    duration_minutes bigint not null,
    grace_minutes bigint not null,
    guard_id uuid references guards (id),
    active boolean not null,
    created_at bigint not null
);
create index round_templates_unit on round_templates (unit_id);

create table round_template_points (
    template_id uuid not null references round_templates (id),
    position bigint not null,
    checkpoint_id uuid not null references checkpoints (id),
    primary key (template_id, position)
);

create index scans_device_time on scans (unit_id, device_id, scanned_at);
