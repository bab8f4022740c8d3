//! The "Permissions required" reader on Atlassian's whole platform specs (`../shared/specs/`,
//! data, not part of the project): every operation whose description has the paragraph yields a
//! recognised permission or an unrecognised statement (nothing silently dropped), a measured
//! share of operations is recognised completely, and operations checked by reading the spec are
//! read as they say. A missing file is skipped with a message on stderr, never failed.
//!
//! Each survey prints the count per permission, the combinations and the most frequent
//! unrecognised statements, so the parser can be extended where it pays most. Set
//! `PERMISSION_PROSE_DUMP=1` to print every operation that is not recognised completely, `=all` to
//! print every operation with its statements.

use std::collections::BTreeMap;

use jira_conform::case::Provenance;
use jira_conform::spec::prose::{
    permissions, Combination, GlobalPermission, Grant, Permission, PermissionRule,
    ProjectPermission,
};
use jira_conform::spec::{load_path, Operation, Spec};

use crate::support::shared;

const V2021: &str = "jira-platform-v3.2021-11-23.json";
const V2022: &str = "jira-platform-v3.2022-07-16.json";
const V2025: &str = "jira-platform-v3.2025-07-30.json";

fn load(file: &str) -> Option<Spec> {
    let path = shared::real_spec(file)?;
    Some(load_path(&path).unwrap_or_else(|e| panic!("{file} does not load: {e}")))
}

/// Whether the description has the paragraph, read independently of the parser: the heading
/// as Atlassian writes it, with or without the link.
fn has_paragraph(op: &Operation) -> bool {
    let lower = op.description.to_ascii_lowercase();
    lower.contains("[permissions](#permissions) required") || lower.contains("permissions required")
}

struct Survey {
    operations: usize,
    with_paragraph: usize,
    fully_recognised: usize,
    anonymous: usize,
    per_permission: BTreeMap<String, usize>,
    per_combination: BTreeMap<String, usize>,
    unrecognised: BTreeMap<String, usize>,
    silent: Vec<String>,
}

impl Survey {
    fn share(&self) -> f64 {
        self.fully_recognised as f64 / self.with_paragraph.max(1) as f64
    }
}

fn survey(file: &str, spec: &Spec) -> Survey {
    let dump = std::env::var("PERMISSION_PROSE_DUMP").ok();
    let mut s = Survey {
        operations: spec.operations.len(),
        with_paragraph: 0,
        fully_recognised: 0,
        anonymous: 0,
        per_permission: BTreeMap::new(),
        per_combination: BTreeMap::new(),
        unrecognised: BTreeMap::new(),
        silent: Vec::new(),
    };
    for op in &spec.operations {
        let rule = permissions(op, file);
        s.anonymous += usize::from(rule.anonymous.is_some());
        if !has_paragraph(op) {
            assert!(
                rule.permissions.is_empty() && rule.unrecognised.is_empty(),
                "{file} {}: no paragraph, yet {rule:?}",
                op.operation_id
            );
            continue;
        }
        s.with_paragraph += 1;
        if rule.permissions.is_empty() && rule.unrecognised.is_empty() {
            s.silent.push(op.operation_id.clone());
        }
        if rule.fully_recognised() {
            s.fully_recognised += 1;
        }
        if dump.as_deref() == Some("all") || (dump.is_some() && !rule.fully_recognised()) {
            print_rule(op, &rule);
        }
        let mut named: Vec<Permission> = rule.permissions.iter().map(|p| p.value).collect();
        named.sort_unstable();
        named.dedup();
        for p in named {
            *s.per_permission.entry(p.to_string()).or_default() += 1;
        }
        if !rule.permissions.is_empty() {
            *s.per_combination
                .entry(format!("{:?}", rule.combination))
                .or_default() += 1;
        }
        for u in &rule.unrecognised {
            *s.unrecognised.entry(u.clone()).or_default() += 1;
        }
        // Grants are the permissions the generator has names for, with the same provenance.
        let projected: Vec<_> = rule
            .permissions
            .iter()
            .filter_map(|p| Some((p.value.as_grant()?, p.provenance.clone())))
            .collect();
        let grants: Vec<_> = rule
            .grants
            .iter()
            .map(|g| (g.value, g.provenance.clone()))
            .collect();
        assert_eq!(grants, projected, "{file} {}", op.operation_id);
    }
    eprintln!(
        "\n== {file}: {} operations, {} with a \"Permissions required\" paragraph, {} ({:.1}%) \
         recognised completely; {} say they can be called anonymously",
        s.operations,
        s.with_paragraph,
        s.fully_recognised,
        100.0 * s.share(),
        s.anonymous
    );
    eprintln!("operations naming each permission:");
    let mut per: Vec<_> = s.per_permission.iter().collect();
    per.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (p, n) in per {
        eprintln!("  {n:4}  {p}");
    }
    eprintln!("combinations (operations with a recognised permission):");
    for (c, n) in &s.per_combination {
        eprintln!("  {n:4}  {c}");
    }
    let mut top: Vec<_> = s.unrecognised.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    eprintln!(
        "the 15 most frequent unrecognised statements (of {} distinct, {} in all):",
        top.len(),
        s.unrecognised.values().sum::<usize>()
    );
    for (u, n) in top.iter().take(15) {
        eprintln!("  {n:4}  {u}");
    }
    s
}

