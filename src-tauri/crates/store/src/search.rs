//! Search keys: what the home screen's search box matches against, folded by core's
//! one rule (`ventanilla_core::text::fold`), which the "Para ti" matcher shares.

pub(crate) use ventanilla_core::text::fold;
