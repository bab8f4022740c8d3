//! Behaviour of the reference mock (`jira_conform::mock`), driven over loopback HTTP: each
//! documented behaviour, and for each seeded fault, that it changes exactly what it names.

use std::sync::Arc;

use jira_conform::fixtures::Fixtures;
use jira_conform::mock::{app, serve, Fault, MockState};
use reqwest::header::HOST;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{
    client, fixtures, listed_keys, Mock, Reply, Who, ADMIN, ALICE, BOB, JSON_CONTENT_TYPE,
};

use crate::support;

const UNKNOWN_ACCOUNT: &str = "5b10a2844c20165700e0ffff";

/// Percent-encodes all but unreserved characters (written here, independently of the mock).
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn keys_path(version: u8, account: &str) -> String {
    format!(
        "/rest/api/{version}/user/properties?accountId={}",
        enc(account)
    )
}

fn prop_path(version: u8, key: &str, account: &str) -> String {
    format!(
        "/rest/api/{version}/user/properties/{}?accountId={}",
        enc(key),
        enc(account)
    )
}

/// A JSON string value whose text is exactly `bytes` long, made of `unit` repeated (padded with
/// ASCII 'a' when `unit` does not divide evenly).
fn string_value(bytes: usize, unit: char) -> String {
    let inner = bytes - 2;
    let count = inner / unit.len_utf8();
    let pad = inner - count * unit.len_utf8();
    let text = format!("\"{}{}\"", unit.to_string().repeat(count), "a".repeat(pad));
    assert_eq!(text.len(), bytes);
    text
}

// ---------------------------------------------------------------------------------------------
// Server lifecycle

#[tokio::test]
async fn base_url_is_loopback_without_trailing_slash() {
    let mock = Mock::start(&[]).await;
    let url = &mock.server.base_url;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.ends_with('/'), "{url}");
    let port: u16 = url["http://127.0.0.1:".len()..].parse().expect("a port");
    assert_ne!(port, 0);
}

#[tokio::test]
async fn stop_shuts_the_server_down() {
    let mock = Mock::start(&[]).await;
    let url = format!("{}/rest/api/3/myself", mock.server.base_url);
    assert_eq!(
        mock.get("/rest/api/3/myself", ALICE).await.status,
        StatusCode::OK
    );
    mock.server.stop().await;
    let after = client().get(&url).send().await;
    assert!(after.is_err(), "still answering after stop: {after:?}");
}

#[tokio::test]
async fn serve_runs_on_a_given_listener_until_shutdown() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let fixtures = fixtures();
    let task = tokio::spawn(async move {
        serve(listener, &fixtures, &[], async {
            let _ = rx.await;
        })
        .await
    });
    let reply = Reply::read(
        client()
            .get(format!("http://{addr}/rest/api/2/myself"))
            .basic_auth("bob@example.test", Some("mock-bob-token"))
            .send()
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(reply.json(StatusCode::OK)["displayName"], "Bob Baker");
    tx.send(()).expect("the server is waiting");
    task.await.expect("no panic").expect("a clean shutdown");
}

#[tokio::test]
async fn app_serves_a_state_built_from_fixtures_and_faults() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let state = MockState::new(&fixtures(), &[Fault::MyselfActiveAsString]);
    let task = tokio::spawn(async move { axum::serve(listener, app(state)).await });
    let reply = Reply::read(
        client()
            .get(format!("http://{addr}/rest/api/3/myself"))
            .basic_auth("alice@example.test", Some("mock-alice-token"))
            .send()
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(reply.json(StatusCode::OK)["active"], json!("true"));
    task.abort();
}

// ---------------------------------------------------------------------------------------------
// Faults as named things

#[test]
fn fault_names_parse_back_and_are_kebab_case() {
    // The user-property and myself faults of issue 3, and one or more per resource since.
    assert!(Fault::ALL.len() >= 39, "{}", Fault::ALL.len());
    let mut names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
    for fault in Fault::ALL {
        assert_eq!(Fault::parse(fault.name()), Some(*fault));
        assert!(
            fault
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            fault.name()
        );
        let description = fault.description();
        assert!(
            !description.is_empty() && !description.contains('\n'),
            "{fault:?}"
        );
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Fault::ALL.len(), "names are unique");
    assert_eq!(Fault::parse("no-such-fault"), None);
    assert_eq!(Fault::parse("Post-Accepted"), None);
    for expected in [
        "post-accepted",
        "value-limit-not-enforced",
        "value-limit-off-by-one",
        "value-bytes-as-chars",
        "key-limit-not-enforced",
        "admin-check-missing",
        "anonymous-read-allowed",
        "invalid-credentials-accepted",
        "nokey-get-404",
        "put-always-200",
        "delete-200",
        "stale-key-listing",
        "account-id-ignored",
        "wrong-content-type",
        "allow-header-missing",
        "myself-active-as-string",
        "delete-keeps-value",
        "missing-account-id-404",
    ] {
        assert!(Fault::parse(expected).is_some(), "{expected}");
    }
}

// ---------------------------------------------------------------------------------------------
// Authentication and /myself

