//! The reading of whole descriptions: the limits and permissions of real and embedded specs,
//! and the shapes of the "Permissions required" paragraph.

use super::*;
use crate::spec::{
    embedded, Operation, ParamLocation, Parameter, Provenance, RequestBody, Response,
};
use serde_json::json;

#[test]
fn our_spec_states_the_user_property_rules() {
    let spec = embedded().unwrap();
    let (_, set) = spec.operation("setUserProperty").unwrap();
    assert_eq!(value_max_bytes(set, "f").map(|s| s.value), Some(32768));
    assert_eq!(key_max_chars(set, "f").map(|s| s.value), Some(255));
    let rule = permissions(set, "f");
    assert!(rule.grant(Grant::AdministerJira).is_some(), "{rule:?}");
    assert!(rule.grant(Grant::OwnRecord).is_some(), "{rule:?}");
    assert!(rule.unrecognised.is_empty(), "{rule:?}");
}

#[test]
fn real_spec_user_property_rules_are_recognised() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/specs/jira-platform-v3.2025-07-30.json");
    if !path.exists() {
        eprintln!(
            "skipped: {} not found (the real Jira spec lives in ../shared/specs)",
            path.display()
        );
        return;
    }
    let spec = crate::spec::load_path(&path).unwrap();
    let (_, set) = spec.operation("setUserProperty").unwrap();
    assert_eq!(value_max_bytes(set, "f").map(|s| s.value), Some(32768));
    assert_eq!(key_max_chars(set, "f").map(|s| s.value), Some(255));
    for id in [
        "getUserPropertyKeys",
        "getUserProperty",
        "setUserProperty",
        "deleteUserProperty",
    ] {
        let rule = permissions(spec.operation(id).unwrap().1, "f");
        assert!(
            rule.grant(Grant::AdministerJira).is_some() && rule.grant(Grant::OwnRecord).is_some(),
            "{id}: {rule:?}"
        );
    }
}

#[test]
fn myself_needs_access_to_jira() {
    let spec = embedded().unwrap();
    let (_, me) = spec.operation("getCurrentUser").unwrap();
    let rule = permissions(me, "f");
    assert_eq!(rule.grants.len(), 1, "{rule:?}");
    assert_eq!(rule.grants[0].value, Grant::AccessJira);
}

#[test]
fn unknown_wording_is_listed_not_guessed() {
    let rule = read_rule(" Be on the moon.");
    assert!(rule.grants.is_empty());
    assert_eq!(rule.unrecognised, vec!["Be on the moon.".to_string()]);
}

// ----------------------------------------------------------------------------------------
// The shapes of the "Permissions required" paragraph, in wording written for these tests.

const HEAD: &str = "**[Permissions](#permissions) required:**";
const ADMIN: Permission = Permission::Grant(Grant::AdministerJira);
const OWN: Permission = Permission::Grant(Grant::OwnRecord);
const ACCESS: Permission = Permission::Grant(Grant::AccessJira);
const BROWSE: Permission = Permission::Grant(Grant::BrowseProjects);
const ADMIN_PROJECTS: Permission = Permission::Grant(Grant::AdministerProjects);
const ANYONE: Permission = Permission::Grant(Grant::Anyone);

pub(super) fn op_with(description: &str) -> Operation {
    Operation {
        method: "GET".into(),
        path: "/x".into(),
        operation_id: "x".into(),
        tags: vec![],
        summary: String::new(),
        description: description.into(),
        deprecated: false,
        parameters: vec![],
        request_body: None,
        responses: vec![],
        security: vec![],
        allows_anonymous: false,
        pointer: "/paths/~1x/get".into(),
    }
}

/// The rule of "Does x." followed by the heading and `paragraph`.
fn read_rule(paragraph: &str) -> PermissionRule {
    permissions(&op_with(&format!("Does x.\n\n{HEAD}{paragraph}")), "f")
}

fn values(rule: &PermissionRule) -> Vec<Permission> {
    rule.permissions.iter().map(|p| p.value).collect()
}

fn quoted(p: &Provenance) -> &str {
    match p {
        Provenance::Spec { text, .. } => text,
        _ => panic!("{p:?}"),
    }
}

