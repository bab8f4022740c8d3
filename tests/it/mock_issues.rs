//! The reference mock's attachments, issues and worklogs, driven over loopback HTTP: each
//! documented behaviour, each seeded fault of these resources changing exactly what it names,
//! and the 200 bodies validated against the real spec's response schemas.

use jira_conform::mock::Fault;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{field_of_each, fixtures, Mock, RealSpec, Who, ADMIN, ALICE, BOB};

use crate::support;

const ISSUE_NOT_FOUND: &str = "Issue does not exist or you do not have permission to see it.";
const VERSIONS: [u8; 2] = [2, 3];

/// Every field of an issue, in the order the mock lists them; the first seven are navigable.
const ALL_FIELDS: [&str; 9] = [
    "summary",
    "description",
    "project",
    "issuetype",
    "status",
    "created",
    "updated",
    "attachment",
    "worklog",
];

/// 2026-01-06T09:00:00.000+0000 (worklog 10401's start) in epoch milliseconds.
const JAN_6_0900_MS: i64 = 1_767_690_000_000;

fn api(version: u8, rest: &str) -> String {
    format!("/rest/api/{version}{rest}")
}

/// The worklog ids of a PageOfWorklogs.
fn ids(page: &Value) -> Vec<String> {
    field_of_each(&page["worklogs"], "id")
}

fn field_names(issue: &Value) -> Vec<String> {
    issue["fields"]
        .as_object()
        .expect("fields is an object")
        .keys()
        .cloned()
        .collect()
}

/// GET `path` as `who`: a 200, and its JSON body.
async fn get_ok(mock: &Mock, path: &str, who: Who) -> Value {
    mock.get(path, who).await.json(StatusCode::OK)
}

/// GET `path` as `who`: refused with `status` in Jira's error shape, and its message.
async fn get_refused(mock: &Mock, path: &str, who: Who, status: StatusCode) -> String {
    mock.get(path, who).await.error(status)
}

/// GET `path` as `who`: a 404 in Jira's error shape, and its message.
async fn get_not_found(mock: &Mock, path: &str, who: Who) -> String {
    get_refused(mock, path, who, StatusCode::NOT_FOUND).await
}

/// GET `path` as `who`: a 403 in Jira's error shape, and its message.
async fn get_forbidden(mock: &Mock, path: &str, who: Who) -> String {
    get_refused(mock, path, who, StatusCode::FORBIDDEN).await
}

/// PUT `body` to `path` as `who`: a 200, and its JSON body.
async fn put_ok(mock: &Mock, path: &str, who: Who, body: &str) -> Value {
    mock.put(path, who, body).await.json(StatusCode::OK)
}

/// PUT `body` to `path` as `who`: refused with `status` in Jira's error shape, and its message.
async fn put_refused(mock: &Mock, path: &str, who: Who, body: &str, status: StatusCode) -> String {
    mock.put(path, who, body).await.error(status)
}

/// PUT `body` to `path` as `who`: a 400 in Jira's error shape, and its message.
async fn put_bad_request(mock: &Mock, path: &str, who: Who, body: &str) -> String {
    put_refused(mock, path, who, body, StatusCode::BAD_REQUEST).await
}

/// PUT `body` to `path` as `who`: a 404 in Jira's error shape, and its message.
async fn put_not_found(mock: &Mock, path: &str, who: Who, body: &str) -> String {
    put_refused(mock, path, who, body, StatusCode::NOT_FOUND).await
}

