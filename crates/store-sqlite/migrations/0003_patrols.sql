-- Patrols: duty shifts, rounds, the proofs of presence and the alerts they raise (SQLite).

-- The per-unit master key from which every NFC tag's keys are diversified.
create table unit_keys (
    unit_id blob primary key not null references units (id),
    master_key blob not null,
    created_at integer not null
) strict;

-- NTAG 424 DNA tags bound to checkpoints, with the last accepted SUN read counter.
create table tags (
    uid text primary key not null,
    unit_id blob not null references units (id),
    checkpoint_id blob not null references checkpoints (id),
    last_counter integer,
    created_at integer not null
) strict;
create index tags_checkpoint on tags (checkpoint_id);

-- The secret a checkpoint's printed QR code carries (not its guessable id).
create table checkpoint_codes (
    checkpoint_id blob primary key not null references checkpoints (id),
    unit_id blob not null references units (id),
    secret text not null,
    created_at integer not null
) strict;
create unique index checkpoint_codes_secret on checkpoint_codes (secret);

create table shifts (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob references sites (id),
    name text not null,
    starts_at integer not null,
    ends_at integer not null,
    leader_name text not null default '',
    leader_phone text not null default '',
    notes text not null default '',
    created_at integer not null
) strict;
create index shifts_unit_time on shifts (unit_id, starts_at);

create table shift_guards (
    shift_id blob not null references shifts (id),
    guard_id blob not null references guards (id),
    primary key (shift_id, guard_id)
) strict;

create table rounds (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob not null references sites (id),
    name text not null,
    ordered integer not null,
    window_start integer not null,
    window_end integer not null,
    grace_minutes integer not null,
    guard_id blob references guards (id),
    source text not null,
    created_at integer not null
) strict;
create index rounds_unit_window on rounds (unit_id, window_start);
create index rounds_window on rounds (window_end);

create table round_points (
    round_id blob not null references rounds (id),
    position integer not null,
    checkpoint_id blob not null references checkpoints (id),
    primary key (round_id, position)
) strict;

create table scans (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob not null references sites (id),
    checkpoint_id blob not null references checkpoints (id),
    round_id blob references rounds (id),
    account_id blob not null references accounts (id),
    device_id text not null,
    evidence text not null,
    scanned_at integer not null,
    received_at integer not null,
    counter integer,
    reason text not null default '',
    flags text not null default ''
) strict;
create index scans_unit_time on scans (unit_id, scanned_at);
create index scans_checkpoint_time on scans (checkpoint_id, scanned_at);

-- Alerts raised to the people on duty; `key` makes raising the same alert twice a no-op.
create table alerts (
    id blob primary key not null,
    seq integer not null,
    key text not null,
    unit_id blob not null references units (id),
    site_id blob references sites (id),
    round_id blob references rounds (id),
    kind text not null,
    message text not null,
    raised_at integer not null,
    tier text not null,
    acked_at integer,
    acked_by blob,
    acked_name text not null default ''
) strict;
create unique index alerts_key on alerts (key);
create unique index alerts_seq on alerts (seq);
create index alerts_unit on alerts (unit_id, raised_at);