#[test]
fn one_sentence_one_permission_with_its_provenance() {
    let rule = read_rule(" *Administer Jira* [global permission](https://x/y).");
    assert_eq!(values(&rule), [ADMIN]);
    assert_eq!(rule.combination, Combination::AnyOf);
    assert!(rule.fully_recognised());
    assert_eq!(
        rule.permissions[0].provenance,
        Provenance::Spec {
            file: "f".into(),
            pointer: "/paths/~1x/get/description".into(),
            text: "Administer Jira global permission.".into(),
        }
    );
    assert_eq!(rule.grants.len(), 1);
    assert_eq!(rule.grants[0].value, Grant::AdministerJira);
}

#[test]
fn the_heading_comes_in_several_forms() {
    for description in [
        "**[Permissions](#permissions) required**: None.",
        "**Permissions required:** None",
        "**[Permissions](#permissions) required:**\n\n * None.",
    ] {
        let rule = permissions(&op_with(description), "f");
        assert_eq!(values(&rule), [ANYONE], "{description}");
    }
    // No heading: no rule at all.
    let rule = permissions(
        &op_with("Does x. *Administer Jira* global permission."),
        "f",
    );
    assert_eq!(rule, PermissionRule::default());
}

#[test]
fn bullets_that_each_state_their_case_are_alternatives() {
    let rule = read_rule(
        "\n\n *  *Administer Jira* global permission, to change any user's entry.\n \
             *  Access to Jira, to change the calling user's entry.",
    );
    assert_eq!(values(&rule), [ADMIN, OWN]);
    assert_eq!(rule.combination, Combination::AnyOf);
    // Access to Jira is folded into the own-record grant.
    assert!(rule.grant(Grant::AccessJira).is_none());
    assert!(quoted(rule.grant(Grant::OwnRecord).unwrap()).contains("calling user's"));
    let rule = read_rule(
        "\n\n *  For built-in icons, none.\n *  For a project's own icons, *Browse projects* \
             project permission for that project.",
    );
    assert_eq!(values(&rule), [ANYONE, BROWSE]);
    assert_eq!(rule.combination, Combination::AnyOf);
}

#[test]
fn either_of_makes_a_list_of_alternatives() {
    let rule = read_rule(
        " either of:\n\n *  *Browse users and groups* global permission.\n *  \
             *Administer Jira* global permission.",
    );
    let users = Permission::Global(GlobalPermission::BrowseUsersAndGroups);
    assert_eq!(values(&rule), [users, ADMIN]);
    assert_eq!(rule.combination, Combination::AnyOf);
    assert!(
        rule.unrecognised.is_empty(),
        "the lead-in is not a statement"
    );
}

#[test]
fn a_list_with_issue_security_is_all_required() {
    let rule = read_rule(
        " For the issue in question:\n\n *  *Browse projects* [project permission](x) for \
             the issue's project.\n *  If [issue-level security](y) is configured, \
             issue-level security permission to view the issue.",
    );
    assert_eq!(values(&rule), [BROWSE, Permission::IssueSecurity]);
    assert_eq!(rule.combination, Combination::AllOf);
    assert!(rule.all_required());
    assert!(rule.unrecognised.is_empty());
}

#[test]
fn and_and_or_inside_one_sentence() {
    let rule =
        read_rule(" *Browse projects* and *Edit issues* [project permissions](x) for the project.");
    let edit = Permission::Project(ProjectPermission::EditIssues);
    assert_eq!(values(&rule), [BROWSE, edit]);
    assert_eq!(rule.combination, Combination::AllOf);
    assert_eq!(
        rule.grants.len(),
        1,
        "Edit issues is not one of the generator's grants"
    );
    let rule = read_rule(
        " *Administer projects* project permission for the project or *Administer Jira* \
             global permission.",
    );
    assert_eq!(values(&rule), [ADMIN_PROJECTS, ADMIN]);
    assert_eq!(rule.combination, Combination::AnyOf);
    let rule = read_rule(" *Browse projects*, *Edit issues*, and *Link issues* permission.");
    assert_eq!(rule.permissions.len(), 3);
    assert_eq!(rule.combination, Combination::AllOf);
}