/// The worklog at `path` is a 404 to `who`, both to read and to update.
async fn worklog_not_found(mock: &Mock, path: &str, who: Who) {
    get_not_found(mock, path, who).await;
    put_not_found(mock, path, who, r#"{"timeSpentSeconds": 60}"#).await;
}

fn adf(text: &str) -> Value {
    json!({"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    ]})
}

// ---------------------------------------------------------------------------------------------
// Methods and authentication

/// Every route, a method it does not document, and the `Allow` it must send.
const ROUTES: [(&str, &str); 5] = [
    ("/attachment/meta", "GET"),
    ("/attachment/10300", "DELETE, GET"),
    ("/issue/CONF-1", "DELETE, GET, PUT"),
    ("/issue/CONF-1/worklog", "DELETE, GET, POST"),
    ("/issue/CONF-1/worklog/10400", "DELETE, GET, PUT"),
];

#[tokio::test]
async fn undocumented_methods_are_405_with_allow_before_authentication() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        for (path, allow) in ROUTES {
            let path = api(version, path);
            for method in [Method::PATCH, Method::OPTIONS] {
                for who in [ALICE, Who::Anonymous] {
                    let reply = mock.send(method.clone(), &path, who, None).await;
                    reply.method_not_allowed(allow);
                }
            }
        }
        // A documented method of a sibling path is still undocumented here.
        let reply = mock
            .send(Method::POST, &api(version, "/issue/CONF-1"), ALICE, None)
            .await;
        reply.method_not_allowed("DELETE, GET, PUT");
        let reply = mock
            .send(
                Method::PUT,
                &api(version, "/attachment/meta"),
                Who::Anonymous,
                None,
            )
            .await;
        reply.method_not_allowed("GET");
    }
}

#[tokio::test]
async fn anonymous_and_wrong_credentials_are_401_everywhere() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        for (path, _) in ROUTES {
            for who in [Who::Anonymous, Who::WrongToken("alice")] {
                get_refused(&mock, &api(version, path), who, StatusCode::UNAUTHORIZED).await;
            }
        }
        let reply = mock
            .put(
                &api(version, "/issue/CONF-1/worklog/10400"),
                Who::Anonymous,
                r#"{"timeSpentSeconds": 60}"#,
            )
            .await;
        reply.error(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn documented_operations_outside_the_slice_are_501_after_authentication() {
    let mock = Mock::start(&[]).await;
    let cases = [
        (Method::DELETE, "/attachment/10300"),
        (Method::PUT, "/issue/CONF-1"),
        (Method::DELETE, "/issue/CONF-1"),
        (Method::POST, "/issue/CONF-1/worklog"),
        (Method::DELETE, "/issue/CONF-1/worklog"),
        (Method::DELETE, "/issue/CONF-1/worklog/10400"),
    ];
    for version in VERSIONS {
        for (method, path) in &cases {
            let path = api(version, path);
            let reply = mock.send(method.clone(), &path, ADMIN, Some(b"{}")).await;
            reply.not_implemented();
            mock.send(method.clone(), &path, Who::Anonymous, None)
                .await
                .error(StatusCode::UNAUTHORIZED);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Attachments

#[tokio::test]
async fn attachment_meta_is_served_to_everyone_authenticated() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        for who in [ADMIN, ALICE, BOB] {
            let body = get_ok(&mock, &api(version, "/attachment/meta"), who).await;
            assert_eq!(body, json!({"enabled": true, "uploadLimit": 10485760}));
        }
    }
}

#[tokio::test]
async fn attachment_metadata_follows_the_issue_permissions() {
    let mock = Mock::start(&[]).await;
    let base = mock.server.base_url.clone();
    for version in VERSIONS {
        let body = get_ok(&mock, &api(version, "/attachment/10300"), ALICE).await;
        assert_eq!(body["id"], json!(10300));
        assert_eq!(
            body["self"],
            format!("{base}/rest/api/{version}/attachment/10300")
        );
        assert_eq!(body["filename"], "notes.txt");
        assert_eq!(body["size"], 2048);
        assert_eq!(body["mimeType"], "text/plain");
        assert_eq!(body["created"], "2026-01-05T10:00:00.000+0000");
        assert_eq!(body["properties"], json!({}));
        assert!(body["content"]
            .as_str()
            .is_some_and(|c| c.starts_with(&base)));
        let author = &body["author"];
        assert_eq!(author["accountId"], "5b10ac8d82e05b22cc7d4ef5");
        assert_eq!(author["displayName"], "Alice Able");
        assert_eq!(author["active"], json!(true));
        assert_eq!(author["accountType"], "atlassian");
        assert!(author["avatarUrls"]["48x48"].is_string());

        // 10301 is on CONF-2, behind issue security alice is outside of.
        get_forbidden(&mock, &api(version, "/attachment/10301"), ALICE).await;
        let bob = get_ok(&mock, &api(version, "/attachment/10301"), BOB).await;
        assert_eq!(bob["filename"], "secret-plan.pdf");
        // Jira administrators get nothing implicitly, but the admin is in CONF-2's level.
        get_ok(&mock, &api(version, "/attachment/10301"), ADMIN).await;

        for unknown in ["99999", "meta2", "%FF"] {
            get_not_found(&mock, &api(version, &format!("/attachment/{unknown}")), BOB).await;
        }
    }
}

#[tokio::test]
async fn disabled_attachments_are_404_but_still_report_their_settings() {
    let mut fixtures = fixtures();
    fixtures.world.attachment_settings.enabled = false;
    let mock = Mock::with(fixtures, &[]).await;
    get_not_found(&mock, &api(3, "/attachment/10300"), ALICE).await;
    let meta = get_ok(&mock, &api(3, "/attachment/meta"), ALICE).await;
    assert_eq!(meta["enabled"], json!(false));
}

// ---------------------------------------------------------------------------------------------
// Issues

#[tokio::test]
async fn issue_visibility_needs_browse_and_the_security_level() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        let path = api(version, "/issue/CONF-2");
        assert_eq!(get_not_found(&mock, &path, ALICE).await, ISSUE_NOT_FOUND);
        assert_eq!(get_ok(&mock, &path, BOB).await["key"], "CONF-2");
        // HID is browsed by the admin only; alice and bob cannot tell it from a missing issue.
        get_ok(&mock, &api(version, "/issue/HID-1"), ADMIN).await;
        for who in [ALICE, BOB] {
            assert_eq!(
                get_not_found(&mock, &api(version, "/issue/HID-1"), who).await,
                ISSUE_NOT_FOUND
            );
        }
        for unknown in ["NOPE-1", "99999", "%FF%FE"] {
            assert_eq!(
                get_not_found(&mock, &api(version, &format!("/issue/{unknown}")), ADMIN).await,
                ISSUE_NOT_FOUND
            );
        }
    }
}

#[tokio::test]
async fn issues_are_found_by_id_and_by_key_in_any_case() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        for given in ["CONF-1", "conf-1", "Conf-1", "10200"] {
            let body = get_ok(&mock, &api(version, &format!("/issue/{given}")), ALICE).await;
            assert_eq!(body["key"], "CONF-1", "{given}");
            assert_eq!(body["id"], "10200");
        }
        get_not_found(&mock, &api(version, "/issue/conf-2"), ALICE).await;
    }
}

