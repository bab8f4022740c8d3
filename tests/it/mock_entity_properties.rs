//! The reference mock's issue, project and worklog properties, driven over loopback HTTP: the
//! behaviour each operation's documentation describes (statuses, limits, who may read and
//! write), the two seeded faults of these resources changing exactly what they name, and the
//! 200 bodies validated against the real spec's response schemas.
//!
//! The embedded spec does not contain these operations, so the suite run by `tests/it/faults.rs`
//! cannot catch their faults: the tests here do (see the `fault_` tests).

use jira_conform::mock::Fault;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{listed_keys, Mock, RealSpec, Who, ADMIN, ALICE, BOB};

use crate::support;

const VERSIONS: [u8; 2] = [2, 3];
const ISSUE_NOT_FOUND: &str = "Issue does not exist or you do not have permission to see it.";
const WORKLOG_NOT_FOUND: &str =
    "The worklog does not exist or you do not have permission to see it.";

/// `/rest/api/{version}{rest}`.
fn api(version: u8, rest: &str) -> String {
    format!("/rest/api/{version}{rest}")
}

/// The properties path of an issue.
fn issue_props(version: u8, issue: &str) -> String {
    api(version, &format!("/issue/{issue}/properties"))
}

/// The properties path of a project.
fn project_props(version: u8, project: &str) -> String {
    api(version, &format!("/project/{project}/properties"))
}

/// The properties path of a worklog.
fn worklog_props(version: u8, issue: &str, worklog: &str) -> String {
    api(
        version,
        &format!("/issue/{issue}/worklog/{worklog}/properties"),
    )
}

/// A properties path per API version.
type Props = fn(u8) -> String;

/// Each resource, by the entity most tests use: CONF-1, CONF and alice's worklog on CONF-1,
/// alice writing each.
const RESOURCES: [Props; 3] = [
    |version| issue_props(version, "CONF-1"),
    |version| project_props(version, "CONF"),
    |version| worklog_props(version, "CONF-1", "10400"),
];

/// A JSON string value whose text is exactly `bytes` long.
fn value_of(bytes: usize) -> String {
    format!("\"{}\"", "a".repeat(bytes - 2))
}

