//! Behaviour of the reference mock's dashboards, dashboard item properties, time tracking,
//! notification schemes and project roles, driven over loopback HTTP: each documented
//! behaviour, each seeded fault changing exactly what it names, and the 200 bodies checked
//! against the real spec's schemas.

use jira_conform::fixtures::{Fixtures, EMBEDDED_MOCK_FIXTURES};
use jira_conform::mock::Fault;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{field_of_each, listed_keys, Mock, RealSpec, Reply, Who, ADMIN, ALICE, BOB};

use crate::support;

/// Creates a role as `who`, returning the reply.
async fn create_role(mock: &Mock, who: Who, name: &str) -> Reply {
    let body = json!({ "name": name, "description": "made by a test" }).to_string();
    mock.post("/rest/api/3/role", who, &body).await
}

/// The embedded fixtures' text with one piece replaced (which must be present).
fn fixtures_with(from: &str, to: &str) -> Fixtures {
    assert!(EMBEDDED_MOCK_FIXTURES.contains(from), "{from:?} not found");
    let text = EMBEDDED_MOCK_FIXTURES.replacen(from, to, 1);
    Fixtures::parse(&text, "test.toml", &|_| None).expect("the changed fixtures parse")
}

fn item_path(dashboard: &str, item: &str) -> String {
    format!("/rest/api/3/dashboard/{dashboard}/items/{item}/properties")
}

fn prop_path(dashboard: &str, item: &str, key: &str) -> String {
    format!("{}/{key}", item_path(dashboard, item))
}

/// A JSON string value whose text is exactly `bytes` long.
fn value_of(bytes: usize) -> String {
    format!("\"{}\"", "a".repeat(bytes - 2))
}

