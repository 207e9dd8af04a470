-- baove foundation: people, places and the audit chain (PostgreSQL).
-- Instants are bigint microseconds since the Unix epoch (UTC); dates are 'YYYY-MM-DD' text;
-- ids are UUIDv7 (uuid). Every searchable table carries a folded search_key.

create table authorities (
    id uuid primary key not null,
    parent_id uuid references authorities (id),
    kind text not null,
    name text not null,
    province_code text not null,
    ward_code text not null default '',
    phone text not null default '',
    address text not null default '',
    search_key text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index authorities_parent on authorities (parent_id);

create table units (
    id uuid primary key not null,
    authority_id uuid not null references authorities (id),
    kind text not null,
    name text not null,
    key_target boolean not null default false,
    address text not null default '',
    phone text not null default '',
    head_name text not null default '',
    search_key text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index units_authority on units (authority_id);

create table accounts (
    id uuid primary key not null,
    username text not null,
    display_name text not null,
    role text not null,
    unit_id uuid references units (id),
    authority_id uuid references authorities (id),
    guard_id uuid,
    password_hash text not null,
    active boolean not null default true,
    created_at bigint not null
);
create unique index accounts_username on accounts (username);
create index accounts_unit on accounts (unit_id);
create index accounts_authority on accounts (authority_id);

create table clearances (
    unit_id uuid not null references units (id),
    account_id uuid not null references accounts (id),
    granted_by uuid not null,
    granted_at bigint not null,
    primary key (unit_id, account_id)
);

create table sessions (
    token_hash text primary key not null,
    account_id uuid not null references accounts (id),
    csrf text not null,
    created_at bigint not null,
    expires_at bigint not null
);
create index sessions_account on sessions (account_id);

create table api_tokens (
    id uuid primary key not null,
    account_id uuid not null references accounts (id),
    name text not null,
    token_hash text not null,
    created_at bigint not null,
    revoked boolean not null default false
);
create unique index api_tokens_hash on api_tokens (token_hash);

create table sites (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    name text not null,
    address text not null default '',
    guard_post text not null default '',
    notes text not null default '',
    search_key text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index sites_unit on sites (unit_id);

create table zones (
    id uuid primary key not null,
    site_id uuid not null references sites (id),
    unit_id uuid not null references units (id),
    kind text not null,
    name text not null,
    sensitivity bigint not null,
    asset_value bigint not null default 0,
    description text not null default '',
    search_key text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index zones_unit on zones (unit_id);
create index zones_site on zones (site_id);

create table checkpoints (
    id uuid primary key not null,
    zone_id uuid not null references zones (id),
    site_id uuid not null references sites (id),
    unit_id uuid not null references units (id),
    code text not null,
    name text not null,
    location text not null default '',
    active boolean not null default true,
    search_key text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create unique index checkpoints_site_code on checkpoints (site_id, code);
create index checkpoints_unit on checkpoints (unit_id);

create table devices (
    id uuid primary key not null,
    site_id uuid not null references sites (id),
    unit_id uuid not null references units (id),
    zone_id uuid references zones (id),
    kind text not null,
    name text not null,
    location text not null default '',
    serial text not null default '',
    external_ref text not null default '',
    active boolean not null default true,
    search_key text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index devices_unit on devices (unit_id);

create table guards (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    full_name text not null,
    employment text not null,
    phone text not null default '',
    birth_date text,
    health text not null default '',
    active boolean not null default true,
    search_key text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index guards_unit on guards (unit_id);

create table guard_certificates (
    guard_id uuid not null references guards (id),
    unit_id uuid not null references units (id),
    number text not null,
    issuer text not null default '',
    issued_on text not null,
    expires_on text not null,
    created_at bigint not null
);
create index guard_certificates_unit on guard_certificates (unit_id);

create table guard_tools (
    guard_id uuid not null references guards (id),
    unit_id uuid not null references units (id),
    kind text not null,
    serial text not null default '',
    issued_on text not null,
    returned_on text,
    created_at bigint not null
);
create index guard_tools_unit on guard_tools (unit_id);

create table incidents (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid references sites (id),
    kind text not null,
    status text not null,
    occurred_at bigint not null,
    reported_at bigint not null,
    summary text not null default '',
    losses text not null default '',
    modus text not null default '',
    created_by uuid not null
);
create index incidents_unit_time on incidents (unit_id, occurred_at);

create table audit_log (
    seq bigint primary key not null,
    at bigint not null,
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
);
create index audit_log_unit on audit_log (unit_id, seq);

-- The chain is append-only; `baove audit verify` catches whoever bypasses this.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_change before update or delete on audit_log
for each row execute function audit_log_append_only();
