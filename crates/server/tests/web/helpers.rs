//! `spawn_app()`: a running server with a small province, and a client per person.

use std::sync::Arc;

use baove_core::access::{Org, Role};
use baove_core::account::AccountInput;
use baove_store::Store;
use baove_store::conformance::{World, system};

pub const PASSWORD: &str = "mật-khẩu-thử-nghiệm";

pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub world: World,
    pub state: baove_server::AppState,
}

/// A browser: a cookie jar, no automatic redirects (tests look at them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

pub async fn sqlite() -> Arc<dyn Store> {
    let dir = std::env::temp_dir().join(format!("baove-web-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    Arc::new(baove_store_sqlite::open(dir.join("t.db").to_str().unwrap()).await.unwrap())
}

/// Starts the app with the conformance world and one account per role below.
pub async fn spawn_app() -> TestApp {
    spawn_on(sqlite().await).await
}

pub async fn spawn_on(store: Arc<dyn Store>) -> TestApp {
    spawn_with(store, baove_server::Config::default()).await
}

/// The app on `store` with `config` (nightly plan drawing always off).
pub async fn spawn_with(store: Arc<dyn Store>, config: baove_server::Config) -> TestApp {
    let world = World::build(store.as_ref()).await;
    let hash = baove_server::auth::password::hash(PASSWORD).unwrap();
    let people: [(&str, Role, Org); 7] = [
        ("admin", Role::SystemAdmin, Org::System),
        ("hieutruong", Role::UnitHead, Org::Unit(world.school.id)),
        ("baove", Role::Guard, Org::Unit(world.school.id)),
        ("giamdoc", Role::UnitHead, Org::Unit(world.bank.id)),
        ("canbo.a", Role::AreaOfficer, Org::Authority(world.ward_a.id)),
        ("canbo.b", Role::AreaOfficer, Org::Authority(world.ward_b.id)),
        ("trucban", Role::DutyDesk, Org::Authority(world.province.id)),
    ];
    for (username, role, org) in people {
        let input = AccountInput {
            username: username.into(),
            display_name: format!("Người dùng {username}"),
            role,
            org,
            guard_id: None,
            password: String::new(),
        };
        store.create_account(&system(), &input, &hash).await.unwrap();
    }
    let (base, state) = serve_with(store.clone(), config).await;
    TestApp { base, store, world, state }
}

/// Serves `store` on an ephemeral port: its base URL and the app's state.
pub async fn serve(store: Arc<dyn Store>) -> (String, baove_server::AppState) {
    serve_with(store, baove_server::Config::default()).await
}

async fn serve_with(store: Arc<dyn Store>, config: baove_server::Config) -> (String, baove_server::AppState) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Plans are drawn by the tests that want them, whatever the hour the suite runs at.
    let config = baove_server::Config { nightly_plans: false, ..config };
    let state = baove_server::AppState::new(store, config);
    tokio::spawn(baove_server::serve(listener, state.clone(), std::future::pending()));
    (base, state)
}

/// A fresh SQLite store of its own.
pub async fn fresh_store() -> Arc<dyn Store> {
    sqlite().await
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser::at(&self.base)
    }

    /// A browser signed in as `username`.
    pub async fn signed_in(&self, username: &str) -> Browser {
        let b = self.browser();
        let resp = b.login(username, PASSWORD).await;
        assert_eq!(resp.status(), 303, "sign-in of {username} failed: {}", resp.text().await.unwrap());
        b
    }

    /// An API token for `username`, created through the tokens page.
    pub async fn token(&self, username: &str) -> String {
        let b = self.signed_in(username).await;
        let page = b.post_form("/tokens", &[("name", "tích hợp")]).await.text().await.unwrap();
        let start = page.find("bv_").expect("the new token is shown once");
        page[start..].split('<').next().unwrap().trim().to_owned()
    }
}

/// The value of the hidden `_csrf` field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

impl Browser {
    /// A browser of the app at `base`.
    pub fn at(base: &str) -> Self {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { client, base: base.to_owned() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        let page = self.get("/login").await.text().await.unwrap();
        let csrf = csrf_of(&page);
        self.client
            .post(self.url("/login"))
            .form(&[("_csrf", csrf.as_str()), ("username", username), ("password", password), ("next", "/")])
            .send()
            .await
            .unwrap()
    }

    /// The CSRF token of this session (read off the home page).
    pub async fn csrf(&self) -> String {
        csrf_of(&self.get("/").await.text().await.unwrap())
    }

    /// Posts a form the way the page would, with the session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.client.post(self.url(path)).form(&all).send().await.unwrap()
    }

    /// Posts JSON the way the pages' scripts do, with the CSRF token in a header.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        let csrf = self.csrf().await;
        self.client.post(self.url(path)).header("x-csrf-token", csrf).json(body).send().await.unwrap()
    }

    /// Opens a server-sent event stream.
    pub async fn stream(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }
}

/// Reads a server-sent event stream until an event of kind `event` whose data contains
/// `needle` arrives (at most ten seconds), and returns its data.
pub async fn wait_for(mut resp: reqwest::Response, event: &str, needle: &str) -> serde_json::Value {
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let head = format!("event: {event}");
    loop {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk())
            .await
            .unwrap_or_else(|_| panic!("an {event} with {needle} within seconds; got {buf}"))
            .unwrap()
            .expect("stream open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
        for block in buf.split("\n\n") {
            if block.contains(&head) && block.contains(needle) {
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                return serde_json::from_str(data).unwrap();
            }
        }
    }
}
