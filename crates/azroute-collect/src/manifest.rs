//! `manifest.json`: what a collection did — when, with which az, for which subscriptions, every
//! file written with the az command that produced it and its resource count, every failure.
//!
//! Its top-level keys are chosen so that ingest, reading the whole snapshot directory, sees an
//! object that is neither a resource nor an envelope and skips it.

use serde::Serialize;

/// The format version of the manifest.
pub const MANIFEST_FORMAT: u32 = 1;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Format version of this file.
    pub azroute_manifest: u32,
    /// `azroute <version>`.
    pub tool: String,
    /// When the collection started, RFC 3339, UTC.
    pub collected_at: String,
    pub finished_at: String,
    /// `azure-cli` of `az version`.
    pub az_cli_version: Option<String>,
    /// Every subscription and file collected without a failure.
    pub complete: bool,
    pub subscriptions: Vec<SubscriptionRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_tags: Option<ServiceTagsRecord>,
    pub totals: Totals,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRecord {
    pub subscription_id: String,
    /// The name the user gave, when it was not the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_as: Option<String>,
    /// `complete`, `partial` (some commands failed) or `failed` (nothing collected).
    pub status: String,
    /// Why the subscription failed (`failed` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The subscription's directory, relative to the manifest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
    pub resource_groups: Vec<String>,
    pub files: Vec<FileRecord>,
    pub failures: Vec<FailureRecord>,
    /// NICs whose effective routes Azure did not return (`--effective-routes`); not fatal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effective_route_failures: Vec<FailureRecord>,
    /// az extensions the collection needed and did not find (their lists are missing: the
    /// subscription is `partial`), each with the command that installs it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_extensions: Vec<MissingExtension>,
}

/// An az extension a list needs that is not installed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingExtension {
    pub extension: String,
    /// `az extension add --name EXTENSION`.
    pub install: String,
}

/// One file written.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRecord {
    /// Path relative to the manifest, `/`-separated.
    pub file: String,
    /// The az command that produced it (arguments only; collect passes no secrets).
    pub command: String,
    /// Resources (list entries, routes or service tags) it holds.
    pub resources: usize,
    /// Keys removed because they can hold secrets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redacted_keys: Vec<String>,
}

/// One az command that failed.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureRecord {
    pub command: String,
    /// `AuthorizationFailed`, `Throttled`, `SubscriptionNotFound`, `InvalidOutput`, `Failed`.
    pub code: String,
    pub error: String,
    pub attempts: u32,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceTagsRecord {
    pub location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureRecord>,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub subscriptions: usize,
    pub complete: usize,
    pub partial: usize,
    pub failed: usize,
    pub files: usize,
    pub resources: usize,
    pub az_calls: u32,
    pub retries: u32,
}
