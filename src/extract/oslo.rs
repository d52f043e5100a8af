//! The one place this room reaches into oslo.config's value syntax
//! (placeholders, inline comments, URL credentials), so that it can be
//! re-pointed when that syntax moves.

pub(crate) use crate::conf::value::{UrlProblem, inline_comment, placeholder, url_credentials};
