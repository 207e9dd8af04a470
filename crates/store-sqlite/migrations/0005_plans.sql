-- Nightly patrol plans drawn by the patrol game, and the rounds they produce (SQLite).
create table plans (
    id blob primary key not null,
    unit_id blob not null references units (id),
    site_id blob not null references sites (id),
    night text not null,
    seed integer not null,
    locked integer not null default 0,
    rain integer not null default 0,
    cold integer not null default 0,
    guards integer not null,
    slot_minutes integer not null,
    starts_at integer not null,
    solution text not null,
    created_at integer not null
) strict;
create unique index plans_site_night on plans (site_id, night);

alter table rounds add column plan_id blob references plans (id);
