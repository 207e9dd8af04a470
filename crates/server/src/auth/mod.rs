//! Who is asking: passwords, sessions, CSRF, integration tokens and the login rate limit.

pub mod context;
pub mod csrf;
pub mod limiter;
pub mod password;
pub mod token;
