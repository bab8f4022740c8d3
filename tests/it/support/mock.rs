//! The loopback HTTP harness the mock's behaviour tests share: who a request is sent as, the mock
//! started on a port of its own, a reply read completely and its checks, and the real spec the
//! success bodies are validated against. Each test file uses part of it.
#![allow(dead_code)]

use jira_conform::fixtures::{Credentials, Fixtures};
use jira_conform::mock::{Fault, MockServer};
use jira_conform::spec::schema::{Direction, SchemaCache};
use jira_conform::spec::{escape_token, load_path, Spec};
use reqwest::header::{HeaderMap, ALLOW, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

/// The content type Jira sends with every JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";
/// The message of the mock's 501 for a documented operation it does not build.
const NOT_IMPLEMENTED: &str = "The reference mock does not implement this operation.";

/// Who a request is sent as.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    /// A fixtures principal, with its credentials.
    User(&'static str),
    /// No Authorization header.
    Anonymous,
    /// A principal's e-mail (or bearer scheme) with a token that is not theirs.
    WrongToken(&'static str),
    /// A raw Authorization header.
    Header(&'static str),
}

pub const ADMIN: Who = Who::User("admin");
pub const ALICE: Who = Who::User("alice");
pub const BOB: Who = Who::User("bob");

/// A response, read completely.
#[derive(Debug)]
pub struct Reply {
    /// What was asked (the URL, or with [`Mock::send`] the method, path and caller), for
    /// failure messages.
    pub request: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// Reads a response to the end.
    pub async fn read(response: reqwest::Response) -> Reply {
        let request = response.url().to_string();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a readable body");
        Reply {
            request,
            status,
            headers,
            body,
        }
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    pub fn allow(&self) -> Option<&str> {
        self.headers.get(ALLOW).and_then(|v| v.to_str().ok())
    }

    /// The JSON body, after checking the status and Jira's content type.
    pub fn json(&self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.request, self.body);
        assert_eq!(self.content_type(), Some(JSON_CONTENT_TYPE), "{self:?}");
        serde_json::from_str(&self.body).expect("the body is JSON")
    }

    /// Checks a Jira error response, `{"errorMessages": [message], "errors": {}}` and nothing
    /// else, and returns its message.
    pub fn error(&self, status: StatusCode) -> String {
        let body = self.json(status);
        let object = body.as_object().expect("an error body is an object");
        assert_eq!(object.len(), 2, "only errorMessages and errors: {body}");
        assert_eq!(body["errors"], json!({}), "{body}");
        let messages = body["errorMessages"]
            .as_array()
            .expect("errorMessages is an array");
        assert_eq!(messages.len(), 1, "{body}");
        messages[0]
            .as_str()
            .expect("messages are strings")
            .to_string()
    }

    /// Checks a 405 for a method the path does not document, with `Allow` naming those it
    /// does; returns the message.
    pub fn method_not_allowed(&self, allow: &str) -> String {
        let message = self.error(StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(self.allow(), Some(allow), "{self:?}");
        message
    }

    /// Checks the mock's 501 for a documented operation it does not build.
    pub fn not_implemented(&self) {
        assert_eq!(self.error(StatusCode::NOT_IMPLEMENTED), NOT_IMPLEMENTED);
    }

    /// Checks a success without a body.
    pub fn empty(&self, status: StatusCode) {
        assert_eq!(self.status, status, "{}: {}", self.request, self.body);
        assert_eq!(self.body, "");
    }
}

/// The text of `field` in each item of a JSON array.
pub fn field_of_each(array: &Value, field: &str) -> Vec<String> {
    array
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item[field].as_str().expect("a string field").to_string())
        .collect()
}

/// The keys a property key listing (`{"keys": [{"key": …, "self": …}]}`) names.
pub fn listed_keys(body: &Value) -> Vec<String> {
    field_of_each(&body["keys"], "key")
}

/// The embedded fixtures, which the mock serves by default.
pub fn fixtures() -> Fixtures {
    Fixtures::embedded().expect("the embedded fixtures parse")
}

/// An HTTP client for the loopback mock.
pub fn client() -> Client {
    // Loopback only: never through a proxy from the environment.
    Client::builder().no_proxy().build().expect("a client")
}

/// A mock on a loopback port, with the client and fixtures the requests use.
pub struct Mock {
    pub server: MockServer,
    pub client: Client,
    pub fixtures: Fixtures,
}

impl Mock {
    /// A mock of the embedded fixtures with these faults.
    pub async fn start(faults: &[Fault]) -> Mock {
        Mock::with(fixtures(), faults).await
    }

    /// A mock of these fixtures with these faults.
    pub async fn with(fixtures: Fixtures, faults: &[Fault]) -> Mock {
        let server = MockServer::start(&fixtures, faults)
            .await
            .expect("the mock starts");
        Mock {
            server,
            client: client(),
            fixtures,
        }
    }

    /// A principal's account id.
    pub fn id(&self, name: &str) -> String {
        self.fixtures
            .principal(name)
            .expect("a fixtures principal")
            .account_id
            .clone()
    }

    /// Sends a request as `who`; a body is sent as JSON.
    pub async fn send(&self, method: Method, path: &str, who: Who, body: Option<&[u8]>) -> Reply {
        let asked = format!("{method} {path} as {who:?}");
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.server.base_url));
        let credentials = |name: &str| {
            self.fixtures
                .principal(name)
                .expect("a fixtures principal")
                .credentials
                .clone()
        };
        request = match who {
            Who::User(name) => match credentials(name) {
                Credentials::Basic { email, token } => {
                    request.basic_auth(email, Some(token.expose()))
                }
                Credentials::Bearer { token } => request.bearer_auth(token.expose()),
            },
            Who::Anonymous => request,
            Who::WrongToken(name) => match credentials(name) {
                Credentials::Basic { email, .. } => {
                    request.basic_auth(email, Some("not-the-token"))
                }
                Credentials::Bearer { .. } => request.bearer_auth("not-the-token"),
            },
            Who::Header(value) => request.header(AUTHORIZATION, value),
        };
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        let reply = Reply::read(request.send().await.expect("the mock answers")).await;
        Reply {
            request: asked,
            ..reply
        }
    }

    pub async fn get(&self, path: &str, who: Who) -> Reply {
        self.send(Method::GET, path, who, None).await
    }

    pub async fn put(&self, path: &str, who: Who, body: &str) -> Reply {
        self.send(Method::PUT, path, who, Some(body.as_bytes()))
            .await
    }

    pub async fn post(&self, path: &str, who: Who, body: &str) -> Reply {
        self.send(Method::POST, path, who, Some(body.as_bytes()))
            .await
    }

    pub async fn delete(&self, path: &str, who: Who) -> Reply {
        self.send(Method::DELETE, path, who, None).await
    }
}

/// The real Jira Cloud spec, for checking success bodies against its response schemas.
pub struct RealSpec {
    spec: Spec,
    cache: SchemaCache,
}

impl RealSpec {
    /// The spec, or `None` (saying so) where the checkout does not have it.
    pub fn load() -> Option<RealSpec> {
        let path = super::shared::real_spec(super::shared::SPEC_2025)?;
        Some(RealSpec {
            spec: load_path(&path).expect("the real spec loads"),
            cache: SchemaCache::new(),
        })
    }

    /// Asserts that `body` is valid against the schema of `operation`'s documented JSON 200;
    /// `what` names the body in the failure message.
    pub fn assert_valid_200(&self, operation: &str, body: &Value, what: &str) {
        let (_, op) = self
            .spec
            .operation(operation)
            .expect("the operation is in the spec");
        let response = op.response_for(200).expect("a documented 200");
        let pointer = format!(
            "{}/content/{}/schema",
            response.pointer,
            escape_token("application/json")
        );
        let violations = self
            .cache
            .validate(&self.spec.document, &pointer, Direction::Response, body)
            .expect("the schema compiles");
        assert!(
            violations.is_empty(),
            "{operation} {what}: {violations:#?}\nbody: {body:#}"
        );
    }
}
