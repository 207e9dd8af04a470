-- Patrols: duty shifts, rounds, the proofs of presence and the alerts they raise (PostgreSQL).

-- The per-unit master key from which every NFC tag's keys are diversified.
create table unit_keys (
    unit_id uuid primary key not null references units (id),
    master_key bytea not null,
    created_at bigint not null
);

-- NTAG 424 DNA tags bound to checkpoints, with the last accepted SUN read counter.
create table tags (
    uid text primary key not null,
    unit_id uuid not null references units (id),
    checkpoint_id uuid not null references checkpoints (id),
    last_counter bigint,
    created_at bigint not null
);
create index tags_checkpoint on tags (checkpoint_id);

-- The secret a checkpoint's printed QR code carries (not its guessable id).
create table checkpoint_codes (
    checkpoint_id uuid primary key not null references checkpoints (id),
    unit_id uuid not null references units (id),
    secret text not null,
    created_at bigint not null
);
create unique index checkpoint_codes_secret on checkpoint_codes (secret);

create table shifts (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid references sites (id),
    name text not null,
    starts_at bigint not null,
    ends_at bigint not null,
    leader_name text not null default '',
    leader_phone text not null default '',
    notes text not null default '',
    created_at bigint not null
);
create index shifts_unit_time on shifts (unit_id, starts_at);

create table shift_guards (
    shift_id uuid not null references shifts (id),
    guard_id uuid not null references guards (id),
    primary key (shift_id, guard_id)
);

create table rounds (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid not null references sites (id),
    name text not null,
    ordered boolean not null,
    window_start bigint not null,
    window_end bigint not null,
    grace_minutes bigint not null,
    guard_id uuid references guards (id),
    source text not null,
    created_at bigint not null
);
create index rounds_unit_window on rounds (unit_id, window_start);
create index rounds_window on rounds (window_end);

create table round_points (
    round_id uuid not null references rounds (id),
    position bigint not null,
    checkpoint_id uuid not null references checkpoints (id),
    primary key (round_id, position)
);

create table scans (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid not null references sites (id),
    checkpoint_id uuid not null references checkpoints (id),
    round_id uuid references rounds (id),
    account_id uuid not null references accounts (id),
    device_id text not null,
    evidence text not null,
    scanned_at bigint not null,
    received_at bigint not null,
    counter bigint,
    reason text not null default '',
    flags text not null default ''
);
create index scans_unit_time on scans (unit_id, scanned_at);
create index scans_checkpoint_time on scans (checkpoint_id, scanned_at);

-- Alerts raised to the people on duty; `key` makes raising the same alert twice a no-op.
create table alerts (
    id uuid primary key not null,
    seq bigint not null,
    key text not null,
    unit_id uuid not null references units (id),
    site_id uuid references sites (id),
    round_id uuid references rounds (id),
    kind text not null,
    message text not null,
    raised_at bigint not null,
    tier text not null,
    acked_at bigint,
    acked_by uuid,
    acked_name text not null default ''
);
create unique index alerts_key on alerts (key);
create unique index alerts_seq on alerts (seq);
create index alerts_unit on alerts (unit_id, raised_at);
