-- baove foundation: people, places and the audit chain (SQLite).
-- Instants are integer microseconds since the Unix epoch (UTC); dates are 'YYYY-MM-DD' text;
-- ids are UUIDv7 as 16-byte blobs. Every searchable table carries a folded search_key.

create table authorities (
    id blob primary key not null,
    parent_id blob references authorities (id),
    kind text not null,
    name text not null,
    province_code text not null,
    ward_code text not null default '',
    phone text not null default '',
    address text not null default '',
    search_key text not null,
    created_at integer not null,
    updated_at integer not null
) strict;
create index authorities_parent on authorities (parent_id);

create table units (
    id blob primary key not null,
    authority_id blob not null references authorities (id),
    kind text not null,
    name text not null,
    key_target integer not null default 0,
    address text not null default '',
    phone text not null default '',
    head_name text not null default '',
    search_key text not null,
    created_at integer not null,
    updated_at integer not null
) strict;
create index units_authority on units (authority_id);

create table accounts (
    id blob primary key not null,
    username text not null,
    display_name text not null,
    role text not null,
    unit_id blob references units (id),
    authority_id blob references authorities (id),
    guard_id blob,
    password_hash text not null,
    active integer not null default 1,
    created_at integer not null
) strict;
create unique index accounts_username on accounts (username);
create index accounts_unit on accounts (unit_id);
create index accounts_authority on accounts (authority_id);

create table clearances (
    unit_id blob not null references units (id),
    account_id blob not null references accounts (id),
    granted_by blob not null,
    granted_at integer not null,
    primary key (unit_id, account_id)
) strict;

create table sessions (
    token_hash text primary key not null,
    account_id blob not null references accounts (id),
    csrf text not null,
    created_at integer not null,
    expires_at integer not null
) strict;
create index sessions_account on sessions (account_id);

create table api_tokens (
    id blob primary key not null,
    account_id blob not null references accounts (id),
    name text not null,
    token_hash text not null,
    created_at integer not null,
    revoked integer not null default 0
) strict;
create unique index api_tokens_hash on api_tokens (token_hash);

create table sites (
    id blob primary key not null,
    unit_id blob not null references units (id),
    name text not null,
    address text not null default '',
    guard_post text not null default '',
    notes text not null default '',
    search_key text not null,
    created_at integer not null,
    updated_at integer not null
) strict;
create index sites_unit on sites (unit_id);

create table zones (
    id blob primary key not null,
    site_id blob not null references sites (id),
    unit_id blob not null references units (id),
    kind text not null,
    name text not null,
    sensitivity integer not null,
    asset_value integer not null default 0,
    description text not null default '',
    search_key text not null,
    created_at integer not null,
    updated_at integer not null
) strict;
create index zones_unit on zones (unit_id);
create index zones_site on zones (site_id);

create table checkpoints (
    id blob primary key not null,
    zone_id blob not null references zones (id),
    site_id blob not null references sites (id),
    unit_id blob not null references units (id),
    code text not null,
    name text not null,
    location text not null default '',
    active integer not null default 1,
    search_key text not null,
    created_at integer not null,
    updated_at integer not null
) strict;
create unique index checkpoints_site_code on checkpoints (site_id, code);
create index checkpoints_unit on checkpoints (unit_id);

create table devices (
    id blob primary key not null,
    site_id blob not null references sites (id),
    unit_id blob not null references units (id),
    zone_id blob references zones (id),
    kind text not null,
    name text not null,
    location text not null default '',
    serial text not null default '',
    external_ref text not null default '',
    active integer not null default 1,
    search_key text not null,
    created_at integer not null,
    updated_at integer not null
) strict;
create index devices_unit on devices (unit_id);

create table guards (
    id blob primary key not null,
    unit_id blob not null references units (id),
    full_name text not null,
    employment text not null,
    phone text not null default '',
    birth_date text,
    health text not null default '',
    active integer not null default 1,
    search_key text not null,
    created_at integer not null,
    updated_at integer not null
) strict;
create index guards_unit on guards (unit_id);

create table guard_certificates (
    guard_id blob not null references guards (id),
    unit_id blob not null references units (id),
    number text not null,
    issuer text not null default '',
    issued_on text not null,
    expires_on text not null,
    created_at integer not null
) strict;
create index guard_certificates_unit on guard_certificates (unit_id);

create table guard_tools (
    guard_id blob not null references guards (id),
    unit_id blob not null references units (id),
    kind text not null,
    serial text not null default '',
    issued_on text not null,
    returned_on text,
    created_at integer not null
) strict;
create index guard_tools_unit on guard_tools (unit_id);

create table incidents (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob references sites (id),
    kind text not null,
    status text not null,
    occurred_at integer not null,
    reported_at integer not null,
    summary text not null default '',
    losses text not null default '',
    modus text not null default '',
    created_by blob not null
) strict;
create index incidents_unit_time on incidents (unit_id, occurred_at);

create table audit_log (
    seq integer primary key not null,
    at integer not null,
    actor_id text not null,
    actor_name text not null,
    action text not null,
    entity text not null,
    entity_id text not null,
    unit_id text not null,
    before text not null,
    after text not null,
    prev_hash text not null,
    hash text not null
) strict;
create index audit_log_unit on audit_log (unit_id, seq);

-- The chain is append-only; `baove audit verify` catches whoever bypasses this.
create trigger audit_log_no_update before update on audit_log
begin select raise(abort, 'audit_log is append-only'); end;
create trigger audit_log_no_delete before delete on audit_log
begin select raise(abort, 'audit_log is append-only'); end;
