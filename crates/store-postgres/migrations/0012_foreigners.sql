-- Foreigners (R8): the register of foreign workers with their documents, the temporary-residence
-- declarations a lodging unit owes, and visits reported to the police (PostgreSQL).

create table foreign_workers (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    full_name text not null,
    nationality text not null,
    job text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index foreign_workers_unit on foreign_workers (unit_id);

-- number_cipher is nonce || AES-256-GCM of the number under the unit's visitor data key, with the
-- unit and worker ids as associated data; expires_on is yyyy-mm-dd.
create table foreign_documents (
    worker_id uuid not null references foreign_workers (id),
    position bigint not null,
    kind text not null,
    number_cipher bytea not null,
    expires_on text not null,
    primary key (worker_id, position)
);

-- A foreigner's overnight stay at the unit's own accommodation, to be declared to the ward
-- police within 12 hours of arrival (Law 47/2014 Điều 33). One per visit.
create table stay_declarations (
    visit_id uuid primary key not null references visits (id),
    unit_id uuid not null references units (id),
    arrived_at bigint not null,
    due_at bigint not null,
    -- From the passport's MRZ when it was scanned (TT 53/2016 asks for them); yyyy-mm-dd, male/female.
    birth_date text,
    gender text,
    declared_at bigint,
    declared_by uuid
);
create index stay_declarations_unit on stay_declarations (unit_id, due_at);

-- A visit reported to the unit's police (its authority) as suspicious.
create table police_reports (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    visit_id uuid not null references visits (id),
    authority_id uuid not null references authorities (id),
    reason text not null,
    reported_at bigint not null,
    reported_by uuid not null,
    reporter_name text not null
);
create index police_reports_authority on police_reports (authority_id, reported_at);
create index police_reports_unit on police_reports (unit_id, reported_at);

-- A host's invitation: the visitors someone at the unit expects, checked in with one scan of
-- the invitation's QR (which carries `token`). The gate still needs a signed-in gate account.
create table invites (
    id uuid primary key not null,
    unit_id uuid not null references units (id),
    host_id uuid not null,
    host_name text not null,
    token text not null unique,
    purpose text not null,
    expected_at bigint not null,
    created_at bigint not null
);
create index invites_host on invites (host_id, expected_at);

-- One visitor of an invitation. visit_id is minted with the invitation, so checking the guest in
-- is idempotent; doc_cipher is sealed like the logbook's, with the unit and that visit id.
create table invite_guests (
    invite_id uuid not null references invites (id),
    position bigint not null,
    visit_id uuid not null unique,
    name text not null,
    doc_kind text not null,
    doc_cipher bytea not null,
    nationality text not null,
    primary key (invite_id, position)
);
