//! What the benchmark programs share: signing in over HTTP like a browser, percentiles, and
//! reading a server-sent event stream.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use baove_core::registry::{Site, SiteInput, Unit, UnitInput, UnitKind};
use baove_store::Store;
use baove_store::conformance::{World, system};

pub const PASSWORD: &str = "mật-khẩu-đo-hiệu-năng";

/// The CSRF token of a page's first form.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("csrf") + marker.len();
    html[start..].split('"').next().unwrap_or_default().to_owned()
}

/// A client signed in as `username` (password [`PASSWORD`]) and its CSRF token.
pub async fn client(base: &str, username: &str) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = c.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    c.post(format!("{base}/login"))
        .form(&[("_csrf", csrf.as_str()), ("username", username), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    let home = c.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    let token = csrf_of(&home);
    (c, token)
}

/// The `p` quantile (0..=1) of sorted values, nearest rank.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Reads an SSE response, handing each event's `data:` JSON to `on_event` with the instant it
/// arrived, until `on_event` returns `false` or nothing arrives for `idle`.
pub async fn read_sse(
    mut resp: reqwest::Response,
    idle: Duration,
    mut on_event: impl FnMut(serde_json::Value, std::time::Instant) -> bool,
) {
    let mut buf = String::new();
    loop {
        let Ok(Ok(Some(chunk))) = tokio::time::timeout(idle, resp.chunk()).await else { return };
        let arrived = std::time::Instant::now();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block = buf[..end].to_owned();
            buf.drain(..end + 2);
            let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) else { continue };
            let Ok(v) = serde_json::from_str(data) else { continue };
            if !on_event(v, arrived) {
                return;
            }
        }
    }
}

/// A fresh SQLite store in a new temporary directory, with the conformance world's police and
/// one enterprise of its first ward with one site.
pub struct Premises {
    pub store: Arc<dyn Store>,
    pub dir: std::path::PathBuf,
    pub unit: Unit,
    pub site: Site,
}

pub async fn premises(unit_name: &str, site_name: &str) -> Premises {
    let dir = std::env::temp_dir().join(format!("baove-bench-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let store: Arc<dyn Store> =
        Arc::new(baove_store_sqlite::open(dir.join("bench.db").to_str().unwrap()).await.unwrap());
    let w = World::build(store.as_ref()).await;
    let (unit, site) = unit_with_site(store.as_ref(), w.ward_a.id, unit_name, site_name).await;
    Premises { store, dir, unit, site }
}

/// An enterprise of `authority` with one site, made by the installation.
pub async fn unit_with_site(
    store: &dyn Store,
    authority: baove_core::AuthorityId,
    unit_name: &str,
    site_name: &str,
) -> (Unit, Site) {
    let sys = system();
    let unit = UnitInput {
        id: None,
        authority_id: authority,
        kind: UnitKind::Enterprise,
        name: unit_name.into(),
        key_target: false,
        address: String::new(),
        phone: String::new(),
        head_name: String::new(),
    };
    let unit = store.create_unit(&sys, &unit).await.unwrap();
    let site = SiteInput {
        id: None,
        unit_id: unit.id,
        name: site_name.into(),
        address: String::new(),
        guard_post: String::new(),
        notes: String::new(),
    };
    let site = store.create_site(&sys, &site).await.unwrap();
    (unit, site)
}
