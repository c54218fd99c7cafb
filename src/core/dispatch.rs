//! Routes an event to the handler for its kind.

use super::context::{Ctx, Flow};

pub(crate) async fn dispatch(ctx: &mut Ctx<'_>) -> Flow {
    let _ = ctx;
    Ok(())
}
