-- A unit's own special days on top of the law and the official schedule: days it is closed
-- (a school's summer break, a company's own holiday) or works through (SQLite).
create table unit_days (
    unit_id blob not null references units (id),
    day text not null,
    closed integer not null,
    name text not null default '',
    reason text not null default '',
    created_at integer not null,
    primary key (unit_id, day)
) strict;
