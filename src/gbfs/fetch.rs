//! Getting a feed's documents: from a directory (`station_information.json` and, when
//! there, `station_status.json` and `system_information.json`) or from a `gbfs.json` URL,
//! following its feed list. A URL is fetched with reqwest over rustls (ring).

use super::GbfsError;
use super::import::FeedDocs;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where a feed comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Dir(PathBuf),
    Url(String),
}

impl Source {
    /// `http(s)://…` is a URL; anything else a directory (a `gbfs.json` file stands for
    /// its directory).
    pub fn parse(s: &str) -> Source {
        if s.starts_with("http://") || s.starts_with("https://") {
            return Source::Url(s.to_string());
        }
        let p = PathBuf::from(s);
        if p.is_file() && p.file_name().is_some_and(|n| n == "gbfs.json") {
            return Source::Dir(p.parent().map(Path::to_path_buf).unwrap_or_default());
        }
        Source::Dir(p)
    }
}

fn parse_json(source_name: &str, text: &str) -> Result<Value, GbfsError> {
    serde_json::from_str(text).map_err(|e| GbfsError::NotAFeed {
        source_name: source_name.to_string(),
        message: format!("not JSON: {e}"),
    })
}

/// Read a feed from a directory. `step` hears each file as it is read.
pub fn read_dir(dir: &Path, step: &mut dyn FnMut(&str)) -> Result<FeedDocs, GbfsError> {
    let shown = dir.display().to_string();
    if !dir.is_dir() {
        return Err(GbfsError::Source {
            source_name: shown,
            message: "no such directory (give a directory of GBFS files or a gbfs.json URL)".into(),
        });
    }
    let read = |name: &str, required: bool| -> Result<Option<Value>, GbfsError> {
        let path = dir.join(format!("{name}.json"));
        let file = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_json(&file, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
            Err(e) => Err(GbfsError::Source {
                source_name: file,
                message: format!("cannot read it: {e}"),
            }),
        }
    };
    step("station_information");
    let station_information = read("station_information", true)?.unwrap_or_default();
    step("station_status");
    let station_status = read("station_status", false)?;
    step("system_information");
    let system_information = read("system_information", false)?;
    Ok(FeedDocs {
        source: shown,
        station_information,
        station_status,
        system_information,
    })
}

/// Make rustls use ring; once per process (a second call changes nothing).
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Fetch a feed from its `gbfs.json` URL. `step` hears each feed as it is fetched.
pub async fn fetch_url(url: &str, step: &mut dyn FnMut(&str)) -> Result<FeedDocs, GbfsError> {
    install_tls_provider();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("velodesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| GbfsError::Source {
            source_name: url.to_string(),
            message: format!("cannot start an HTTP client: {e}"),
        })?;
    step("gbfs.json");
    let discovery = get(&client, url).await?;
    let feeds = feed_urls(url, &discovery)?;
    let find = |name: &str| {
        feeds
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, u)| u.clone())
    };
    let Some(info_url) = find("station_information") else {
        return Err(GbfsError::NotAFeed {
            source_name: url.to_string(),
            message: "its feed list has no station_information: no stations to import".into(),
        });
    };
    step("station_information");
    let station_information = get(&client, &info_url).await?;
    let mut station_status = None;
    if let Some(u) = find("station_status") {
        step("station_status");
        station_status = Some(get(&client, &u).await?);
    }
    let mut system_information = None;
    if let Some(u) = find("system_information") {
        step("system_information");
        system_information = Some(get(&client, &u).await?);
    }
    Ok(FeedDocs {
        source: url.to_string(),
        station_information,
        station_status,
        system_information,
    })
}

async fn get(client: &reqwest::Client, url: &str) -> Result<Value, GbfsError> {
    let fail = |message: String| GbfsError::Source {
        source_name: url.to_string(),
        message,
    };
    let resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| fail(format!("cannot fetch it: {e}")))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(fail(format!("the server answered {status}")));
    }
    let text = resp
        .text()
        .await
        .map_err(|e| fail(format!("cannot read the answer: {e}")))?;
    parse_json(url, &text)
}

/// `(name, absolute URL)` of each feed `gbfs.json` lists: 3.0 has one list, 2.x one per
/// language (Russian taken first, then English, then the first there is).
fn feed_urls(base: &str, discovery: &Value) -> Result<Vec<(String, String)>, GbfsError> {
    let not_discovery = || GbfsError::NotAFeed {
        source_name: base.to_string(),
        message: "not a gbfs.json: it has no data.feeds list".into(),
    };
    let data = discovery.get("data").ok_or_else(not_discovery)?;
    let list = match data.get("feeds").and_then(Value::as_array) {
        Some(list) => list,
        None => {
            let obj = data.as_object().ok_or_else(not_discovery)?;
            ["ru", "en"]
                .iter()
                .find_map(|l| obj.get(*l))
                .or_else(|| obj.values().next())
                .and_then(|lang| lang.get("feeds"))
                .and_then(Value::as_array)
                .ok_or_else(not_discovery)?
        }
    };
    let base_url = reqwest::Url::parse(base).map_err(|e| GbfsError::Source {
        source_name: base.to_string(),
        message: format!("not a URL: {e}"),
    })?;
    Ok(list
        .iter()
        .filter_map(|f| {
            let name = f.get("name")?.as_str()?;
            let url = base_url.join(f.get("url")?.as_str()?).ok()?;
            Some((name.to_string(), url.to_string()))
        })
        .collect())
}
