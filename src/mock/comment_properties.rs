//! Comment properties: keys, get, set and delete, per comment.
//!
//! Every operation needs the caller to see the comment: its issue visible to them (*Browse
//! projects*, issue-level security) and the comment's restriction, if any, admitting them (a
//! member of its group, a holder of its role). A comment the caller may not see answers the
//! same 404 as one that does not exist. Writes also need the right to edit the comment: *Edit
//! all comments* in the project, or *Edit own comments* there for a comment the caller wrote;
//! anyone else gets 403.
//!
//! The comments are the fixtures' (no operation here adds or removes one); comment ids are
//! numbers, and a path whose comment id is not one is a bad request.

use axum::Router;

use crate::fixtures::{Comment, Principal, Project};

use super::entity_properties::{self, Operation, PropertyOwner, Store, Target};
use super::error::JiraError;
use super::faults::Fault;
use super::issue_visibility::{admitted, sees_issue};
use super::links::{encode, ApiVersion};
use super::state::MockState;

const COMMENT_NOT_FOUND: &str =
    "The comment does not exist or you do not have permission to see it.";

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    entity_properties::routes::<CommentProperties>(version)
}

/// The properties of comments: getCommentPropertyKeys, getCommentProperty, setCommentProperty
/// and deleteCommentProperty.
struct CommentProperties;

impl PropertyOwner for CommentProperties {
    /// The comment id.
    type Ids = String;
    type Id = String;

    const PROPERTIES: &'static str = "/comment/{commentId}/properties";
    const UNREADABLE: &'static str = COMMENT_NOT_FOUND;

    fn store(state: &MockState) -> &Store<String> {
        state.comment_properties()
    }

    /// The comment the path names, if the caller may do `operation` on its properties, checked
    /// in this order: the comment id a number (400); the comment known, its issue visible and
    /// its restriction admitting the caller (404); for writes, the right to edit it (403).
    fn target(
        state: &MockState,
        caller: &Principal,
        operation: Operation,
        comment_id: String,
    ) -> Result<Target<String>, JiraError> {
        if comment_id.is_empty()
            || !comment_id.bytes().all(|b| b.is_ascii_digit())
            || comment_id.parse::<i64>().is_err()
        {
            return Err(JiraError::bad_request("The comment id must be a number."));
        }
        let world = state.world();
        let not_found = || JiraError::not_found(COMMENT_NOT_FOUND);
        let comment = world
            .comments
            .iter()
            .find(|c| c.id == comment_id)
            .ok_or_else(not_found)?;
        let issue = world
            .issue(&comment.issue)
            .filter(|i| sees_issue(world, caller, i, true))
            .ok_or_else(not_found)?;
        if !admitted(world, caller, &issue.project, comment.visibility.as_ref()) {
            return Err(not_found());
        }
        let project = world.project(&issue.project);
        if !operation.is_read() && !project.is_some_and(|p| edits(state, p, caller, comment)) {
            return Err(JiraError::forbidden(
                "You do not have the permission to edit this comment.",
            ));
        }
        Ok(Target {
            properties: format!("/comment/{}/properties", encode(&comment.id)),
            id: comment.id.clone(),
        })
    }
}

/// Whether `caller` may edit `comment` in `project`: *Edit all comments*, or *Edit own
/// comments* on a comment they wrote (the CommentEditOwnIgnored fault forgets the authorship).
fn edits(state: &MockState, project: &Project, caller: &Principal, comment: &Comment) -> bool {
    let own = comment.author == caller.name || state.has(Fault::CommentEditOwnIgnored);
    project.edit_all_comments.contains(&caller.name)
        || (own && project.edits_own_comments(&caller.name))
}
