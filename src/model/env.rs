//! What the `env` check measured: names, shapes, files and counts, never a value.

use serde::{Deserialize, Serialize};

/// `measurements.env`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnvMeasurement {
    /// The audited environment (`[env] environment`), lowercase.
    #[serde(default)]
    pub environment: Option<String>,
    /// Each `[env] required` variable, in config order.
    #[serde(default)]
    pub required: Vec<EnvVariable>,
    /// Each `[env] files` entry.
    #[serde(default)]
    pub files: Vec<EnvFile>,
    /// The `.env.example` comparison (`null` when there is no such file or nothing is required).
    #[serde(default)]
    pub example: Option<EnvExample>,
}

/// One required variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvVariable {
    /// Its name.
    pub name: String,
    /// Set and non-empty in the environment the audit ran in.
    pub set: bool,
    /// The shape its name promises, in words.
    pub shape: String,
    /// Whether the value has that shape (`null` when unset).
    pub shape_ok: Option<bool>,
}

/// One env file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvFile {
    /// The environment it belongs to.
    pub environment: String,
    /// The path as configured.
    pub path: String,
    /// Whether it could be read.
    pub readable: bool,
    /// Assignments found (when readable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variables: Option<usize>,
}

/// `.env.example` against `[env] required`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvExample {
    /// The file, relative to the config.
    pub path: String,
    /// Variables it names.
    pub variables: usize,
    /// Required but not in the example.
    pub undocumented: Vec<String>,
    /// In the example but not required.
    pub unverified: Vec<String>,
}
