//! The principals: who each is (`/myself`), whether it administers Jira (`/mypermissions`),
//! and its groups (`/user/groups`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::read::{enc, text};
use super::run::Run;
use crate::init::{FoundPrincipal, InitError, InitOptions, Section};

/// `/myself` and `/mypermissions` as each principal; the first answer also tells whether the
/// target is Jira and the credentials work.
pub(super) async fn principals(run: &mut Run<'_>, options: &InitOptions) -> Result<(), InitError> {
    run.step("principals");
    for spec in &options.principals {
        let path = "/rest/api/3/myself";
        let answer = run.get(&spec.name, path).await?;
        if matches!(answer.status, 401 | 403) {
            return Err(InitError::CredentialsRefused {
                principal: spec.name.clone(),
                path: path.into(),
                status: answer.status,
                var: spec.auth.token_env().to_string(),
            });
        }
        let user = answer.ok().and_then(Value::as_object);
        let Some((user, account_id)) =
            user.and_then(|u| Some((u, u.get("accountId")?.as_str()?.to_string())))
        else {
            return Err(InitError::NotJira {
                url: run.base.clone(),
                answered: format!(
                    "GET {path} as {} answered {}, not a JSON user (is the URL the site root, e.g. https://your-domain.atlassian.net?)",
                    spec.name,
                    answer.describe()
                ),
            });
        };
        if account_id.is_empty() {
            return Err(InitError::NotJira {
                url: run.base.clone(),
                answered: format!("GET {path} as {} named no account id", spec.name),
            });
        }
        if let Some(other) = run.names.get(&account_id) {
            return Err(InitError::Options(format!(
                "principals {other} and {} are the same account ({account_id}); give each principal its own",
                spec.name
            )));
        }
        let display_name = text(user.get("displayName")).unwrap_or_else(|| spec.name.clone());
        let permissions = run
            .json(
                &spec.name,
                "/rest/api/3/mypermissions?permissions=ADMINISTER",
            )
            .await?;
        let admin = permissions
            .as_ref()
            .and_then(|v| v.pointer("/permissions/ADMINISTER/havePermission"))
            .and_then(Value::as_bool);
        if admin.is_none() {
            run.note(
                Section::Principals,
                format!(
                    "{}: whether it holds Administer Jira could not be learned (GET /mypermissions); admin = false assumed",
                    spec.name
                ),
            );
        }
        run.names.insert(account_id.clone(), spec.name.clone());
        run.principals.push(FoundPrincipal {
            name: spec.name.clone(),
            auth: spec.auth.clone(),
            account_id,
            display_name,
            admin: admin.unwrap_or(false),
        });
    }
    if !run.principals.iter().any(|p| p.admin) {
        run.note(
            Section::Principals,
            "no principal holds Administer Jira: the administrator's cases will be skipped, and what only administrators may list (roles, unused notification schemes) is missing",
        );
    }
    if run.principals.iter().filter(|p| !p.admin).count() < 2 {
        run.note(
            Section::Principals,
            "fewer than two ordinary users: the cases where one user acts on another's record will be skipped",
        );
    }
    Ok(())
}

/// Each principal's groups (`/user/groups`), as group → member principals.
pub(super) async fn groups(
    run: &mut Run<'_>,
) -> Result<BTreeMap<String, BTreeSet<String>>, InitError> {
    run.step("groups");
    let mut memberships: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in run.principals.clone() {
        let path = format!("/rest/api/3/user/groups?accountId={}", enc(&p.account_id));
        match run.json(&p.name, &path).await? {
            Some(Value::Array(groups)) => {
                for g in groups {
                    if let Some(name) = text(g.get("name")) {
                        memberships.entry(name).or_default().insert(p.name.clone());
                    }
                }
            }
            _ => run.note(
                Section::Groups,
                format!(
                    "{}: its groups could not be read (GET /user/groups)",
                    p.name
                ),
            ),
        }
    }
    Ok(memberships)
}