fn print_rule(op: &Operation, rule: &PermissionRule) {
    eprintln!("--- {} ({:?})", op.operation_id, rule.combination);
    for p in &rule.permissions {
        let Provenance::Spec { text, .. } = &p.provenance else {
            continue;
        };
        eprintln!("    {:<32} {text}", p.value.to_string());
    }
    for u in &rule.unrecognised {
        eprintln!("    {:<32} {u}", "UNRECOGNISED");
    }
}

/// (a) nothing silently dropped, (b) the measured share of complete recognition holds.
fn check(file: &str, floor: f64) {
    let Some(spec) = load(file) else {
        return;
    };
    let s = survey(file, &spec);
    assert!(s.with_paragraph > 0, "{file}: no paragraph found at all");
    assert!(
        s.silent.is_empty(),
        "{file}: a paragraph yields neither a permission nor an unrecognised statement: {:?}",
        s.silent
    );
    assert!(
        s.share() >= floor,
        "{file}: {:.1}% of the operations with the paragraph are recognised completely, \
         below the floor of {:.1}%",
        100.0 * s.share(),
        100.0 * floor
    );
}

// Measured when the floors were set: 420 of 433 (97.0%), 446 of 459 (97.2%) and 548 of 568
// (96.5%) operations with the paragraph recognised completely.
const FLOOR: f64 = 0.95;

#[test]
fn the_2021_spec_is_read() {
    check(V2021, FLOOR);
}

#[test]
fn the_2022_spec_is_read() {
    check(V2022, FLOOR);
}

#[test]
fn the_2025_spec_is_read() {
    check(V2025, FLOOR);
}

// ---------------------------------------------------------------------------------------------
// Operations whose paragraph was read by hand in each file (the wording is the same in the three
// files unless a test says otherwise).

fn read<'a>(spec: &'a Spec, file: &str, id: &str) -> (&'a Operation, PermissionRule) {
    let (_, op) = spec
        .operation(id)
        .unwrap_or_else(|| panic!("{file}: {id} is missing"));
    (op, permissions(op, file))
}

fn values(rule: &PermissionRule) -> Vec<Permission> {
    rule.permissions.iter().map(|p| p.value).collect()
}

fn text(provenance: &Provenance) -> &str {
    match provenance {
        Provenance::Spec { text, .. } => text,
        other => panic!("not the spec's words: {other:?}"),
    }
}

/// Every permission comes from the operation's description in `file`, and `rule` names exactly
/// `expected`, recognising every statement.
fn assert_reads(
    file: &str,
    op: &Operation,
    rule: &PermissionRule,
    expected: &[Permission],
    combination: Combination,
) {
    let id = &op.operation_id;
    assert_eq!(values(rule), expected, "{file} {id}: {rule:#?}");
    assert!(rule.unrecognised.is_empty(), "{file} {id}: {rule:#?}");
    assert_eq!(rule.combination, combination, "{file} {id}: {rule:#?}");
    for p in &rule.permissions {
        let Provenance::Spec {
            file: f, pointer, ..
        } = &p.provenance
        else {
            panic!("{file} {id}: not the spec's words: {:?}", p.provenance);
        };
        assert_eq!(f, file);
        assert_eq!(pointer, &format!("{}/description", op.pointer));
    }
}

fn each_spec(check: impl Fn(&str, &Spec)) {
    for file in [V2021, V2022, V2025] {
        if let Some(spec) = load(file) {
            check(file, &spec);
        }
    }
}

use Combination::{AllOf, AnyOf, Mixed, Unstated};

const ADMIN: Permission = Permission::Grant(Grant::AdministerJira);
const OWN: Permission = Permission::Grant(Grant::OwnRecord);
const ACCESS: Permission = Permission::Grant(Grant::AccessJira);
const BROWSE: Permission = Permission::Grant(Grant::BrowseProjects);
const ADMIN_PROJECTS: Permission = Permission::Grant(Grant::AdministerProjects);
const ANYONE: Permission = Permission::Grant(Grant::Anyone);

