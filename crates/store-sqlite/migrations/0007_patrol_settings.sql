-- Per-unit patrol settings, site layouts and weekly round templates (SQLite).

-- How long each tier has to acknowledge a unit's alerts before the next is called.
create table unit_settings (
    unit_id blob primary key not null references units (id),
    officer_minutes integer not null,
    head_minutes integer not null,
    updated_at integer not null
) strict;

-- Walking times between neighbouring zones of a site, for the impossible-travel flag.
-- Stored once per pair, the smaller zone id first.
create table walkways (
    site_id blob not null references sites (id),
    zone_a blob not null references zones (id),
    zone_b blob not null references zones (id),
    seconds integer not null,
    primary key (site_id, zone_a, zone_b)
) strict;

create table round_templates (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob not null references sites (id),
    name text not null,
    ordered integer not null,
    weekdays integer not null,
    start_minute integer not null,
    duration_minutes integer not null,
    grace_minutes integer not null,
    guard_id blob references guards (id),
    active integer not null,
    created_at integer not null
) strict;
create index round_templates_unit on round_templates (unit_id);

create table round_template_points (
    template_id blob not null references round_templates (id),
    position integer not null,
    checkpoint_id blob not null references checkpoints (id),
    primary key (template_id, position)
) strict;

create index scans_device_time on scans (unit_id, device_id, scanned_at);
