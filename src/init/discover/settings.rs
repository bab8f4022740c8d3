//! The site's settings: time tracking and attachments.

use serde_json::Value;

use super::read::text;
use super::run::Run;
use crate::fixtures::{AttachmentSettings, TimeTracking};
use crate::init::{InitError, Section};

/// Time tracking (`/configuration/timetracking`) and attachment settings (`/attachment/meta`).
pub(super) async fn settings(
    run: &mut Run<'_>,
) -> Result<(TimeTracking, AttachmentSettings), InitError> {
    run.step("settings");
    let Some(who) = run.by_reach().into_iter().next() else {
        return Ok((TimeTracking::default(), AttachmentSettings::default()));
    };
    let answer = run
        .get(&who, "/rest/api/3/configuration/timetracking")
        .await?;
    let timetracking = match (answer.status, answer.ok()) {
        (204, _) => TimeTracking {
            enabled: false,
            ..TimeTracking::default()
        },
        (_, Some(v)) => {
            let default = TimeTracking::default();
            TimeTracking {
                enabled: true,
                provider_key: text(v.get("key")).unwrap_or(default.provider_key),
                provider_name: text(v.get("name")).unwrap_or(default.provider_name),
            }
        }
        _ => {
            run.note(
                Section::Settings,
                format!(
                    "time tracking could not be read (GET /configuration/timetracking answered {}); Jira's default assumed",
                    answer.status
                ),
            );
            TimeTracking::default()
        }
    };
    let attachment_settings = match run.json(&who, "/rest/api/3/attachment/meta").await? {
        Some(v) => {
            let default = AttachmentSettings::default();
            AttachmentSettings {
                enabled: v
                    .get("enabled")
                    .and_then(Value::as_bool)
                    .unwrap_or(default.enabled),
                upload_limit: v
                    .get("uploadLimit")
                    .and_then(Value::as_u64)
                    .unwrap_or(default.upload_limit),
            }
        }
        None => {
            run.note(
                Section::Settings,
                "attachment settings could not be read (GET /attachment/meta); Jira's default assumed",
            );
            AttachmentSettings::default()
        }
    };
    Ok((timetracking, attachment_settings))
}
