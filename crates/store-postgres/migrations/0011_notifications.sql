-- (PostgreSQL) Notifications beyond the browser: where a unit or a police authority wants its events sent
-- (a webhook or an e-mail address, with the topics it wants), and every delivery with its fate
-- (once per channel and event; retried with a growing delay; rate-limited into digests).

create table notify_channels (
    id uuid primary key not null,
    unit_id uuid references units (id),
    authority_id uuid references authorities (id),
    kind text not null,
    target text not null,
    secret text not null,
    topics text not null,
    created_by uuid not null,
    created_at bigint not null
);
create index notify_channels_unit on notify_channels (unit_id);
create index notify_channels_authority on notify_channels (authority_id);

create table notify_deliveries (
    id uuid primary key not null,
    channel_id uuid not null references notify_channels (id),
    event_key text not null,
    subject text not null,
    body text not null,
    status text not null,
    attempts bigint not null default 0,
    next_at bigint not null,
    last_error text not null default '',
    created_at bigint not null,
    sent_at bigint,
    unique (channel_id, event_key)
);
create index notify_deliveries_due on notify_deliveries (status, next_at);
