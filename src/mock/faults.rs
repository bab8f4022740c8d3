//! Seeded faults: each one breaks exactly one documented behaviour, so the harness can show it
//! notices. All are off unless [`MockState::new`](super::MockState::new) is given them.

use std::fmt;

/// A deliberate deviation from the documented behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// POST on a property acts like PUT instead of answering 405.
    PostAccepted,
    /// Property values of any size are accepted.
    ValueLimitNotEnforced,
    /// A value of exactly the limit (32768 bytes) is refused.
    ValueLimitOffByOne,
    /// The value limit counts characters instead of bytes.
    ValueBytesAsChars,
    /// Property keys longer than 255 characters are accepted.
    KeyLimitNotEnforced,
    /// Ordinary users may act on other users' properties.
    AdminCheckMissing,
    /// Property reads without an `Authorization` header are served as if by an administrator.
    AnonymousReadAllowed,
    /// A known e-mail address with a wrong token is accepted as that user.
    InvalidCredentialsAccepted,
    /// `GET …/user/properties/` (no key) answers 404 instead of listing the keys.
    NokeyGet404,
    /// PUT answers 200 also when it created the property.
    PutAlways200,
    /// DELETE answers 200 instead of 204.
    Delete200,
    /// The key listing shows the store as of start (empty), missing every key set since.
    StaleKeyListing,
    /// A missing `accountId` means the caller's own record instead of a 400.
    AccountIdIgnored,
    /// JSON responses are labelled `text/plain`.
    WrongContentType,
    /// 405 responses carry no `Allow` header.
    AllowHeaderMissing,
    /// `/myself` returns `"active": "true"`, a string instead of a boolean.
    MyselfActiveAsString,
    /// DELETE answers 204 but the property remains.
    DeleteKeepsValue,
    /// The key listing without an `accountId` answers 404 instead of 400.
    MissingAccountId404,
    /// Attachment metadata is served to principals who may not see the attachment's issue.
    AttachmentSecurityIgnored,
    /// GET /attachment/meta answers 403 to everyone but administrators.
    AttachmentMetaAdminOnly,
    /// The selected time-tracking implementation is shown to non-administrators.
    TimetrackingOpenToAll,
    /// A dashboard shared with nobody is visible to every logged-in user.
    PrivateDashboardVisible,
    /// A dashboard shared with a group is hidden from the group's members.
    DashboardGroupShareIgnored,
    /// Users a dashboard is shared with may write its item properties.
    ItemPropertySharedUserWrites,
    /// Dashboard item property values larger than 32768 bytes are accepted.
    ItemValueLimitNotEnforced,
    /// PUT of a dashboard item property answers 200 also when it created it.
    ItemPutAlways200,
    /// Issues behind issue-level security are shown to everyone who may browse the project.
    IssueSecurityIgnored,
    /// GetIssue ignores excluded fields (fields=-summary still returns summary).
    FieldsExclusionIgnored,
    /// An issue key in lower case is not found.
    IssueKeyCaseSensitive,
    /// Worklogs restricted to a group or role are shown to everyone who sees the issue.
    WorklogVisibilityIgnored,
    /// Updating a worklog clears the fields the request leaves out.
    WorklogUpdateClearsUnset,
    /// The worklog listing ignores maxResults.
    WorklogMaxResultsIgnored,
    /// A worklog update that changes nothing answers 200 instead of 400.
    WorklogEmptyUpdateAccepted,
    /// Notification schemes are listed by id instead of by name.
    NotificationSchemesUnordered,
    /// Every notification scheme is listed to every user, administering a project or not.
    NotificationSchemesUnfiltered,
    /// A created project role starts with the caller as a default actor.
    RoleCreatedWithDefaultActors,
    /// Creating a project role with an existing name succeeds instead of 409.
    RoleDuplicateNameAccepted,
    /// Non-administrators may create project roles.
    RoleCreateOpenToAll,
    /// Anyone may list a project's roles, administering it or not.
    ProjectRolesOpenToAll,
    /// Issue property reads skip the visibility check: a user who may not see the issue (no
    /// *Browse projects*, or outside its security level) reads its properties.
    IssuePropertyNoBrowseCheck,
    /// Users who administer neither Jira nor the project may set and delete project properties.
    ProjectPropertyAnyoneWrites,
    /// Credentials are not checked: a request with wrong credentials, or with none, is served as
    /// the administrator (as a proxy that adds its own service account's credentials would).
    CredentialsUnchecked,
    /// Permission checks are skipped: every authenticated principal holds every permission
    /// (administers Jira and every project, browses every project, edits every worklog, belongs
    /// to every group and role, passes every issue security level, sees every dashboard).
    PermissionsUnchecked,
    /// Only the user-property operations are served; every other path answers the mock's
    /// route-level 404, as a partial mock would.
    OnlyUserProperties,
    /// Every 2xx JSON object body is sent as a JSON string holding its text (double encoded).
    JsonStringBodies,
    /// 401 answers carry no `WWW-Authenticate` challenge.
    ChallengeMissing,
    /// A body in a media type the operation does not take (text/plain) is read as JSON
    /// instead of being refused with 415.
    MediaTypeUnchecked,
    /// A user-property PUT refused with 403 (another user's record) stores the value anyway.
    RefusedWriteStored,
    /// The user-property key listing shows the keys of every user, not only the one named.
    PropertyListingShared,
    /// The notification-scheme page's `nextPage` link points at the same page again.
    NextPageRepeats,
    /// The user-property key listing's `self` links leave out the `accountId`.
    KeySelfWithoutAccount,
    /// `/myself?expand=groups` answers as without the expansion.
    ExpandIgnored,
    /// `/rest/api/2` answers rich-text fields (an issue's description, a worklog's comment) as
    /// Atlassian Document Format, as `/rest/api/3` does, instead of plain text.
    V2RichTextAsAdf,
    /// Property keys are held to the 255 limit in bytes, not characters: a multi-byte key within
    /// the limit is refused.
    KeyCharsAsBytes,
    /// DELETE of a property the entity does not have answers 204 instead of 404.
    DeleteMissing204,
    /// A project key in another case names the project (the key is documented case sensitive).
    ProjectKeyCaseIgnored,
    /// Comment property writes check *Edit own comments* but not that the caller wrote the
    /// comment: a user may write properties on other people's comments without *Edit all
    /// comments*.
    CommentEditOwnIgnored,
    /// A PUT of an issue, project, worklog or dashboard-item property refused as over the value
    /// limit answers 400 but stores the value cut to the limit's half (as a JSON string).
    OverLimitWriteStored,
    /// An issue's property key listing shows the keys of every issue, not only its own.
    IssuePropertyListingShared,
    /// A worklog update refused for a comment in the other API version's format answers 400
    /// but stores the comment's text.
    RefusedCommentStored,
    /// A project property GET finds a key stored on any project, not only the one named.
    ProjectPropertyReadShared,
}