fn scheme_ids(page: &Value) -> Vec<u64> {
    page["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|s| s["id"].as_u64().expect("numeric id"))
        .collect()
}

fn role_names(body: &Value) -> Vec<String> {
    field_of_each(body, "name")
}

// ---------------------------------------------------------------------------------------------
// Dashboards

#[tokio::test]
async fn dashboard_visibility_matrix() {
    let mock = Mock::start(&[]).await;
    // (who, dashboard, visible)
    let matrix = [
        (ADMIN, "10000", true),
        (ADMIN, "10001", false),
        (ADMIN, "10002", false),
        (ADMIN, "10003", true),
        (ALICE, "10000", true),
        (ALICE, "10001", true),
        (ALICE, "10002", true),
        (ALICE, "10003", false),
        (BOB, "10000", true),
        (BOB, "10001", false),
        (BOB, "10002", true),
        (BOB, "10003", true),
    ];
    for version in [2, 3] {
        for (who, id, visible) in matrix {
            let reply = mock
                .get(&format!("/rest/api/{version}/dashboard/{id}"), who)
                .await;
            if visible {
                let body = reply.json(StatusCode::OK);
                assert_eq!(body["id"], id, "{who:?}");
                assert_eq!(
                    body["self"],
                    format!("{}/rest/api/{version}/dashboard/{id}", mock.server.base_url)
                );
            } else {
                reply.error(StatusCode::NOT_FOUND);
            }
        }
    }
    mock.get("/rest/api/3/dashboard/99999", ADMIN)
        .await
        .error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn dashboard_bodies_describe_owner_shares_and_writability() {
    let mock = Mock::start(&[]).await;
    let system = mock
        .get("/rest/api/3/dashboard/10000", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(system["systemDashboard"], true);
    assert_eq!(
        system["isWritable"], true,
        "admins own the system dashboard"
    );
    assert!(system.get("owner").is_none());
    assert_eq!(system["sharePermissions"], json!([{ "type": "global" }]));
    assert_eq!(system["view"], "/jira/dashboards/10000");
    assert_eq!(system["editPermissions"], json!([]));
    assert_eq!(system["isFavourite"], false);
    assert_eq!(system["popularity"], 0);
    let as_alice = mock
        .get("/rest/api/3/dashboard/10000", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(as_alice["isWritable"], false);

    let shared = mock
        .get("/rest/api/3/dashboard/10002", BOB)
        .await
        .json(StatusCode::OK);
    assert_eq!(shared["owner"]["accountId"], mock.id("alice"));
    assert_eq!(shared["owner"]["displayName"], "Alice Able");
    assert_eq!(shared["owner"]["active"], true);
    assert_eq!(shared["isWritable"], false);
    assert_eq!(shared["systemDashboard"], false);
    assert_eq!(shared["sharePermissions"][0]["type"], "user");
    assert_eq!(
        shared["sharePermissions"][0]["user"]["accountId"],
        mock.id("bob")
    );
    let own = mock
        .get("/rest/api/3/dashboard/10002", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(own["isWritable"], true);

    let group = mock
        .get("/rest/api/3/dashboard/10003", BOB)
        .await
        .json(StatusCode::OK);
    assert_eq!(group["sharePermissions"][0]["type"], "group");
    assert_eq!(group["sharePermissions"][0]["group"]["name"], "reviewers");
}

#[tokio::test]
async fn project_shares_follow_browse_permission() {
    let fixtures = fixtures_with(
        "owner = \"alice\"\nitems = [\"10010\"]",
        "owner = \"alice\"\nshared_with = [\"project:conf\", \"project:hidden\"]\nitems = [\"10010\"]",
    );
    let mock = Mock::with(fixtures, &[]).await;
    // bob browses CONF, so he sees it; HID is named to him only as unknown.
    let body = mock
        .get("/rest/api/3/dashboard/10001", BOB)
        .await
        .json(StatusCode::OK);
    assert_eq!(body["sharePermissions"][0]["type"], "project");
    assert_eq!(body["sharePermissions"][0]["project"]["key"], "CONF");
    assert_eq!(body["sharePermissions"][0]["project"]["id"], "10000");
    assert_eq!(
        body["sharePermissions"][1],
        json!({ "type": "project-unknown" })
    );
    let admin = mock
        .get("/rest/api/3/dashboard/10001", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(admin["sharePermissions"][1]["project"]["key"], "HID");
}

// ---------------------------------------------------------------------------------------------
// Dashboard item properties

#[tokio::test]
async fn item_property_crud_creates_with_201_then_updates_with_200() {
    let mock = Mock::start(&[]).await;
    for version in [2, 3] {
        let base = format!("/rest/api/{version}/dashboard/10001/items/10010/properties");
        let listed = mock.get(&base, ALICE).await.json(StatusCode::OK);
        assert_eq!(listed, json!({ "keys": [] }));
        mock.put(&format!("{base}/zeta"), ALICE, "1")
            .await
            .empty(StatusCode::CREATED);
        mock.put(&format!("{base}/alpha"), ALICE, r#"{"a": [1, 2]}"#)
            .await
            .empty(StatusCode::CREATED);
        mock.put(&format!("{base}/alpha"), ALICE, r#"{"a": [3]}"#)
            .await
            .empty(StatusCode::OK);
        let got = mock
            .get(&format!("{base}/alpha"), ALICE)
            .await
            .json(StatusCode::OK);
        assert_eq!(got, json!({ "key": "alpha", "value": { "a": [3] } }));
        let listed = mock.get(&base, ALICE).await.json(StatusCode::OK);
        assert_eq!(listed_keys(&listed), ["alpha", "zeta"]);
        assert_eq!(
            listed["keys"][0]["self"],
            format!("{}{base}/alpha", mock.server.base_url)
        );
        // The trailing-slash form lists the same keys.
        let slash = mock
            .get(&format!("{base}/"), ALICE)
            .await
            .json(StatusCode::OK);
        assert_eq!(slash, listed);
        mock.delete(&format!("{base}/alpha"), ALICE)
            .await
            .empty(StatusCode::NO_CONTENT);
        mock.get(&format!("{base}/alpha"), ALICE)
            .await
            .error(StatusCode::NOT_FOUND);
        mock.delete(&format!("{base}/alpha"), ALICE)
            .await
            .error(StatusCode::NOT_FOUND);
        mock.delete(&format!("{base}/zeta"), ALICE)
            .await
            .empty(StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn item_property_permissions() {
    let mock = Mock::start(&[]).await;
    let key = prop_path("10002", "10020", "k");
    mock.put(&key, ALICE, "true")
        .await
        .empty(StatusCode::CREATED);
    // bob: shared with him, owned by alice: reads yes, writes 403.
    let got = mock.get(&key, BOB).await.json(StatusCode::OK);
    assert_eq!(got["value"], true);
    assert_eq!(
        listed_keys(
            &mock
                .get(&item_path("10002", "10020"), BOB)
                .await
                .json(StatusCode::OK)
        ),
        ["k"]
    );
    mock.put(&key, BOB, "false")
        .await
        .error(StatusCode::FORBIDDEN);
    mock.delete(&key, BOB).await.error(StatusCode::FORBIDDEN);
    assert_eq!(
        mock.get(&key, BOB).await.json(StatusCode::OK)["value"],
        true
    );
    // bob on alice's private dashboard: 404 for everything.
    for reply in [
        mock.get(&item_path("10001", "10010"), BOB).await,
        mock.get(&prop_path("10001", "10010", "k"), BOB).await,
        mock.put(&prop_path("10001", "10010", "k"), BOB, "1").await,
        mock.delete(&prop_path("10001", "10010", "k"), BOB).await,
    ] {
        reply.error(StatusCode::NOT_FOUND);
    }
    // An item not on the dashboard, or an unknown dashboard: 404, even for the owner.
    mock.put(&prop_path("10002", "10010", "k"), ALICE, "1")
        .await
        .error(StatusCode::NOT_FOUND);
    mock.get(&item_path("99999", "10010"), ALICE)
        .await
        .error(StatusCode::NOT_FOUND);
    // The system dashboard: administrators own it; others only read.
    let system = prop_path("10000", "10000", "cfg");
    mock.put(&system, ADMIN, r#"{"x":1}"#)
        .await
        .empty(StatusCode::CREATED);
    mock.put(&system, ALICE, "2")
        .await
        .error(StatusCode::FORBIDDEN);
    assert_eq!(
        mock.get(&system, BOB).await.json(StatusCode::OK)["value"],
        json!({"x": 1})
    );
    mock.delete(&system, ADMIN)
        .await
        .empty(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn item_property_limits_and_validation() {
    let mock = Mock::start(&[]).await;
    let at = |key: &str| prop_path("10001", "10010", key);
    mock.put(&at("big"), ALICE, &value_of(32768))
        .await
        .empty(StatusCode::CREATED);
    mock.put(&at("big"), ALICE, &value_of(32769))
        .await
        .error(StatusCode::BAD_REQUEST);
    mock.put(&at(&"k".repeat(255)), ALICE, "1")
        .await
        .empty(StatusCode::CREATED);
    mock.put(&at(&"k".repeat(256)), ALICE, "1")
        .await
        .error(StatusCode::BAD_REQUEST);
    for bad in ["", "   ", "{", "nope", "[1,]"] {
        mock.put(&at("bad"), ALICE, bad)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
    mock.get(&at("bad"), ALICE)
        .await
        .error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn concurrent_item_property_writers_lose_nothing() {
    let mock = std::sync::Arc::new(Mock::start(&[]).await);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let mock = mock.clone();
        tasks.push(tokio::spawn(async move {
            mock.put(
                &prop_path("10001", "10010", &format!("k{i:02}")),
                ALICE,
                "1",
            )
            .await
            .status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), StatusCode::CREATED);
    }
    let listed = mock
        .get(&item_path("10001", "10010"), ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(listed_keys(&listed).len(), 16);
}

// ---------------------------------------------------------------------------------------------
// Time tracking

#[tokio::test]
async fn timetracking_is_for_administrators() {
    let mock = Mock::start(&[]).await;
    for version in [2, 3] {
        let path = format!("/rest/api/{version}/configuration/timetracking");
        let body = mock.get(&path, ADMIN).await.json(StatusCode::OK);
        assert_eq!(
            body,
            json!({ "key": "JIRA", "name": "JIRA provided time tracking" })
        );
        mock.get(&path, ALICE).await.error(StatusCode::FORBIDDEN);
        mock.get(&path, BOB).await.error(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn timetracking_disabled_is_204_without_a_body() {
    let fixtures = fixtures_with(
        "[timetracking]\nenabled = true",
        "[timetracking]\nenabled = false",
    );
    let mock = Mock::with(fixtures, &[]).await;
    mock.get("/rest/api/3/configuration/timetracking", ADMIN)
        .await
        .empty(StatusCode::NO_CONTENT);
    mock.get("/rest/api/3/configuration/timetracking", ALICE)
        .await
        .error(StatusCode::FORBIDDEN);
}

// ---------------------------------------------------------------------------------------------
// Notification schemes

#[tokio::test]
async fn notification_schemes_are_filtered_and_ordered_by_name() {
    let mock = Mock::start(&[]).await;
    for version in [2, 3] {
        let path = format!("/rest/api/{version}/notificationscheme");
        let admin = mock.get(&path, ADMIN).await.json(StatusCode::OK);
        // Archive scheme, Default Notification Scheme, Hidden project scheme.
        assert_eq!(scheme_ids(&admin), [10102, 10100, 10101]);
        assert_eq!(admin["total"], 3);
        assert_eq!(admin["isLast"], true);
        assert_eq!(admin["startAt"], 0);
        assert_eq!(admin["maxResults"], 50);
        assert!(admin.get("nextPage").is_none());
        assert_eq!(admin["values"][0]["name"], "Archive scheme");
        assert_eq!(admin["values"][0]["description"], "Used by no project.");
        assert!(admin["values"][1].get("description").is_none());
        assert!(admin["values"][1].get("notificationSchemeEvents").is_none());
        assert_eq!(
            admin["values"][1]["self"],
            format!(
                "{}/rest/api/{version}/notificationscheme/10100",
                mock.server.base_url
            )
        );
        let alice = mock.get(&path, ALICE).await.json(StatusCode::OK);
        assert_eq!(scheme_ids(&alice), [10100]);
        assert_eq!(alice["values"][0]["name"], "Default Notification Scheme");
        let bob = mock.get(&path, BOB).await.json(StatusCode::OK);
        assert_eq!(bob["values"], json!([]));
        assert_eq!(bob["total"], 0);
        assert_eq!(bob["isLast"], true);
    }
}

#[tokio::test]
async fn notification_schemes_page() {
    let mock = Mock::start(&[]).await;
    let page = mock
        .get(
            "/rest/api/3/notificationscheme?startAt=1&maxResults=1",
            ADMIN,
        )
        .await
        .json(StatusCode::OK);
    assert_eq!(scheme_ids(&page), [10100]);
    assert_eq!(page["startAt"], 1);
    assert_eq!(page["maxResults"], 1);
    assert_eq!(page["total"], 3);
    assert_eq!(page["isLast"], false);
    let next = page["nextPage"].as_str().expect("a next page");
    let next = next
        .strip_prefix(&mock.server.base_url)
        .expect("on the mock");
    assert!(next.contains("startAt=2"), "{next}");
    let last = mock.get(next, ADMIN).await.json(StatusCode::OK);
    assert_eq!(scheme_ids(&last), [10101]);
    assert_eq!(last["isLast"], true);
    assert!(last.get("nextPage").is_none());
    let beyond = mock
        .get("/rest/api/3/notificationscheme?startAt=5", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(beyond["values"], json!([]));
    assert_eq!(beyond["total"], 3);
    assert_eq!(beyond["isLast"], true);
    for bad in [
        "startAt=-1",
        "startAt=x",
        "maxResults=-5",
        "maxResults=ten",
        "id=abc",
    ] {
        mock.get(&format!("/rest/api/3/notificationscheme?{bad}"), ADMIN)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn notification_scheme_filters() {
    let mock = Mock::start(&[]).await;
    let ids = |query: &'static str, who: Who| {
        let mock = &mock;
        async move {
            scheme_ids(
                &mock
                    .get(&format!("/rest/api/3/notificationscheme?{query}"), who)
                    .await
                    .json(StatusCode::OK),
            )
        }
    };
    assert_eq!(ids("id=10100,10102", ADMIN).await, [10102, 10100]);
    assert_eq!(ids("id=10100&id=10101", ADMIN).await, [10100, 10101]);
    assert_eq!(ids("projectId=10001", ADMIN).await, [10101]);
    assert_eq!(ids("projectId=10000,10002", ADMIN).await, [10100]);
    assert_eq!(ids("onlyDefault=true", ADMIN).await, [10100]);
    assert_eq!(ids("onlyDefault=false", ADMIN).await.len(), 3);
    assert!(ids("onlyDefault=true&projectId=10001", ADMIN)
        .await
        .is_empty());
    // Filters never widen what a caller sees.
    assert!(ids("id=10101", ALICE).await.is_empty());
    assert!(ids("onlyDefault=true", BOB).await.is_empty());
}

#[tokio::test]
async fn notification_scheme_events_expand() {
    let mock = Mock::start(&[]).await;
    for expand in ["all", "notificationSchemeEvents"] {
        let page = mock
            .get(
                &format!("/rest/api/3/notificationscheme?id=10100&expand={expand}"),
                ADMIN,
            )
            .await
            .json(StatusCode::OK);
        let events = page["values"][0]["notificationSchemeEvents"]
            .as_array()
            .expect("events");
        assert_eq!(events.len(), 3);
        let deleted = events
            .iter()
            .find(|e| e["event"]["name"] == "Issue deleted")
            .expect("Issue deleted");
        assert_eq!(deleted["event"]["id"], 8);
        assert_eq!(deleted["notifications"], json!([]));
        let updated = &events[1]["notifications"];
        assert_eq!(updated[0]["notificationType"], "User");
        assert_eq!(updated[0]["parameter"], mock.id("alice"));
        assert_eq!(updated[1]["notificationType"], "Group");
        assert_eq!(updated[1]["parameter"], "jira-administrators");
        assert_eq!(updated[2]["notificationType"], "ProjectRole");
        assert_eq!(updated[2]["parameter"], "10003");
        let detailed = expand == "all";
        assert_eq!(updated[0].get("user").is_some(), detailed);
        assert_eq!(updated[2].get("projectRole").is_some(), detailed);
        if detailed {
            assert_eq!(updated[0]["user"]["accountId"], mock.id("alice"));
            assert_eq!(updated[2]["projectRole"]["name"], "Developers");
        }
    }
    let page = mock
        .get("/rest/api/3/notificationscheme?expand=projects", ALICE)
        .await
        .json(StatusCode::OK);
    // Alice administers CONF only: QUIET uses the scheme too but is not hers.
    assert_eq!(page["values"][0]["projects"], json!([10000]));
}

// ---------------------------------------------------------------------------------------------
// Project roles

#[tokio::test]
async fn project_roles_for_project_administrators() {
    let mock = Mock::start(&[]).await;
    for version in [2, 3] {
        for project in ["CONF", "conf", "10000"] {
            let body = mock
                .get(
                    &format!("/rest/api/{version}/project/{project}/role"),
                    ALICE,
                )
                .await
                .json(StatusCode::OK);
            let base = format!(
                "{}/rest/api/{version}/project/10000/role",
                mock.server.base_url
            );
            assert_eq!(
                body,
                json!({
                    "Administrators": format!("{base}/10002"),
                    "Developers": format!("{base}/10003"),
                })
            );
        }
        for (who, project) in [
            (BOB, "CONF"),
            (ALICE, "HID"),
            (ALICE, "QUIET"),
            (ADMIN, "NOPE"),
        ] {
            mock.get(&format!("/rest/api/{version}/project/{project}/role"), who)
                .await
                .error(StatusCode::NOT_FOUND);
        }
        mock.get(&format!("/rest/api/{version}/project/HID/role"), ADMIN)
            .await
            .json(StatusCode::OK);
    }
}

#[tokio::test]
async fn project_role_details_and_current_member() {
    let mock = Mock::start(&[]).await;
    let details = mock
        .get("/rest/api/3/project/CONF/roledetails", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(role_names(&details), ["Administrators", "Developers"]);
    assert_eq!(details[0]["id"], 10002);
    assert_eq!(details[0]["description"], "Project administrators");
    assert_eq!(details[0]["translatedName"], "Administrators");
    assert_eq!(details[0]["roleConfigurable"], true);
    assert_eq!(
        details[1]["self"],
        format!(
            "{}/rest/api/3/project/10000/role/10003",
            mock.server.base_url
        )
    );
    let current = |who: Who, project: &'static str| {
        let mock = &mock;
        async move {
            role_names(
                &mock
                    .get(
                        &format!("/rest/api/3/project/{project}/roledetails?currentMember=true&excludeConnectAddons=true"),
                        who,
                    )
                    .await
                    .json(StatusCode::OK),
            )
        }
    };
    assert_eq!(
        current(ALICE, "CONF").await,
        ["Administrators", "Developers"]
    );
    assert!(current(ADMIN, "CONF").await.is_empty());
    assert_eq!(current(ADMIN, "QUIET").await, ["Administrators"]);
    mock.get("/rest/api/3/project/CONF/roledetails", BOB)
        .await
        .error(StatusCode::NOT_FOUND);
    mock.get("/rest/api/3/project/NOPE/roledetails", ADMIN)
        .await
        .error(StatusCode::NOT_FOUND);
    mock.get(
        "/rest/api/3/project/CONF/roledetails?currentMember=maybe",
        ALICE,
    )
    .await
    .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn create_project_role_then_find_and_delete_it() {
    let mock = Mock::start(&[]).await;
    let created = create_role(&mock, ADMIN, "Testers")
        .await
        .json(StatusCode::OK);
    assert_eq!(created["name"], "Testers");
    assert_eq!(created["description"], "made by a test");
    assert_eq!(created["actors"], json!([]));
    let id = created["id"].as_u64().expect("a numeric id");
    assert!(id > 10003, "{id}");
    assert_eq!(
        created["self"],
        format!("{}/rest/api/3/role/{id}", mock.server.base_url)
    );
    // Every project lists it now.
    let conf = mock
        .get("/rest/api/3/project/CONF/role", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(
        conf["Testers"],
        format!(
            "{}/rest/api/3/project/10000/role/{id}",
            mock.server.base_url
        )
    );
    let all = mock
        .get("/rest/api/3/role", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(
        role_names(&all),
        ["Administrators", "Developers", "Testers"]
    );
    assert!(all
        .as_array()
        .expect("roles")
        .iter()
        .all(|r| r["actors"] == json!([])));
    let one = mock
        .get(&format!("/rest/api/3/role/{id}"), ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(one, created);
    // Nobody acts in it anywhere yet.
    let mine = mock
        .get(
            "/rest/api/3/project/CONF/roledetails?currentMember=true",
            ALICE,
        )
        .await
        .json(StatusCode::OK);
    assert_eq!(role_names(&mine), ["Administrators", "Developers"]);

    // Cleanup: administrators only.
    mock.get(&format!("/rest/api/3/role/{id}"), ALICE)
        .await
        .error(StatusCode::FORBIDDEN);
    mock.delete(&format!("/rest/api/3/role/{id}"), ALICE)
        .await
        .error(StatusCode::FORBIDDEN);
    mock.delete(&format!("/rest/api/3/role/{id}"), ADMIN)
        .await
        .empty(StatusCode::NO_CONTENT);
    mock.delete(&format!("/rest/api/3/role/{id}"), ADMIN)
        .await
        .error(StatusCode::NOT_FOUND);
    mock.get(&format!("/rest/api/3/role/{id}"), ADMIN)
        .await
        .error(StatusCode::NOT_FOUND);
    let conf = mock
        .get("/rest/api/3/project/CONF/role", ALICE)
        .await
        .json(StatusCode::OK);
    assert!(conf.get("Testers").is_none());
    // Ids are not reused after a delete.
    let again = create_role(&mock, ADMIN, "Testers")
        .await
        .json(StatusCode::OK);
    assert!(again["id"].as_u64().expect("id") > id);
}

#[tokio::test]
async fn create_project_role_validation_and_permissions() {
    let mock = Mock::start(&[]).await;
    create_role(&mock, ALICE, "Mine")
        .await
        .error(StatusCode::FORBIDDEN);
    mock.get("/rest/api/3/role", ALICE)
        .await
        .error(StatusCode::FORBIDDEN);
    for existing in ["Developers", "developers", "ADMINISTRATORS"] {
        create_role(&mock, ADMIN, existing)
            .await
            .error(StatusCode::CONFLICT);
    }
    for name in ["", " ", " Padded", "Padded ", "\tTab"] {
        create_role(&mock, ADMIN, name)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
    create_role(&mock, ADMIN, &"n".repeat(256))
        .await
        .error(StatusCode::BAD_REQUEST);
    for body in [
        "",
        "{",
        "[]",
        "\"Testers\"",
        "{}",
        r#"{"name": 5}"#,
        r#"{"description": "x"}"#,
    ] {
        mock.post("/rest/api/3/role", ADMIN, body)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
    // A description is optional.
    let bare = mock
        .post("/rest/api/3/role", ADMIN, r#"{"name": "Bare"}"#)
        .await
        .json(StatusCode::OK);
    assert_eq!(bare["name"], "Bare");
    let all = mock
        .get("/rest/api/3/role", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(role_names(&all), ["Administrators", "Developers", "Bare"]);
}

#[tokio::test]
async fn concurrent_creators_of_one_role_name_see_one_success() {
    let mock = std::sync::Arc::new(Mock::start(&[]).await);
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let mock = mock.clone();
        tasks.push(tokio::spawn(async move {
            create_role(&mock, ADMIN, "Racers").await.status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1);
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT));
}

// ---------------------------------------------------------------------------------------------
// Methods, authentication, operations left out

/// (path, documented methods as `Allow` lists them, a method that is not documented).
const ROUTES: [(&str, &str, &str); 9] = [
    ("/dashboard/10000", "DELETE, GET, PUT", "POST"),
    ("/dashboard/10000/items/10000/properties", "GET", "PUT"),
    ("/dashboard/10000/items/10000/properties/", "GET", "POST"),
    (
        "/dashboard/10000/items/10000/properties/k",
        "DELETE, GET, PUT",
        "POST",
    ),
    ("/configuration/timetracking", "GET, PUT", "DELETE"),
    ("/notificationscheme", "GET, POST", "DELETE"),
    ("/project/CONF/role", "GET", "POST"),
    ("/project/CONF/roledetails", "GET", "DELETE"),
    ("/role", "GET, POST", "PUT"),
];

#[tokio::test]
async fn undocumented_methods_are_405_with_allow_before_authentication() {
    let mock = Mock::start(&[]).await;
    let mut routes = ROUTES.to_vec();
    routes.push(("/role/10002", "DELETE, GET, POST, PUT", "PATCH"));
    for version in [2, 3] {
        for (path, allow, method) in &routes {
            let path = format!("/rest/api/{version}{path}");
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            for who in [Who::Anonymous, ADMIN] {
                let reply = mock.send(method.clone(), &path, who, None).await;
                reply.method_not_allowed(allow);
            }
        }
    }
    // PUT and DELETE on the trailing-slash listing name the missing key.
    for method in [Method::PUT, Method::DELETE] {
        let reply = mock
            .send(
                method,
                &item_path("10000", "10000").replace("properties", "properties/"),
                ADMIN,
                Some(b"1"),
            )
            .await;
        assert!(reply.method_not_allowed("GET").contains("key"));
    }
}

#[tokio::test]
async fn documented_methods_need_valid_credentials() {
    let mock = Mock::start(&[]).await;
    let mut calls: Vec<(Method, String)> = Vec::new();
    for (path, allow, _) in ROUTES {
        for method in allow.split(", ") {
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            calls.push((method, format!("/rest/api/3{path}")));
        }
    }
    calls.push((Method::GET, "/rest/api/3/role/10002".into()));
    calls.push((Method::DELETE, "/rest/api/3/role/10002".into()));
    calls.push((Method::POST, "/rest/api/3/role/10002".into()));
    for (method, path) in calls {
        for who in [Who::Anonymous, Who::WrongToken("admin")] {
            let reply = mock.send(method.clone(), &path, who, Some(b"{}")).await;
            reply.error(StatusCode::UNAUTHORIZED);
        }
    }
}

#[tokio::test]
async fn operations_outside_the_mock_answer_501() {
    let mock = Mock::start(&[]).await;
    let calls = [
        (Method::PUT, "/dashboard/10000"),
        (Method::DELETE, "/dashboard/10000"),
        (Method::PUT, "/configuration/timetracking"),
        (Method::POST, "/notificationscheme"),
        (Method::POST, "/role/10002"),
        (Method::PUT, "/role/10002"),
    ];
    for version in [2, 3] {
        for (method, path) in &calls {
            for who in [ADMIN, BOB] {
                let reply = mock
                    .send(
                        method.clone(),
                        &format!("/rest/api/{version}{path}"),
                        who,
                        Some(b"{}"),
                    )
                    .await;
                reply.not_implemented();
            }
        }
    }
    // The dashboard is untouched.
    mock.get("/rest/api/3/dashboard/10000", BOB)
        .await
        .json(StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Faults: each changes exactly what it names

#[tokio::test]
async fn fault_private_dashboard_visible() {
    let plain = Mock::start(&[]).await;
    let faulty = Mock::start(&[Fault::PrivateDashboardVisible]).await;
    plain
        .get("/rest/api/3/dashboard/10001", BOB)
        .await
        .error(StatusCode::NOT_FOUND);
    let body = faulty
        .get("/rest/api/3/dashboard/10001", BOB)
        .await
        .json(StatusCode::OK);
    assert_eq!(body["isWritable"], false);
    faulty
        .get(&item_path("10001", "10010"), ADMIN)
        .await
        .json(StatusCode::OK);
    // Only dashboards shared with nobody: the group share still hides 10003 from alice, and
    // seeing is not owning.
    faulty
        .get("/rest/api/3/dashboard/10003", ALICE)
        .await
        .error(StatusCode::NOT_FOUND);
    faulty
        .put(&prop_path("10001", "10010", "k"), BOB, "1")
        .await
        .error(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn fault_dashboard_group_share_ignored() {
    let faulty = Mock::start(&[Fault::DashboardGroupShareIgnored]).await;
    faulty
        .get("/rest/api/3/dashboard/10003", BOB)
        .await
        .error(StatusCode::NOT_FOUND);
    faulty
        .get(&item_path("10003", "10030"), BOB)
        .await
        .error(StatusCode::NOT_FOUND);
    // The owner and user shares are unaffected.
    faulty
        .get("/rest/api/3/dashboard/10003", ADMIN)
        .await
        .json(StatusCode::OK);
    faulty
        .get("/rest/api/3/dashboard/10002", BOB)
        .await
        .json(StatusCode::OK);
    let plain = Mock::start(&[]).await;
    plain
        .get("/rest/api/3/dashboard/10003", BOB)
        .await
        .json(StatusCode::OK);
}

#[tokio::test]
async fn fault_item_property_shared_user_writes() {
    let faulty = Mock::start(&[Fault::ItemPropertySharedUserWrites]).await;
    faulty
        .put(&prop_path("10002", "10020", "k"), BOB, "1")
        .await
        .empty(StatusCode::CREATED);
    faulty
        .put(&prop_path("10000", "10000", "k"), ALICE, "1")
        .await
        .empty(StatusCode::CREATED);
    faulty
        .delete(&prop_path("10002", "10020", "k"), BOB)
        .await
        .empty(StatusCode::NO_CONTENT);
    // Those who may not see the dashboard still get 404.
    faulty
        .put(&prop_path("10001", "10010", "k"), BOB, "1")
        .await
        .error(StatusCode::NOT_FOUND);
    let plain = Mock::start(&[]).await;
    plain
        .put(&prop_path("10002", "10020", "k"), BOB, "1")
        .await
        .error(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn fault_item_value_limit_not_enforced() {
    let faulty = Mock::start(&[Fault::ItemValueLimitNotEnforced]).await;
    let at = prop_path("10001", "10010", "big");
    faulty
        .put(&at, ALICE, &value_of(40000))
        .await
        .empty(StatusCode::CREATED);
    // The key limit and validity still hold, and user properties keep their limit.
    faulty
        .put(&prop_path("10001", "10010", &"k".repeat(256)), ALICE, "1")
        .await
        .error(StatusCode::BAD_REQUEST);
    faulty
        .put(&at, ALICE, "{")
        .await
        .error(StatusCode::BAD_REQUEST);
    let alice = faulty.id("alice");
    faulty
        .put(
            &format!("/rest/api/3/user/properties/big?accountId={alice}"),
            ALICE,
            &value_of(32769),
        )
        .await
        .error(StatusCode::BAD_REQUEST);
    let plain = Mock::start(&[]).await;
    plain
        .put(&at, ALICE, &value_of(32769))
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn fault_item_put_always_200() {
    let faulty = Mock::start(&[Fault::ItemPutAlways200]).await;
    let at = prop_path("10001", "10010", "k");
    faulty.put(&at, ALICE, "1").await.empty(StatusCode::OK);
    faulty.put(&at, ALICE, "2").await.empty(StatusCode::OK);
    assert_eq!(
        faulty.get(&at, ALICE).await.json(StatusCode::OK)["value"],
        2
    );
    // User properties still answer 201 on create.
    let alice = faulty.id("alice");
    faulty
        .put(
            &format!("/rest/api/3/user/properties/k?accountId={alice}"),
            ALICE,
            "1",
        )
        .await
        .empty(StatusCode::CREATED);
}

#[tokio::test]
async fn fault_timetracking_open_to_all() {
    let faulty = Mock::start(&[Fault::TimetrackingOpenToAll]).await;
    let body = faulty
        .get("/rest/api/3/configuration/timetracking", BOB)
        .await
        .json(StatusCode::OK);
    assert_eq!(body["key"], "JIRA");
    faulty
        .get("/rest/api/3/configuration/timetracking", Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn fault_notification_schemes_unordered() {
    let faulty = Mock::start(&[Fault::NotificationSchemesUnordered]).await;
    let page = faulty
        .get("/rest/api/3/notificationscheme", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(scheme_ids(&page), [10100, 10101, 10102]);
    // Same schemes, same filtering.
    let alice = faulty
        .get("/rest/api/3/notificationscheme", ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(scheme_ids(&alice), [10100]);
    // Where id order is name order, it is reversed so the fault still shows.
    let page = faulty
        .get("/rest/api/3/notificationscheme?id=10100,10101", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(scheme_ids(&page), [10101, 10100]);
}

#[tokio::test]
async fn fault_notification_schemes_unfiltered() {
    let faulty = Mock::start(&[Fault::NotificationSchemesUnfiltered]).await;
    for who in [ALICE, BOB] {
        let page = faulty
            .get("/rest/api/3/notificationscheme", who)
            .await
            .json(StatusCode::OK);
        assert_eq!(scheme_ids(&page), [10102, 10100, 10101], "still by name");
    }
    faulty
        .get("/rest/api/3/notificationscheme", Who::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn fault_role_created_with_default_actors() {
    let faulty = Mock::start(&[Fault::RoleCreatedWithDefaultActors]).await;
    let created = create_role(&faulty, ADMIN, "Testers")
        .await
        .json(StatusCode::OK);
    let actors = created["actors"].as_array().expect("actors");
    assert_eq!(actors.len(), 1);
    assert_eq!(actors[0]["actorUser"]["accountId"], faulty.id("admin"));
    assert_eq!(actors[0]["type"], "atlassian-user-role-actor");
    // The fixtures' roles are unchanged, and projects gain no actors.
    let all = faulty
        .get("/rest/api/3/role", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(all[0]["actors"], json!([]));
    let mine = faulty
        .get(
            "/rest/api/3/project/QUIET/roledetails?currentMember=true",
            ADMIN,
        )
        .await
        .json(StatusCode::OK);
    assert_eq!(role_names(&mine), ["Administrators"]);
}

#[tokio::test]
async fn fault_role_duplicate_name_accepted() {
    let faulty = Mock::start(&[Fault::RoleDuplicateNameAccepted]).await;
    let created = create_role(&faulty, ADMIN, "developers")
        .await
        .json(StatusCode::OK);
    assert!(created["id"].as_u64().expect("id") > 10003);
    let all = faulty
        .get("/rest/api/3/role", ADMIN)
        .await
        .json(StatusCode::OK);
    assert_eq!(
        role_names(&all),
        ["Administrators", "Developers", "developers"]
    );
    // Other validation and the permission check still hold.
    create_role(&faulty, ADMIN, " Developers")
        .await
        .error(StatusCode::BAD_REQUEST);
    create_role(&faulty, ALICE, "Developers")
        .await
        .error(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn fault_role_create_open_to_all() {
    let faulty = Mock::start(&[Fault::RoleCreateOpenToAll]).await;
    let created = create_role(&faulty, ALICE, "Alice's role")
        .await
        .json(StatusCode::OK);
    assert_eq!(created["actors"], json!([]));
    create_role(&faulty, BOB, "developers")
        .await
        .error(StatusCode::CONFLICT);
    // Only creating: listing and deleting stay administrators'.
    faulty
        .get("/rest/api/3/role", ALICE)
        .await
        .error(StatusCode::FORBIDDEN);
    faulty
        .delete(&format!("/rest/api/3/role/{}", created["id"]), ALICE)
        .await
        .error(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn fault_project_roles_open_to_all() {
    let faulty = Mock::start(&[Fault::ProjectRolesOpenToAll]).await;
    let roles = faulty
        .get("/rest/api/3/project/HID/role", BOB)
        .await
        .json(StatusCode::OK);
    assert!(roles.get("Developers").is_some());
    let details = faulty
        .get(
            "/rest/api/3/project/CONF/roledetails?currentMember=true",
            BOB,
        )
        .await
        .json(StatusCode::OK);
    assert_eq!(role_names(&details), ["Developers"]);
    // Unknown projects are still 404; the site-wide listing is still for administrators.
    faulty
        .get("/rest/api/3/project/NOPE/role", BOB)
        .await
        .error(StatusCode::NOT_FOUND);
    faulty
        .get("/rest/api/3/role", BOB)
        .await
        .error(StatusCode::FORBIDDEN);
}

// ---------------------------------------------------------------------------------------------
// Bodies against the real spec

#[tokio::test]
async fn bodies_validate_against_the_real_spec() {
    let Some(spec) = RealSpec::load() else {
        return;
    };
    let fixtures = fixtures_with(
        "owner = \"alice\"\nitems = [\"10010\"]",
        "owner = \"alice\"\nshared_with = [\"project:conf\", \"project:hidden\"]\nitems = [\"10010\"]",
    );
    let mock = Mock::with(fixtures, &[]).await;
    mock.put(&prop_path("10002", "10020", "k"), ALICE, r#"{"a": 1}"#)
        .await
        .empty(StatusCode::CREATED);
    let created = create_role(&mock, ADMIN, "Validators")
        .await
        .json(StatusCode::OK);
    let mut checks: Vec<(&str, Value)> = vec![("createProjectRole", created)];
    for (who, id) in [
        (ADMIN, "10000"),
        (ALICE, "10002"),
        (BOB, "10003"),
        (BOB, "10001"),
    ] {
        let body = mock
            .get(&format!("/rest/api/3/dashboard/{id}"), who)
            .await
            .json(StatusCode::OK);
        checks.push(("getDashboard", body));
    }
    let gets = [
        (
            "getDashboardItemPropertyKeys",
            item_path("10002", "10020"),
            BOB,
        ),
        (
            "getDashboardItemProperty",
            prop_path("10002", "10020", "k"),
            BOB,
        ),
        (
            "getSelectedTimeTrackingImplementation",
            "/rest/api/3/configuration/timetracking".into(),
            ADMIN,
        ),
        (
            "getNotificationSchemes",
            "/rest/api/3/notificationscheme?expand=all&maxResults=2".into(),
            ADMIN,
        ),
        (
            "getNotificationSchemes",
            "/rest/api/3/notificationscheme?expand=all".into(),
            ALICE,
        ),
        (
            "getNotificationSchemes",
            "/rest/api/3/notificationscheme".into(),
            BOB,
        ),
        (
            "getProjectRoles",
            "/rest/api/3/project/CONF/role".into(),
            ALICE,
        ),
        (
            "getProjectRoleDetails",
            "/rest/api/3/project/CONF/roledetails".into(),
            ALICE,
        ),
        ("getAllProjectRoles", "/rest/api/3/role".into(), ADMIN),
    ];
    for (operation, path, who) in gets {
        checks.push((operation, mock.get(&path, who).await.json(StatusCode::OK)));
    }
    for (operation, body) in checks {
        spec.assert_valid_200(operation, &body, "body");
    }
}
