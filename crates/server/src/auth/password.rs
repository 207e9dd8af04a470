//! Password hashing with argon2id (the crate's default parameters: 19 MiB, 2 passes), run on
//! the blocking pool so a sign-in never stalls the async workers.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes a password (blocking; call through [`hash_async`] from async code).
///
/// # Errors
/// Only if argon2 rejects its own parameters.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Whether `password` matches the stored PHC string `hash` (false on a malformed hash).
#[must_use]
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// At most this many argon2 computations run at once (each takes 19 MiB): a burst of sign-ins
/// queues instead of exhausting memory.
static ARGON2_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// [`hash`] on the blocking pool.
pub async fn hash_async(password: String) -> Option<String> {
    let _slot = ARGON2_SLOTS.acquire().await.ok()?;
    tokio::task::spawn_blocking(move || hash(&password).ok()).await.ok().flatten()
}

/// [`verify`] on the blocking pool.
pub async fn verify_async(password: String, hash: String) -> bool {
    let Ok(_slot) = ARGON2_SLOTS.acquire().await else { return false };
    tokio::task::spawn_blocking(move || verify(&password, &hash)).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("mật khẩu đủ dài").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("mật khẩu đủ dài", &h));
        assert!(!verify("mat khau du dai", &h));
        assert!(!verify("x", "not a phc string"));
    }
}