#[tokio::test]
async fn issue_bodies_differ_between_versions_only_in_rich_text() {
    let mock = Mock::start(&[]).await;
    let base = mock.server.base_url.clone();
    let mut bodies = Vec::new();
    for version in VERSIONS {
        let body = get_ok(&mock, &api(version, "/issue/CONF-1"), ALICE).await;
        assert_eq!(
            body["self"],
            format!("{base}/rest/api/{version}/issue/10200")
        );
        assert!(body["expand"]
            .as_str()
            .is_some_and(|e| e.contains("renderedFields")));
        let f = &body["fields"];
        assert_eq!(field_names(&body), ALL_FIELDS);
        assert_eq!(f["summary"], "Conformance checks need a home");
        assert_eq!(f["project"]["key"], "CONF");
        assert_eq!(f["project"]["id"], "10000");
        assert_eq!(f["project"]["name"], "Conformance");
        assert!(f["issuetype"]["name"].is_string() && f["status"]["name"].is_string());
        for stamp in ["created", "updated"] {
            let text = f[stamp].as_str().expect("a timestamp");
            assert_eq!(text.len(), "2026-01-05T10:00:00.000+0000".len(), "{text}");
        }
        let attachments: Vec<&Value> = f["attachment"].as_array().expect("array").iter().collect();
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0]["id"], json!(10300));
        // Alice's view of the issue's worklogs leaves out the reviewers-only 10401.
        assert_eq!(ids(&f["worklog"]), ["10400", "10402"]);
        assert_eq!(f["worklog"]["total"], 2);
        bodies.push(body);
    }
    assert_eq!(
        bodies[0]["fields"]["description"],
        "Where the suite's reads land."
    );
    assert_eq!(
        bodies[1]["fields"]["description"],
        adf("Where the suite's reads land.")
    );
    assert_eq!(
        bodies[0]["fields"]["worklog"]["worklogs"][0]["comment"],
        "Wrote the first cases"
    );
    assert_eq!(
        bodies[1]["fields"]["worklog"]["worklogs"][0]["comment"],
        adf("Wrote the first cases")
    );
    // An issue without a description shows null.
    let hid = get_ok(&mock, &api(3, "/issue/HID-1"), ADMIN).await;
    assert_eq!(hid["fields"]["description"], Value::Null);
}

#[tokio::test]
async fn fields_select_include_exclude_and_repeat() {
    let mock = Mock::start(&[]).await;
    let all = ALL_FIELDS;
    let navigable = &all[..7];
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("fields=summary,status", vec!["summary", "status"]),
        ("fields=summary&fields=project", vec!["summary", "project"]),
        ("fields=summary,%20status%20", vec!["summary", "status"]),
        ("fields=-summary", all[1..].to_vec()),
        ("fields=*all", all.to_vec()),
        ("fields=*all,-worklog,-attachment", navigable.to_vec()),
        ("fields=*navigable", navigable.to_vec()),
        ("fields=*navigable,-description", {
            let mut v = navigable.to_vec();
            v.retain(|f| *f != "description");
            v
        }),
        ("fields=*navigable&fields=worklog", {
            let mut v = navigable.to_vec();
            v.push("worklog");
            v
        }),
        ("fields=summary,-summary", vec![]),
        ("fields=nosuchfield", vec![]),
        ("fields=nosuchfield,summary", vec!["summary"]),
        ("fields=", all.to_vec()),
        ("fieldsByKeys=true&fields=summary", vec!["summary"]),
        (
            "fieldsByKeys=false&updateHistory=true&failFast=true",
            all.to_vec(),
        ),
    ];
    for version in VERSIONS {
        for (query, expected) in &cases {
            let body = get_ok(
                &mock,
                &api(version, &format!("/issue/CONF-1?{query}")),
                ALICE,
            )
            .await;
            assert_eq!(field_names(&body), *expected, "{query}");
            assert_eq!(body["key"], "CONF-1");
        }
    }
}

#[tokio::test]
async fn expand_adds_rendered_fields_and_names_and_properties_an_empty_set() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        let plain = get_ok(&mock, &api(version, "/issue/CONF-1"), ALICE).await;
        for absent in ["renderedFields", "names", "properties"] {
            assert!(plain.get(absent).is_none(), "{absent}");
        }
        let path = api(
            version,
            "/issue/CONF-1?fields=summary,description,status&expand=renderedFields,names,changelog&properties=*all",
        );
        let body = get_ok(&mock, &path, ALICE).await;
        assert_eq!(
            body["renderedFields"],
            json!({
                "summary": "Conformance checks need a home",
                "description": "<p>Where the suite&#39;s reads land.</p>"
            })
        );
        assert_eq!(
            body["names"],
            json!({"summary": "Summary", "description": "Description", "status": "Status"})
        );
        assert_eq!(body["properties"], json!({}));
        assert!(body.get("changelog").is_none());
    }
}

// ---------------------------------------------------------------------------------------------
// Worklogs: reading

