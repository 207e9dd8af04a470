-- Two identical tools issued the same day without a serial number are two issues: only
-- numbered tools are deduplicated on retry.
drop index guard_tools_issue;
create unique index guard_tools_issue on guard_tools (guard_id, kind, serial, issued_on) where serial <> '';