#[tokio::test]
async fn myself_describes_each_principal_on_both_versions() {
    let mock = Mock::start(&[]).await;
    let base = mock.server.base_url.clone();
    for version in [2, 3] {
        for (who, name, display, groups) in [
            (ADMIN, "admin", "Ada Admin", 2),
            (ALICE, "alice", "Alice Able", 1),
            (BOB, "bob", "Bob Baker", 1),
        ] {
            let body = mock
                .get(&format!("/rest/api/{version}/myself"), who)
                .await
                .json(StatusCode::OK);
            let id = mock.id(name);
            assert_eq!(
                body["self"],
                format!("{base}/rest/api/{version}/user?accountId={id}")
            );
            assert_eq!(body["accountId"], id.as_str());
            assert_eq!(body["accountType"], "atlassian");
            assert_eq!(body["emailAddress"], format!("{name}@example.test"));
            assert_eq!(body["displayName"], display);
            assert_eq!(body["active"], json!(true));
            assert_eq!(body["timeZone"], "UTC");
            assert_eq!(body["locale"], "en_US");
            for size in ["16x16", "24x24", "32x32", "48x48"] {
                let url = body["avatarUrls"][size].as_str().expect("an avatar URL");
                assert!(url.starts_with("http"), "{url}");
            }
            assert_eq!(body["groups"], json!({ "size": groups, "items": [] }));
            assert_eq!(body["applicationRoles"], json!({ "size": 1, "items": [] }));
            assert_eq!(body["expand"], "groups,applicationRoles");
        }
    }
}

