//! The permission model: what a "Permissions required" paragraph is recognised to name
//! ([`Grant`], [`Permission`] and its project and global permissions), how the permissions
//! combine, and the [`PermissionRule`] an operation's paragraph reads as.

use std::fmt;

use super::Sourced;
use crate::spec::Provenance;

/// One way the "Permissions required" paragraph lets a caller in, in the vocabulary the case
/// generator acts on. Everything else the paragraph is recognised to name is a [`Permission`]:
/// [`PermissionRule::permissions`] holds both, [`PermissionRule::grants`] only these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grant {
    /// *Administer Jira*, acting on any user's record.
    AdministerJira,
    /// Any user with access to Jira, acting on their own record only.
    OwnRecord,
    /// Any user with access to Jira.
    AccessJira,
    /// *Browse projects* on the project in question.
    BrowseProjects,
    /// *Administer projects* on the project in question.
    AdministerProjects,
    /// No permission at all ("None"). Whether callers without credentials are let in is stated
    /// apart: see [`PermissionRule::anonymous`].
    Anyone,
}

/// A project permission the prose names, other than *Browse projects* and *Administer
/// projects* (those are [`Grant`]s). Each variant is the permission of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProjectPermission {
    CreateIssues,
    EditIssues,
    DeleteIssues,
    AssignIssues,
    AssignableUser,
    LinkIssues,
    TransitionIssues,
    MoveIssues,
    ResolveIssues,
    CloseIssues,
    ScheduleIssues,
    ModifyReporter,
    SetIssueSecurity,
    AddComments,
    EditAllComments,
    EditOwnComments,
    DeleteAllComments,
    DeleteOwnComments,
    CreateAttachments,
    DeleteAllAttachments,
    DeleteOwnAttachments,
    WorkOnIssues,
    EditAllWorklogs,
    EditOwnWorklogs,
    DeleteAllWorklogs,
    DeleteOwnWorklogs,
    ViewVotersAndWatchers,
    ManageWatchers,
    ViewReadOnlyWorkflow,
    EditWorkflows,
    ManageSprints,
    ViewDevelopmentTools,
}

impl ProjectPermission {
    /// The permission's name as Jira's administration pages write it.
    pub fn name(self) -> &'static str {
        use ProjectPermission::*;
        match self {
            CreateIssues => "Create issues",
            EditIssues => "Edit issues",
            DeleteIssues => "Delete issues",
            AssignIssues => "Assign issues",
            AssignableUser => "Assignable user",
            LinkIssues => "Link issues",
            TransitionIssues => "Transition issues",
            MoveIssues => "Move issues",
            ResolveIssues => "Resolve issues",
            CloseIssues => "Close issues",
            ScheduleIssues => "Schedule issues",
            ModifyReporter => "Modify reporter",
            SetIssueSecurity => "Set issue security",
            AddComments => "Add comments",
            EditAllComments => "Edit all comments",
            EditOwnComments => "Edit own comments",
            DeleteAllComments => "Delete all comments",
            DeleteOwnComments => "Delete own comments",
            CreateAttachments => "Create attachments",
            DeleteAllAttachments => "Delete all attachments",
            DeleteOwnAttachments => "Delete own attachments",
            WorkOnIssues => "Work on issues",
            EditAllWorklogs => "Edit all worklogs",
            EditOwnWorklogs => "Edit own worklogs",
            DeleteAllWorklogs => "Delete all worklogs",
            DeleteOwnWorklogs => "Delete own worklogs",
            ViewVotersAndWatchers => "View voters and watchers",
            ManageWatchers => "Manage watchers",
            ViewReadOnlyWorkflow => "View read-only workflow",
            EditWorkflows => "Edit workflows",
            ManageSprints => "Manage sprints",
            ViewDevelopmentTools => "View development tools",
        }
    }
}

/// A global permission the prose names, other than *Administer Jira* (a [`Grant`]). Each
/// variant is the permission of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GlobalPermission {
    BrowseUsersAndGroups,
    ShareDashboardsAndFilters,
    BulkChange,
    CreateSharedObjects,
    ManageGroupFilterSubscriptions,
    CreateTeamManagedProjects,
}

impl GlobalPermission {
    /// The permission's name as Jira's administration pages write it.
    pub fn name(self) -> &'static str {
        use GlobalPermission::*;
        match self {
            BrowseUsersAndGroups => "Browse users and groups",
            ShareDashboardsAndFilters => "Share dashboards and filters",
            BulkChange => "Make bulk changes",
            CreateSharedObjects => "Create shared objects",
            ManageGroupFilterSubscriptions => "Manage group filter subscriptions",
            CreateTeamManagedProjects => "Create team-managed projects",
        }
    }
}

