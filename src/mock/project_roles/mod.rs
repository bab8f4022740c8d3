//! Project roles: a project's roles and role details, and creating a role.
//!
//! Roles are defined once for the site, so every project lists every role; who acts in a role
//! is per project (the fixtures' actors). Roles created through the API start with no default
//! actors and no actors in any project. `GET` and `DELETE /role/{id}` are served too, so a run
//! can look at and remove what it created.
//!
//! `store` keeps the roles (plain data, below the state); `handlers` serves the paths.

mod handlers;
pub(crate) mod store;

pub(crate) use handlers::routes;