#[tokio::test]
async fn myself_expands_groups_on_request() {
    let mock = Mock::start(&[]).await;
    let admin = mock
        .get("/rest/api/3/myself?expand=groups", ADMIN)
        .await
        .json(StatusCode::OK);
    let names: Vec<&str> = admin["groups"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|g| {
            assert!(
                g["self"].as_str().is_some_and(|s| s.starts_with("http")),
                "{g}"
            );
            g["name"].as_str().expect("a name")
        })
        .collect();
    assert_eq!(names, ["jira-administrators", "jira-software-users"]);
    assert_eq!(admin["groups"]["size"], 2);
    let alice = mock
        .get("/rest/api/2/myself?expand=applicationRoles,groups", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(alice["groups"]["items"][0]["name"], "jira-software-users");
    assert_eq!(alice["groups"]["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn bearer_principals_authenticate_and_have_no_email() {
    let text = "profile = \"t\"\n[principals.robot]\naccount_id = \"robot-1\"\ndisplay_name = \"Robot\"\nbearer = \"bearer-secret\"\n";
    let fixtures = Fixtures::parse(text, "t.toml", &|_| None).expect("valid fixtures");
    let mock = Mock::with(fixtures, &[]).await;
    let body = mock
        .get("/rest/api/3/myself", Who::User("robot"))
        .await
        .json(StatusCode::OK);
    assert_eq!(body["accountId"], "robot-1");
    assert!(body.get("emailAddress").is_none(), "{body}");
    mock.get("/rest/api/3/myself", Who::WrongToken("robot"))
        .await
        .error(StatusCode::UNAUTHORIZED);
    mock.get("/rest/api/3/myself", Who::Header("Bearer "))
        .await
        .error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_credentials_get_401_without_echoing_the_token() {
    let mock = Mock::start(&[]).await;
    let cases = [
        Who::Anonymous,
        Who::WrongToken("alice"),
        Who::WrongToken("admin"),
        // unknown@example.test:mock-alice-token
        Who::Header("Basic dW5rbm93bkBleGFtcGxlLnRlc3Q6bW9jay1hbGljZS10b2tlbg=="),
        // alice@example.test (no colon, no token)
        Who::Header("Basic YWxpY2VAZXhhbXBsZS50ZXN0"),
        Who::Header("Basic !!!not-base64!!!"),
        Who::Header("Basic"),
        Who::Header("Digest username=\"alice\""),
        Who::Header("Bearer mock-alice-token"),
        Who::Header("mock-alice-token"),
    ];
    for version in [2, 3] {
        for who in cases {
            let reply = mock.get(&format!("/rest/api/{version}/myself"), who).await;
            reply.error(StatusCode::UNAUTHORIZED);
            assert!(!reply.body.contains("token"), "{who:?}: {}", reply.body);
        }
    }
    // Control: the same header scheme with the right token works, also unpadded.
    mock.get(
        "/rest/api/3/myself",
        // alice@example.test:mock-alice-token
        Who::Header("Basic YWxpY2VAZXhhbXBsZS50ZXN0Om1vY2stYWxpY2UtdG9rZW4="),
    )
    .await
    .json(StatusCode::OK);
}

#[tokio::test]
async fn myself_answers_405_to_other_methods() {
    let mock = Mock::start(&[]).await;
    let reply = mock
        .send(Method::POST, "/rest/api/3/myself", ALICE, Some(b"{}"))
        .await;
    reply.method_not_allowed("GET");
}

#[tokio::test]
async fn unknown_paths_get_a_jira_404() {
    let mock = Mock::start(&[]).await;
    for path in [
        "/",
        "/rest/api/3/nothing-here",
        "/rest/api/4/myself",
        "/rest/api/1/user/properties?accountId=x",
        "/rest/api/3/user/properties/a/b",
    ] {
        mock.get(path, ALICE).await.error(StatusCode::NOT_FOUND);
    }
}

// ---------------------------------------------------------------------------------------------
// User properties: the happy paths

#[tokio::test]
async fn put_creates_with_201_then_updates_with_200_on_both_versions() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    for version in [2, 3] {
        let key = format!("settings-v{version}");
        let path = prop_path(version, &key, &alice);
        mock.put(&path, ALICE, r#"{"theme":"dark"}"#)
            .await
            .empty(StatusCode::CREATED);
        let body = mock.get(&path, ALICE).await.json(StatusCode::OK);
        assert_eq!(body, json!({ "key": key, "value": { "theme": "dark" } }));
        mock.put(&path, ALICE, r#"{"theme":"light"}"#)
            .await
            .empty(StatusCode::OK);
        let body = mock.get(&path, ALICE).await.json(StatusCode::OK);
        assert_eq!(body["value"], json!({ "theme": "light" }));
    }
    // One site: what v2 wrote, v3 reads.
    let body = mock
        .get(&prop_path(3, "settings-v2", &alice), ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(body["value"], json!({ "theme": "light" }));
}

#[tokio::test]
async fn every_json_type_is_a_valid_value() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    for (i, text) in [
        r#"{"a":[1,2,{"b":null}]}"#,
        "[1, \"two\", 3.5]",
        "\"just a string\"",
        "42",
        "-0.5e3",
        "true",
        "false",
        "null",
        "{}",
        "[]",
        "  {\"padded\": true}\n",
    ]
    .iter()
    .enumerate()
    {
        let path = prop_path(3, &format!("k{i}"), &alice);
        mock.put(&path, ALICE, text)
            .await
            .empty(StatusCode::CREATED);
        let body = mock.get(&path, ALICE).await.json(StatusCode::OK);
        let sent: Value = serde_json::from_str(text).expect("test value is JSON");
        assert_eq!(body["value"], sent, "{text}");
    }
}

#[tokio::test]
async fn put_refuses_empty_and_malformed_bodies() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "k", &alice);
    for text in [
        "", "   ", "\n\t ", "{", "{\"a\":}", "[1,]", "nope", "{} {}", "'single'",
    ] {
        mock.put(&path, ALICE, text)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
    mock.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
    // Invalid UTF-8 is not JSON text either.
    let reply = Reply::read(
        mock.client
            .put(format!("{}{path}", mock.server.base_url))
            .basic_auth("alice@example.test", Some("mock-alice-token"))
            .body(vec![b'"', 0xff, b'"'])
            .send()
            .await
            .expect("answers"),
    )
    .await;
    reply.error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn value_limit_is_32768_bytes_of_body() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "big", &alice);
    mock.put(&path, ALICE, &string_value(32768, 'a'))
        .await
        .empty(StatusCode::CREATED);
    mock.put(&path, ALICE, &string_value(32769, 'a'))
        .await
        .error(StatusCode::BAD_REQUEST);
    // The refused update left the stored value alone.
    let body = mock.get(&path, ALICE).await.json(StatusCode::OK);
    assert_eq!(body["value"].as_str().map(str::len), Some(32766));
    // Whitespace around the value is part of the body as received.
    let padded = format!("{} ", string_value(32768, 'a'));
    mock.put(&path, ALICE, &padded)
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn value_limit_counts_bytes_of_multibyte_text() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "utf8", &alice);
    // 'é' is 2 bytes, '€' is 3, '😀' is 4.
    for unit in ['é', '€', '😀'] {
        let at_limit = string_value(32768, unit);
        assert!(at_limit.chars().count() < 32768);
        assert!(
            mock.put(&path, ALICE, &at_limit).await.status.is_success(),
            "{unit}"
        );
        let past = string_value(32769, unit);
        assert!(past.chars().count() < 17000);
        mock.put(&path, ALICE, &past)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn key_limit_is_255_characters() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    for unit in ["k", "é", "😀"] {
        let at_limit = unit.repeat(255);
        let path = prop_path(3, &at_limit, &alice);
        mock.put(&path, ALICE, "1").await.empty(StatusCode::CREATED);
        let body = mock.get(&path, ALICE).await.json(StatusCode::OK);
        assert_eq!(body["key"], at_limit.as_str());
        let past = unit.repeat(256);
        let path = prop_path(3, &past, &alice);
        mock.put(&path, ALICE, "1")
            .await
            .error(StatusCode::BAD_REQUEST);
        mock.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn keys_with_special_characters_round_trip() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let keys = [
        "a/b",
        "100%",
        "with space",
        "日本語",
        "q?x=1&y",
        "plus+sign",
        "%2F",
    ];
    for key in keys {
        let path = prop_path(3, key, &alice);
        mock.put(&path, ALICE, &json!({ "k": key }).to_string())
            .await
            .empty(StatusCode::CREATED);
        let body = mock.get(&path, ALICE).await.json(StatusCode::OK);
        assert_eq!(body, json!({ "key": key, "value": { "k": key } }));
    }
    let listing = mock
        .get(&keys_path(3, &alice), ALICE)
        .await
        .json(StatusCode::OK);
    let mut expected: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    expected.sort();
    assert_eq!(listed_keys(&listing), expected);
    for entry in listing["keys"].as_array().expect("keys") {
        let key = entry["key"].as_str().expect("key");
        assert_eq!(
            entry["self"],
            format!("{}{}", mock.server.base_url, prop_path(3, key, &alice)),
        );
    }
}

#[tokio::test]
async fn key_listing_is_sorted_with_self_links_from_the_host_header() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    for key in ["zeta", "alpha", "Mid", "beta"] {
        mock.put(&prop_path(2, key, &alice), ALICE, "true")
            .await
            .empty(StatusCode::CREATED);
    }
    for version in [2, 3] {
        let body = mock
            .get(&keys_path(version, &alice), ALICE)
            .await
            .json(StatusCode::OK);
        assert_eq!(listed_keys(&body), ["Mid", "alpha", "beta", "zeta"]);
        assert_eq!(
            body["keys"][1]["self"],
            format!(
                "{}/rest/api/{version}/user/properties/alpha?accountId={alice}",
                mock.server.base_url
            )
        );
        assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
    }
    let reply = Reply::read(
        mock.client
            .get(format!("{}{}", mock.server.base_url, keys_path(3, &alice)))
            .basic_auth("alice@example.test", Some("mock-alice-token"))
            .header(HOST, "jira.example.test")
            .send()
            .await
            .expect("answers"),
    )
    .await;
    let body = reply.json(StatusCode::OK);
    assert_eq!(
        body["keys"][0]["self"],
        format!("http://jira.example.test/rest/api/3/user/properties/Mid?accountId={alice}")
    );
    // Other users' listings are separate.
    let bob = mock.id("bob");
    let body = mock
        .get(&keys_path(3, &bob), BOB)
        .await
        .json(StatusCode::OK);
    assert_eq!(body, json!({ "keys": [] }));
}

#[tokio::test]
async fn get_and_delete_of_a_missing_property_are_404() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "never-set", &alice);
    mock.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
    mock.delete(&path, ALICE).await.error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delete_answers_204_and_removes_the_property() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    for version in [2, 3] {
        let path = prop_path(version, "gone", &alice);
        mock.put(&path, ALICE, "[1]")
            .await
            .empty(StatusCode::CREATED);
        let reply = mock.delete(&path, ALICE).await;
        reply.empty(StatusCode::NO_CONTENT);
        mock.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
        let listing = mock
            .get(&keys_path(version, &alice), ALICE)
            .await
            .json(StatusCode::OK);
        assert!(listed_keys(&listing).is_empty());
        mock.delete(&path, ALICE).await.error(StatusCode::NOT_FOUND);
        // Created again after deletion: 201 again.
        mock.put(&path, ALICE, "[2]")
            .await
            .empty(StatusCode::CREATED);
        mock.delete(&path, ALICE)
            .await
            .empty(StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn head_reads_like_get_without_a_body() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "h", &alice);
    mock.put(&path, ALICE, "1").await.empty(StatusCode::CREATED);
    mock.send(Method::HEAD, &path, ALICE, None)
        .await
        .empty(StatusCode::OK);
    let missing = prop_path(3, "absent", &alice);
    mock.send(Method::HEAD, &missing, ALICE, None)
        .await
        .empty(StatusCode::NOT_FOUND);
    mock.send(Method::HEAD, &keys_path(3, &alice), ALICE, None)
        .await
        .empty(StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// No key, and methods

#[tokio::test]
async fn get_without_a_key_lists_the_keys() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    mock.put(&prop_path(3, "one", &alice), ALICE, "1")
        .await
        .empty(StatusCode::CREATED);
    for version in [2, 3] {
        let listing = mock.get(&keys_path(version, &alice), ALICE).await;
        let no_key = mock
            .get(
                &format!("/rest/api/{version}/user/properties/?accountId={alice}"),
                ALICE,
            )
            .await;
        let listing = listing.json(StatusCode::OK);
        assert_eq!(no_key.json(StatusCode::OK), listing);
        assert_eq!(listed_keys(&listing), ["one"]);
    }
    // It is the listing, so its checks apply too.
    let path = format!("/rest/api/3/user/properties/?accountId={alice}");
    mock.get(&path, Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
    mock.get(&path, BOB).await.error(StatusCode::FORBIDDEN);
    mock.get("/rest/api/3/user/properties/", ALICE)
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn put_and_delete_without_a_key_are_405() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    for version in [2, 3] {
        let path = format!("/rest/api/{version}/user/properties/?accountId={alice}");
        let put = mock.put(&path, ALICE, "1").await;
        put.error(StatusCode::METHOD_NOT_ALLOWED);
        assert!(put.allow().is_some());
        mock.delete(&path, ALICE)
            .await
            .error(StatusCode::METHOD_NOT_ALLOWED);
    }
    let listing = mock
        .get(&keys_path(3, &alice), ALICE)
        .await
        .json(StatusCode::OK);
    assert!(listed_keys(&listing).is_empty());
}

#[tokio::test]
async fn other_methods_on_a_property_are_405_with_allow() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "k", &alice);
    for method in [Method::POST, Method::PATCH, Method::OPTIONS] {
        let reply = mock.send(method.clone(), &path, ALICE, Some(b"1")).await;
        reply.method_not_allowed("DELETE, GET, PUT");
    }
    mock.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn other_methods_on_the_listing_are_405_with_allow_get() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = keys_path(2, &alice);
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let reply = mock.send(method.clone(), &path, ALICE, Some(b"1")).await;
        reply.method_not_allowed("GET");
    }
}

// ---------------------------------------------------------------------------------------------
// accountId, permissions and the order of checks

#[tokio::test]
async fn missing_account_id_is_400_and_deprecated_parameters_do_not_count() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    for query in [
        "",
        "?userKey=alice",
        "?username=alice",
        "?accountId=",
        "?accountid=x",
    ] {
        let listing = format!("/rest/api/3/user/properties{query}");
        let property = format!("/rest/api/3/user/properties/k{query}");
        for reply in [
            mock.get(&listing, ALICE).await,
            mock.get(&property, ALICE).await,
            mock.put(&property, ALICE, "1").await,
            mock.delete(&property, ALICE).await,
        ] {
            let message = reply.error(StatusCode::BAD_REQUEST);
            assert!(message.contains("accountId"), "{message:?}");
        }
    }
    let listing = mock
        .get(&keys_path(3, &alice), ALICE)
        .await
        .json(StatusCode::OK);
    assert!(listed_keys(&listing).is_empty());
}

