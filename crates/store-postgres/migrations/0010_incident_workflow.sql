-- Incidents (PostgreSQL) as the police work them (R11–R12): where exactly (zone), the suspicious person and
-- vehicle seen and the plate, who reported, how it ended (outcome and the gaps in protection
-- the police found, as cause codes), a change sequence live consoles replay from, every step
-- of the workflow with its note, and the reporter's photos.

alter table incidents add column zone_id uuid references zones (id);
alter table incidents add column suspect_person text not null default '';
alter table incidents add column suspect_vehicle text not null default '';
alter table incidents add column plate text not null default '';
alter table incidents add column reporter text not null default '';
alter table incidents add column outcome text not null default '';
alter table incidents add column causes text not null default '';
alter table incidents add column seq bigint not null default 0;
create index incidents_seq on incidents (seq);
create index incidents_site_status on incidents (site_id, status);

-- The workflow, append-only: a move (from → to) or a note (from and to empty).
create table incident_steps (
    id uuid primary key not null,
    incident_id uuid not null references incidents (id),
    at bigint not null,
    actor_id uuid not null,
    actor_name text not null,
    from_status text not null default '',
    to_status text not null default '',
    note text not null default ''
);
create index incident_steps_incident on incident_steps (incident_id, at);

-- Photos taken with the reporter's camera, bounded in size by the server.
create table incident_photos (
    id uuid primary key not null,
    incident_id uuid not null references incidents (id),
    content_type text not null,
    data bytea not null,
    created_at bigint not null
);
create index incident_photos_incident on incident_photos (incident_id);
