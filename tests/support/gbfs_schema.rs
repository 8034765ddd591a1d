//! The official GBFS schemas, kept in the repository (`tests/gbfs/schema/`, MobilityData's,
//! Apache-2.0: see the LICENSE and README there) and resolved from that folder, never the
//! network: shared by the export tests (`tests/gbfs.rs`) and the server's feed tests
//! (`tests/gbfs_http.rs`), each including this file with `#[path]`.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use velodesk::gbfs::Version;

/// The folder of the official schemas: in the repository, so a fresh clone tests alone.
pub fn schemas() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gbfs/schema"))
}

/// Resolves the official schema URLs (`…/v3.0/station_status.json`) from the local copy;
/// anything else would need the network, and is refused.
struct LocalSchemas(PathBuf);

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.path().as_str();
        let mut parts = path.rsplit('/');
        let (Some(file), Some(version)) = (parts.next(), parts.next()) else {
            return Err(format!("{uri}: not a GBFS schema, and the network is off").into());
        };
        let local = self.0.join(version).join(file);
        if !(version.starts_with('v') && local.is_file()) {
            return Err(format!("{uri}: not in the local schemas, and the network is off").into());
        }
        Ok(serde_json::from_str(&std::fs::read_to_string(local)?)?)
    }
}

/// A validator of `schema` that checks formats and resolves GBFS references locally.
pub fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_retriever(LocalSchemas(schemas()))
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

/// The official schema `version/name.json`, when the folder has one.
pub fn schema(version: Version, name: &str) -> Option<Value> {
    let path = schemas()
        .join(format!("v{}", version.as_str()))
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

/// Every error of `json` against the official schema `version/name.json`.
pub fn schema_errors(version: Version, name: &str, json: &Value) -> Vec<String> {
    let schema = schema(version, name).unwrap_or_else(|| panic!("no schema for {name}"));
    validator(&schema)
        .iter_errors(json)
        .map(|e| format!("{name} {}: {e}", e.instance_path()))
        .collect()
}
