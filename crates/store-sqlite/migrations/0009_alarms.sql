-- Device alarms (SQLite): where device addresses belong, device webhook tokens, the normalised
-- device events (idempotent), alarms, zone arming and ingest counters.

-- An MQTT address filter (`source_instance/device`, `+` and `#` wildcards) placed in a zone.
create table device_bindings (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob not null references sites (id),
    zone_id blob not null references zones (id),
    device_id blob references devices (id),
    filter text not null,
    zone_hint text not null default '',
    created_at integer not null,
    unique (filter, zone_hint)
) strict;
create index device_bindings_unit on device_bindings (unit_id);

-- A device's webhook token (only its SHA-256).
create table device_tokens (
    device_id blob primary key not null references devices (id),
    unit_id blob not null references units (id),
    token_hash text not null unique,
    created_at integer not null
) strict;

-- Every device event accepted, once: the key is (source_instance, source_event_id, phase, seq).
create table device_events (
    id blob primary key not null,
    idem_key text not null unique,
    unit_id blob references units (id),
    site_id blob references sites (id),
    zone_id blob references zones (id),
    alarm_id blob,
    source text not null,
    kind text not null,
    phase text not null,
    device text not null,
    occurred_at integer,
    received_at integer not null,
    event text not null
) strict;
create index device_events_unit on device_events (unit_id, received_at);

create table alarms (
    id blob primary key not null,
    seq integer not null unique,
    unit_id blob not null references units (id),
    site_id blob not null references sites (id),
    zone_id blob not null references zones (id),
    kind text not null,
    priority text not null,
    state text not null,
    triggers integer not null,
    updates integer not null,
    first_at integer not null,
    last_at integer not null,
    tier text not null,
    disposition text not null default '',
    acked_by blob,
    acked_name text not null default '',
    acked_at integer,
    sop_done text not null default '',
    sop_skipped text not null default '',
    flagged integer not null default 0,
    incident_id blob references incidents (id),
    body text not null
) strict;
create index alarms_unit on alarms (unit_id, first_at);
create index alarms_state on alarms (state);

-- A zone's own arming schedule (JSON; empty = the unit's default) and the last manual setting.
create table zone_arming (
    zone_id blob primary key not null references zones (id),
    unit_id blob not null references units (id),
    schedule text not null default '',
    manual_armed text not null default '',
    manual_by text not null default '',
    manual_at integer
) strict;

-- A unit's default arming schedule (JSON) for zones without their own.
create table unit_arming (
    unit_id blob primary key not null references units (id),
    schedule text not null
) strict;

-- Messages refused by ingest, per source and reason.
create table ingest_counters (
    source text not null,
    reason text not null,
    count integer not null,
    last_at integer not null,
    last_detail text not null default '',
    primary key (source, reason)
) strict;
