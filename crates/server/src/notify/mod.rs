//! Notifications beyond the browser: committed incidents and alarms that reached the duty
//! desk are queued for every channel that wants them ([`queue`]), and [`sender`] delivers
//! them to webhooks (signed) and e-mail (SMTP), rate-limited, retried, each delivery recorded.

pub mod queue;
pub mod sender;
pub mod smtp;
