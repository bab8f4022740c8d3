//! Dashboard item properties: keys, get, set and delete, per dashboard item.
//!
//! Reads need the dashboard to be visible to the caller; writes need the caller to own it
//! (administrators own the system dashboard). The value and key limits are those of every
//! entity property, as the user properties apply them.

use axum::Router;

use crate::fixtures::Principal;

use super::dashboards::{owns, visible};
use super::entity_properties::{self, too_large, Operation, PropertyOwner, Store, Target};
use super::error::JiraError;
use super::faults::Fault;
use super::links::{encode, ApiVersion};
use super::state::MockState;

/// The routes of this resource under one API version.
pub(crate) fn routes(version: ApiVersion) -> Router<MockState> {
    entity_properties::routes::<ItemProperties>(version)
}

/// The properties of dashboard items.
struct ItemProperties;

impl PropertyOwner for ItemProperties {
    /// The dashboard id and the item id.
    type Ids = (String, String);
    type Id = (String, String);

    const PROPERTIES: &'static str = "/dashboard/{dashboardId}/items/{itemId}/properties";
    const UNREADABLE: &'static str = "The dashboard item or property does not exist.";

    fn store(state: &MockState) -> &Store<(String, String)> {
        state.item_properties()
    }

    /// The checks every operation makes after authentication, in order: the dashboard visible
    /// to the caller and the item on it (404), and for writes ownership (403).
    fn target(
        state: &MockState,
        caller: &Principal,
        operation: Operation,
        (dashboard_id, item_id): (String, String),
    ) -> Result<Target<(String, String)>, JiraError> {
        let dashboard = visible(state, caller, &dashboard_id)?;
        if !dashboard.items.contains(&item_id) {
            return Err(JiraError::not_found(format!(
                "The dashboard item with id '{item_id}' does not exist."
            )));
        }
        if !operation.is_read()
            && !owns(caller, dashboard)
            && !state.has(Fault::ItemPropertySharedUserWrites)
        {
            return Err(JiraError::forbidden(
                "You can't change the properties of this dashboard item: the user is not the owner of the dashboard.",
            ));
        }
        let properties = format!(
            "/dashboard/{}/items/{}/properties",
            encode(&dashboard_id),
            encode(&item_id)
        );
        Ok(Target {
            id: (dashboard_id, item_id),
            properties,
        })
    }

    /// The limit is on the body as received, in bytes.
    fn too_large(state: &MockState, text: &str) -> bool {
        too_large(text) && !state.has(Fault::ItemValueLimitNotEnforced)
    }

    fn answers_created(state: &MockState) -> bool {
        !state.has(Fault::ItemPutAlways200)
    }
}