/// Everything a "Permissions required" statement is recognised to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// One of the generator's grants.
    Grant(Grant),
    /// Where issue-level security is configured, the security level's permission to see the
    /// issue.
    IssueSecurity,
    /// A named project permission on the project in question.
    Project(ProjectPermission),
    /// A named global permission.
    Global(GlobalPermission),
    /// Site administration: membership of the `site-admin` group.
    SiteAdmin,
    /// Where the comment or worklog acted on has restricted visibility, membership of the
    /// group or role it is restricted to.
    Visibility,
    /// The caller owns the entity acted on (a filter, dashboard or task it created).
    Owner,
    /// The entity acted on (a filter, a dashboard) is shared with the caller: with a group they
    /// belong to, with a public project, or with the public.
    Shared,
    /// Only apps (Connect, Forge or OAuth 2.0 ones, as the statement says) may call: no user.
    AppOnly,
    /// The app that owns the entity acted on (it provided the field, its key is in the path),
    /// needing no Jira permission.
    OwningApp,
}

impl Permission {
    /// The generator's grant, when this is one.
    pub fn as_grant(self) -> Option<Grant> {
        match self {
            Permission::Grant(g) => Some(g),
            _ => None,
        }
    }
}

impl From<Grant> for Permission {
    fn from(g: Grant) -> Self {
        Permission::Grant(g)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Permission::Grant(Grant::AdministerJira) => f.write_str("global: Administer Jira"),
            Permission::Grant(Grant::OwnRecord) => f.write_str("own record"),
            Permission::Grant(Grant::AccessJira) => f.write_str("access to Jira"),
            Permission::Grant(Grant::BrowseProjects) => f.write_str("project: Browse projects"),
            Permission::Grant(Grant::AdministerProjects) => {
                f.write_str("project: Administer projects")
            }
            Permission::Grant(Grant::Anyone) => f.write_str("none (anyone)"),
            Permission::IssueSecurity => f.write_str("issue-level security"),
            Permission::Project(p) => write!(f, "project: {}", p.name()),
            Permission::Global(g) => write!(f, "global: {}", g.name()),
            Permission::SiteAdmin => f.write_str("site administration"),
            Permission::Visibility => f.write_str("restricted visibility"),
            Permission::Owner => f.write_str("owner of the entity"),
            Permission::Shared => f.write_str("shared with the caller"),
            Permission::AppOnly => f.write_str("apps only"),
            Permission::OwningApp => f.write_str("the owning app"),
        }
    }
}

/// How the recognised permissions of a rule combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Combination {
    /// Any one of them lets the caller in: alternatives ("or", "either of", one bullet per
    /// case). Also the reading when the rule names at most one permission, and what callers
    /// assumed before the combination was read.
    #[default]
    AnyOf,
    /// Every one of them is needed ("and", a list whose bullets add conditions such as
    /// issue-level security).
    AllOf,
    /// The wording nests "and" and "or" (a choice inside a list of requirements, or the
    /// reverse): neither reading holds for the whole rule; the statements tell which.
    Mixed,
    /// The wording does not say how they combine (bullets or sentences side by side with no
    /// connective and no per-case clause): not guessed.
    Unstated,
}

/// What the "Permissions required" paragraph of an operation says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionRule {
    /// Recognised grants in the generator's vocabulary, each with its statement: the
    /// [`Permission::Grant`]s of [`permissions`](Self::permissions), in the same order.
    pub grants: Vec<Sourced<Grant>>,
    /// Every recognised permission, each with its statement, in the order of the paragraph.
    pub permissions: Vec<Sourced<Permission>>,
    /// Statements that were not recognised: listed, never guessed.
    pub unrecognised: Vec<String>,
    /// How the permissions combine.
    pub combination: Combination,
    /// The sentence saying the operation can be called anonymously, if the description has one
    /// (it stands outside the paragraph).
    pub anonymous: Option<Provenance>,
}

impl PermissionRule {
    /// The grant's provenance, if the paragraph states it.
    pub fn grant(&self, grant: Grant) -> Option<&Provenance> {
        self.grants
            .iter()
            .find(|g| g.value == grant)
            .map(|g| &g.provenance)
    }

    /// The permission's provenance, if the paragraph states it.
    pub fn permission(&self, permission: impl Into<Permission>) -> Option<&Provenance> {
        let permission = permission.into();
        self.permissions
            .iter()
            .find(|p| p.value == permission)
            .map(|p| &p.provenance)
    }

    /// Whether the wording says every permission is needed.
    pub fn all_required(&self) -> bool {
        self.combination == Combination::AllOf
    }

    /// Whether every statement of the paragraph was recognised and at least one permission was.
    pub fn fully_recognised(&self) -> bool {
        !self.permissions.is_empty() && self.unrecognised.is_empty()
    }
}
