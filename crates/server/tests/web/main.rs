//! Black-box tests of the server: the real app on an ephemeral port over a fresh SQLite file
//! (and PostgreSQL when BAOVE_TEST_POSTGRES_URL is set), driven over HTTP as a browser or an
//! integration would.

mod alarms;
mod api;
mod gate;
mod gate_foreign;
mod helpers;
mod incidents;
mod invites;
mod notifications;
mod pages;
mod patrol;
mod printing;
mod roster;
mod security;
mod settings;
mod stats;
