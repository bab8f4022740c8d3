//! What a run left on a target, asked directly as the fixtures' admin: the run-prefixed user
//! property keys, dashboard item property keys and project roles (`j` + 7 characters + `.`).

use base64::Engine;
use jira_conform::fixtures::Fixtures;
use serde_json::Value;

/// The embedded fixtures' admin: e-mail and token.
pub const ADMIN: (&str, &str) = ("admin@example.test", "mock-admin-token");

/// The Authorization header of [`ADMIN`].
pub fn basic_admin() -> String {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", ADMIN.0, ADMIN.1));
    format!("Basic {auth}")
}

/// A GET as [`ADMIN`], its body as JSON.
pub async fn get(url: &str) -> Value {
    reqwest::Client::new()
        .get(url)
        .header("Authorization", basic_admin())
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON")
}

/// Every run-prefixed user property key, dashboard item property key and role on the target
/// at `base`, one line each (`user alice: j….k`, `dashboard 10000 item 10010: …`, `role …`).
pub async fn run_prefixed(base: &str, fixtures: &Fixtures) -> Vec<String> {
    let run_key = regex::Regex::new(r"^j[0-9a-z]{7}\.").expect("regex");
    let mut found = Vec::new();
    for p in &fixtures.principals {
        let keys = get(&format!(
            "{base}/rest/api/3/user/properties?accountId={}",
            p.account_id
        ))
        .await;
        for k in keys["keys"].as_array().into_iter().flatten() {
            if let Some(key) = k["key"].as_str().filter(|k| run_key.is_match(k)) {
                found.push(format!("user {}: {key}", p.name));
            }
        }
    }
    for d in &fixtures.world.dashboards {
        for item in &d.items {
            let keys = get(&format!(
                "{base}/rest/api/3/dashboard/{}/items/{item}/properties",
                d.id
            ))
            .await;
            for k in keys["keys"].as_array().into_iter().flatten() {
                if let Some(key) = k["key"].as_str().filter(|k| run_key.is_match(k)) {
                    found.push(format!("dashboard {} item {item}: {key}", d.id));
                }
            }
        }
    }
    let roles = get(&format!("{base}/rest/api/3/role")).await;
    for r in roles.as_array().into_iter().flatten() {
        if let Some(name) = r["name"].as_str().filter(|n| run_key.is_match(n.trim())) {
            found.push(format!("role {name}"));
        }
    }
    found
}
