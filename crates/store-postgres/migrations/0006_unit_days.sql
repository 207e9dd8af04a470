-- A unit's own special days on top of the law and the official schedule: days it is closed
-- (a school's summer break, a company's own holiday) or works through (PostgreSQL).
create table unit_days (
    unit_id uuid not null references units (id),
    day text not null,
    closed boolean not null,
    name text not null default '',
    reason text not null default '',
    created_at bigint not null,
    primary key (unit_id, day)
);
