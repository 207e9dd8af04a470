//! Nothing acknowledged is lost: the `baove` process is killed with SIGKILL while device
//! events stream in over MQTT (through the broker at `BAOVE_TEST_MQTT_URL`) and the device
//! webhook, then started again. Every event the webhook answered 202 to is in the database,
//! and every event published to the broker is stored exactly once after the restart (the
//! broker redelivers what baove had not acknowledged, and ids make the redelivery harmless).

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use baove_store::driver::Driver;

fn temp() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("baove-crash-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn broker() -> Option<String> {
    let url = std::env::var("BAOVE_TEST_MQTT_URL").ok()?;
    let (host, port) = baove_server::alarm::mqtt::host_port(&url).expect("BAOVE_TEST_MQTT_URL is mqtt://host:port");
    std::net::TcpStream::connect((host.as_str(), port))
        .expect("BAOVE_TEST_MQTT_URL is set but the broker is unreachable");
    Some(url)
}

/// A running `baove serve`, killed (SIGKILL) when stopped or dropped.
struct Server(Child);

impl Server {
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn serve(dir: &std::path::Path, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_baove"))
        .args(["--database-url", "sqlite://./baove-data/demo.db", "serve", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env_remove("BAOVE_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Server(child)
}

/// The idempotency keys of every stored device event.
async fn stored(db: &std::path::Path) -> Vec<String> {
    let store = baove_store_sqlite::open(db.to_str().unwrap()).await.unwrap();
    let rows = store.driver().fetch("select idem_key from device_events", &[]).await.unwrap();
    rows.iter().map(|r| r.text("idem_key").unwrap()).collect()
}

fn count_with(keys: &[String], tag: &str) -> usize {
    keys.iter().filter(|k| k.contains(tag)).count()
}

#[tokio::test]
async fn every_acknowledged_event_survives_a_kill_9_and_a_restart() {
    let Some(url) = broker() else { return };
    let dir = temp();
    let seeded = Command::new(env!("CARGO_BIN_EXE_baove"))
        .args(["demo", "--no-serve"])
        .current_dir(&dir)
        .env_remove("BAOVE_DATABASE_URL")
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let db = dir.join("baove-data/demo.db");
    let tag = uuid::Uuid::now_v7().simple().to_string();
    std::fs::write(dir.join("baove.toml"), format!("[mqtt]\nurl = \"{url}\"\nclient_id = \"baove-crash-{tag}\"\n"))
        .unwrap();

    // A zoned demo device: its MQTT address and a webhook token.
    let (device_id, address) = {
        let store = baove_store_sqlite::open(db.to_str().unwrap()).await.unwrap();
        let row = store
            .driver()
            .fetch("select device_id, filter from device_bindings where device_id is not null limit 1", &[])
            .await
            .unwrap();
        let device = row[0].uuid("device_id").unwrap();
        let digest = baove_server::auth::token::digest("bvd_crash");
        use baove_store::AlarmStore;
        let sys = baove_store::conformance::system();
        store.set_device_token(&sys, baove_core::DeviceId(device), &digest).await.unwrap();
        (device, row[0].text("filter").unwrap())
    };
    let device_name = address.trim_start_matches("baove/").to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = serve(&dir, port);

    // Wait until baove is subscribed: a probe event lands.
    let (host, mqtt_port) = baove_server::alarm::mqtt::host_port(&url).unwrap();
    let mut opts = rumqttc::MqttOptions::new(format!("pub-{tag}"), host, mqtt_port);
    opts.set_inflight(100);
    let (publisher, mut el) = rumqttc::AsyncClient::new(opts, 1000);
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = acked.clone();
    tokio::spawn(async move {
        while let Ok(ev) = el.poll().await {
            if let rumqttc::Event::Incoming(rumqttc::Packet::PubAck(_)) = ev {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    });
    let body = |id: String| format!(r#"{{"id":"{id}","device":"{device_name}","kind":"motion"}}"#);
    let topic = format!("{address}/event");
    let qos = rumqttc::QoS::AtLeastOnce;
    let mut up = false;
    for i in 0..100 {
        publisher.publish(&topic, qos, false, body(format!("probe-{tag}-{i}"))).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        if count_with(&stored(&db).await, &format!("probe-{tag}")) > 0 {
            up = true;
            break;
        }
    }
    assert!(up, "baove never stored an event from the broker");
    let probes = acked.load(std::sync::atomic::Ordering::SeqCst);

    // Events stream in over MQTT and the webhook; baove is killed in the middle of it.
    // Under Mosquitto's default queue of 1,000 messages for a client that is away.
    const MQTT_EVENTS: usize = 900;
    let http = reqwest::Client::new();
    let hook = format!("http://127.0.0.1:{port}/api/v1/devices/{device_id}/events");
    let webhook = tokio::spawn(async move {
        let mut accepted = Vec::new();
        for i in 0.. {
            let id = format!("hook{i:07}");
            let sent = http
                .post(&hook)
                .bearer_auth("bvd_crash")
                .body(format!(r#"{{"id":"{id}","device":"hook","kind":"motion"}}"#));
            match sent.timeout(Duration::from_secs(2)).send().await {
                Ok(r) if r.status() == 202 => accepted.push(id),
                Ok(r) => panic!("the webhook answered {}", r.status()),
                Err(_) => break,
            }
        }
        accepted
    });
    for i in 0..MQTT_EVENTS {
        publisher.publish(&topic, qos, false, body(format!("crash-{tag}-{i}"))).await.unwrap();
        if i == MQTT_EVENTS / 3 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            child.kill();
        }
    }
    let accepted = webhook.await.unwrap();
    assert!(!accepted.is_empty(), "the webhook accepted events before the kill");
    let before_restart = count_with(&stored(&db).await, &format!("crash-{tag}"));
    assert!(before_restart < MQTT_EVENTS, "the kill came before every event was stored");
    for _ in 0..200 {
        if acked.load(std::sync::atomic::Ordering::SeqCst) >= probes + MQTT_EVENTS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(acked.load(std::sync::atomic::Ordering::SeqCst), probes + MQTT_EVENTS, "the broker took every event");

    // Every event the webhook acknowledged survived the kill.
    let keys = stored(&db).await;
    let missing: Vec<&String> = accepted.iter().filter(|id| !keys.iter().any(|k| k.contains(id.as_str()))).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");

    // Restarted, baove gets the rest from the broker: every event once.
    let mut child = serve(&dir, port);
    let mut n = 0;
    for _ in 0..300 {
        n = count_with(&stored(&db).await, &format!("crash-{tag}"));
        if n >= MQTT_EVENTS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    child.kill();
    let keys = stored(&db).await;
    let mine: Vec<&String> = keys.iter().filter(|k| k.contains(&format!("crash-{tag}"))).collect();
    assert_eq!(n, MQTT_EVENTS, "every event published is stored after the restart (was {before_restart} at the kill)");
    assert_eq!(mine.iter().collect::<HashSet<_>>().len(), MQTT_EVENTS, "and stored once");
}
