//! Old home of the finding types, kept so existing `crate::finding::...` paths still resolve;
//! they live in [`crate::model`].

#[allow(unused_imports)]
pub(crate) use crate::model::{Bucket, CheckName, Finding, Impact, Location, Severity, Spec};
