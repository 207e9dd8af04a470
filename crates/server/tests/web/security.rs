//! Sessions, CSRF, rate limiting and hostile input.

use baove_store::UnitFilter;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let b = app.signed_in("canbo.a").await;
    let ward = app.world.ward_a.id.to_string();
    let resp = b
        .client
        .post(b.url("/units"))
        .form(&[("authority_id", ward.as_str()), ("kind", "school"), ("name", "Giả mạo")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.text().await.unwrap().contains("tải lại trang"));
    let resp = b
        .client
        .post(b.url("/units"))
        .form(&[("_csrf", "sai"), ("authority_id", ward.as_str()), ("kind", "school"), ("name", "Giả mạo")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let csrf = b.csrf().await;
    let resp = b
        .client
        .post(b.url("/units"))
        .header("origin", "https://evil.example")
        .form(&[("_csrf", csrf.as_str()), ("authority_id", ward.as_str()), ("kind", "school"), ("name", "Giả mạo")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "a cross-origin post is refused even with a token");
    let units = app
        .store
        .list_units(
            &baove_store::conformance::system().principal,
            &UnitFilter { text: "gia mao".into(), ..Default::default() },
        )
        .await
        .unwrap();
    assert!(units.is_empty());
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_and_dies_at_sign_out() {
    let app = spawn_app().await;
    let b = app.browser();
    let resp = b.login("hieutruong", PASSWORD).await;
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("baove_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let secret = cookie.split(';').next().unwrap().to_owned();
    assert_eq!(b.post_form("/logout", &[]).await.status(), 303);
    let stale = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = stale.get(b.url("/")).header("cookie", secret).send().await.unwrap();
    assert_eq!(resp.status(), 303, "the old session no longer works");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_username_for_a_while() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.browser().login("hieutruong", "đoán mò mật khẩu").await.status(), 422);
    }
    let resp = app.browser().login("hieutruong", PASSWORD).await;
    assert_eq!(resp.status(), 429, "even the right password waits");
    assert!(resp.text().await.unwrap().contains("15 phút"));
    assert_eq!(app.browser().login("giamdoc", PASSWORD).await.status(), 303, "other people are not locked out");
}

#[tokio::test]
async fn a_huge_body_is_refused_with_413() {
    let app = spawn_app().await;
    let b = app.signed_in("hieutruong").await;
    let csrf = b.csrf().await;
    let big = "a".repeat(2 * 1024 * 1024);
    let resp =
        b.client.post(b.url("/sites")).form(&[("_csrf", csrf.as_str()), ("name", big.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 413);
}

#[tokio::test]
async fn pages_carry_a_content_security_policy() {
    let app = spawn_app().await;
    let resp = app.browser().get("/login").await;
    let csp = resp.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn sign_in_never_redirects_off_site() {
    let app = spawn_app().await;
    let b = app.browser();
    let page = b.get("/login?next=//evil.example").await.text().await.unwrap();
    assert!(!page.contains("evil.example"));
}

#[tokio::test]
async fn a_second_person_signs_in_on_a_shared_tablet() {
    let app = spawn_app().await;
    let tablet = app.signed_in("baove").await;
    let resp = tablet.login("hieutruong", PASSWORD).await;
    assert_eq!(resp.status(), 303, "the sign-in form carries the pre-sign-in token even while a session lives");
    let home = tablet.get("/").await.text().await.unwrap();
    assert!(home.contains("Người dùng hieutruong"));
}

#[tokio::test]
async fn control_characters_never_make_an_off_site_or_broken_redirect() {
    let app = spawn_app().await;
    let b = app.browser();
    for back in ["/%09/evil.example", "/%0a", "//evil.example", "https://evil.example"] {
        let resp = b.get(&format!("/lang?to=en&back={back}")).await;
        assert_eq!(resp.status(), 303, "{back}");
        assert_eq!(resp.headers()["location"], "/", "{back}");
    }
}

#[tokio::test]
async fn nobody_locks_themselves_out() {
    let app = spawn_app().await;
    let head = app.signed_in("hieutruong").await;
    let me = app.store.login_lookup("hieutruong").await.unwrap().unwrap().0.id.to_string();
    assert_eq!(head.post_form("/accounts/toggle", &[("account_id", &me)]).await.status(), 403);
    assert!(app.store.login_lookup("hieutruong").await.unwrap().is_some());
}