impl Fault {
    /// Every fault, in declaration order.
    pub const ALL: &'static [Fault] = &[
        Fault::PostAccepted,
        Fault::ValueLimitNotEnforced,
        Fault::ValueLimitOffByOne,
        Fault::ValueBytesAsChars,
        Fault::KeyLimitNotEnforced,
        Fault::AdminCheckMissing,
        Fault::AnonymousReadAllowed,
        Fault::InvalidCredentialsAccepted,
        Fault::NokeyGet404,
        Fault::PutAlways200,
        Fault::Delete200,
        Fault::StaleKeyListing,
        Fault::AccountIdIgnored,
        Fault::WrongContentType,
        Fault::AllowHeaderMissing,
        Fault::MyselfActiveAsString,
        Fault::DeleteKeepsValue,
        Fault::MissingAccountId404,
        Fault::AttachmentSecurityIgnored,
        Fault::AttachmentMetaAdminOnly,
        Fault::TimetrackingOpenToAll,
        Fault::PrivateDashboardVisible,
        Fault::DashboardGroupShareIgnored,
        Fault::ItemPropertySharedUserWrites,
        Fault::ItemValueLimitNotEnforced,
        Fault::ItemPutAlways200,
        Fault::IssueSecurityIgnored,
        Fault::FieldsExclusionIgnored,
        Fault::IssueKeyCaseSensitive,
        Fault::WorklogVisibilityIgnored,
        Fault::WorklogUpdateClearsUnset,
        Fault::WorklogMaxResultsIgnored,
        Fault::WorklogEmptyUpdateAccepted,
        Fault::NotificationSchemesUnordered,
        Fault::NotificationSchemesUnfiltered,
        Fault::RoleCreatedWithDefaultActors,
        Fault::RoleDuplicateNameAccepted,
        Fault::RoleCreateOpenToAll,
        Fault::ProjectRolesOpenToAll,
        Fault::IssuePropertyNoBrowseCheck,
        Fault::ProjectPropertyAnyoneWrites,
        Fault::CredentialsUnchecked,
        Fault::PermissionsUnchecked,
        Fault::OnlyUserProperties,
        Fault::JsonStringBodies,
        Fault::ChallengeMissing,
        Fault::MediaTypeUnchecked,
        Fault::RefusedWriteStored,
        Fault::PropertyListingShared,
        Fault::NextPageRepeats,
        Fault::KeySelfWithoutAccount,
        Fault::ExpandIgnored,
        Fault::V2RichTextAsAdf,
        Fault::KeyCharsAsBytes,
        Fault::DeleteMissing204,
        Fault::ProjectKeyCaseIgnored,
        Fault::CommentEditOwnIgnored,
        Fault::OverLimitWriteStored,
        Fault::IssuePropertyListingShared,
        Fault::RefusedCommentStored,
        Fault::ProjectPropertyReadShared,
    ];

    /// The faults that change the whole mock rather than one behaviour: what it routes, how
    /// it encodes every body. Switched on together with the others they hide them, so tests
    /// that combine every fault leave these out.
    pub const WHOLE_MOCK: &'static [Fault] = &[Fault::OnlyUserProperties, Fault::JsonStringBodies];

    /// The fault's kebab-case name, as given on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Fault::PostAccepted => "post-accepted",
            Fault::ValueLimitNotEnforced => "value-limit-not-enforced",
            Fault::ValueLimitOffByOne => "value-limit-off-by-one",
            Fault::ValueBytesAsChars => "value-bytes-as-chars",
            Fault::KeyLimitNotEnforced => "key-limit-not-enforced",
            Fault::AdminCheckMissing => "admin-check-missing",
            Fault::AnonymousReadAllowed => "anonymous-read-allowed",
            Fault::InvalidCredentialsAccepted => "invalid-credentials-accepted",
            Fault::NokeyGet404 => "nokey-get-404",
            Fault::PutAlways200 => "put-always-200",
            Fault::Delete200 => "delete-200",
            Fault::StaleKeyListing => "stale-key-listing",
            Fault::AccountIdIgnored => "account-id-ignored",
            Fault::WrongContentType => "wrong-content-type",
            Fault::AllowHeaderMissing => "allow-header-missing",
            Fault::MyselfActiveAsString => "myself-active-as-string",
            Fault::DeleteKeepsValue => "delete-keeps-value",
            Fault::MissingAccountId404 => "missing-account-id-404",
            Fault::AttachmentSecurityIgnored => "attachment-security-ignored",
            Fault::AttachmentMetaAdminOnly => "attachment-meta-admin-only",
            Fault::TimetrackingOpenToAll => "timetracking-open-to-all",
            Fault::PrivateDashboardVisible => "private-dashboard-visible",
            Fault::DashboardGroupShareIgnored => "dashboard-group-share-ignored",
            Fault::ItemPropertySharedUserWrites => "item-property-shared-user-writes",
            Fault::ItemValueLimitNotEnforced => "item-value-limit-not-enforced",
            Fault::ItemPutAlways200 => "item-put-always-200",
            Fault::IssueSecurityIgnored => "issue-security-ignored",
            Fault::FieldsExclusionIgnored => "fields-exclusion-ignored",
            Fault::IssueKeyCaseSensitive => "issue-key-case-sensitive",
            Fault::WorklogVisibilityIgnored => "worklog-visibility-ignored",
            Fault::WorklogUpdateClearsUnset => "worklog-update-clears-unset",
            Fault::WorklogMaxResultsIgnored => "worklog-max-results-ignored",
            Fault::WorklogEmptyUpdateAccepted => "worklog-empty-update-accepted",
            Fault::NotificationSchemesUnordered => "notification-schemes-unordered",
            Fault::NotificationSchemesUnfiltered => "notification-schemes-unfiltered",
            Fault::RoleCreatedWithDefaultActors => "role-created-with-default-actors",
            Fault::RoleDuplicateNameAccepted => "role-duplicate-name-accepted",
            Fault::RoleCreateOpenToAll => "role-create-open-to-all",
            Fault::ProjectRolesOpenToAll => "project-roles-open-to-all",
            Fault::IssuePropertyNoBrowseCheck => "issue-property-no-browse-check",
            Fault::ProjectPropertyAnyoneWrites => "project-property-anyone-writes",
            Fault::CredentialsUnchecked => "credentials-unchecked",
            Fault::PermissionsUnchecked => "permissions-unchecked",
            Fault::OnlyUserProperties => "only-user-properties",
            Fault::JsonStringBodies => "json-string-bodies",
            Fault::ChallengeMissing => "challenge-missing",
            Fault::MediaTypeUnchecked => "media-type-unchecked",
            Fault::RefusedWriteStored => "refused-write-stored",
            Fault::PropertyListingShared => "property-listing-shared",
            Fault::NextPageRepeats => "next-page-repeats",
            Fault::KeySelfWithoutAccount => "key-self-without-account",
            Fault::ExpandIgnored => "expand-ignored",
            Fault::V2RichTextAsAdf => "v2-rich-text-as-adf",
            Fault::KeyCharsAsBytes => "key-chars-as-bytes",
            Fault::DeleteMissing204 => "delete-missing-204",
            Fault::ProjectKeyCaseIgnored => "project-key-case-ignored",
            Fault::CommentEditOwnIgnored => "comment-edit-own-ignored",
            Fault::OverLimitWriteStored => "over-limit-write-stored",
            Fault::IssuePropertyListingShared => "issue-property-listing-shared",
            Fault::RefusedCommentStored => "refused-comment-stored",
            Fault::ProjectPropertyReadShared => "project-property-read-shared",
        }
    }

    /// The fault with this name, if any.
    pub fn parse(name: &str) -> Option<Fault> {
        Fault::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// One line saying what the fault breaks.
    pub fn description(self) -> &'static str {
        match self {
            Fault::PostAccepted => "POST on /user/properties/{key} acts like PUT instead of answering 405",
            Fault::ValueLimitNotEnforced => "property values larger than 32768 bytes are accepted",
            Fault::ValueLimitOffByOne => "a property value of exactly 32768 bytes is refused (accepts at most 32767)",
            Fault::ValueBytesAsChars => "the 32768 value limit counts characters instead of bytes",
            Fault::KeyLimitNotEnforced => "property keys longer than 255 characters are accepted",
            Fault::AdminCheckMissing => "ordinary users may act on other users' properties",
            Fault::AnonymousReadAllowed => "property reads without an Authorization header are served as if by an administrator",
            Fault::InvalidCredentialsAccepted => "a known e-mail address with a wrong token is accepted as that user",
            Fault::NokeyGet404 => "GET /user/properties/ (no key) answers 404 instead of listing the keys",
            Fault::PutAlways200 => "PUT answers 200 also when it created the property",
            Fault::Delete200 => "DELETE answers 200 instead of 204",
            Fault::StaleKeyListing => "the key listing omits keys set after the mock started",
            Fault::AccountIdIgnored => "a missing accountId means the caller's own record instead of 400",
            Fault::WrongContentType => "JSON responses are served as text/plain",
            Fault::AllowHeaderMissing => "405 responses carry no Allow header",
            Fault::MyselfActiveAsString => "/myself returns \"active\": \"true\" (a string)",
            Fault::DeleteKeepsValue => "DELETE answers 204 but the property remains",
            Fault::MissingAccountId404 => "the key listing without accountId answers 404 instead of 400",
            Fault::AttachmentSecurityIgnored => "attachment metadata is served to principals who may not see the attachment's issue",
            Fault::AttachmentMetaAdminOnly => "GET /attachment/meta answers 403 to everyone but administrators",
            Fault::TimetrackingOpenToAll => "the selected time-tracking implementation is shown to non-administrators",
            Fault::PrivateDashboardVisible => "a dashboard shared with nobody is visible to every logged-in user",
            Fault::DashboardGroupShareIgnored => "a dashboard shared with a group is hidden from the group's members",
            Fault::ItemPropertySharedUserWrites => "users a dashboard is shared with may write its item properties",
            Fault::ItemValueLimitNotEnforced => "dashboard item property values larger than 32768 bytes are accepted",
            Fault::ItemPutAlways200 => "PUT of a dashboard item property answers 200 also when it created it",
            Fault::IssueSecurityIgnored => "issues behind issue-level security are shown to everyone who may browse the project",
            Fault::FieldsExclusionIgnored => "getIssue ignores excluded fields (fields=-summary still returns summary)",
            Fault::IssueKeyCaseSensitive => "an issue key in lower case is not found",
            Fault::WorklogVisibilityIgnored => "worklogs restricted to a group or role are shown to everyone who sees the issue",
            Fault::WorklogUpdateClearsUnset => "updating a worklog clears the fields the request leaves out",
            Fault::WorklogMaxResultsIgnored => "the worklog listing ignores maxResults",
            Fault::WorklogEmptyUpdateAccepted => "a worklog update that changes nothing answers 200 instead of 400",
            Fault::NotificationSchemesUnordered => "notification schemes are listed by id instead of by name",
            Fault::NotificationSchemesUnfiltered => "every notification scheme is listed to every user, administering a project or not",
            Fault::RoleCreatedWithDefaultActors => "a created project role starts with the caller as a default actor",
            Fault::RoleDuplicateNameAccepted => "creating a project role with an existing name succeeds instead of 409",
            Fault::RoleCreateOpenToAll => "non-administrators may create project roles",
            Fault::ProjectRolesOpenToAll => "anyone may list a project's roles, administering it or not",
            Fault::IssuePropertyNoBrowseCheck => "issue properties are readable by users who may not see the issue (no Browse projects, or outside its security level)",
            Fault::ProjectPropertyAnyoneWrites => "users who administer neither Jira nor the project may set and delete project properties",
            Fault::CredentialsUnchecked => "wrong or missing credentials are served as the administrator",
            Fault::PermissionsUnchecked => "every authenticated principal holds every permission (admin, every project, group, role and security level)",
            Fault::OnlyUserProperties => "only the user-property operations are served; every other path answers 404",
            Fault::JsonStringBodies => "2xx JSON objects are sent as JSON strings holding their text",
            Fault::ChallengeMissing => "401 answers carry no WWW-Authenticate challenge",
            Fault::MediaTypeUnchecked => "a text/plain body is read as JSON instead of being refused with 415",
            Fault::RefusedWriteStored => "a user-property PUT on another user's record answers 403 but stores the value",
            Fault::PropertyListingShared => "the user-property key listing shows every user's keys",
            Fault::NextPageRepeats => "the notification-scheme page's nextPage link points at the same page again",
            Fault::KeySelfWithoutAccount => "the user-property key listing's self links leave out the accountId",
            Fault::ExpandIgnored => "/myself?expand=groups answers as without the expansion",
            Fault::V2RichTextAsAdf => "/rest/api/2 answers rich-text fields as Atlassian Document Format",
            Fault::KeyCharsAsBytes => "property keys are limited to 255 bytes instead of 255 characters",
            Fault::DeleteMissing204 => "DELETE of a missing property answers 204 instead of 404",
            Fault::ProjectKeyCaseIgnored => "a project key in another case names the project",
            Fault::CommentEditOwnIgnored => "a user may write properties on other people's comments without Edit all comments",
            Fault::OverLimitWriteStored => "an over-limit PUT of an issue, project, worklog or dashboard-item property answers 400 but stores a truncated value",
            Fault::IssuePropertyListingShared => "an issue's property key listing shows every issue's keys",
            Fault::RefusedCommentStored => "a worklog update refused for a comment in the other version's format answers 400 but stores the comment",
            Fault::ProjectPropertyReadShared => "a project property GET finds a key stored on any project",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