#[test]
fn a_choice_inside_required_bullets_is_mixed() {
    let rule = read_rule(
        "\n\n *  *Browse projects* project permission for the project.\n *  If \
             issue-level security is configured, issue-level security permission to view the \
             issue.\n *  *Edit all worklogs* project permission to change any worklog or *Edit \
             own worklogs* to change the caller's.",
    );
    assert_eq!(rule.permissions.len(), 4);
    assert_eq!(rule.combination, Combination::Mixed);
    assert!(!rule.all_required());
}

#[test]
fn bullets_side_by_side_do_not_say_how_they_combine() {
    let rule = read_rule(
        "\n\n *  *Administer projects* project permission for the project.\n *  \
             *Administer Jira* global permission.",
    );
    assert_eq!(values(&rule), [ADMIN_PROJECTS, ADMIN]);
    assert_eq!(rule.combination, Combination::Unstated);
    assert!(rule.fully_recognised(), "every statement is recognised");
}

#[test]
fn however_adds_a_condition() {
    let rule = read_rule(" Permission to access Jira, however, the user must own the filter.");
    assert_eq!(values(&rule), [ACCESS, Permission::Owner]);
    assert_eq!(rule.combination, Combination::AllOf);
    // Both keep the whole sentence as provenance.
    assert_eq!(
        rule.permissions[0].provenance,
        rule.permissions[1].provenance
    );
    let rule = read_rule(
        " Permission to access Jira. However, the user must own the filter or have the \
             *Administer Jira* global permission.",
    );
    assert_eq!(values(&rule), [ACCESS, Permission::Owner, ADMIN]);
    assert_eq!(rule.combination, Combination::Mixed);
    // "None, however, …:" introduces a list and is not itself listed.
    let rule = read_rule(
        " None, however, results are only returned where the user has:\n\n *  *Browse \
             projects* project permission for the project.\n *  If issue-level security is \
             configured, issue-level security permission to view the issue.",
    );
    assert_eq!(values(&rule), [ANYONE, BROWSE, Permission::IssueSecurity]);
    assert_eq!(rule.combination, Combination::AllOf);
    assert!(rule.unrecognised.is_empty());
}

#[test]
fn wording_that_negates_restricts_or_adds_an_unknown_alternative_is_not_recognised() {
    for statement in [
        // Another product.
        "Permission to access Jira Software.",
        // Negated.
        "If the user does not have the *Edit issues* project permission, nothing is listed.",
        // Restricted.
        "*Administer Jira* global permission is only needed when the key changes.",
        // An alternative the parser has no name for.
        "The user must be the owner of the dashboard or be its editor.",
        // A permission the phrases do not know, next to one they do.
        "*Browse projects* and *Teleport issues* project permission.",
        "*Teleport issues* project permission and *Browse projects*.",
    ] {
        let rule = read_rule(&format!(" {statement}"));
        assert!(rule.permissions.is_empty(), "{statement}: {rule:?}");
        assert_eq!(rule.unrecognised.len(), 1, "{statement}: {rule:?}");
    }
}

#[test]
fn other_sentences_of_the_lead_in_are_statements_too() {
    let rule = read_rule(
        " *Browse users and groups* global permission. Callers without it get an empty \
             list.",
    );
    assert_eq!(
        values(&rule),
        [Permission::Global(GlobalPermission::BrowseUsersAndGroups)]
    );
    assert_eq!(rule.unrecognised, ["Callers without it get an empty list."]);
    assert!(!rule.fully_recognised());
}

#[test]
fn apps() {
    for statement in [
        "Only Connect apps can make this request.",
        "Only [Connect](x) and [OAuth 2.0](y) apps can use this operation.",
        "Only Forge apps can make this request.",
    ] {
        let rule = read_rule(&format!(" {statement}"));
        assert_eq!(values(&rule), [Permission::AppOnly], "{statement}");
        assert!(rule.grants.is_empty());
    }
    let rule = read_rule(
        " *Administer Jira* global permission. Jira permissions are not required for the \
             app providing the field.",
    );
    assert_eq!(values(&rule), [ADMIN, Permission::OwningApp]);
    assert_eq!(rule.combination, Combination::AnyOf);
    let rule = read_rule(" Only a Connect app whose key matches `appKey` can make this request.");
    assert_eq!(values(&rule), [Permission::OwningApp]);
}

