//! Login rate limiting. Every attempt is counted *before* the password is checked, so a burst
//! of parallel guesses cannot slip past the limit: at most [`MAX_PER_USER_ADDR`] attempts per
//! username from one address, [`MAX_PER_USER`] per username and [`MAX_PER_ADDR`] per address
//! in a sliding [`WINDOW`]. A successful sign-in forgets its own attempt and the username's
//! failures. Kept in memory: with several instances each enforces its own share.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_PER_USER_ADDR: usize = 5;
pub const MAX_PER_USER: usize = 20;
pub const MAX_PER_ADDR: usize = 30;

/// Attempts by key.
#[derive(Default)]
pub struct LoginLimiter {
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

fn keys(username: &str, addr: &str) -> [(String, usize); 3] {
    [
        (format!("ua:{username}|{addr}"), MAX_PER_USER_ADDR),
        (format!("u:{username}"), MAX_PER_USER),
        (format!("a:{addr}"), MAX_PER_ADDR),
    ]
}

impl LoginLimiter {
    fn live(map: &mut HashMap<String, VecDeque<Instant>>, key: &str, now: Instant) -> usize {
        let Some(q) = map.get_mut(key) else { return 0 };
        while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
            q.pop_front();
        }
        q.len()
    }

    /// Counts an attempt; `false` (and nothing counted) when a limit is already reached.
    pub fn attempt(&self, username: &str, addr: &str, now: Instant) -> bool {
        let mut map = self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 100_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
        }
        let keys = keys(username, addr);
        if keys.iter().any(|(k, max)| Self::live(&mut map, k, now) >= *max) {
            return false;
        }
        for (k, _) in keys {
            map.entry(k).or_default().push_back(now);
        }
        true
    }

    /// A successful sign-in: the username's attempts are forgotten, and this one no longer
    /// counts against the address (a gate tablet signs many guards in).
    pub fn succeeded(&self, username: &str, addr: &str) {
        let mut map = self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let [(ua, _), (u, _), (a, _)] = keys(username, addr);
        map.remove(&ua);
        map.remove(&u);
        if let Some(q) = map.get_mut(&a) {
            q.pop_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_within_the_window_is_refused_and_the_window_slides() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        for _ in 0..MAX_PER_USER_ADDR {
            assert!(l.attempt("a", "1.2.3.4", t0));
        }
        assert!(!l.attempt("a", "1.2.3.4", t0));
        assert!(l.attempt("b", "1.2.3.4", t0), "another user from the same address still may");
        assert!(l.attempt("a", "5.6.7.8", t0), "the owner from elsewhere still may");
        assert!(l.attempt("a", "1.2.3.4", t0 + WINDOW + Duration::from_secs(1)));
    }

    #[test]
    fn a_username_is_not_guessed_from_many_addresses_without_end() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..MAX_PER_USER {
            assert!(l.attempt("trucban", &format!("10.0.0.{i}"), t0));
        }
        assert!(!l.attempt("trucban", "10.0.1.1", t0));
    }

    #[test]
    fn sign_ins_that_succeed_do_not_use_up_a_shared_address() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..(2 * MAX_PER_ADDR) {
            let user = format!("guard{i}");
            assert!(l.attempt(&user, "gate-tablet", t0));
            l.succeeded(&user, "gate-tablet");
        }
    }
}
