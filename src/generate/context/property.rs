//! Whose entity-property record a request names, and the requests to it: a key's URL, the
//! matrix request, a set-up write and its cleanup.

use serde_json::Value;

use super::builder::run_key;
use super::pass::Ctx;
use crate::case::{encode_segment, Actor, Body, Expectation, Request, StatusExpectation, Step};
use crate::fixtures::Principal;
use crate::generate::entity_property::EntityPropertyGroup;

/// An account id no fixtures principal has: the "unknown user" of 404 cases.
pub const UNKNOWN_ACCOUNT_ID: &str = "000000:00000000-0000-0000-0000-00000000dead";

/// Whose record a user-property request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject<'a> {
    /// A principal's own account id.
    Of(&'a Principal),
    /// An account id nobody has.
    Unknown,
    /// This literal `accountId` (limit cases).
    Raw(String),
    /// No `accountId` at all.
    Missing,
    /// An entity named by path parameters (a dashboard item…), and the principal who owns it.
    Entity {
        /// Path parameter name → value.
        params: Vec<(String, String)>,
        /// Who owns the entity: sets up and cleans up its properties.
        owner: &'a Principal,
        /// What the entity is, for summaries, e.g. `dashboard 10001 item 10010`.
        label: String,
    },
}

impl Ctx<'_> {
    /// Who can repair a subject's record (set up and clean up): the admin, else the subject.
    pub fn keeper<'s>(&'s self, subject: &Subject<'s>) -> Option<&'s Principal> {
        match (self.roles.admin, subject) {
            (_, Subject::Entity { owner, .. }) => Some(owner),
            (Some(admin), _) => Some(admin),
            (None, Subject::Of(p)) => Some(p),
            _ => None,
        }
    }

    /// A request to an entity-property path: `key` `None` is the listing, `Some("")` the
    /// listing path with a trailing slash (no key).
    pub fn property_request(
        &self,
        group: &EntityPropertyGroup,
        method: &str,
        key: Option<&str>,
        subject: &Subject<'_>,
        actor: Actor,
        body: Body,
    ) -> Request {
        let mut path = self.api_path(&group.base);
        if let Subject::Entity { params, .. } = subject {
            for (name, value) in params {
                path = path.replace(&format!("{{{name}}}"), &encode_segment(value));
            }
        }
        if let Some(key) = key {
            path.push('/');
            path.push_str(&encode_segment(key));
        }
        let query = match subject {
            Subject::Of(p) => vec![("accountId".to_string(), p.account_id.clone())],
            Subject::Unknown => vec![("accountId".to_string(), UNKNOWN_ACCOUNT_ID.to_string())],
            Subject::Raw(id) => vec![("accountId".to_string(), id.clone())],
            Subject::Missing | Subject::Entity { .. } => Vec::new(),
        };
        Request {
            method: method.to_string(),
            path,
            query,
            actor,
            body,
        }
    }

    /// A permission-matrix request: `p` calls the operation at `index` of `group` on the
    /// subject, on `key` (none for the key listing), a write carrying a body that names `p`.
    pub fn matrix_request(
        &self,
        group: &EntityPropertyGroup,
        index: usize,
        key: &str,
        subject: &Subject<'_>,
        p: &Principal,
    ) -> Request {
        let method = &self.op(index).method;
        let body = if method == "PUT" {
            Body::Json(serde_json::json!({"by": p.name}))
        } else {
            Body::None
        };
        let key = (Some(index) != group.keys).then_some(key);
        self.property_request(
            group,
            method,
            key,
            subject,
            Actor::Principal(p.name.clone()),
            body,
        )
    }

    /// The key and body a request to the operation at `index` of `group` carries: no key for
    /// the listing, a run key otherwise; a small JSON body for the write.
    pub fn property_target(
        &self,
        group: &EntityPropertyGroup,
        index: usize,
        suffix: &str,
    ) -> (Option<String>, Body) {
        let key = (Some(index) != group.keys).then(|| run_key(suffix));
        let body = if self.op(index).method == "PUT" {
            Body::Json(serde_json::json!(1))
        } else {
            Body::None
        };
        (key, body)
    }

    /// A setup step that creates `key` with `value` on the subject's record, as its keeper.
    pub fn setup_put(
        &self,
        group: &EntityPropertyGroup,
        key: &str,
        subject: &Subject<'_>,
        keeper: &Principal,
        value: Value,
    ) -> Option<Step> {
        let set = group.set?;
        Some(Step {
            label: format!(
                "set up: {keeper} stores property {key}",
                keeper = keeper.name
            ),
            setup: true,
            request: self.property_request(
                group,
                "PUT",
                Some(key),
                subject,
                Actor::Principal(keeper.name.clone()),
                Body::Json(value),
            ),
            operation: Some(self.op_ref(set)),
            expect: Expectation {
                status: StatusExpectation::Success,
                body: Vec::new(),
                allow: None,
                provenance: self
                    .status_provenance(set, 201)
                    .or_else(|| self.status_provenance(set, 200))?,
            },
        })
    }

    /// The cleanup request deleting `key` from the subject's record, as its keeper.
    pub fn cleanup_delete(
        &self,
        group: &EntityPropertyGroup,
        key: &str,
        subject: &Subject<'_>,
        keeper: &Principal,
    ) -> Request {
        self.property_request(
            group,
            "DELETE",
            Some(key),
            subject,
            Actor::Principal(keeper.name.clone()),
            Body::None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode_segment("a/b c%é"), "a%2Fb%20c%25%C3%A9");
        assert_eq!(encode_segment("jcRUNTOK.k-1_~"), "jcRUNTOK.k-1_~");
    }
}