#[test]
fn site_administration_and_otherwise_none() {
    let rule = read_rule(" Site administration (that is, member of the *site-admin* [group](x)).");
    assert_eq!(values(&rule), [Permission::SiteAdmin]);
    let rule =
        read_rule(" *Administer Jira* global permission to ask about other users, otherwise none.");
    assert_eq!(values(&rule), [ADMIN, ANYONE]);
    assert_eq!(rule.combination, Combination::AnyOf);
}

#[test]
fn the_anonymous_sentence_is_read_from_the_whole_description() {
    let op = op_with(&format!(
        "Does x.\n\nThis operation can be accessed anonymously.\n\n{HEAD} None."
    ));
    let rule = permissions(&op, "f");
    assert_eq!(
        rule.anonymous.as_ref().map(quoted),
        Some("This operation can be accessed anonymously.")
    );
    let op = op_with(&format!(
        "Does x.\n\nThis API can't be accessed anonymously.\n\n{HEAD} None."
    ));
    assert_eq!(permissions(&op, "f").anonymous, None);
    let op = op_with("Does x.\n\nAnonymous callers may use this operation.");
    let rule = permissions(&op, "f");
    assert!(rule.anonymous.is_some());
    assert!(rule.permissions.is_empty() && rule.unrecognised.is_empty());
}

#[test]
fn the_paragraph_ends_where_its_list_ends() {
    let rule = read_rule(
        "\n\n *  *Administer Jira* global permission.\n\nThe queries are:\n\n *  \
             *Browse projects* is not read.",
    );
    assert_eq!(values(&rule), [ADMIN]);
    assert!(rule.unrecognised.is_empty());
    // A lead-in that does not introduce a list does not read the next one.
    let rule =
        read_rule(" *Administer Jira* global permission.\n\n *  `is assignee of PROJ` matches.");
    assert_eq!(values(&rule), [ADMIN]);
    assert!(rule.unrecognised.is_empty());
    // A bullet continued on the next line is one statement.
    let rule = read_rule(
        "\n\n *  *Browse projects* project permission\n    for the project.\n *  If \
             issue-level security is configured, issue-level security permission to view the \
             issue.",
    );
    assert_eq!(
        quoted(&rule.permissions[0].provenance),
        "Browse projects project permission for the project."
    );
}

#[test]
fn nothing_after_the_heading_is_listed_not_dropped() {
    let rule = permissions(&op_with("Does x.\n\n**Permissions required:**"), "f");
    assert!(rule.permissions.is_empty());
    assert_eq!(rule.unrecognised.len(), 1);
    // A lead-in that announces a list that never comes is a statement.
    let rule = read_rule(" For the issue in question:");
    assert_eq!(rule.unrecognised, ["For the issue in question:"]);
}

#[test]
fn a_kind_glued_to_the_name_is_still_read() {
    let rule = read_rule(" *Delete all worklogs* and *Edit all worklogs*project permission");
    assert_eq!(
        values(&rule),
        [
            Permission::Project(ProjectPermission::DeleteAllWorklogs),
            Permission::Project(ProjectPermission::EditAllWorklogs)
        ]
    );
    assert_eq!(rule.combination, Combination::AllOf);
}

#[test]
fn restricted_visibility_and_sharing() {
    let rule = read_rule(
        "\n\n *  *Browse projects* project permission for the project.\n *  If the \
             worklog has visibility restrictions, belongs to the group or has the role \
             visibility is restricted to.",
    );
    assert_eq!(values(&rule), [BROWSE, Permission::Visibility]);
    let rule =
        read_rule(" The user must be the owner of the dashboard or have it shared with them.");
    assert_eq!(values(&rule), [Permission::Owner, Permission::Shared]);
    assert_eq!(rule.combination, Combination::AnyOf);
}

