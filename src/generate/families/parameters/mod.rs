//! Parameters: documented query parameters do what the documentation says. Pages of a paged
//! read (`paging`), each documented expansion (`expansions`), and the parameters of the world's
//! operations with expected answers from the fixtures (`world/`).

mod expansions;
mod paging;

use crate::case::Case;
use crate::generate::context::Ctx;

/// The parameters cases of a plain operation (property groups have none).
pub fn operation(ctx: &Ctx<'_>, resource: &str, index: usize, out: &mut Vec<Case>) {
    paging::pages(ctx, resource, index, out);
    expansions::each_value(ctx, resource, index, out);
    crate::generate::world::parameters(ctx, resource, index, out);
}
