-- Nightly patrol plans drawn by the patrol game, and the rounds they produce (PostgreSQL).
create table plans (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    site_id uuid not null references sites (id),
    night text not null,
    seed bigint not null,
    locked boolean not null default false,
    rain boolean not null default false,
    cold boolean not null default false,
    guards bigint not null,
    slot_minutes bigint not null,
    starts_at bigint not null,
    solution text not null,
    created_at bigint not null
);
create unique index plans_site_night on plans (site_id, night);

alter table rounds add column plan_id uuid references plans (id);
