//! How people appear in response bodies: the user objects other entities embed (authors,
//! owners, recipients) and the avatar links every one of them carries.

use serde_json::{json, Value};

use crate::fixtures::Principal;

use super::links::Links;
use super::state::MockState;

/// A user's `avatarUrls`, in the order Jira lists the sizes.
pub(crate) fn avatar_urls(links: &Links, account_id: &str) -> Value {
    json!({
        "48x48": links.avatar(account_id, "large"),
        "24x24": links.avatar(account_id, "small"),
        "16x16": links.avatar(account_id, "xsmall"),
        "32x32": links.avatar(account_id, "medium"),
    })
}

/// A user as Jira shows people inside issues and worklogs (author, updateAuthor): the fields
/// both the `User` and the `UserDetails` schemas allow. The world only names principals it has
/// checked, so the fallback (Jira's shape for an unavailable user record) is for robustness only.
pub(crate) fn user_details(state: &MockState, links: &Links, name: &str) -> Value {
    let Some(p) = state.principal(name) else {
        return json!({
            "accountId": "unknown",
            "accountType": "unknown",
            "active": false,
            "displayName": name,
        });
    };
    let id = p.account_id.as_str();
    json!({
        "self": links.user(id),
        "accountId": id,
        "avatarUrls": avatar_urls(links, id),
        "displayName": p.display_name,
        "active": true,
        "timeZone": "UTC",
        "accountType": "atlassian",
    })
}

/// A user as Jira's `UserBean` describes one (dashboard owners and users a dashboard is shared
/// with, notification recipients).
pub(crate) fn user_bean(principal: &Principal, links: &Links) -> Value {
    let id = principal.account_id.as_str();
    json!({
        "self": links.user(id),
        "accountId": id,
        "displayName": principal.display_name,
        "active": true,
        "avatarUrls": avatar_urls(links, id),
    })
}