#[tokio::test]
async fn account_id_may_have_at_most_128_characters() {
    let mock = Mock::start(&[]).await;
    for unit in ["x", "é"] {
        let at_limit = unit.repeat(128);
        let past = unit.repeat(129);
        // At the limit the id is well-formed but names nobody.
        mock.get(&keys_path(3, &at_limit), ADMIN)
            .await
            .error(StatusCode::NOT_FOUND);
        mock.get(&keys_path(3, &past), ADMIN)
            .await
            .error(StatusCode::BAD_REQUEST);
        mock.put(&prop_path(3, "k", &past), ADMIN, "1")
            .await
            .error(StatusCode::BAD_REQUEST);
        mock.get(&prop_path(3, "k", &past), ADMIN)
            .await
            .error(StatusCode::BAD_REQUEST);
        mock.delete(&prop_path(3, "k", &past), ADMIN)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn admin_may_act_on_anyone_and_users_only_on_themselves() {
    let mock = Mock::start(&[]).await;
    let ids = [mock.id("admin"), mock.id("alice"), mock.id("bob")];
    let callers = [("admin", ADMIN), ("alice", ALICE), ("bob", BOB)];
    for (caller_name, caller) in callers {
        for target in &ids {
            let allowed = caller_name == "admin" || mock.id(caller_name) == *target;
            let key = format!("by-{caller_name}");
            let path = prop_path(3, &key, target);
            let put = mock.put(&path, caller, "1").await;
            let get = mock.get(&path, caller).await;
            let list = mock.get(&keys_path(3, target), caller).await;
            let delete = mock.delete(&path, caller).await;
            if allowed {
                put.empty(StatusCode::CREATED);
                assert_eq!(get.json(StatusCode::OK)["value"], 1);
                assert_eq!(listed_keys(&list.json(StatusCode::OK)), [key.as_str()]);
                delete.empty(StatusCode::NO_CONTENT);
            } else {
                for reply in [put, get, list, delete] {
                    reply.error(StatusCode::FORBIDDEN);
                }
            }
        }
    }
}

#[tokio::test]
async fn admin_sees_properties_that_users_set_on_themselves() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "mine", &alice);
    mock.put(&path, ALICE, "\"hers\"")
        .await
        .empty(StatusCode::CREATED);
    assert_eq!(
        mock.get(&path, ADMIN).await.json(StatusCode::OK)["value"],
        "hers"
    );
    mock.put(&path, ADMIN, "\"admin's\"")
        .await
        .empty(StatusCode::OK);
    mock.get(&path, BOB).await.error(StatusCode::FORBIDDEN);
    mock.delete(&path, BOB).await.error(StatusCode::FORBIDDEN);
    assert_eq!(
        mock.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        "admin's"
    );
}

