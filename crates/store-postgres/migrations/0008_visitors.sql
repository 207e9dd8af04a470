-- Visitors at the gate (R7–R8): the logbook, visitor cards, watchlists and per-unit settings
-- (PostgreSQL).

-- The installation's secret for the keyed hash (HMAC-SHA256) of ID numbers: watchlists and
-- returning visitors match on it, so it is shared by every unit. One row, made on first use.
create table visitor_secret (
    id bigint primary key not null,
    secret bytea not null,
    created_at bigint not null
);

-- Each unit's AES-256-GCM data key for the ID numbers of its logbook, made on first use.
create table visitor_keys (
    unit_id uuid primary key not null references units (id),
    data_key bytea not null,
    created_at bigint not null
);

create table visitor_settings (
    unit_id uuid primary key not null references units (id),
    visit_days bigint not null,
    profile_days bigint not null,
    overstay_minutes bigint not null,
    accommodation boolean not null,
    updated_at bigint not null
);

-- One line of the logbook. doc_cipher and cmnd_cipher are nonce || AES-256-GCM ciphertext (empty
-- once purged or when absent); id_hash and cmnd_hash are the keyed hashes (empty likewise).
create table visits (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid not null references sites (id),
    doc_kind text not null,
    doc_cipher bytea not null,
    id_hash bytea not null,
    cmnd_cipher bytea not null,
    cmnd_hash bytea not null,
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
    foreigner boolean not null,
    card bigint,
    consent_version text not null,
    hold boolean not null,
    hits text not null,
    checked_in_at bigint not null,
    checked_out_at bigint,
    purged_at bigint,
    created_by uuid not null
);
create index visits_unit_time on visits (unit_id, checked_in_at);
create index visits_id_hash on visits (id_hash);

create table visitor_cards (
    unit_id uuid not null references units (id),
    number bigint not null,
    state text not null,
    visit_id uuid,
    changed_at bigint not null,
    primary key (unit_id, number)
);

-- A watchlist entry: of a unit (unit_id) or of a police body for its whole area (authority_id).
-- key_hash is the keyed hash for an ID-number key (else empty); key_text the plate or name key.
create table watch_entries (
    id uuid primary key not null,
    unit_id uuid references units (id),
    authority_id uuid references authorities (id),
    key_kind text not null,
    key_hash bytea not null,
    key_text text not null,
    reason text not null,
    created_at bigint not null,
    expires_at bigint,
    created_by uuid not null
);
create index watch_entries_unit on watch_entries (unit_id);
create index watch_entries_authority on watch_entries (authority_id);
