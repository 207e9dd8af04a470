-- Visitors at the gate (R7–R8): the logbook, visitor cards, watchlists and per-unit settings
-- (SQLite).

-- The installation's secret for the keyed hash (HMAC-SHA256) of ID numbers: watchlists and
-- returning visitors match on it, so it is shared by every unit. One row, made on first use.
create table visitor_secret (
    id integer primary key not null,
    secret blob not null,
    created_at integer not null
) strict;

-- Each unit's AES-256-GCM data key for the ID numbers of its logbook, made on first use.
create table visitor_keys (
    unit_id blob primary key not null references units (id),
    data_key blob not null,
    created_at integer not null
) strict;

create table visitor_settings (
    unit_id blob primary key not null references units (id),
    visit_days integer not null,
    profile_days integer not null,
    overstay_minutes integer not null,
    accommodation integer not null,
    updated_at integer not null
) strict;

-- One line of the logbook. doc_cipher and cmnd_cipher are nonce || AES-256-GCM ciphertext (empty
-- once purged or when absent); id_hash and cmnd_hash are the keyed hashes (empty likewise).
create table visits (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob not null references sites (id),
    doc_kind text not null,
    doc_cipher blob not null,
    id_hash blob not null,
    cmnd_cipher blob not null,
    cmnd_hash blob not null,
    name text not null,
    search_key text not null,
    organisation text not null,
    phone text not null,
    purpose text not null,
    host text not null,
    plate text,
    plate_key text,
    items text not null,
    nationality text not null,
    foreigner integer not null,
    card integer,
    consent_version text not null,
    hold integer not null,
    hits text not null,
    checked_in_at integer not null,
    checked_out_at integer,
    purged_at integer,
    created_by blob not null
) strict;
create index visits_unit_time on visits (unit_id, checked_in_at);
create index visits_id_hash on visits (id_hash);

create table visitor_cards (
    unit_id blob not null references units (id),
    number integer not null,
    state text not null,
    visit_id blob,
    changed_at integer not null,
    primary key (unit_id, number)
) strict;

-- A watchlist entry: of a unit (unit_id) or of a police body for its whole area (authority_id).
-- key_hash is the keyed hash for an ID-number key (else empty); key_text the plate or name key.
create table watch_entries (
    id blob primary key not null,
    unit_id blob references units (id),
    authority_id blob references authorities (id),
    key_kind text not null,
    key_hash blob not null,
    key_text text not null,
    reason text not null,
    created_at integer not null,
    expires_at integer,
    created_by blob not null
) strict;
create index watch_entries_unit on watch_entries (unit_id);
create index watch_entries_authority on watch_entries (authority_id);
