//! Which kind of Jira entity a value names, read from where it stands: the URL path segment
//! before it (`/worklog/10401`), the JSON member that holds it (`issueId`, a project object's
//! `id`) and the resource the request addressed. Real Jira numbers every kind of entity from
//! 10000 in its own sequence, so a number alone never says what it is.

/// The kinds of entity the fixtures' world describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A project (id or key).
    Project,
    /// An issue (id or key).
    Issue,
    /// An attachment.
    Attachment,
    /// A worklog.
    Worklog,
    /// A comment on an issue.
    Comment,
    /// A dashboard.
    Dashboard,
    /// A dashboard item (gadget).
    Item,
    /// A notification scheme.
    Scheme,
    /// A project role.
    Role,
}

/// The kind a path segment names when an id follows it (`/issue/{id}`).
pub fn from_path_word(word: &str) -> Option<Kind> {
    Some(match word {
        "project" => Kind::Project,
        "issue" => Kind::Issue,
        "attachment" => Kind::Attachment,
        "worklog" => Kind::Worklog,
        "comment" => Kind::Comment,
        "dashboard" => Kind::Dashboard,
        "items" | "gadget" | "gadgets" => Kind::Item,
        "notificationscheme" => Kind::Scheme,
        "role" | "roledetails" => Kind::Role,
        _ => return None,
    })
}

/// The kind a word of prose names (`The dashboard with id '10002' does not exist.`).
pub fn from_noun(word: &str) -> Option<Kind> {
    Some(match word.to_ascii_lowercase().as_str() {
        "project" | "projects" => Kind::Project,
        "issue" | "issues" => Kind::Issue,
        "attachment" | "attachments" => Kind::Attachment,
        "worklog" | "worklogs" => Kind::Worklog,
        "comment" | "comments" => Kind::Comment,
        "dashboard" | "dashboards" => Kind::Dashboard,
        "item" | "items" | "gadget" | "gadgets" => Kind::Item,
        "scheme" | "schemes" => Kind::Scheme,
        "role" | "roles" => Kind::Role,
        _ => return None,
    })
}

/// The kind of the resource a request path addresses: the last kind word in it
/// (`/rest/api/3/issue/CONF-1/worklog` → worklog). Its answer's top-level object (or the
/// elements of a top-level array) are of that kind.
pub fn of_request_path(path: &str) -> Option<Kind> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.split('/').filter_map(from_path_word).next_back()
}

/// The kind of a member holding an id directly (`issueId`), given the kind of the object it
/// stands in (for `id` and `key`).
pub fn of_id_member(member: &str, object: Option<Kind>) -> Option<Kind> {
    match member {
        "id" | "key" => object,
        "issueId" => Some(Kind::Issue),
        "projectId" => Some(Kind::Project),
        "worklogId" => Some(Kind::Worklog),
        "commentId" => Some(Kind::Comment),
        "dashboardId" => Some(Kind::Dashboard),
        "itemId" | "gadgetId" => Some(Kind::Item),
        "roleId" => Some(Kind::Role),
        "attachmentId" => Some(Kind::Attachment),
        "notificationSchemeId" | "schemeId" => Some(Kind::Scheme),
        _ => None,
    }
}

/// Whether a member's value is an id of some entity: known `…Id` members, and `id`/`key`
/// wherever they stand. Used to tell "an id of no known kind here" (leave it) from "not an
/// id at all" (free text, where the world's ids are looked for as before).
pub fn is_id_member(member: &str) -> bool {
    member == "id" || member == "key" || of_id_member(member, None).is_some()
}

/// The kind of the object (or of the elements of the array) under `member`, given the kind of
/// the object it stands in. `None` where the member does not say.
pub fn of_child(member: &str, parent: Option<Kind>) -> Option<Kind> {
    match member {
        "project" | "projects" => Some(Kind::Project),
        "issue" | "issues" | "parent" | "subtasks" => Some(Kind::Issue),
        "attachment" | "attachments" => Some(Kind::Attachment),
        "worklogs" => Some(Kind::Worklog),
        "comments" => Some(Kind::Comment),
        "dashboards" => Some(Kind::Dashboard),
        "items" | "gadgets" => Some(Kind::Item),
        "notificationSchemes" => Some(Kind::Scheme),
        "roles" => Some(Kind::Role),
        // A page's elements are what the page lists.
        "values" => parent,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_path_names_the_resource_answered() {
        assert_eq!(
            of_request_path("http://h/rest/api/3/issue/CONF-1/worklog?x=1"),
            Some(Kind::Worklog)
        );
        assert_eq!(of_request_path("/rest/api/2/role"), Some(Kind::Role));
        assert_eq!(
            of_request_path("/rest/api/3/dashboard/10100/items/10110/properties/k"),
            Some(Kind::Item)
        );
        assert_eq!(of_request_path("/rest/api/3/myself"), None);
    }

    #[test]
    fn members_name_kinds() {
        assert_eq!(of_id_member("id", Some(Kind::Role)), Some(Kind::Role));
        assert_eq!(of_id_member("issueId", None), Some(Kind::Issue));
        assert_eq!(of_child("values", Some(Kind::Scheme)), Some(Kind::Scheme));
        assert_eq!(of_child("project", Some(Kind::Issue)), Some(Kind::Project));
        assert_eq!(of_child("author", Some(Kind::Worklog)), None);
        assert!(is_id_member("worklogId") && !is_id_member("name"));
    }
}
