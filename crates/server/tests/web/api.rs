//! The JSON API as an integration uses it.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_on};

struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn new(app: &TestApp, username: &str) -> Self {
        Self { client: reqwest::Client::new(), base: format!("{}/api/v1", app.base), token: app.token(username).await }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }
}

#[tokio::test]
async fn without_a_token_the_api_answers_401_in_json() {
    let app = spawn_app().await;
    let resp = reqwest::get(format!("{}/api/v1/units", app.base)).await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn an_integration_reads_and_writes_within_its_scope() {
    let app = spawn_app().await;
    let api = Api::new(&app, "hieutruong").await;
    let (status, me) = api.get("/me").await;
    assert_eq!((status, me["role"].as_str()), (200, Some("unit_head")));
    let (status, units) = api.get("/units").await;
    assert_eq!(status, 200);
    assert_eq!(units.as_array().unwrap().len(), 1);
    let site = app.world.school_site.id.to_string();
    let (status, zone) = api
        .post("/zones", json!({"site_id": site, "kind": "server_room", "name": "Phòng máy chủ", "sensitivity": 4}))
        .await;
    assert_eq!(status, 201, "{zone}");
    assert_eq!(zone["sensitivity"], 4);
    let (status, _) = api.get(&format!("/zones/{}", zone["id"].as_str().unwrap())).await;
    assert_eq!(status, 200);
    let (status, err) = api.get(&format!("/units/{}", app.world.hospital.id)).await;
    assert_eq!((status, err["error"]["code"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn bad_input_gets_a_stable_code_per_field_and_changes_nothing() {
    let app = spawn_app().await;
    let api = Api::new(&app, "hieutruong").await;
    let site = app.world.school_site.id.to_string();
    let (status, err) =
        api.post("/zones", json!({"site_id": site, "kind": "casino", "name": "", "sensitivity": 11})).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["code"], "invalid_input");
    let codes: Vec<(&str, &str)> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("kind", "not_an_option"))
            && codes.contains(&("name", "required"))
            && codes.contains(&("sensitivity", "out_of_range")),
        "{codes:?}"
    );
    assert!(!err["error"]["fields"][0]["message"].as_str().unwrap().is_ascii(), "messages are Vietnamese");
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/zones", app.base))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.json::<Value>().await.unwrap()["error"]["code"], "bad_request");
    let (status, err) = api.get("/zones/not-a-uuid").await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("bad_id")));
    let (_, zones) = api.get(&format!("/units/{}/zones", app.world.school.id)).await;
    assert_eq!(zones.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_revoked_token_stops_working() {
    let app = spawn_app().await;
    let api = Api::new(&app, "canbo.a").await;
    assert_eq!(api.get("/me").await.0, 200);
    let b = app.signed_in("canbo.a").await;
    let page = b.get("/tokens").await.text().await.unwrap();
    let marker = "<option value=\"";
    let id = page[page.find(marker).unwrap() + marker.len()..].split('"').next().unwrap().to_owned();
    assert_eq!(b.post_form("/tokens/revoke", &[("token_id", &id)]).await.status(), 303);
    assert_eq!(api.get("/me").await.0, 401);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_every_route_answers() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.base)).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["components"]["schemas"]["Unit"].is_object() && doc["components"]["schemas"]["Guard"].is_object());
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(doc["components"]["schemas"][name].is_object(), "the document refers to {name} but does not define it");
    }
    let api = Api::new(&app, "admin").await;
    let admin = baove_store::conformance::system();
    let w = &app.world;
    let zone = app
        .store
        .create_zone(
            &admin,
            &baove_core::registry::ZoneInput {
                id: None,
                site_id: w.school_site.id,
                kind: baove_core::registry::ZoneKind::Gate,
                name: "Cổng".into(),
                sensitivity: 4,
                asset_value: 0,
                description: String::new(),
            },
        )
        .await
        .unwrap();
    let cp = app
        .store
        .create_checkpoint(
            &admin,
            &baove_core::registry::CheckpointInput {
                id: None,
                zone_id: zone.id,
                code: "CP-01".into(),
                name: "Cổng".into(),
                location: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let dev = app
        .store
        .create_device(
            &admin,
            &baove_core::registry::DeviceInput {
                id: None,
                site_id: w.school_site.id,
                zone_id: Some(zone.id),
                kind: baove_core::registry::DeviceKind::Camera,
                name: "Camera cổng".into(),
                location: String::new(),
                serial: String::new(),
                external_ref: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let guard = app
        .store
        .create_guard(
            &admin,
            &baove_core::registry::GuardInput {
                id: None,
                unit_id: w.school.id,
                full_name: "Lê Văn Canh".into(),
                employment: baove_core::registry::Employment::Dedicated,
                phone: String::new(),
                birth_date: None,
                health: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let ids = [
        ("/units/{id}", w.school.id.to_string()),
        ("/authorities/{id}", w.ward_a.id.to_string()),
        ("/sites/{id}", w.school_site.id.to_string()),
        ("/zones/{id}", zone.id.to_string()),
        ("/checkpoints/{id}", cp.id.to_string()),
        ("/devices/{id}", dev.id.to_string()),
        ("/guards/{id}", guard.id.to_string()),
    ];
    for (method, path) in baove_server::api::operations() {
        assert!(doc["paths"][path][method.to_lowercase()].is_object(), "{method} {path} missing from the document");
        let real = ids
            .iter()
            .find(|(p, _)| path.starts_with(&p[..p.len() - 5]))
            .map_or_else(String::new, |(_, id)| id.clone());
        let url = path.replace("{id}", &real);
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let body = (m != reqwest::Method::GET).then(|| json!({}));
        let (status, _) = api.call(m, &url, body).await;
        assert!(status != 404 && status != 405 && status < 500, "{method} {url} answered {status}");
        if m_is_get(&method) {
            assert_eq!(status, 200, "{method} {url}");
        } else {
            assert_eq!(status, 422, "{method} {url} with an empty body is invalid input");
        }
    }
}

fn m_is_get(m: &str) -> bool {
    m == "GET"
}

#[tokio::test]
async fn the_same_app_runs_on_postgres() {
    let Ok(url) = std::env::var("BAOVE_TEST_POSTGRES_URL") else {
        eprintln!("BAOVE_TEST_POSTGRES_URL is not set: PostgreSQL run skipped");
        return;
    };
    let db = baove_store_postgres::create_test_database(&url)
        .await
        .expect("BAOVE_TEST_POSTGRES_URL is set but the server cannot be used");
    let store = Arc::new(baove_store_postgres::open(&db).await.unwrap());
    let app = spawn_on(store).await;
    let api = Api::new(&app, "hieutruong").await;
    let site = app.world.school_site.id.to_string();
    let (status, zone) =
        api.post("/zones", json!({"site_id": site, "kind": "gate", "name": "Cổng sau", "sensitivity": 2})).await;
    assert_eq!(status, 201, "{zone}");
    let b = app.signed_in("canbo.a").await;
    let found = b.get("/units?q=ngoc+lam").await.text().await.unwrap();
    assert!(found.contains("Trường THCS Ngọc Lâm"));
    assert_eq!(b.get("/units?q=%00").await.status(), 200, "a NUL in a search is not a server error on PostgreSQL");
}
