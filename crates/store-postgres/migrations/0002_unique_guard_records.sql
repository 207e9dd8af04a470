-- A certificate or a tool issue sent twice (a retried request) is recorded once.
create unique index guard_certificates_number on guard_certificates (guard_id, number);
create unique index guard_tools_issue on guard_tools (guard_id, kind, serial, issued_on);
