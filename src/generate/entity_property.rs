//! Recognises the entity-property pattern (`…/properties` and `…/properties/{propertyKey}`)
//! wherever a spec has it, so every family can treat user, issue, dashboard-item… properties
//! alike, parameterised by the owning entity.

use crate::spec::{Operation, ParamLocation, Spec};

/// How the entity that owns the properties is named in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// By the `accountId` query parameter (user properties).
    AccountIdQuery,
    /// By path parameters of the base path (issue, project, dashboard item…).
    PathParams(Vec<String>),
}

/// The operations of one entity-property resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityPropertyGroup {
    /// The resource name, from the path's literal segments, e.g. `user_properties`,
    /// `dashboard_item_properties` (the tag, "Dashboards", would lump them with dashboards).
    pub resource: String,
    /// The listing path relative to the API prefix, e.g. `/user/properties`.
    pub base: String,
    /// Index of the key-listing operation (GET base).
    pub keys: Option<usize>,
    /// Index of the read operation (GET base/{propertyKey}).
    pub get: Option<usize>,
    /// Index of the write operation (PUT base/{propertyKey}).
    pub set: Option<usize>,
    /// Index of the delete operation (DELETE base/{propertyKey}).
    pub delete: Option<usize>,
    /// How the owner is named.
    pub owner: Owner,
}

impl EntityPropertyGroup {
    /// The group's operation indices, in listing, read, write, delete order.
    pub fn operations(&self) -> impl Iterator<Item = usize> {
        [self.keys, self.get, self.set, self.delete]
            .into_iter()
            .flatten()
    }
}

pub use crate::case::snake;

/// Every entity-property group of the spec, in path order.
pub fn find_groups(spec: &Spec) -> Vec<EntityPropertyGroup> {
    let mut groups = Vec::new();
    for (i, op) in spec.operations.iter().enumerate() {
        let Some(rel) = op.api_relative_path() else {
            continue;
        };
        if op.method != "GET" || !rel.ends_with("/properties") {
            continue;
        }
        let item = format!("{}/{{propertyKey}}", op.path);
        let find = |method: &str| {
            spec.operations
                .iter()
                .position(|o| o.path == item && o.method == method)
        };
        let owner = if op.parameter(ParamLocation::Query, "accountId").is_some() {
            Owner::AccountIdQuery
        } else {
            Owner::PathParams(path_params(op))
        };
        groups.push(EntityPropertyGroup {
            resource: resource_name(rel),
            base: rel.to_string(),
            keys: Some(i),
            get: find("GET"),
            set: find("PUT"),
            delete: find("DELETE"),
            owner,
        });
    }
    groups
}

/// `/dashboard/{dashboardId}/items/{itemId}/properties` → `dashboard_item_properties`.
fn resource_name(rel: &str) -> String {
    let owners: Vec<&str> = rel
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{') && *s != "properties")
        .map(|s| match s.strip_suffix('s') {
            Some(one) if one.len() > 2 && !one.ends_with('s') => one,
            _ => s,
        })
        .collect();
    snake(&format!("{} properties", owners.join(" ")))
}

fn path_params(op: &Operation) -> Vec<String> {
    op.parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.clone())
        .collect()
}

/// A parameter name as a case-name part: `maxResults` → `max_results`.
pub fn ident(name: &str) -> String {
    let mut spaced = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            spaced.push(' ');
        }
        spaced.push(c);
    }
    snake(&spaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_snake_case() {
        assert_eq!(snake("User properties"), "user_properties");
        assert_eq!(
            snake("Issue worklog properties"),
            "issue_worklog_properties"
        );
    }

    #[test]
    fn resources_are_named_by_their_owners() {
        assert_eq!(resource_name("/user/properties"), "user_properties");
        assert_eq!(
            resource_name("/dashboard/{dashboardId}/items/{itemId}/properties"),
            "dashboard_item_properties"
        );
        assert_eq!(
            resource_name("/issue/{issueIdOrKey}/comment/{commentId}/properties"),
            "issue_comment_properties"
        );
    }

    #[test]
    fn user_properties_are_found_in_our_spec() {
        let spec = crate::spec::embedded().unwrap();
        let groups = find_groups(&spec);
        assert_eq!(
            groups.len(),
            6,
            "user, dashboard item, issue, project, worklog and comment properties: {groups:?}"
        );
        let user = groups
            .iter()
            .find(|g| g.base == "/user/properties")
            .expect("the user properties group");
        assert_eq!(user.resource, "user_properties");
        assert_eq!(user.owner, Owner::AccountIdQuery);
        assert_eq!(user.operations().count(), 4);
        let item = groups
            .iter()
            .find(|g| g.base == "/dashboard/{dashboardId}/items/{itemId}/properties")
            .expect("the dashboard item properties group");
        assert_eq!(item.resource, "dashboard_item_properties");
        assert_eq!(
            item.owner,
            Owner::PathParams(vec!["dashboardId".into(), "itemId".into()])
        );
        assert_eq!(item.operations().count(), 4);
    }
}