#[tokio::test]
async fn worklog_listing_shows_only_what_the_caller_may_see() {
    let mock = Mock::start(&[]).await;
    let base = mock.server.base_url.clone();
    for version in VERSIONS {
        let path = api(version, "/issue/CONF-1/worklog");
        let alice = get_ok(&mock, &path, ALICE).await;
        assert_eq!(ids(&alice), ["10400", "10402"]);
        assert_eq!(
            (&alice["startAt"], &alice["maxResults"], &alice["total"]),
            (&json!(0), &json!(5000), &json!(2))
        );
        let bob = get_ok(&mock, &path, BOB).await;
        assert_eq!(ids(&bob), ["10400", "10401", "10402"]);
        let first = &bob["worklogs"][0];
        assert_eq!(
            first["self"],
            format!("{base}/rest/api/{version}/issue/10200/worklog/10400")
        );
        assert_eq!(first["issueId"], "10200");
        assert_eq!(first["timeSpent"], "1h");
        assert_eq!(first["timeSpentSeconds"], 3600);
        assert_eq!(first["started"], "2026-01-05T09:00:00.000+0000");
        assert_eq!(first["author"]["displayName"], "Alice Able");
        assert_eq!(first["updateAuthor"]["displayName"], "Alice Able");
        assert!(first.get("visibility").is_none());
        let restricted = &bob["worklogs"][1];
        assert_eq!(restricted["timeSpent"], "30m");
        assert_eq!(
            restricted["visibility"],
            json!({"type": "group", "value": "reviewers", "identifier": "reviewers"})
        );
        assert_eq!(bob["worklogs"][2]["timeSpent"], "2h");

        // The issue itself must be visible.
        get_not_found(&mock, &api(version, "/issue/CONF-2/worklog"), ALICE).await;
        get_not_found(&mock, &api(version, "/issue/NOPE-9/worklog"), ADMIN).await;
        let lower = get_ok(&mock, &api(version, "/issue/conf-1/worklog"), BOB).await;
        assert_eq!(lower["total"], 3);
    }
}

#[tokio::test]
async fn worklog_listing_pages_with_total_before_paging() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        let page = |q: &str| api(version, &format!("/issue/CONF-1/worklog?{q}"));
        let one = get_ok(&mock, &page("startAt=1&maxResults=1"), BOB).await;
        assert_eq!(ids(&one), ["10401"]);
        assert_eq!(
            (&one["startAt"], &one["maxResults"], &one["total"]),
            (&json!(1), &json!(1), &json!(3))
        );
        let tail = get_ok(&mock, &page("startAt=2"), BOB).await;
        assert_eq!(ids(&tail), ["10402"]);
        let past = get_ok(&mock, &page("startAt=7"), BOB).await;
        assert_eq!((ids(&past).len(), &past["total"]), (0, &json!(3)));
        let none = get_ok(&mock, &page("maxResults=0"), BOB).await;
        assert_eq!((ids(&none).len(), &none["total"]), (0, &json!(3)));
        let huge = get_ok(
            &mock,
            &page("startAt=9223372036854775807&maxResults=2147483647"),
            BOB,
        )
        .await;
        assert_eq!(ids(&huge).len(), 0);
        // The doc: non-numeric startAt or maxResults is a 404.
        for bad in [
            "startAt=x",
            "maxResults=ten",
            "maxResults=2147483648",
            "startAt=99999999999999999999",
            "startedAfter=yesterday",
        ] {
            get_not_found(&mock, &page(bad), BOB).await;
        }
    }
}

#[tokio::test]
async fn started_after_is_inclusive_and_started_before_exclusive() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        let page = |q: String| api(version, &format!("/issue/CONF-1/worklog?{q}"));
        let after = get_ok(&mock, &page(format!("startedAfter={JAN_6_0900_MS}")), BOB).await;
        assert_eq!(ids(&after), ["10401", "10402"]);
        assert_eq!(after["total"], 2);
        let after_plus = get_ok(
            &mock,
            &page(format!("startedAfter={}", JAN_6_0900_MS + 1)),
            BOB,
        )
        .await;
        assert_eq!(ids(&after_plus), ["10402"]);
        let before = get_ok(&mock, &page(format!("startedBefore={JAN_6_0900_MS}")), BOB).await;
        assert_eq!(ids(&before), ["10400"]);
        let window = get_ok(
            &mock,
            &page(format!(
                "startedAfter={JAN_6_0900_MS}&startedBefore={}",
                JAN_6_0900_MS + 1
            )),
            BOB,
        )
        .await;
        assert_eq!(ids(&window), ["10401"]);
        // Filters apply before visibility paging: alice's page never counts 10401.
        let alice = get_ok(&mock, &page(format!("startedAfter={JAN_6_0900_MS}")), ALICE).await;
        assert_eq!(
            (ids(&alice), &alice["total"]),
            (vec!["10402".to_string()], &json!(1))
        );
    }
}

#[tokio::test]
async fn a_hidden_log_work_field_lists_nothing_and_hides_each_worklog() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        let page = get_ok(&mock, &api(version, "/issue/QUIET-1/worklog"), ALICE).await;
        assert_eq!(
            page,
            json!({"startAt": 0, "maxResults": 5000, "total": 0, "worklogs": []})
        );
        worklog_not_found(&mock, &api(version, "/issue/QUIET-1/worklog/10403"), ALICE).await;
        let issue = get_ok(&mock, &api(version, "/issue/QUIET-1"), ALICE).await;
        assert_eq!(issue["fields"]["worklog"]["total"], 0);
    }
}