#[test]
fn user_properties_let_administrators_in_or_the_user_on_their_own_record() {
    each_spec(|file, spec| {
        let (op, rule) = read(spec, file, "setUserProperty");
        assert_reads(file, op, &rule, &[ADMIN, OWN], AnyOf);
        assert_eq!(
            op.pointer,
            "/paths/~1rest~1api~13~1user~1properties~1{propertyKey}/put"
        );
        let admin = text(rule.grant(Grant::AdministerJira).unwrap());
        assert!(
            admin.starts_with("Administer Jira global permission"),
            "{admin}"
        );
        assert!(admin.contains("any user"), "{admin}");
        let own = text(rule.grant(Grant::OwnRecord).unwrap());
        assert!(own.starts_with("Access to Jira"), "{own}");
        assert!(own.contains("calling user's record"), "{own}");
        assert_eq!(rule.grants.len(), 2);
        assert!(rule.anonymous.is_none(), "{file}: {rule:?}");
        assert!(!rule.all_required());
    });
}

#[test]
fn none_lets_anyone_in_and_the_anonymous_sentence_is_kept() {
    each_spec(|file, spec| {
        for id in ["getServerInfo", "getAttachmentMeta"] {
            let (op, rule) = read(spec, file, id);
            assert_reads(file, op, &rule, &[ANYONE], AnyOf);
            assert_eq!(text(rule.grant(Grant::Anyone).unwrap()), "None.");
            let anonymous = rule
                .anonymous
                .as_ref()
                .unwrap_or_else(|| panic!("{file} {id}: no anonymous sentence"));
            assert!(
                text(anonymous).contains("accessed anonymously"),
                "{anonymous:?}"
            );
        }
        // "Permission to access Jira": any user, not anonymous callers.
        let (op, rule) = read(spec, file, "getCurrentUser");
        assert_reads(file, op, &rule, &[ACCESS], AnyOf);
        assert!(rule.anonymous.is_none());
    });
}

#[test]
fn project_administration_and_browsing_are_project_permissions() {
    each_spec(|file, spec| {
        let (op, rule) = read(spec, file, "updateProjectAvatar");
        assert_reads(file, op, &rule, &[ADMIN_PROJECTS], AnyOf);
        let (op, rule) = read(spec, file, "getProject");
        assert_reads(file, op, &rule, &[BROWSE], AnyOf);
        assert!(rule.anonymous.is_some());
        // "… for the project … or *Administer Jira*": alternatives, in one sentence.
        let (op, rule) = read(spec, file, "createComponent");
        assert_reads(file, op, &rule, &[ADMIN_PROJECTS, ADMIN], AnyOf);
        assert_eq!(
            rule.grant(Grant::AdministerProjects),
            rule.grant(Grant::AdministerJira)
        );
    });
}

#[test]
fn issue_operations_need_browsing_and_issue_security_together() {
    each_spec(|file, spec| {
        let (op, rule) = read(spec, file, "getIssue");
        assert_reads(file, op, &rule, &[BROWSE, Permission::IssueSecurity], AllOf);
        assert!(rule.all_required());
        assert!(text(rule.grant(Grant::BrowseProjects).unwrap()).contains("the issue is in"));
        assert!(rule.anonymous.is_some());
        // "*Browse projects* and *Edit issues*" in one bullet, issue security in the next.
        let (op, rule) = read(spec, file, "editIssue");
        let edit = Permission::Project(ProjectPermission::EditIssues);
        assert_reads(
            file,
            op,
            &rule,
            &[BROWSE, edit, Permission::IssueSecurity],
            AllOf,
        );
        let (op, rule) = read(spec, file, "createIssue");
        let create = Permission::Project(ProjectPermission::CreateIssues);
        assert_reads(file, op, &rule, &[BROWSE, create], AllOf);
    });
}

#[test]
fn a_choice_inside_a_list_of_requirements_is_mixed() {
    each_spec(|file, spec| {
        let (op, rule) = read(spec, file, "deleteComment");
        assert_reads(
            file,
            op,
            &rule,
            &[
                BROWSE,
                Permission::IssueSecurity,
                Permission::Project(ProjectPermission::DeleteAllComments),
                Permission::Project(ProjectPermission::DeleteOwnComments),
                Permission::Visibility,
            ],
            Mixed,
        );
    });
}

#[test]
fn app_only_operations_are_their_own_grant() {
    each_spec(|file, spec| {
        for id in [
            "DynamicModulesResource.registerModules_post",
            "getFailedWebhooks",
        ] {
            let (op, rule) = read(spec, file, id);
            assert_reads(file, op, &rule, &[Permission::AppOnly], AnyOf);
            assert!(rule.grants.is_empty(), "{file} {id}: {rule:?}");
        }
        // Administrators, or the app that provides the field with no permission at all.
        let (op, rule) = read(spec, file, "getAllIssueFieldOptions");
        assert_reads(file, op, &rule, &[ADMIN, Permission::OwningApp], AnyOf);
    });
}

