//! Notifications beyond the browser: the ward police add a webhook and the duty desk an
//! e-mail address; a guard's report reaches both, the webhook signed with the channel's
//! secret; a burst is rate-limited into a digest; a receiver that fails is retried and every
//! delivery is on the page.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::{Browser, TestApp, spawn_with, sqlite};

type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A webhook receiver that answers `status` and keeps what it got.
async fn receiver(status: StatusCode) -> (String, Received) {
    let got: Received = Arc::default();
    let keep = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let keep = keep.clone();
            async move {
                let sig = headers.get("x-baove-signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                keep.lock().unwrap().push((sig.clone(), json!({ "body": v, "raw": body })));
                status
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

/// A mail relay that accepts every message and keeps its data.
async fn mail_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let got: Arc<Mutex<Vec<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 relay.test ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(d) = data.as_mut() {
                        if line == "." {
                            keep.lock().unwrap().push(data.take().unwrap());
                            w.write_all(b"250 OK queued\r\n").await.unwrap();
                        } else {
                            d.push_str(&line);
                            d.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 relay.test\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    w.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

async fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..150 {
        if let Some(v) = check() {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within 15 s");
}

async fn report(guard: &Browser, app: &TestApp, summary: &str) {
    let now = baove_core::time::local(jiff::Timestamp::now());
    let body = json!({
        "id": baove_core::IncidentId::mint().to_string(), "kind": "suspicious",
        "site_id": app.world.school_site.id.to_string(),
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M").to_string(), "summary": summary,
    });
    assert_eq!(guard.post_json("/incidents", &body).await.status(), 201);
}

#[tokio::test]
async fn reports_reach_the_police_by_signed_webhook_and_e_mail_rate_limited_and_retried() {
    let (smtp_port, mails) = mail_sink().await;
    let smtp = baove_server::notify::smtp::SmtpConfig {
        host: "127.0.0.1".into(),
        port: Some(smtp_port),
        from: "baove <canhbao@baove.example>".into(),
        username: None,
        password: None,
        security: baove_server::notify::smtp::Security::None,
    };
    let app = spawn_with(sqlite().await, baove_server::Config { smtp: Some(smtp), ..Default::default() }).await;
    let (hook, got) = receiver(StatusCode::OK).await;
    let area = app.signed_in("canbo.a").await;
    let bad =
        area.post_form("/notifications", &[("kind", "webhook"), ("target", "ftp://x"), ("topics", "incident")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("Mã không hợp lệ"));
    let added =
        area.post_form("/notifications", &[("kind", "webhook"), ("target", &hook), ("topics", "incident")]).await;
    assert_eq!(added.status(), 303);
    let desk = app.signed_in("trucban").await;
    let mail = [("kind", "email"), ("target", "truc.ban@congan.example"), ("topics", "incident"), ("topics", "alarm")];
    assert_eq!(desk.post_form("/notifications", &mail).await.status(), 303);
    let (failing, _) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let other_ward = app.signed_in("canbo.b").await;
    assert_eq!(
        other_ward
            .post_form("/notifications", &[("kind", "webhook"), ("target", &failing), ("topics", "incident")])
            .await
            .status(),
        303
    );
    let head = app.signed_in("hieutruong").await;
    assert_eq!(
        head.post_form("/notifications", &[("kind", "webhook"), ("target", &failing), ("topics", "incident")])
            .await
            .status(),
        303
    );
    let guard = app.signed_in("baove").await;
    assert_eq!(guard.get("/notifications").await.status(), 403);

    // One report: the ward's webhook (signed) and the desk's mailbox; not the other ward.
    report(&guard, &app, "Người lạ đứng quan sát cổng trường lúc nửa đêm").await;
    let (sig, first) = eventually("the webhook delivery", || got.lock().unwrap().first().cloned()).await;
    let area_org = baove_core::access::Org::Authority(app.world.ward_a.id);
    let sys = baove_store::conformance::system().principal;
    let secret = app.store.channels(&sys, area_org).await.unwrap()[0].secret.clone();
    assert_eq!(sig, baove_core::notify::signature(&secret, first["raw"].as_str().unwrap().as_bytes()));
    assert_eq!(first["body"]["event"], "incident");
    assert!(first["body"]["summary"].as_str().unwrap().contains("Người lạ"));
    let letter = eventually("the e-mail", || mails.lock().unwrap().first().cloned()).await;
    assert!(letter.contains("truc.ban@congan.example") || letter.contains("Subject"), "{letter}");
    assert!(
        app.store
            .deliveries(&sys, baove_core::access::Org::Authority(app.world.ward_b.id), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // The school's failing receiver: recorded with its error, to be tried again.
    let school = baove_core::access::Org::Unit(app.world.school.id);
    let tried = {
        let mut out = Vec::new();
        for _ in 0..100 {
            out = app.store.deliveries(&sys, school, 10).await.unwrap();
            if out.iter().any(|d| d.attempts > 0) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        out
    };
    assert!(tried.iter().any(|d| d.attempts == 1 && d.last_error == "HTTP 500"), "{tried:?}");
    assert!(head.get("/notifications").await.text().await.unwrap().contains("HTTP 500"));

    // A burst of eight: five messages a minute at most, the rest in one digest.
    for i in 0..8 {
        let event = baove_store::NotifyEvent {
            key: format!("burst-{i}"),
            unit_id: app.world.school.id,
            topic: baove_core::notify::NotifyTopic::Incident,
            subject: format!("Xe máy lượn quanh trường lần {i}"),
            body: json!({ "event": "incident", "text": format!("lần {i}") }).to_string(),
        };
        assert!(app.store.enqueue(jiff::Timestamp::now(), &event).await.unwrap() >= 1);
    }
    let bodies = eventually("the burst", || {
        let all = got.lock().unwrap().clone();
        (all.iter().any(|(_, v)| v["body"]["event"] == "digest")).then_some(all)
    })
    .await;
    let individual = bodies.iter().filter(|(_, v)| v["body"]["event"] == "incident").count();
    let digest = bodies.iter().find(|(_, v)| v["body"]["event"] == "digest").unwrap();
    assert!(individual <= 5, "at most five single messages a minute, got {individual}");
    assert!(digest.1["body"]["count"].as_u64().unwrap() >= 1);
    assert_eq!(digest.0, baove_core::notify::signature(&secret, digest.1["raw"].as_str().unwrap().as_bytes()));
    let page = area.get("/notifications").await.text().await.unwrap();
    assert!(page.contains("Đã gửi trong tin gộp") && page.contains(&hook), "{page}");
}