#[tokio::test]
async fn one_worklog_is_404_unless_visible_and_on_that_issue() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        let one = |issue: &str, id: &str| api(version, &format!("/issue/{issue}/worklog/{id}"));
        get_not_found(&mock, &one("CONF-1", "10401"), ALICE).await;
        let bob = get_ok(&mock, &one("CONF-1", "10401"), BOB).await;
        assert_eq!(bob["id"], "10401");
        assert_eq!(bob["author"]["displayName"], "Bob Baker");
        let by_id = get_ok(&mock, &one("10200", "10400"), ALICE).await;
        assert_eq!(by_id["id"], "10400");
        for (issue, id) in [
            ("CONF-2", "10400"),
            ("CONF-1", "10403"),
            ("CONF-1", "99999"),
            ("HID-1", "10400"),
        ] {
            get_not_found(&mock, &one(issue, id), BOB).await;
        }
        let with = get_ok(
            &mock,
            &format!("{}?expand=properties", one("CONF-1", "10400")),
            ALICE,
        )
        .await;
        assert_eq!(with["properties"], json!([]));
    }
}

#[tokio::test]
async fn disabled_time_tracking_is_404_for_every_worklog_operation() {
    let mut fixtures = fixtures();
    fixtures.world.timetracking.enabled = false;
    let mock = Mock::with(fixtures, &[]).await;
    for version in VERSIONS {
        get_not_found(&mock, &api(version, "/issue/CONF-1/worklog"), ADMIN).await;
        worklog_not_found(&mock, &api(version, "/issue/CONF-1/worklog/10402"), ADMIN).await;
        get_ok(&mock, &api(version, "/issue/CONF-1"), ADMIN).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Worklogs: updating

const W10400_V2: &str = "/rest/api/2/issue/CONF-1/worklog/10400";
const W10400_V3: &str = "/rest/api/3/issue/CONF-1/worklog/10400";

#[tokio::test]
async fn a_partial_update_changes_only_what_it_names() {
    let mock = Mock::start(&[]).await;
    let before = get_ok(&mock, W10400_V2, ALICE).await;
    let after = put_ok(&mock, W10400_V2, ALICE, r#"{"timeSpentSeconds": 5400}"#).await;
    assert_eq!(after["timeSpent"], "1h 30m");
    assert_eq!(after["timeSpentSeconds"], 5400);
    for kept in [
        "comment", "started", "created", "author", "id", "issueId", "self",
    ] {
        assert_eq!(after[kept], before[kept], "{kept}");
    }
    assert_eq!(after["updateAuthor"]["displayName"], "Alice Able");
    assert_ne!(after["updated"], before["updated"]);
    // The change is stored, and both versions show it.
    let again = get_ok(&mock, W10400_V3, ALICE).await;
    assert_eq!(again["timeSpentSeconds"], 5400);
    assert_eq!(again["comment"], adf("Wrote the first cases"));

    let text = put_ok(
        &mock,
        W10400_V2,
        ALICE,
        r#"{"timeSpent": "2h 15m", "started": "2026-01-05T11:00:00.000+0200"}"#,
    )
    .await;
    assert_eq!(text["timeSpentSeconds"], 8100);
    assert_eq!(text["started"], "2026-01-05T09:00:00.000+0000");
    assert_eq!(text["comment"], "Wrote the first cases");
    // Updating the worklog updates its issue.
    let issue = get_ok(&mock, &api(2, "/issue/CONF-1?fields=updated"), ALICE).await;
    assert_eq!(issue["fields"]["updated"], text["updated"]);
}

#[tokio::test]
async fn an_update_that_changes_nothing_is_400() {
    let mock = Mock::start(&[]).await;
    for body in [
        "{}".to_string(),
        r#"{"comment": "Wrote the first cases"}"#.to_string(),
        r#"{"timeSpent": "1h", "started": "2026-01-05T10:00:00.000+0100"}"#.to_string(),
        r#"{"timeSpentSeconds": 3600, "visibility": null}"#.to_string(),
    ] {
        put_bad_request(&mock, W10400_V2, ALICE, &body).await;
    }
    let same_doc = json!({"comment": adf("Wrote the first cases")}).to_string();
    put_bad_request(&mock, W10400_V3, ALICE, &same_doc).await;
    let unchanged = get_ok(&mock, W10400_V2, ALICE).await;
    assert_eq!(unchanged["updated"], "2026-01-05T09:00:00.000+0000");
}

#[tokio::test]
async fn only_the_author_or_an_edit_all_holder_may_update() {
    let mock = Mock::start(&[]).await;
    let body = r#"{"comment": "changed by someone"}"#;
    for path in [W10400_V2, W10400_V3] {
        let message = put_bad_request(&mock, path, BOB, body).await;
        assert!(message.contains("permission"), "{message}");
    }
    // The admin holds Edit all worklogs in CONF.
    let by_admin = put_ok(&mock, W10400_V2, ADMIN, body).await;
    assert_eq!(by_admin["comment"], "changed by someone");
    assert_eq!(by_admin["author"]["displayName"], "Alice Able");
    assert_eq!(by_admin["updateAuthor"]["displayName"], "Ada Admin");
    // Alice may not update the admin's 10402, nor see bob's restricted 10401 to update it.
    put_bad_request(&mock, &api(2, "/issue/CONF-1/worklog/10402"), ALICE, body).await;
    put_not_found(&mock, &api(2, "/issue/CONF-1/worklog/10401"), ALICE, body).await;
}

#[tokio::test]
async fn comments_are_text_on_v2_and_documents_on_v3() {
    let mock = Mock::start(&[]).await;
    let doc_body = json!({"comment": adf("From version three")}).to_string();
    put_bad_request(&mock, W10400_V2, ALICE, &doc_body).await;
    for bad in [
        json!({"comment": "plain text"}),
        json!({"comment": null}),
        json!({"comment": {"type": "doc", "version": 1}}),
        json!({"comment": {"type": "paragraph", "version": 1, "content": []}}),
    ] {
        put_bad_request(&mock, W10400_V3, ALICE, &bad.to_string()).await;
    }
    put_bad_request(&mock, W10400_V2, ALICE, r#"{"comment": 5}"#).await;
    let v3 = put_ok(&mock, W10400_V3, ALICE, &doc_body).await;
    assert_eq!(v3["comment"], adf("From version three"));
    let v2 = get_ok(&mock, W10400_V2, ALICE).await;
    assert_eq!(v2["comment"], "From version three");
    let v2_put = put_ok(&mock, W10400_V2, ALICE, r#"{"comment": "Back to text"}"#).await;
    assert_eq!(v2_put["comment"], "Back to text");
    let v3_get = get_ok(&mock, W10400_V3, ALICE).await;
    assert_eq!(v3_get["comment"], adf("Back to text"));
}

#[tokio::test]
async fn estimate_parameters_are_checked() {
    let mock = Mock::start(&[]).await;
    let mut seconds = 600;
    let mut body = || {
        seconds += 60;
        format!(r#"{{"timeSpentSeconds": {seconds}}}"#)
    };
    for bad in [
        "adjustEstimate=new",
        "adjustEstimate=new&newEstimate=",
        "adjustEstimate=new&newEstimate=soon",
        "adjustEstimate=sideways",
        "adjustEstimate=",
    ] {
        put_bad_request(&mock, &format!("{W10400_V2}?{bad}"), ALICE, &body()).await;
    }
    for good in [
        "adjustEstimate=new&newEstimate=2d",
        "adjustEstimate=leave",
        "adjustEstimate=manual",
        "adjustEstimate=auto&notifyUsers=false&overrideEditableFlag=true",
        "newEstimate=whatever",
    ] {
        put_ok(&mock, &format!("{W10400_V3}?{good}"), ALICE, &body()).await;
    }
}

#[tokio::test]
async fn malformed_bodies_and_unknown_fields_are_400() {
    let mock = Mock::start(&[]).await;
    for bad in [
        "",
        "not json",
        "{\"comment\": ",
        "[]",
        "\"text\"",
        "null",
        r#"{"author": "bob"}"#,
        r#"{"timeSpent": "1h", "timeSpentSeconds": 3600}"#,
        r#"{"timeSpentSeconds": 0}"#,
        r#"{"timeSpentSeconds": -60}"#,
        r#"{"timeSpentSeconds": 1.5}"#,
        r#"{"timeSpentSeconds": 99999999999999999999999}"#,
        r#"{"timeSpent": "0m"}"#,
        r#"{"timeSpent": "lots"}"#,
        r#"{"started": "yesterday"}"#,
        r#"{"started": "2026-02-30T09:00:00.000+0000"}"#,
        r#"{"visibility": {"type": "group", "value": "no-such-group"}}"#,
        r#"{"visibility": {"type": "group", "value": "reviewers"}}"#,
        r#"{"visibility": {"type": "team", "value": "x"}}"#,
        r#"{"visibility": "reviewers"}"#,
        r#"{"properties": {"a": 1}}"#,
        r#"{"properties": [{"key": "", "value": 1}]}"#,
    ] {
        put_bad_request(&mock, W10400_V2, ALICE, bad).await;
    }
    mock.send(
        Method::PUT,
        W10400_V2,
        ALICE,
        Some(b"{\"comment\": \"\xff\"}"),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    // Alice holds the Developers role in CONF, so she may restrict her worklog to it.
    let role = put_ok(
        &mock,
        W10400_V2,
        ALICE,
        r#"{"visibility": {"type": "role", "value": "Developers"}}"#,
    )
    .await;
    assert_eq!(
        role["visibility"],
        json!({"type": "role", "value": "Developers"})
    );
    let lifted = put_ok(&mock, W10400_V2, ALICE, r#"{"visibility": null}"#).await;
    assert!(lifted.get("visibility").is_none());
}

#[tokio::test]
async fn concurrent_updates_are_never_lost() {
    let mock = std::sync::Arc::new(Mock::start(&[]).await);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let mock = mock.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"properties": [{"key": format!("k{i}"), "value": i}]}).to_string();
            mock.put(W10400_V2, ALICE, &body).await.status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("no panic"), StatusCode::OK);
    }
    let body = get_ok(&mock, &format!("{W10400_V3}?expand=properties"), ALICE).await;
    let properties = body["properties"].as_array().expect("properties");
    assert_eq!(properties.len(), 24, "{body}");
}

// ---------------------------------------------------------------------------------------------
// Faults: each changes exactly what it names

#[tokio::test]
async fn fault_attachment_security_ignored_serves_hidden_attachments() {
    let mock = Mock::start(&[Fault::AttachmentSecurityIgnored]).await;
    let body = get_ok(&mock, &api(3, "/attachment/10301"), ALICE).await;
    assert_eq!(body["filename"], "secret-plan.pdf");
    // Everything else stands: unknown ids, the issue itself, anonymous callers.
    get_not_found(&mock, &api(3, "/attachment/99999"), ALICE).await;
    get_not_found(&mock, &api(3, "/issue/CONF-2"), ALICE).await;
    get_refused(
        &mock,
        &api(3, "/attachment/10301"),
        Who::Anonymous,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn fault_attachment_meta_admin_only_refuses_others() {
    let mock = Mock::start(&[Fault::AttachmentMetaAdminOnly]).await;
    for who in [ALICE, BOB] {
        get_forbidden(&mock, &api(2, "/attachment/meta"), who).await;
    }
    get_ok(&mock, &api(2, "/attachment/meta"), ADMIN).await;
    get_ok(&mock, &api(2, "/attachment/10300"), ALICE).await;
}

#[tokio::test]
async fn fault_issue_security_ignored_shows_secured_issues_to_browsers() {
    let mock = Mock::start(&[Fault::IssueSecurityIgnored]).await;
    let body = get_ok(&mock, &api(3, "/issue/CONF-2"), ALICE).await;
    assert_eq!(body["key"], "CONF-2");
    // Browse still applies, and only getIssue is affected.
    get_not_found(&mock, &api(3, "/issue/HID-1"), ALICE).await;
    get_forbidden(&mock, &api(3, "/attachment/10301"), ALICE).await;
    get_not_found(&mock, &api(3, "/issue/CONF-2/worklog"), ALICE).await;
}

#[tokio::test]
async fn fault_fields_exclusion_ignored_keeps_excluded_fields() {
    let mock = Mock::start(&[Fault::FieldsExclusionIgnored]).await;
    let body = get_ok(&mock, &api(2, "/issue/CONF-1?fields=-summary"), ALICE).await;
    assert!(body["fields"].get("summary").is_some());
    let nav = get_ok(
        &mock,
        &api(2, "/issue/CONF-1?fields=*navigable,-description"),
        ALICE,
    )
    .await;
    assert!(nav["fields"].get("description").is_some());
    // Inclusions are unaffected.
    let only = get_ok(&mock, &api(2, "/issue/CONF-1?fields=summary"), ALICE).await;
    assert_eq!(field_names(&only), ["summary"]);
    assert!(nav["fields"].get("worklog").is_none());
}

#[tokio::test]
async fn fault_issue_key_case_sensitive_misses_lower_case_keys() {
    let mock = Mock::start(&[Fault::IssueKeyCaseSensitive]).await;
    get_not_found(&mock, &api(3, "/issue/conf-1"), ALICE).await;
    get_not_found(&mock, &api(3, "/issue/conf-1/worklog"), ALICE).await;
    for exact in ["CONF-1", "10200"] {
        get_ok(&mock, &api(3, &format!("/issue/{exact}")), ALICE).await;
    }
}

#[tokio::test]
async fn fault_worklog_visibility_ignored_shows_restricted_worklogs() {
    let mock = Mock::start(&[Fault::WorklogVisibilityIgnored]).await;
    let page = get_ok(&mock, &api(2, "/issue/CONF-1/worklog"), ALICE).await;
    assert_eq!(ids(&page), ["10400", "10401", "10402"]);
    get_ok(&mock, &api(2, "/issue/CONF-1/worklog/10401"), ALICE).await;
    // Issue visibility and the hidden Log work field still apply, and so do updates' rules.
    get_not_found(&mock, &api(2, "/issue/CONF-2/worklog"), ALICE).await;
    let quiet = get_ok(&mock, &api(2, "/issue/QUIET-1/worklog"), ALICE).await;
    assert_eq!(quiet["total"], 0);
    put_not_found(
        &mock,
        &api(2, "/issue/CONF-1/worklog/10401"),
        ALICE,
        r#"{"comment": "x"}"#,
    )
    .await;
}

#[tokio::test]
async fn fault_worklog_update_clears_unset_fields() {
    let path = api(2, "/issue/CONF-1/worklog/10401");
    let body = r#"{"timeSpentSeconds": 2400}"#;
    let faithful = Mock::start(&[]).await;
    let kept = put_ok(&faithful, &path, BOB, body).await;
    assert_eq!(kept["comment"], "Reviewed them");
    assert!(kept.get("visibility").is_some());

    let faulty = Mock::start(&[Fault::WorklogUpdateClearsUnset]).await;
    let cleared = put_ok(&faulty, &path, BOB, body).await;
    assert!(cleared.get("comment").is_none(), "{cleared}");
    assert!(cleared.get("visibility").is_none(), "{cleared}");
    assert_eq!(cleared["timeSpentSeconds"], 2400);
    assert_eq!(cleared["started"], kept["started"]);
    // Given fields are still set, and an update that changes nothing is still refused.
    let given = put_ok(&faulty, &path, BOB, r#"{"comment": "again"}"#).await;
    assert_eq!(given["comment"], "again");
    put_bad_request(&faulty, &path, BOB, r#"{"comment": "again"}"#).await;
}

#[tokio::test]
async fn fault_worklog_max_results_ignored_returns_every_worklog() {
    let mock = Mock::start(&[Fault::WorklogMaxResultsIgnored]).await;
    let page = get_ok(&mock, &api(3, "/issue/CONF-1/worklog?maxResults=1"), BOB).await;
    assert_eq!(ids(&page), ["10400", "10401", "10402"]);
    assert_eq!(
        (&page["maxResults"], &page["total"]),
        (&json!(1), &json!(3))
    );
    let from = get_ok(
        &mock,
        &api(3, "/issue/CONF-1/worklog?startAt=1&maxResults=1"),
        BOB,
    )
    .await;
    assert_eq!(ids(&from), ["10401", "10402"]);
}

#[tokio::test]
async fn fault_worklog_empty_update_accepted_answers_200() {
    let mock = Mock::start(&[Fault::WorklogEmptyUpdateAccepted]).await;
    for body in ["{}", r#"{"comment": "Wrote the first cases"}"#] {
        let same = put_ok(&mock, W10400_V2, ALICE, body).await;
        assert_eq!(same["comment"], "Wrote the first cases");
        assert_eq!(same["timeSpentSeconds"], 3600);
    }
    // Other refusals stand.
    put_bad_request(&mock, W10400_V2, ALICE, r#"{"author": "bob"}"#).await;
    put_bad_request(&mock, W10400_V2, BOB, "{}").await;
}

// ---------------------------------------------------------------------------------------------
// The 200 bodies against the real spec

#[tokio::test]
async fn success_bodies_validate_against_the_real_spec() {
    let Some(spec) = RealSpec::load() else {
        return;
    };
    let mock = Mock::start(&[]).await;
    // A worklog with properties, so the updated body exercises every Worklog field.
    put_ok(
        &mock,
        W10400_V3,
        ALICE,
        r#"{"properties": [{"key": "k", "value": {"x": 1}}]}"#,
    )
    .await;
    let cases: Vec<(&str, String, Who)> = VERSIONS
        .iter()
        .flat_map(|&v| {
            vec![
                ("getAttachmentMeta", api(v, "/attachment/meta"), ALICE),
                ("getAttachment", api(v, "/attachment/10301"), BOB),
                ("getIssue", api(v, "/issue/CONF-1"), BOB),
                (
                    "getIssue",
                    api(
                        v,
                        "/issue/CONF-1?expand=renderedFields,names&properties=*all",
                    ),
                    BOB,
                ),
                ("getIssue", api(v, "/issue/HID-1"), ADMIN),
                ("getIssueWorklog", api(v, "/issue/CONF-1/worklog"), BOB),
                (
                    "getIssueWorklog",
                    api(v, "/issue/CONF-1/worklog?expand=properties"),
                    BOB,
                ),
                ("getIssueWorklog", api(v, "/issue/QUIET-1/worklog"), BOB),
                ("getWorklog", api(v, "/issue/CONF-1/worklog/10401"), BOB),
                (
                    "getWorklog",
                    api(v, "/issue/CONF-1/worklog/10400?expand=properties"),
                    ALICE,
                ),
            ]
        })
        .collect();
    for (operation, path, who) in cases {
        let body = get_ok(&mock, &path, who).await;
        spec.assert_valid_200(operation, &body, &path);
    }
    // updateWorklog's 200 is the same Worklog schema.
    for path in [W10400_V2, W10400_V3] {
        let body = put_ok(
            &mock,
            &format!("{path}?expand=properties"),
            ALICE,
            &json!({"timeSpentSeconds": if path == W10400_V2 { 60 } else { 120 }}).to_string(),
        )
        .await;
        spec.assert_valid_200("updateWorklog", &body, path);
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[tokio::test]
async fn odd_input_gets_a_jira_error_never_a_crash() {
    let mock = Mock::start(&[]).await;
    let paths = [
        "/issue/%FF?fields=%FF,-%FE&expand=%C3%28",
        "/issue/CONF-1?fields=%FF&properties=%FF&expand=names,%FF",
        "/issue/%00",
        "/issue/CONF-1/worklog?startAt=%FF&maxResults=%FF",
        "/issue/CONF-1/worklog?startedAfter=-9223372036854775808&startedBefore=9223372036854775807",
        "/issue/CONF-1/worklog/%FF",
        "/issue/%FF/worklog/10400?expand=%FF",
        "/attachment/%FF%FE",
        "/attachment/-1",
    ];
    for version in VERSIONS {
        for path in paths {
            let reply = mock.get(&api(version, path), BOB).await;
            assert!(
                [
                    StatusCode::OK,
                    StatusCode::BAD_REQUEST,
                    StatusCode::NOT_FOUND
                ]
                .contains(&reply.status),
                "{path}: {reply:?}"
            );
            reply.json(reply.status);
        }
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        for body in [
            deep.as_bytes(),
            b"\xff\xfe",
            b"{\"comment\": \"\\ud800\"}",
            &[0u8; 3],
        ] {
            mock.send(Method::PUT, W10400_V2, ALICE, Some(body))
                .await
                .error(StatusCode::BAD_REQUEST);
        }
        let big = format!("{{\"comment\": \"{}\"}}", "a".repeat(3 * 1024 * 1024));
        let reply = mock.put(W10400_V2, ALICE, &big).await;
        assert!(reply.status.is_client_error(), "{reply:?}");
    }
}