#[test]
fn site_administration_and_other_global_permissions() {
    each_spec(|file, spec| {
        let (op, rule) = read(spec, file, "removeGroup");
        assert_reads(file, op, &rule, &[Permission::SiteAdmin], AnyOf);
        let browse_users = Permission::Global(GlobalPermission::BrowseUsersAndGroups);
        let (op, rule) = read(spec, file, "bulkGetGroups");
        assert_reads(file, op, &rule, &[browse_users], AnyOf);
        // Administrators only in the older files; "either of:" and a bullet each in 2025.
        let (op, rule) = read(spec, file, "getUsersFromGroup");
        if file == V2025 {
            assert_reads(file, op, &rule, &[browse_users, ADMIN], AnyOf);
        } else {
            assert_reads(file, op, &rule, &[ADMIN], AnyOf);
        }
    });
}

#[test]
fn filter_visibility_lists_do_not_say_how_their_bullets_combine() {
    each_spec(|file, spec| {
        // "None, however, the filter is only returned where it is:" and five bullets with no
        // connective: every statement is recognised, the combination is not guessed.
        let (op, rule) = read(spec, file, "getFilter");
        assert_reads(
            file,
            op,
            &rule,
            &[
                ANYONE,
                Permission::Owner,
                Permission::Shared,
                BROWSE,
                Permission::Shared,
                Permission::Shared,
            ],
            Unstated,
        );
    });
}

#[test]
fn wording_that_turns_a_permission_around_is_listed_not_guessed() {
    let Some(spec) = load(V2025) else {
        return;
    };
    // "… global permission. is only needed when …" / "Otherwise you will only need …": both
    // name permissions, neither is a plain requirement.
    let (_, rule) = read(&spec, V2025, "updateProject");
    assert!(rule.permissions.is_empty(), "{rule:#?}");
    assert_eq!(rule.unrecognised.len(), 2, "{rule:#?}");
    // The second sentence is a remark on results, the first a requirement.
    let (_, rule) = read(&spec, V2025, "findUsers");
    assert_eq!(
        values(&rule),
        [Permission::Global(GlobalPermission::BrowseUsersAndGroups)]
    );
    assert_eq!(rule.unrecognised.len(), 1, "{rule:#?}");
}

/// Issue 17, item 4: how many operations of each real spec state each prose rule (case
/// sensitivity, a limit's unit, delete of a missing property → 404), printed; where the raw
/// text of the spec has the rule's wording, the reader finds it on at least one operation.
#[test]
fn prose_rules_are_counted_on_every_real_spec() {
    use jira_conform::spec::prose_rules::{
        case_sensitive_params, delete_missing_404, stated_limits, LimitSubject, LimitUnit,
    };
    let mut seen = 0;
    for file in [V2021, V2022, V2025] {
        let Some(spec) = load(file) else { continue };
        seen += 1;
        let raw = spec.document.to_string().to_lowercase();
        let mut case_sensitive = 0;
        let mut units: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut delete_404 = 0;
        for op in &spec.operations {
            if !case_sensitive_params(op, file).is_empty() {
                case_sensitive += 1;
            }
            let mut kinds: Vec<(&str, &str)> = stated_limits(op, file)
                .iter()
                .map(|l| {
                    let subject = match l.value.subject {
                        LimitSubject::Key => "key",
                        LimitSubject::Value => "value",
                    };
                    (subject, l.value.unit.name())
                })
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            for kind in kinds {
                *units.entry(kind).or_default() += 1;
            }
            if delete_missing_404(op, file).is_some() {
                delete_404 += 1;
            }
        }
        eprintln!(
            "{file}: case sensitive: {case_sensitive} operations; limits by unit: {units:?}; \
             delete of a missing property → 404: {delete_404} operations"
        );
        if raw.contains("(case sensitive)") {
            assert!(
                case_sensitive > 0,
                "{file}: no case-sensitive parameter read"
            );
        }
        if raw.contains("maximum length is 255 characters") {
            assert!(
                units.get(&("key", LimitUnit::Characters.name())).copied() > Some(0),
                "{file}: no key limit in characters read"
            );
        }
        if raw.contains("property value is 32768 bytes") {
            assert!(
                units.get(&("value", LimitUnit::Bytes.name())).copied() > Some(0),
                "{file}: no value limit in bytes read"
            );
        }
        if raw.contains("or property is not found") {
            assert!(
                delete_404 > 0,
                "{file}: no DELETE with the missing-property 404 read"
            );
        }
    }
    if seen == 0 {
        eprintln!("skipped: no real spec found");
    }
}
