//! Login rate limiting: at most [`MAX_PER_USER`] failed sign-ins per username and
//! [`MAX_PER_ADDR`] per client address in a sliding [`WINDOW`]. Kept in memory: with several
//! instances each enforces its own share, which still bounds guessing.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_PER_USER: usize = 5;
pub const MAX_PER_ADDR: usize = 20;

/// Failed sign-ins by key.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    fn count(map: &mut HashMap<String, VecDeque<Instant>>, key: &str, now: Instant) -> usize {
        let Some(q) = map.get_mut(key) else { return 0 };
        while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
            q.pop_front();
        }
        q.len()
    }

    /// Whether another attempt is allowed now.
    pub fn allowed(&self, username: &str, addr: &str, now: Instant) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Self::count(&mut map, &format!("u:{username}"), now) < MAX_PER_USER
            && Self::count(&mut map, &format!("a:{addr}"), now) < MAX_PER_ADDR
    }

    /// Records a failed attempt.
    pub fn failed(&self, username: &str, addr: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 100_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
        }
        map.entry(format!("u:{username}")).or_default().push_back(now);
        map.entry(format!("a:{addr}")).or_default().push_back(now);
    }

    /// Forgets a username's failures after a successful sign-in.
    pub fn succeeded(&self, username: &str) {
        self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&format!("u:{username}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_failure_within_the_window_is_refused_and_the_window_slides() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        for _ in 0..MAX_PER_USER {
            assert!(l.allowed("a", "1.2.3.4", t0));
            l.failed("a", "1.2.3.4", t0);
        }
        assert!(!l.allowed("a", "5.6.7.8", t0));
        assert!(l.allowed("b", "1.2.3.4", t0), "another user from the same address still may");
        assert!(l.allowed("a", "1.2.3.4", t0 + WINDOW + Duration::from_secs(1)));
    }
}