#[tokio::test]
async fn unknown_users_are_404_for_admins_and_403_for_others() {
    let mock = Mock::start(&[]).await;
    let path = prop_path(3, "k", UNKNOWN_ACCOUNT);
    for reply in [
        mock.get(&keys_path(3, UNKNOWN_ACCOUNT), ADMIN).await,
        mock.get(&path, ADMIN).await,
        mock.put(&path, ADMIN, "1").await,
        mock.delete(&path, ADMIN).await,
        // Existence is checked before the body.
        mock.put(&path, ADMIN, "{not json").await,
    ] {
        reply.error(StatusCode::NOT_FOUND);
    }
    for reply in [
        mock.get(&keys_path(3, UNKNOWN_ACCOUNT), ALICE).await,
        mock.get(&path, ALICE).await,
        mock.put(&path, ALICE, "1").await,
        mock.delete(&path, ALICE).await,
    ] {
        reply.error(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn every_property_operation_needs_valid_credentials_first() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    let path = prop_path(3, "k", &alice);
    mock.put(&path, ALICE, "1").await.empty(StatusCode::CREATED);
    let no_account = "/rest/api/2/user/properties/k";
    let long = "x".repeat(200);
    for who in [
        Who::Anonymous,
        Who::WrongToken("alice"),
        Who::WrongToken("admin"),
        Who::Header("Basic Og=="),
    ] {
        for reply in [
            mock.get(&keys_path(3, &alice), who).await,
            mock.get(&path, who).await,
            mock.put(&path, who, "2").await,
            mock.delete(&path, who).await,
            // Authentication comes before every other check.
            mock.get(no_account, who).await,
            mock.put(no_account, who, "").await,
            mock.get(&keys_path(2, &long), who).await,
            mock.get(&prop_path(3, "k", UNKNOWN_ACCOUNT), who).await,
        ] {
            reply.error(StatusCode::UNAUTHORIZED);
            assert!(!reply.body.contains("not-the-token"));
        }
    }
    assert_eq!(
        mock.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        1
    );
}

#[tokio::test]
async fn account_id_checks_come_before_permission_and_permission_before_validation() {
    let mock = Mock::start(&[]).await;
    let alice = mock.id("alice");
    // Missing or too long: 400 even for a caller who could not act on the target anyway.
    mock.get("/rest/api/3/user/properties", BOB)
        .await
        .error(StatusCode::BAD_REQUEST);
    mock.get(&keys_path(3, &"y".repeat(129)), BOB)
        .await
        .error(StatusCode::BAD_REQUEST);
    // Permission comes before the key and body checks.
    let long_key = prop_path(3, &"k".repeat(300), &alice);
    mock.put(&long_key, BOB, "")
        .await
        .error(StatusCode::FORBIDDEN);
    mock.put(&long_key, ALICE, "1")
        .await
        .error(StatusCode::BAD_REQUEST);
    // The key is checked before the body.
    let message = mock
        .put(&long_key, ALICE, "")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("key"), "{message:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creators_of_one_key_see_exactly_one_201() {
    let mock = Arc::new(Mock::start(&[]).await);
    let alice = mock.id("alice");
    let path = prop_path(3, "race", &alice);
    let barrier = Arc::new(tokio::sync::Barrier::new(32));
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let mock = Arc::clone(&mock);
            let path = path.clone();
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                mock.put(&path, ALICE, &i.to_string()).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("no panic"));
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let updated = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!((created, updated), (1, 31), "{statuses:?}");
    let listing = mock
        .get(&keys_path(3, &alice), ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(listed_keys(&listing), ["race"]);
}

// ---------------------------------------------------------------------------------------------
// Seeded faults: each changes its one behaviour, and the neighbouring ones stay documented.

struct Pair {
    good: Mock,
    bad: Mock,
}

impl Pair {
    async fn start(fault: Fault) -> Pair {
        Pair {
            good: Mock::start(&[]).await,
            bad: Mock::start(&[fault]).await,
        }
    }
}

#[tokio::test]
async fn fault_post_accepted() {
    let p = Pair::start(Fault::PostAccepted).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "posted", &alice);
    let good = p.good.send(Method::POST, &path, ALICE, Some(b"7")).await;
    good.error(StatusCode::METHOD_NOT_ALLOWED);
    let bad = p.bad.send(Method::POST, &path, ALICE, Some(b"7")).await;
    bad.empty(StatusCode::CREATED);
    assert_eq!(
        p.bad.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        7
    );
    // Everything else is as documented.
    let patch = p.bad.send(Method::PATCH, &path, ALICE, Some(b"8")).await;
    patch.method_not_allowed("DELETE, GET, PUT");
    p.bad.put(&path, ALICE, "9").await.empty(StatusCode::OK);
    p.bad
        .send(Method::POST, &keys_path(3, &alice), ALICE, Some(b"1"))
        .await
        .error(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn fault_value_limit_not_enforced() {
    let p = Pair::start(Fault::ValueLimitNotEnforced).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "big", &alice);
    let past = string_value(32769, 'a');
    p.good
        .put(&path, ALICE, &past)
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .put(&path, ALICE, &past)
        .await
        .empty(StatusCode::CREATED);
    let huge = string_value(100_000, 'a');
    p.bad.put(&path, ALICE, &huge).await.empty(StatusCode::OK);
    // The key limit and body validation still hold.
    p.bad
        .put(&prop_path(3, &"k".repeat(256), &alice), ALICE, "1")
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .put(&path, ALICE, "")
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn fault_value_limit_off_by_one() {
    let p = Pair::start(Fault::ValueLimitOffByOne).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "edge", &alice);
    let at_limit = string_value(32768, 'a');
    p.good
        .put(&path, ALICE, &at_limit)
        .await
        .empty(StatusCode::CREATED);
    p.bad
        .put(&path, ALICE, &at_limit)
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .put(&path, ALICE, &string_value(32767, 'a'))
        .await
        .empty(StatusCode::CREATED);
    p.bad
        .put(&path, ALICE, &string_value(32769, 'a'))
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn fault_value_bytes_as_chars() {
    let p = Pair::start(Fault::ValueBytesAsChars).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "utf8", &alice);
    let multibyte = string_value(32769, 'é');
    p.good
        .put(&path, ALICE, &multibyte)
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .put(&path, ALICE, &multibyte)
        .await
        .empty(StatusCode::CREATED);
    // ASCII, where bytes and characters agree, is still limited.
    p.bad
        .put(&path, ALICE, &string_value(32769, 'a'))
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .put(&path, ALICE, &string_value(32768, 'a'))
        .await
        .empty(StatusCode::OK);
}

#[tokio::test]
async fn fault_key_limit_not_enforced() {
    let p = Pair::start(Fault::KeyLimitNotEnforced).await;
    let alice = p.good.id("alice");
    let long = prop_path(3, &"é".repeat(256), &alice);
    p.good
        .put(&long, ALICE, "1")
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .put(&long, ALICE, "1")
        .await
        .empty(StatusCode::CREATED);
    assert_eq!(
        p.bad.get(&long, ALICE).await.json(StatusCode::OK)["value"],
        1
    );
    // The value limit still holds.
    p.bad
        .put(&prop_path(3, "k", &alice), ALICE, &string_value(32769, 'a'))
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn fault_admin_check_missing() {
    let p = Pair::start(Fault::AdminCheckMissing).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "k", &alice);
    p.good
        .put(&path, BOB, "1")
        .await
        .error(StatusCode::FORBIDDEN);
    p.good
        .get(&keys_path(3, &alice), BOB)
        .await
        .error(StatusCode::FORBIDDEN);
    p.bad.put(&path, BOB, "1").await.empty(StatusCode::CREATED);
    assert_eq!(p.bad.get(&path, BOB).await.json(StatusCode::OK)["value"], 1);
    p.bad
        .get(&keys_path(3, &alice), BOB)
        .await
        .json(StatusCode::OK);
    p.bad.delete(&path, BOB).await.empty(StatusCode::NO_CONTENT);
    // Authentication, accountId and existence checks still hold.
    p.bad
        .get(&path, Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
    p.bad
        .get("/rest/api/3/user/properties", BOB)
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .get(&keys_path(3, UNKNOWN_ACCOUNT), BOB)
        .await
        .error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fault_anonymous_read_allowed() {
    let p = Pair::start(Fault::AnonymousReadAllowed).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "k", &alice);
    p.good
        .put(&path, ALICE, "5")
        .await
        .empty(StatusCode::CREATED);
    p.bad
        .put(&path, ALICE, "5")
        .await
        .empty(StatusCode::CREATED);
    p.good
        .get(&path, Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
    p.good
        .get(&keys_path(3, &alice), Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
    assert_eq!(
        p.bad.get(&path, Who::Anonymous).await.json(StatusCode::OK)["value"],
        5
    );
    let listing = p
        .bad
        .get(&keys_path(3, &alice), Who::Anonymous)
        .await
        .json(StatusCode::OK);
    assert_eq!(listed_keys(&listing), ["k"]);
    // Writes, bad credentials and /myself are still refused.
    p.bad
        .put(&path, Who::Anonymous, "6")
        .await
        .error(StatusCode::UNAUTHORIZED);
    p.bad
        .delete(&path, Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
    p.bad
        .get(&path, Who::WrongToken("alice"))
        .await
        .error(StatusCode::UNAUTHORIZED);
    p.bad
        .get("/rest/api/3/myself", Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
    assert_eq!(
        p.bad.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        5
    );
}

#[tokio::test]
async fn fault_invalid_credentials_accepted() {
    let p = Pair::start(Fault::InvalidCredentialsAccepted).await;
    let wrong = Who::WrongToken("alice");
    p.good
        .get("/rest/api/3/myself", wrong)
        .await
        .error(StatusCode::UNAUTHORIZED);
    let body = p
        .bad
        .get("/rest/api/3/myself", wrong)
        .await
        .json(StatusCode::OK);
    assert_eq!(body["accountId"], p.bad.id("alice").as_str());
    // Unknown e-mails and missing credentials are still refused.
    p.bad
        .get(
            "/rest/api/3/myself",
            // unknown@example.test:mock-alice-token
            Who::Header("Basic dW5rbm93bkBleGFtcGxlLnRlc3Q6bW9jay1hbGljZS10b2tlbg=="),
        )
        .await
        .error(StatusCode::UNAUTHORIZED);
    p.bad
        .get("/rest/api/3/myself", Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn fault_nokey_get_404() {
    let p = Pair::start(Fault::NokeyGet404).await;
    let alice = p.good.id("alice");
    let path = format!("/rest/api/3/user/properties/?accountId={alice}");
    p.good.get(&path, ALICE).await.json(StatusCode::OK);
    p.bad.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
    // The listing itself still works, and no-key PUT is still 405.
    p.bad
        .get(&keys_path(3, &alice), ALICE)
        .await
        .json(StatusCode::OK);
    p.bad
        .put(&path, ALICE, "1")
        .await
        .error(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn fault_put_always_200() {
    let p = Pair::start(Fault::PutAlways200).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "new", &alice);
    p.good
        .put(&path, ALICE, "1")
        .await
        .empty(StatusCode::CREATED);
    p.bad.put(&path, ALICE, "1").await.empty(StatusCode::OK);
    // The property was stored, and updates are 200 as documented.
    assert_eq!(
        p.bad.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        1
    );
    p.bad.put(&path, ALICE, "2").await.empty(StatusCode::OK);
    assert_eq!(
        p.bad.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        2
    );
}

#[tokio::test]
async fn fault_delete_200() {
    let p = Pair::start(Fault::Delete200).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "d", &alice);
    for mock in [&p.good, &p.bad] {
        mock.put(&path, ALICE, "1").await.empty(StatusCode::CREATED);
    }
    p.good
        .delete(&path, ALICE)
        .await
        .empty(StatusCode::NO_CONTENT);
    let bad = p.bad.delete(&path, ALICE).await;
    assert_eq!(bad.status, StatusCode::OK);
    // The property is gone all the same, and a second delete is 404.
    p.bad.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
    p.bad
        .delete(&path, ALICE)
        .await
        .error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fault_stale_key_listing() {
    let p = Pair::start(Fault::StaleKeyListing).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "fresh", &alice);
    for mock in [&p.good, &p.bad] {
        mock.put(&path, ALICE, "1").await.empty(StatusCode::CREATED);
    }
    let good = p
        .good
        .get(&keys_path(3, &alice), ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(listed_keys(&good), ["fresh"]);
    let bad = p
        .bad
        .get(&keys_path(3, &alice), ALICE)
        .await
        .json(StatusCode::OK);
    assert!(listed_keys(&bad).is_empty(), "{bad}");
    // The property itself is there.
    assert_eq!(
        p.bad.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        1
    );
}

#[tokio::test]
async fn fault_account_id_ignored() {
    let p = Pair::start(Fault::AccountIdIgnored).await;
    let alice = p.good.id("alice");
    for mock in [&p.good, &p.bad] {
        mock.put(&prop_path(3, "own", &alice), ALICE, "1")
            .await
            .empty(StatusCode::CREATED);
    }
    p.good
        .get("/rest/api/3/user/properties", ALICE)
        .await
        .error(StatusCode::BAD_REQUEST);
    let bad = p
        .bad
        .get("/rest/api/3/user/properties", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(listed_keys(&bad), ["own"]);
    assert_eq!(
        p.bad
            .get("/rest/api/3/user/properties/own", ALICE)
            .await
            .json(StatusCode::OK)["value"],
        1
    );
    // A given accountId is still checked.
    p.bad
        .get(&keys_path(3, &p.bad.id("bob")), ALICE)
        .await
        .error(StatusCode::FORBIDDEN);
    p.bad
        .get(&keys_path(3, &"z".repeat(129)), ALICE)
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn fault_wrong_content_type() {
    let p = Pair::start(Fault::WrongContentType).await;
    for path in ["/rest/api/3/myself", "/rest/api/3/user/properties"] {
        let good = p.good.get(path, ALICE).await;
        assert_eq!(good.content_type(), Some(JSON_CONTENT_TYPE));
        let bad = p.bad.get(path, ALICE).await;
        assert_eq!(bad.status, good.status);
        let content_type = bad.content_type().unwrap_or_default();
        assert!(content_type.starts_with("text/plain"), "{content_type}");
        // The body is the same JSON (but for the port in the links).
        let good_body = good.body.replace(&p.good.server.base_url, "BASE");
        let bad_body = bad.body.replace(&p.bad.server.base_url, "BASE");
        let good_json: Value = serde_json::from_str(&good_body).expect("JSON");
        let bad_json: Value = serde_json::from_str(&bad_body).expect("JSON");
        assert_eq!(bad_json, good_json);
    }
}

#[tokio::test]
async fn fault_allow_header_missing() {
    let p = Pair::start(Fault::AllowHeaderMissing).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "k", &alice);
    let good = p.good.send(Method::POST, &path, ALICE, Some(b"1")).await;
    assert_eq!(good.allow(), Some("DELETE, GET, PUT"));
    let bad = p.bad.send(Method::POST, &path, ALICE, Some(b"1")).await;
    bad.error(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(bad.allow(), None);
    let bad = p.bad.delete(&keys_path(3, &alice), ALICE).await;
    bad.error(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(bad.allow(), None);
}

#[tokio::test]
async fn fault_myself_active_as_string() {
    let p = Pair::start(Fault::MyselfActiveAsString).await;
    let mut good = p
        .good
        .get("/rest/api/3/myself", ALICE)
        .await
        .json(StatusCode::OK);
    let mut bad = p
        .bad
        .get("/rest/api/3/myself", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(good["active"], json!(true));
    assert_eq!(bad["active"], json!("true"));
    // Nothing else differs but the port in the links.
    for body in [&mut good, &mut bad] {
        body.as_object_mut().map(|o| o.remove("active"));
    }
    let good = good.to_string().replace(&p.good.server.base_url, "BASE");
    let bad = bad.to_string().replace(&p.bad.server.base_url, "BASE");
    assert_eq!(good, bad);
}

#[tokio::test]
async fn fault_delete_keeps_value() {
    let p = Pair::start(Fault::DeleteKeepsValue).await;
    let alice = p.good.id("alice");
    let path = prop_path(3, "sticky", &alice);
    for mock in [&p.good, &p.bad] {
        mock.put(&path, ALICE, "1").await.empty(StatusCode::CREATED);
        mock.delete(&path, ALICE)
            .await
            .empty(StatusCode::NO_CONTENT);
    }
    p.good.get(&path, ALICE).await.error(StatusCode::NOT_FOUND);
    assert_eq!(
        p.bad.get(&path, ALICE).await.json(StatusCode::OK)["value"],
        1
    );
    // Deleting what never existed is still 404.
    p.bad
        .delete(&prop_path(3, "never", &alice), ALICE)
        .await
        .error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fault_missing_account_id_404() {
    let p = Pair::start(Fault::MissingAccountId404).await;
    p.good
        .get("/rest/api/3/user/properties", ALICE)
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .get("/rest/api/3/user/properties", ALICE)
        .await
        .error(StatusCode::NOT_FOUND);
    // Only the listing: the property operations still answer 400.
    let property = "/rest/api/3/user/properties/k";
    p.bad
        .get(property, ALICE)
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .put(property, ALICE, "1")
        .await
        .error(StatusCode::BAD_REQUEST);
    p.bad
        .delete(property, ALICE)
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn all_faults_can_be_on_at_once() {
    // Every behaviour fault; the whole-mock ones (routing, body encoding) would hide them.
    let behaviours: Vec<Fault> = Fault::ALL
        .iter()
        .copied()
        .filter(|f| !Fault::WHOLE_MOCK.contains(f))
        .collect();
    let all = Mock::start(&behaviours).await;
    let alice = all.id("alice");
    let path = prop_path(3, "k", &alice);
    // put-always-200 and post-accepted together: a POST creates with 200.
    let reply = all.send(Method::POST, &path, ALICE, Some(b"1")).await;
    reply.empty(StatusCode::OK);
    // myself-active-as-string and wrong-content-type together.
    let me = all.get("/rest/api/3/myself", ALICE).await;
    assert!(me
        .content_type()
        .unwrap_or_default()
        .starts_with("text/plain"));
    let me: Value = serde_json::from_str(&me.body).expect("JSON");
    assert_eq!(me["active"], json!("true"));
}

/// RFC 9110 §15.5.16: a write whose body is declared in a media type the operation does not
/// take (text/plain) is refused with 415 and stores nothing; under the seeded fault it is read
/// as JSON.
#[tokio::test]
async fn a_text_plain_body_gets_415_and_stores_nothing() {
    for (faults, status) in [
        (&[][..], StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (&[Fault::MediaTypeUnchecked][..], StatusCode::CREATED),
    ] {
        let mock = Mock::start(faults).await;
        let url = format!(
            "{}/rest/api/3/user/properties/media.k?accountId=5b10ac8d82e05b22cc7d4ef5",
            mock.server.base_url
        );
        let put = client()
            .put(&url)
            .basic_auth("alice@example.test", Some("mock-alice-token"))
            .header("content-type", "text/plain")
            .body(r#"{"a": 1}"#)
            .send()
            .await
            .expect("answers");
        assert_eq!(put.status(), status, "faults {faults:?}");
        let get = client()
            .get(&url)
            .basic_auth("alice@example.test", Some("mock-alice-token"))
            .send()
            .await
            .expect("answers");
        let stored = get.status() == StatusCode::OK;
        assert_eq!(stored, !faults.is_empty(), "faults {faults:?}");
    }
}

/// RFC 9110 §11.6.1: every 401 carries a challenge; the seeded fault drops it.
#[tokio::test]
async fn a_401_carries_www_authenticate_unless_the_fault_drops_it() {
    for (faults, challenged) in [(&[][..], true), (&[Fault::ChallengeMissing][..], false)] {
        let mock = Mock::start(faults).await;
        let answer = client()
            .get(format!("{}/rest/api/3/myself", mock.server.base_url))
            .send()
            .await
            .expect("answers");
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            answer.headers().contains_key("www-authenticate"),
            challenged,
            "faults {faults:?}"
        );
    }
}
