//! Black-box tests of baove-game: the solvers against brute-force references that share no
//! code with them (a test-only simplex, enumeration of route tuples), sampling frequencies,
//! and the JSON interface the CLI calls.

mod json;
mod lp;
mod plans;
mod routes;
mod singleton;
