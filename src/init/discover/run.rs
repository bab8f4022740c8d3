//! The discovery under way: the client, what is known so far (the principals and their account
//! ids), the notes, and the bounded reading of paged listings.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::init::client::{Answer, Client};
use crate::init::{FoundPrincipal, InitError, Note, Progress, Section};

/// Pages of one listing read at most (projects, dashboards, schemes, worklogs of one issue).
const MAX_PAGES: usize = 10;

/// The discovery under way: the client, what is known so far, and the notes.
pub(super) struct Run<'a> {
    pub(super) client: Client,
    pub(super) base: String,
    progress: &'a (dyn Fn(Progress) + Send + Sync),
    step: String,
    pub(super) notes: Vec<Note>,
    /// Account id → principal name.
    pub(super) names: BTreeMap<String, String>,
    pub(super) principals: Vec<FoundPrincipal>,
}

impl<'a> Run<'a> {
    /// A discovery of `base` through `client`, telling `progress` of every step and request.
    pub(super) fn new(
        client: Client,
        base: String,
        progress: &'a (dyn Fn(Progress) + Send + Sync),
    ) -> Self {
        Run {
            client,
            base,
            progress,
            step: String::new(),
            notes: Vec::new(),
            names: BTreeMap::new(),
            principals: Vec::new(),
        }
    }

    pub(super) fn note(&mut self, section: Section, text: impl Into<String>) {
        let text = text.into();
        if !self
            .notes
            .iter()
            .any(|n| n.section == section && n.text == text)
        {
            self.notes.push(Note { section, text });
        }
    }

    /// The entities of one issue in id order, at most `max` of them; a note in `section` says
    /// how many more `what` were left out.
    pub(super) fn first_by_id<'v>(
        &mut self,
        found: &'v BTreeMap<String, Value>,
        issue: &str,
        max: usize,
        section: Section,
        what: &str,
    ) -> Vec<(&'v String, &'v Value)> {
        let mut ids: Vec<(&String, &Value)> = found.iter().collect();
        ids.sort_by_key(|(id, _)| super::read::id_order(id));
        if ids.len() > max {
            self.note(
                section,
                format!("{issue}: {} more {what} left out", ids.len() - max),
            );
            ids.truncate(max);
        }
        ids
    }

    pub(super) fn step(&mut self, step: &str) {
        self.step = step.to_string();
        (self.progress)(Progress {
            step: self.step.clone(),
            requests: self.client.sent(),
        });
    }

    pub(super) async fn get(&self, who: &str, path: &str) -> Result<Answer, InitError> {
        let answer = self.client.get(who, path).await;
        (self.progress)(Progress {
            step: self.step.clone(),
            requests: self.client.sent(),
        });
        answer
    }

    pub(super) async fn json(&self, who: &str, path: &str) -> Result<Option<Value>, InitError> {
        Ok(self.get(who, path).await?.ok().cloned())
    }

    /// The principal an account id belongs to.
    pub(super) fn principal_of(&self, user: Option<&Value>) -> Option<String> {
        let id = user?.get("accountId")?.as_str()?;
        self.names.get(id).cloned()
    }

    pub(super) fn is_admin(&self, name: &str) -> bool {
        self.principals.iter().any(|p| p.name == name && p.admin)
    }

    /// Principal names, administrators of Jira first (they see the most).
    pub(super) fn by_reach(&self) -> Vec<String> {
        let mut names: Vec<&FoundPrincipal> = self.principals.iter().collect();
        names.sort_by_key(|p| (!p.admin, p.name.clone()));
        names.into_iter().map(|p| p.name.clone()).collect()
    }

    /// Every page of an offset-paged listing (`startAt`/`maxResults`), bounded: the items under
    /// `items` of each page. `None` when the first page is not a 200.
    pub(super) async fn pages(
        &self,
        who: &str,
        path: &str,
        items: &str,
        page_size: usize,
    ) -> Result<Option<Vec<Value>>, InitError> {
        let mut all = Vec::new();
        let sep = if path.contains('?') { '&' } else { '?' };
        for page in 0..MAX_PAGES {
            let at = page * page_size;
            let Some(body) = self
                .json(
                    who,
                    &format!("{path}{sep}startAt={at}&maxResults={page_size}"),
                )
                .await?
            else {
                return Ok((page > 0).then_some(all));
            };
            let got = body
                .get(items)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let n = got.len();
            all.extend(got);
            let total = body.get("total").and_then(Value::as_u64);
            let last = body.get("isLast").and_then(Value::as_bool).unwrap_or(false)
                || n == 0
                || total.is_some_and(|t| (at + n) as u64 >= t)
                || (total.is_none()
                    && body.get("next").is_none()
                    && body.get("nextPage").is_none());
            if last {
                break;
            }
        }
        Ok(Some(all))
    }
}
