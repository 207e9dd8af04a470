-- Device alarms (PostgreSQL): where device addresses belong, device webhook tokens, the normalised
-- device events (idempotent), alarms, zone arming and ingest counters.

-- An MQTT address filter (`source_instance/device`, `+` and `#` wildcards) placed in a zone.
create table device_bindings (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid not null references sites (id),
    zone_id uuid not null references zones (id),
    device_id uuid references devices (id),
    filter text not null,
    zone_hint text not null default '',
    created_at bigint not null,
    unique (filter, zone_hint)
);
create index device_bindings_unit on device_bindings (unit_id);

-- A device's webhook token (only its SHA-256).
create table device_tokens (
    device_id uuid primary key not null references devices (id),
    unit_id uuid not null references units (id),
    token_hash text not null unique,
    created_at bigint not null
);

-- Every device event accepted, once: the key is (source_instance, source_event_id, phase, seq).
create table device_events (
    id uuid primary key not null,
    idem_key text not null unique,
    unit_id uuid references units (id),
    site_id uuid references sites (id),
    zone_id uuid references zones (id),
    alarm_id uuid,
    source text not null,
    kind text not null,
    phase text not null,
    device text not null,
    occurred_at bigint,
    received_at bigint not null,
    event text not null
);
create index device_events_unit on device_events (unit_id, received_at);

create table alarms (
    id uuid primary key not null,
    seq bigint not null unique,
    unit_id uuid not null references units (id),
    site_id uuid not null references sites (id),
    zone_id uuid not null references zones (id),
    kind text not null,
    priority text not null,
    state text not null,
    triggers bigint not null,
    updates bigint not null,
    first_at bigint not null,
    last_at bigint not null,
    tier text not null,
    disposition text not null default '',
    acked_by uuid,
    acked_name text not null default '',
    acked_at bigint,
    sop_done text not null default '',
    sop_skipped text not null default '',
    flagged boolean not null default false,
    incident_id uuid references incidents (id),
    body text not null
);
create index alarms_unit on alarms (unit_id, first_at);
create index alarms_state on alarms (state);

-- A zone's own arming schedule (JSON; empty = the unit's default) and the last manual setting.
create table zone_arming (
    zone_id uuid primary key not null references zones (id),
    unit_id uuid not null references units (id),
    schedule text not null default '',
    manual_armed text not null default '',
    manual_by text not null default '',
    manual_at bigint
);

-- A unit's default arming schedule (JSON) for zones without their own.
create table unit_arming (
    unit_id uuid primary key not null references units (id),
    schedule text not null
);

-- Messages refused by ingest, per source and reason.
create table ingest_counters (
    source text not null,
    reason text not null,
    count bigint not null,
    last_at bigint not null,
    last_detail text not null default '',
    primary key (source, reason)
);