#[test]
fn odd_text_does_not_panic() {
    for description in [
        "permissions required",
        "**Permissions required:**",
        "**Permissions required:** İİ. *\n\n* \n- x\n\n*",
        "Permissions required: ÉÉ. İstanbul, otherwise none. Ünïcode’s calling user’s.",
        "**Permissions required:** *\n *\n * *\n\n *",
        "**Permissions required:** a. B. c, however, d; however: e.\n * f",
        "**Permissions required:** None, none, otherwise none,",
    ] {
        let rule = permissions(&op_with(description), "f");
        assert!(
            !rule.permissions.is_empty() || !rule.unrecognised.is_empty(),
            "{description:?}: {rule:?}"
        );
    }
}

/// An operation on a project property, its limits, case sensitivity and 404 in its prose.
pub(super) fn property_op(method: &str) -> Operation {
    Operation {
        method: method.into(),
        path: "/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}".into(),
        operation_id: "op".into(),
        tags: vec![],
        summary: String::new(),
        description: "Sets the value. The maximum length is 32768 characters.".into(),
        deprecated: false,
        parameters: vec![
            Parameter {
                name: "projectIdOrKey".into(),
                location: ParamLocation::Path,
                required: true,
                deprecated: false,
                description: "The project ID or project key (case sensitive).".into(),
                schema: json!({"type": "string"}),
                pointer: "/p/0".into(),
            },
            Parameter {
                name: "propertyKey".into(),
                location: ParamLocation::Path,
                required: true,
                deprecated: false,
                description: "The key of the property. The maximum length is 255 characters."
                    .into(),
                schema: json!({"type": "string"}),
                pointer: "/p/1".into(),
            },
        ],
        request_body: Some(RequestBody {
            required: true,
            description: "The value. The maximum length of the property value is 32768 bytes."
                .into(),
            content: vec![],
            pointer: "/b".into(),
        }),
        responses: vec![Response {
            status: "404".into(),
            description: "Returned if the project or property is not found.".into(),
            content: vec![],
            pointer: "/r/404".into(),
        }],
        security: vec![],
        allows_anonymous: false,
        pointer: "/o".into(),
    }
}

/// The real specs' folder: `JIRA_CONFORM_SHARED_SPECS`, else `../shared/specs`.
fn shared_specs() -> std::path::PathBuf {
    std::env::var_os("JIRA_CONFORM_SHARED_SPECS").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs"),
        std::path::PathBuf::from,
    )
}

#[test]
fn comment_property_writes_need_an_edit_comments_grant_and_visibility() {
    let spec = embedded().unwrap();
    let real = shared_specs().join("jira-platform-v3.2025-07-30.json");
    let real = real
        .exists()
        .then(|| crate::spec::load_path(&real).unwrap());
    let edit_all = Permission::Project(ProjectPermission::EditAllComments);
    let edit_own = Permission::Project(ProjectPermission::EditOwnComments);
    for id in ["setCommentProperty", "deleteCommentProperty"] {
        let rule = permissions(spec.operation(id).unwrap().1, "f");
        let values = values(&rule);
        for wanted in [BROWSE, edit_all, edit_own, Permission::Visibility] {
            assert!(values.contains(&wanted), "{id}: {wanted:?} in {rule:?}");
        }
        assert!(rule.unrecognised.is_empty(), "{id}: {rule:?}");
        // The real spec states the same grants (its visibility sentence follows the list, where
        // the paragraph reader stops).
        if let Some(real) = &real {
            let rule = permissions(real.operation(id).unwrap().1, "f");
            let values: Vec<Permission> = rule.permissions.iter().map(|p| p.value).collect();
            assert!(
                values.contains(&edit_all) && values.contains(&edit_own),
                "{rule:?}"
            );
        }
    }
    for spec in std::iter::once(&spec).chain(real.as_ref()) {
        let (_, get) = spec.operation("getCommentProperty").unwrap();
        let values = values(&permissions(get, "f"));
        assert!(values.contains(&BROWSE) && values.contains(&Permission::Visibility));
    }
}