/// The full create → update → read → list → delete cycle on `base` (a `…/properties` path) as
/// `who`; `self_base` is the `…/properties` URL the listing's `self` links must start with.
async fn roundtrip(mock: &Mock, base: &str, who: Who, self_base: &str) {
    let listed = mock.get(base, who).await.json(StatusCode::OK);
    assert_eq!(listed, json!({ "keys": [] }), "{base}");
    let one = format!("{base}/zeta");
    let two = format!("{base}/alpha");
    mock.put(&one, who, "1").await.empty(StatusCode::CREATED);
    mock.put(&two, who, r#"{"a": [1, 2.50, "é"]}"#)
        .await
        .empty(StatusCode::CREATED);
    mock.put(&two, who, r#"{"a": [3]}"#)
        .await
        .empty(StatusCode::OK);
    let got = mock.get(&two, who).await.json(StatusCode::OK);
    assert_eq!(got, json!({ "key": "alpha", "value": { "a": [3] } }));
    let listed = mock.get(base, who).await.json(StatusCode::OK);
    assert_eq!(listed_keys(&listed), ["alpha", "zeta"], "{base}");
    assert_eq!(
        listed["keys"][0]["self"],
        format!("{}{self_base}/alpha", mock.server.base_url)
    );
    // The trailing-slash form lists the same keys.
    let slash = mock
        .get(&format!("{base}/"), who)
        .await
        .json(StatusCode::OK);
    assert_eq!(slash, listed);
    mock.delete(&two, who).await.empty(StatusCode::NO_CONTENT);
    mock.get(&two, who).await.error(StatusCode::NOT_FOUND);
    mock.delete(&two, who).await.error(StatusCode::NOT_FOUND);
    let listed = mock.get(base, who).await.json(StatusCode::OK);
    assert_eq!(listed_keys(&listed), ["zeta"]);
    mock.delete(&one, who).await.empty(StatusCode::NO_CONTENT);
    let listed = mock.get(base, who).await.json(StatusCode::OK);
    assert_eq!(listed, json!({ "keys": [] }));
}

/// On a fresh mock and both versions, [`roundtrip`] for each `(base, who, self_base)` of the
/// version.
async fn roundtrips(cases: impl Fn(u8) -> Vec<(String, Who, String)>) {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        for (base, who, self_base) in cases(version) {
            roundtrip(&mock, &base, who, &self_base).await;
        }
    }
}

/// The documented limits on `base` as `who`: a value of 32768 bytes accepted and 32769 refused
/// (also when multi-byte text makes it so), a key of 255 characters accepted and 256 refused,
/// and empty or malformed values refused. Cleans up what it created.
async fn limits(mock: &Mock, base: &str, who: Who) {
    let key = format!("{base}/limit");
    mock.put(&key, who, &value_of(32768))
        .await
        .empty(StatusCode::CREATED);
    let got = mock.get(&key, who).await.json(StatusCode::OK);
    assert_eq!(got["value"].as_str().map(str::len), Some(32766));
    mock.put(&key, who, &value_of(32769))
        .await
        .error(StatusCode::BAD_REQUEST);
    // 16384 two-byte characters and the quotes: 16386 characters, 32770 bytes.
    let multibyte = format!("\"{}\"", "é".repeat(16384));
    assert_eq!(multibyte.len(), 32770);
    mock.put(&key, who, &multibyte)
        .await
        .error(StatusCode::BAD_REQUEST);
    // The refused values left the stored one alone.
    let after = mock.get(&key, who).await.json(StatusCode::OK);
    assert_eq!(after, got);
    mock.delete(&key, who).await.empty(StatusCode::NO_CONTENT);

    let long = format!("{base}/{}", "k".repeat(255));
    mock.put(&long, who, "true")
        .await
        .empty(StatusCode::CREATED);
    mock.delete(&long, who).await.empty(StatusCode::NO_CONTENT);
    let too_long = format!("{base}/{}", "k".repeat(256));
    mock.put(&too_long, who, "true")
        .await
        .error(StatusCode::BAD_REQUEST);

    for bad in ["", "   ", "{", "{\"a\": }", "undefined"] {
        mock.put(&key, who, bad)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
    let listed = mock.get(base, who).await.json(StatusCode::OK);
    assert_eq!(listed, json!({ "keys": [] }), "nothing refused was stored");
}

/// The undocumented methods on `base` (the listing) and on one of its properties: 405 with
/// `Allow`, before authentication is looked at.
async fn undocumented_methods(mock: &Mock, base: &str) {
    let one = format!("{base}/k");
    for who in [ALICE, Who::Anonymous] {
        for method in [Method::POST, Method::PATCH] {
            mock.send(method.clone(), &one, who, Some(b"1"))
                .await
                .method_not_allowed("DELETE, GET, PUT");
        }
        for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            mock.send(method, base, who, Some(b"1"))
                .await
                .method_not_allowed("GET");
        }
        // No key: PUT and DELETE name no property.
        for method in [Method::PUT, Method::DELETE, Method::POST] {
            mock.send(method, &format!("{base}/"), who, Some(b"1"))
                .await
                .method_not_allowed("GET");
        }
    }
}

/// No credentials, or credentials that match nobody: 401 for every operation on `base`.
async fn unauthenticated(mock: &Mock, base: &str) {
    let one = format!("{base}/k");
    for who in [Who::Anonymous, Who::WrongToken("alice")] {
        mock.get(base, who).await.error(StatusCode::UNAUTHORIZED);
        mock.get(&one, who).await.error(StatusCode::UNAUTHORIZED);
        mock.put(&one, who, "1")
            .await
            .error(StatusCode::UNAUTHORIZED);
        mock.delete(&one, who).await.error(StatusCode::UNAUTHORIZED);
    }
}

/// Every operation on `base` as `who`: each refused with `status`; returns the messages.
async fn all_refused(mock: &Mock, base: &str, who: Who, status: StatusCode) -> Vec<String> {
    let one = format!("{base}/k");
    vec![
        mock.get(base, who).await.error(status),
        mock.get(&format!("{base}/"), who).await.error(status),
        mock.get(&one, who).await.error(status),
        mock.put(&one, who, "1").await.error(status),
        mock.delete(&one, who).await.error(status),
    ]
}

/// Every operation on `base` as `who`: each refused with `status` and `message`.
async fn all_refused_with(mock: &Mock, base: &str, who: Who, status: StatusCode, message: &str) {
    let messages = all_refused(mock, base, who, status).await;
    assert!(
        messages.iter().all(|m| m == message),
        "{base} as {who:?}: {messages:?}"
    );
}

/// Creates the property `k` on `base` as `who`.
async fn create_k(mock: &Mock, base: &str, who: Who, value: &str) {
    mock.put(&format!("{base}/k"), who, value)
        .await
        .empty(StatusCode::CREATED);
}

/// The property `k` on `base` as `who` reads it: `{"key": "k", "value": …}`.
async fn read_k(mock: &Mock, base: &str, who: Who) -> Value {
    mock.get(&format!("{base}/k"), who)
        .await
        .json(StatusCode::OK)
}

/// Who may write, on a fresh mock: alice creates the property `k` on `writable`; on both
/// versions bob reads it and its listing but may not write (an update, a creation and a
/// deletion are each refused with 403), and alice may not write on `not_hers`. The refused
/// writes change nothing.
async fn only_alice_writes(writable: Props, not_hers: Props) {
    let mock = Mock::start(&[]).await;
    create_k(&mock, &writable(3), ALICE, "1").await;
    for version in VERSIONS {
        let base = writable(version);
        let got = read_k(&mock, &base, BOB).await;
        assert_eq!(got, json!({ "key": "k", "value": 1 }));
        assert_eq!(
            listed_keys(&mock.get(&base, BOB).await.json(StatusCode::OK)),
            ["k"]
        );
        for key in ["k", "new"] {
            mock.put(&format!("{base}/{key}"), BOB, "2")
                .await
                .error(StatusCode::FORBIDDEN);
        }
        mock.delete(&format!("{base}/k"), BOB)
            .await
            .error(StatusCode::FORBIDDEN);
        mock.put(&format!("{}/k", not_hers(version)), ALICE, "1")
            .await
            .error(StatusCode::FORBIDDEN);
    }
    let got = read_k(&mock, &writable(3), ALICE).await;
    assert_eq!(got["value"], 1, "the refused writes changed nothing");
}

// ---------------------------------------------------------------------------------------------
// Every resource

#[tokio::test]
async fn property_limits() {
    let mock = Mock::start(&[]).await;
    for props in RESOURCES {
        for version in VERSIONS {
            limits(&mock, &props(version), ALICE).await;
        }
    }
}

#[tokio::test]
async fn properties_refuse_undocumented_methods_and_anonymous_callers() {
    let mock = Mock::start(&[]).await;
    for props in RESOURCES {
        for version in VERSIONS {
            let base = props(version);
            undocumented_methods(&mock, &base).await;
            unauthenticated(&mock, &base).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Issue properties

#[tokio::test]
async fn issue_property_roundtrip_on_both_versions() {
    roundtrips(|version| {
        let by_key = issue_props(version, "CONF-1");
        vec![
            (by_key.clone(), ALICE, by_key.clone()),
            // Named by id, the listing still links by key.
            (issue_props(version, "10200"), BOB, by_key),
        ]
    })
    .await;
}

#[tokio::test]
async fn issue_properties_are_one_set_whether_named_by_id_key_or_lower_case_key() {
    let mock = Mock::start(&[]).await;
    create_k(&mock, &issue_props(3, "CONF-1"), ALICE, "7").await;
    for name in ["CONF-1", "10200", "conf-1"] {
        for version in VERSIONS {
            let got = mock
                .get(&format!("{}/k", issue_props(version, name)), BOB)
                .await
                .json(StatusCode::OK);
            assert_eq!(got, json!({ "key": "k", "value": 7 }), "{name}");
        }
    }
    // An update through another name is an update, not a creation.
    mock.put(&format!("{}/k", issue_props(2, "conf-1")), ADMIN, "8")
        .await
        .empty(StatusCode::OK);
    // Other issues and other entities do not share it.
    for other in [
        issue_props(3, "CONF-3"),
        project_props(3, "CONF"),
        worklog_props(3, "CONF-1", "10400"),
    ] {
        mock.get(&format!("{other}/k"), ALICE)
            .await
            .error(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn unknown_issues_are_404() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        for issue in ["NOPE-9", "99999", "CONF-999"] {
            let base = issue_props(version, issue);
            all_refused_with(&mock, &base, ADMIN, StatusCode::NOT_FOUND, ISSUE_NOT_FOUND).await;
        }
    }
}

#[tokio::test]
async fn issues_the_caller_cannot_see_are_404_like_unknown_ones() {
    let mock = Mock::start(&[]).await;
    // bob is in the security level of CONF-2; the admin alone browses HID.
    let secured = issue_props(3, "CONF-2");
    let hidden = issue_props(3, "HID-1");
    create_k(&mock, &secured, BOB, "1").await;
    create_k(&mock, &hidden, ADMIN, "1").await;
    for version in VERSIONS {
        for (issue, who) in [
            ("CONF-2", ALICE),
            ("10201", ALICE),
            ("HID-1", ALICE),
            ("HID-1", BOB),
        ] {
            let base = issue_props(version, issue);
            all_refused_with(&mock, &base, who, StatusCode::NOT_FOUND, ISSUE_NOT_FOUND).await;
        }
    }
    // The refused writes changed nothing.
    for (base, who) in [(&secured, BOB), (&hidden, ADMIN)] {
        assert_eq!(read_k(&mock, base, who).await["value"], 1);
    }
    // Those who see the issue may write it: the admin is in CONF-2's level too.
    mock.put(&format!("{secured}/k"), ADMIN, "2")
        .await
        .empty(StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Project properties

#[tokio::test]
async fn project_property_roundtrip_by_administrators() {
    roundtrips(|version| {
        let (conf, hid) = (
            project_props(version, "CONF"),
            project_props(version, "HID"),
        );
        // alice administers CONF; the admin holds Administer Jira.
        vec![
            (conf.clone(), ALICE, conf.clone()),
            (project_props(version, "10000"), ADMIN, conf),
            (hid.clone(), ADMIN, hid),
        ]
    })
    .await;
}

#[tokio::test]
async fn project_property_writes_need_an_administrator() {
    // bob browses CONF but administers nothing: he reads, he does not write. alice administers
    // CONF, not QUIET.
    only_alice_writes(
        |version| project_props(version, "CONF"),
        |version| project_props(version, "QUIET"),
    )
    .await;
}

#[tokio::test]
async fn project_property_reads_need_browse_and_unknown_projects_are_404() {
    let mock = Mock::start(&[]).await;
    create_k(&mock, &project_props(3, "HID"), ADMIN, "1").await;
    for version in VERSIONS {
        // Only the admin browses HID: the others are refused with 403, as documented.
        for who in [ALICE, BOB] {
            all_refused(
                &mock,
                &project_props(version, "HID"),
                who,
                StatusCode::FORBIDDEN,
            )
            .await;
        }
        // The key is case-sensitive; an unknown id or key is 404.
        for project in ["NOPE", "conf", "99999"] {
            all_refused(
                &mock,
                &project_props(version, project),
                ADMIN,
                StatusCode::NOT_FOUND,
            )
            .await;
        }
        // The property itself missing is 404 too.
        mock.get(&format!("{}/absent", project_props(version, "HID")), ADMIN)
            .await
            .error(StatusCode::NOT_FOUND);
    }
}

// ---------------------------------------------------------------------------------------------
// Worklog properties

#[tokio::test]
async fn worklog_property_roundtrip_by_the_author_and_an_edit_all_holder() {
    roundtrips(|version| {
        // 10400 is alice's worklog on CONF-1 (id 10200); the admin holds Edit all worklogs.
        let canonical = worklog_props(version, "10200", "10400");
        vec![
            (
                worklog_props(version, "CONF-1", "10400"),
                ALICE,
                canonical.clone(),
            ),
            (worklog_props(version, "conf-1", "10400"), ADMIN, canonical),
            // 10401 is bob's, restricted to the reviewers group he is in.
            (
                worklog_props(version, "CONF-1", "10401"),
                BOB,
                worklog_props(version, "10200", "10401"),
            ),
        ]
    })
    .await;
}

#[tokio::test]
async fn worklog_property_writes_need_the_author_or_edit_all_worklogs() {
    // bob sees alice's worklog (10400) but may not edit it. The admin's own worklog (10402) is
    // his to edit; alice may not.
    only_alice_writes(
        |version| worklog_props(version, "CONF-1", "10400"),
        |version| worklog_props(version, "CONF-1", "10402"),
    )
    .await;
}

#[tokio::test]
async fn restricted_worklogs_are_404_outside_their_group() {
    let mock = Mock::start(&[]).await;
    let base = worklog_props(3, "CONF-1", "10401");
    create_k(&mock, &base, BOB, "1").await;
    for version in VERSIONS {
        // Neither alice nor the admin is in the reviewers group (not even the admin with Edit
        // all worklogs: the restriction hides the worklog first).
        let restricted = worklog_props(version, "CONF-1", "10401");
        for who in [ALICE, ADMIN] {
            all_refused_with(
                &mock,
                &restricted,
                who,
                StatusCode::NOT_FOUND,
                WORKLOG_NOT_FOUND,
            )
            .await;
        }
    }
    assert_eq!(read_k(&mock, &base, BOB).await["value"], 1);
}

#[tokio::test]
async fn worklogs_are_404_when_unknown_elsewhere_or_hidden_and_400_when_not_numbers() {
    let mock = Mock::start(&[]).await;
    for version in VERSIONS {
        for (issue, worklog, who, message) in [
            // No such worklog; a worklog of another issue.
            ("CONF-1", "99999", ADMIN, WORKLOG_NOT_FOUND),
            ("CONF-3", "10400", ALICE, WORKLOG_NOT_FOUND),
            // The Log work field of QUIET is hidden.
            ("QUIET-1", "10403", ALICE, WORKLOG_NOT_FOUND),
            // The issue unknown, or invisible to the caller.
            ("NOPE-1", "10400", ALICE, ISSUE_NOT_FOUND),
            ("CONF-2", "10400", ALICE, ISSUE_NOT_FOUND),
            ("HID-1", "10400", BOB, ISSUE_NOT_FOUND),
        ] {
            let base = worklog_props(version, issue, worklog);
            all_refused_with(&mock, &base, who, StatusCode::NOT_FOUND, message).await;
        }
        for worklog in ["abc", "-1", "1.5", "+10400"] {
            all_refused(
                &mock,
                &worklog_props(version, "CONF-1", worklog),
                ALICE,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    }
}

#[tokio::test]
async fn worklog_property_resources_leave_the_worklog_routes_alone() {
    let mock = Mock::start(&[]).await;
    // The worklog itself still answers at its own path, next to its properties.
    let worklog = mock
        .get(&api(3, "/issue/CONF-1/worklog/10400"), ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(worklog["id"], "10400");
    let issue = mock
        .get(&api(3, "/issue/CONF-1"), ALICE)
        .await
        .json(StatusCode::OK);
    assert_eq!(issue["key"], "CONF-1");
}

// ---------------------------------------------------------------------------------------------
// Bodies against the real spec

#[tokio::test]
async fn success_bodies_match_the_real_spec() {
    let Some(spec) = RealSpec::load() else {
        return;
    };
    let mock = Mock::start(&[]).await;
    let who = ALICE;
    for (base, keys_op, get_op) in [
        (
            issue_props(3, "CONF-1"),
            "getIssuePropertyKeys",
            "getIssueProperty",
        ),
        (
            project_props(3, "CONF"),
            "getProjectPropertyKeys",
            "getProjectProperty",
        ),
        (
            worklog_props(3, "CONF-1", "10400"),
            "getWorklogPropertyKeys",
            "getWorklogProperty",
        ),
    ] {
        create_k(&mock, &base, who, r#"{"n": 5, "s": "t"}"#).await;
        let listed = mock.get(&base, who).await.json(StatusCode::OK);
        spec.assert_valid_200(keys_op, &listed, &base);
        let got = read_k(&mock, &base, who).await;
        spec.assert_valid_200(get_op, &got, &base);
        let v2 = mock
            .get(&base.replace("/rest/api/3/", "/rest/api/2/"), who)
            .await
            .json(StatusCode::OK);
        assert_eq!(listed_keys(&v2), ["k"], "both versions share the store");
    }
}

// ---------------------------------------------------------------------------------------------
// Faults

#[tokio::test]
async fn fault_issue_property_no_browse_check_lets_outsiders_read() {
    let faithful = Mock::start(&[]).await;
    let faulty = Mock::start(&[Fault::IssuePropertyNoBrowseCheck]).await;
    for mock in [&faithful, &faulty] {
        create_k(mock, &issue_props(3, "CONF-2"), BOB, "1").await;
        create_k(mock, &issue_props(3, "HID-1"), ADMIN, "2").await;
    }
    for (issue, value) in [("CONF-2", 1), ("HID-1", 2)] {
        let base = issue_props(3, issue);
        let one = format!("{base}/k");
        // The faithful mock hides the issue from alice...
        faithful.get(&one, ALICE).await.error(StatusCode::NOT_FOUND);
        faithful
            .get(&base, ALICE)
            .await
            .error(StatusCode::NOT_FOUND);
        // ...the faulty one shows her its properties.
        let got = faulty.get(&one, ALICE).await.json(StatusCode::OK);
        assert_eq!(got, json!({ "key": "k", "value": value }));
        assert_eq!(
            listed_keys(&faulty.get(&base, ALICE).await.json(StatusCode::OK)),
            ["k"]
        );
        // Writes are not what the fault breaks.
        faulty
            .put(&one, ALICE, "3")
            .await
            .error(StatusCode::NOT_FOUND);
        faulty
            .delete(&one, ALICE)
            .await
            .error(StatusCode::NOT_FOUND);
    }
    // Nor does it reach the other entities, or let anonymous callers in.
    let hidden = project_props(3, "HID");
    all_refused(&faulty, &hidden, ALICE, StatusCode::FORBIDDEN).await;
    unauthenticated(&faulty, &issue_props(3, "CONF-2")).await;
}

#[tokio::test]
async fn fault_project_property_anyone_writes_lets_non_administrators_write() {
    let faithful = Mock::start(&[]).await;
    let faulty = Mock::start(&[Fault::ProjectPropertyAnyoneWrites]).await;
    let one = format!("{}/k", project_props(3, "CONF"));
    faithful
        .put(&one, BOB, "1")
        .await
        .error(StatusCode::FORBIDDEN);
    faulty.put(&one, BOB, "1").await.empty(StatusCode::CREATED);
    faulty.put(&one, BOB, "2").await.empty(StatusCode::OK);
    let got = faulty.get(&one, BOB).await.json(StatusCode::OK);
    assert_eq!(got["value"], 2);
    faithful
        .delete(&one, BOB)
        .await
        .error(StatusCode::FORBIDDEN);
    faulty.delete(&one, BOB).await.empty(StatusCode::NO_CONTENT);
    // alice administers CONF, not QUIET: refused by the faithful mock only.
    let quiet = format!("{}/k", project_props(2, "QUIET"));
    faithful
        .put(&quiet, ALICE, "1")
        .await
        .error(StatusCode::FORBIDDEN);
    faulty
        .put(&quiet, ALICE, "1")
        .await
        .empty(StatusCode::CREATED);
    // Reads still need Browse projects, and unknown projects are still 404.
    faulty
        .get(&project_props(3, "HID"), BOB)
        .await
        .error(StatusCode::FORBIDDEN);
    let unknown = project_props(3, "NOPE");
    all_refused(&faulty, &unknown, BOB, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn all_faults_on_at_once_still_serve_these_resources() {
    // Every behaviour fault; the whole-mock ones (routing, body encoding) would hide them.
    let behaviours: Vec<Fault> = Fault::ALL
        .iter()
        .copied()
        .filter(|f| !Fault::WHOLE_MOCK.contains(f))
        .collect();
    let mock = Mock::start(&behaviours).await;
    let one = format!("{}/k", project_props(3, "CONF"));
    let reply = mock.put(&one, BOB, "1").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
    let reply = mock
        .get(&format!("{}/k", issue_props(3, "HID-1")), ALICE)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "no property set yet");
}
