//! `guidepress server` through a real exchange over stdio: the binary is
//! spawned and spoken to as an editor does (see `server_support`).

use serde_json::{Value, json};

use crate::server_support::uri as file_uri;
use crate::server_support::{
    Client, apply_edits, codes, editor_capabilities, find, finding, guide_text, workspace,
};

const GUIDE: &str = "content/guides/backend-engineer.yaml";

/// The row of `state` (`US` for the nation) for Software Developers in the
/// bundled snapshot: (line, area title, A_MEDIAN).
fn bls_row(state: &str) -> (usize, String, String) {
    let text = std::fs::read_to_string(crate::common::repo_path("data/oews/2025A01.csv")).unwrap();
    for (index, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.get(3) == Some(&state) && cells.get(4) == Some(&"15-1252") {
            return (index + 1, cells[1].to_owned(), cells[13].to_owned());
        }
    }
    panic!("no row for {state}");
}

fn thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A server in a fresh workspace with `text` open as the bundled guide
/// (version 1), and its first findings.
fn open_guide(text: &str) -> (tempfile::TempDir, Client, String, Vec<Value>) {
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    let uri = client.open(GUIDE, text);
    let found = client.diagnostics(&uri, 1);
    (dir, client, uri, found)
}

/// The code actions for `diagnostic` (`only`: the kinds asked for).
fn actions_for(client: &mut Client, uri: &str, diagnostic: &Value, only: Value) -> Vec<Value> {
    code_actions(client, uri, &diagnostic["range"], json!([diagnostic]), only)
}

/// The code actions for `range` of `uri` (`only`: the kinds asked for).
fn code_actions(
    client: &mut Client,
    uri: &str,
    range: &Value,
    diagnostics: Value,
    only: Value,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if !only.is_null() {
        context["only"] = only;
    }
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
    );
    actions.as_array().cloned().unwrap_or_default()
}

/// The completion item labelled `label` at the first `needle` of `text` (plus `delta`).
fn completion_item(
    client: &mut Client,
    uri: &str,
    text: &str,
    needle: &str,
    delta: usize,
    label: &str,
) -> Value {
    let (line, character) = find(text, needle, delta);
    let items = client.at("textDocument/completion", uri, line, character);
    items
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == label)
        .cloned()
        .unwrap_or_else(|| panic!("{label} is not offered: {items}"))
}

fn hover_text(hover: &Value) -> String {
    hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    let dir = workspace();
    let client = Client::editor(dir.path());
    let capabilities = &client.initialized["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2);
    assert!(
        capabilities["codeActionProvider"]["codeActionKinds"]
            .as_array()
            .unwrap()
            .contains(&json!("source.fixAll.guidepress"))
    );
    assert_eq!(client.initialized["serverInfo"]["name"], "guidepress");
    assert!(client.shutdown());

    let utf8 = Client::start(
        dir.path(),
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        json!({}),
        &[],
    );
    assert_eq!(
        utf8.initialized["capabilities"]["positionEncoding"],
        "utf-8"
    );
}

#[test]
fn positions_count_in_the_negotiated_encoding() {
    let dir = workspace();
    // A duplicate key after non-ASCII text on the same line.
    let text = guide_text().replacen(
        "eyebrow: 2026 Career Guide",
        "eyebrow: 2026 Career Guide\nextra: {\"é😀\": 1, \"é😀\": 2}",
        1,
    );
    let line = text[..text.find("extra:").unwrap()].matches('\n').count();
    let prefix = "extra: {\"é😀\": 1, ";
    for (encoding, character) in [
        ("utf-16", prefix.encode_utf16().count()),
        ("utf-8", prefix.len()),
    ] {
        let mut client = Client::start(
            dir.path(),
            json!({"general": {"positionEncodings": [encoding]}}),
            json!({}),
            &[],
        );
        let uri = client.open(GUIDE, &text);
        let diagnostics = client.diagnostics(&uri, 1);
        let duplicate = diagnostics
            .iter()
            .find(|d| d["code"] == "GP102")
            .unwrap_or_else(|| panic!("{diagnostics:?}"));
        assert_eq!(duplicate["range"]["start"]["line"], line, "{encoding}");
        assert_eq!(
            duplicate["range"]["start"]["character"], character,
            "{encoding}"
        );
    }
}

#[test]
fn diagnostics_follow_every_edit_with_versions() {
    let text = guide_text();
    let (_dir, mut client, uri, first) = open_guide(&text);
    assert_eq!(codes(&first), vec!["GP304"], "{first:?}");
    let gp304 = &first[0];
    let (line, character) = find(&text, "{ min: 4, max: 6, unit: years }", 0);
    assert_eq!(gp304["range"]["start"]["line"], line);
    assert_eq!(gp304["range"]["start"]["character"], character);
    assert_eq!(gp304["severity"], 2);
    assert_eq!(gp304["source"], "guidepress");
    assert!(
        gp304["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/rules/GP304/")
    );

    // A wrong percentage: GP301 at the value, with the national median as related information.
    let (line, character) = find(&text, "vs_national_pct: 28", "vs_national_pct: ".len());
    client.replace(&uri, 2, (line, character), 2, "40");
    let second = client.diagnostics(&uri, 2);
    let gp301 = finding(&second, "GP301");
    assert_eq!(gp301["range"]["start"]["line"], line);
    assert_eq!(gp301["range"]["start"]["character"], character);
    assert_eq!(gp301["severity"], 1);
    let related = gp301["relatedInformation"].as_array().unwrap();
    assert!(
        related.iter().any(|r| r["location"]["uri"] == uri.as_str()),
        "{related:?}"
    );

    // The national median against BLS: related information points at the data row.
    let (line, character) = find(&text, "national_median_salary: 135980", 24);
    client.replace(&uri, 3, (line, character), 6, "133080");
    let third = client.diagnostics(&uri, 3);
    let gp603 = finding(&third, "GP603");
    let (bls_line, _, median) = bls_row("US");
    assert!(
        gp603["message"]
            .as_str()
            .unwrap()
            .contains(&thousands(&median))
    );
    let data = gp603["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["location"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("data/oews/2025A01.csv")
        })
        .unwrap();
    assert_eq!(data["location"]["range"]["start"]["line"], bls_line - 1);

    // A burst of edits: only newer versions are published after older ones.
    for version in 4..=12 {
        client.change(
            &uri,
            version,
            &text.replace(
                "vs_national_pct: 28",
                &format!("vs_national_pct: {}", 20 + version),
            ),
        );
    }
    let mut last = 3;
    loop {
        let published = client.next_diagnostics(&uri);
        let version = published["version"].as_i64().unwrap();
        assert!(version >= last, "version {version} published after {last}");
        last = version;
        if version == 12 {
            break;
        }
    }
    assert!(client.shutdown());
}

#[test]
fn quick_fixes_apply_and_the_guide_checks_clean() {
    let text = guide_text().replacen("vs_national_pct: 28", "vs_national_pct: 40", 1);
    let (_dir, mut client, uri, found) = open_guide(&text);
    let gp301 = found.iter().find(|d| d["code"] == "GP301").unwrap().clone();
    let actions = actions_for(&mut client, &uri, &gp301, Value::Null);
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert!(!fix["title"].as_str().unwrap().contains("unsafe"));
    let edits = fix["edit"]["changes"][uri.as_str()].as_array().unwrap();
    let fixed = apply_edits(&text, edits);
    assert!(fixed.contains("vs_national_pct: 28"));
    client.change(&uri, 2, &fixed);
    let after = client.diagnostics(&uri, 2);
    assert_eq!(codes(&after), vec!["GP304"]);

    // The unsafe fix of GP304 is offered, labelled as unsafe.
    let gp304 = after[0].clone();
    let actions = actions_for(&mut client, &uri, &gp304, Value::Null);
    let unsafe_fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("unsafe"))
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert_eq!(unsafe_fix["isPreferred"], false);
}

#[test]
fn fix_all_applies_every_safe_fix() {
    let text = guide_text()
        .replacen("vs_national_pct: 28", "vs_national_pct: 40", 1)
        .replacen("vs_national_pct: 22", "vs_national_pct: 2", 1);
    let (_dir, mut client, uri, found) = open_guide(&text);
    assert_eq!(
        codes(&found).iter().filter(|c| *c == "GP301").count(),
        2,
        "{found:?}"
    );
    let start = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let actions = code_actions(
        &mut client,
        &uri,
        &start,
        json!([]),
        json!(["source.fixAll"]),
    );
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.guidepress");
    let edits = actions[0]["edit"]["changes"][uri.as_str()]
        .as_array()
        .unwrap();
    let fixed = apply_edits(&text, edits);
    client.change(&uri, 2, &fixed);
    assert_eq!(codes(&client.diagnostics(&uri, 2)), vec!["GP304"]);
}

#[test]
fn suppressing_a_finding_puts_the_cursor_on_the_reason() {
    let text = guide_text();
    let (_dir, mut client, uri, found) = open_guide(&text);
    let gp304 = found[0].clone();
    let actions = actions_for(&mut client, &uri, &gp304, json!(["quickfix"]));
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Suppress GP304 on this line")
        .unwrap_or_else(|| panic!("{actions:?}"))
        .clone();
    let edits = suppress["edit"]["changes"][uri.as_str()]
        .as_array()
        .unwrap();
    let suppressed = apply_edits(&text, edits);
    let comment = "  # guidepress: ignore[GP304] \n  total_duration:";
    assert!(suppressed.contains(comment), "{suppressed}");
    client.change(&uri, 2, &suppressed);
    // Without a reason the suppression is itself reported.
    assert!(codes(&client.diagnostics(&uri, 2)).contains(&"GP391".to_owned()));

    let command = &suppress["command"];
    client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let show = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "window/showDocument")
        .expect("the server asks the editor to place the cursor")
        .clone();
    let (line, character) = find(
        &suppressed,
        "# guidepress: ignore[GP304] ",
        "# guidepress: ignore[GP304] ".len(),
    );
    assert_eq!(show["params"]["selection"]["start"]["line"], line);
    assert_eq!(show["params"]["selection"]["start"]["character"], character);

    // Typing the reason there silences the finding.
    client.edit(
        &uri,
        3,
        [line as u32, character as u32, line as u32, character as u32],
        "the seed prints 4-6 years",
    );
    assert!(client.diagnostics(&uri, 3).is_empty());
}

#[test]
fn hover_explains_keys_facts_and_codes() {
    let text = guide_text().replacen(
        "career_path:\n",
        "career_path:\n  # guidepress: ignore[GP304] the seed prints it\n",
        1,
    );
    let (dir, mut client, uri, _) = open_guide(&text);

    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("schemas/guide.schema.json")).unwrap(),
    )
    .unwrap();
    let (line, character) = find(&text, "status: approved", 2);
    let hover = client.at("textDocument/hover", &uri, line, character);
    let description = schema["properties"]["status"]["description"]
        .as_str()
        .unwrap();
    assert!(hover_text(&hover).contains(description), "{hover}");

    // California's median: BLS's figure for California.
    let (line, character) = find(&text, "median_salary: 174410", "median_salary: ".len() + 1);
    let hover = client.at("textDocument/hover", &uri, line, character);
    let (row, area, median) = bls_row("CA");
    let shown = hover_text(&hover);
    assert!(shown.contains("BLS OEWS May 2025"), "{shown}");
    assert!(shown.contains(&area), "{shown}");
    assert!(shown.contains(&thousands(&median)), "{shown}");
    assert!(shown.contains(&format!("2025A01.csv:{row}")), "{shown}");
    // On the key too, with the schema's description of the field.
    let (line, character) = find(&text, "median_salary: 174410", 2);
    let on_key = hover_text(&client.at("textDocument/hover", &uri, line, character));
    assert!(on_key.contains(&thousands(&median)), "{on_key}");
    let state_median =
        schema["$defs"]["state_salary"]["properties"]["median_salary"]["description"]
            .as_str()
            .unwrap();
    assert!(on_key.contains(state_median), "{on_key}");

    // A state code: BLS's figures for the occupation in that state.
    let (line, character) = find(&text, "state: CA", "state: ".len() + 1);
    let on_state = hover_text(&client.at("textDocument/hover", &uri, line, character));
    assert!(on_state.contains(&area), "{on_state}");
    assert!(on_state.contains(&thousands(&median)), "{on_state}");

    // Completing a state code names BLS's median there.
    let california = completion_item(&mut client, &uri, &text, "state: CA", "state: ".len(), "CA");
    assert_eq!(
        california["detail"],
        format!("{area}: BLS median {}", thousands(&median))
    );

    // A code in a suppression comment: the rule's documentation.
    let (line, character) = find(&text, "ignore[GP304]", "ignore[".len() + 2);
    let hover = client.at("textDocument/hover", &uri, line, character);
    let shown = hover_text(&hover);
    assert!(shown.contains("GP304"), "{shown}");
    assert!(shown.contains("## What it checks"), "{shown}");
}

#[test]
fn completion_offers_keys_values_and_soc_codes() {
    let text = guide_text()
        .replacen("eyebrow: 2026 Career Guide\n", "\n", 1)
        .replacen("status: approved", "status: ", 1)
        .replacen("soc_code: \"15-1252\"", "soc_code: ", 1)
        .replacen("  source: bls-ooh-software-developers", "  source: ", 1);
    let (_dir, mut client, uri, _) = open_guide(&text);
    let labels = |items: &Value| -> Vec<String> {
        let items = items
            .as_array()
            .cloned()
            .unwrap_or_else(|| items["items"].as_array().cloned().unwrap_or_default());
        items
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };

    // A new top-level key where `eyebrow` was: keys not yet written.
    let (line, _) = find(&text, "title: How to Become", 0);
    let items = client.at("textDocument/completion", &uri, line + 1, 0);
    let keys = labels(&items);
    assert!(keys.contains(&"eyebrow".to_owned()), "{keys:?}");
    assert!(!keys.contains(&"slug".to_owned()), "{keys:?}");

    let (line, character) = find(&text, "status: ", "status: ".len());
    let values = labels(&client.at("textDocument/completion", &uri, line, character));
    assert!(values.contains(&"approved".to_owned()), "{values:?}");
    assert!(values.contains(&"draft".to_owned()), "{values:?}");

    // Without an occupation, a state code is named only.
    let california = completion_item(&mut client, &uri, &text, "state: CA", "state: ".len(), "CA");
    assert_eq!(california["detail"], "California");

    let software = completion_item(
        &mut client,
        &uri,
        &text,
        "soc_code: ",
        "soc_code: ".len(),
        "15-1252",
    );
    assert_eq!(
        software["detail"],
        bls_row("US").1.replace("U.S.", "Software Developers")
    );

    let (line, character) = find(&text, "  source: \n", "  source: ".len());
    let sources = labels(&client.at("textDocument/completion", &uri, line, character));
    assert!(
        sources.contains(&"bls-ooh-software-developers".to_owned()),
        "{sources:?}"
    );
}

#[test]
fn go_to_definition_reaches_sources_authors_and_the_schema() {
    let text = guide_text();
    let (_dir, mut client, uri, _) = open_guide(&text);

    let (line, character) = find(&text, "  source: bls-ooh-software-developers", 12);
    let location = client.at("textDocument/definition", &uri, line, character);
    assert_eq!(location["uri"], uri.as_str());
    let (entry, _) = find(&text, "- id: bls-ooh-software-developers", 0);
    assert_eq!(location["range"]["start"]["line"], entry);

    let (line, character) = find(&text, "author: taylor-rupe", 10);
    let location = client.at("textDocument/definition", &uri, line, character);
    assert!(
        location["uri"]
            .as_str()
            .unwrap()
            .ends_with("content/authors/taylor-rupe.yaml")
    );

    let location = client.at("textDocument/definition", &uri, 0, 30);
    assert!(
        location["uri"]
            .as_str()
            .unwrap()
            .ends_with("schemas/guide.schema.json"),
        "{location}"
    );
}

#[test]
fn watched_files_reload_the_configuration_authors_and_slugs() {
    let dir = workspace();
    let mut client = Client::editor(dir.path());
    let text = guide_text();
    let uri = client.open(GUIDE, &text);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), vec!["GP304"]);
    assert!(
        client
            .server_requests
            .iter()
            .any(|r| r["method"] == "client/registerCapability"),
        "the server asks to watch its files"
    );

    // The configuration turns GP304 off.
    let config = dir.path().join("guidepress.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str("\n[rules.severity]\nGP304 = \"off\"\n");
    std::fs::write(&config, &toml).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    client.diagnostics_where(&uri, |codes| codes.is_empty());

    // The author file goes away.
    let author = dir.path().join("content/authors/taylor-rupe.yaml");
    std::fs::remove_file(&author).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&author), "type": 3}]}),
    );
    client.diagnostics_where(&uri, |codes| codes.contains(&"GP308".to_owned()));

    // Another guide on disk takes the same slug.
    let twin = dir.path().join("content/guides/backend-twin.yaml");
    std::fs::write(&twin, &text).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&twin), "type": 1}]}),
    );
    let twins = client.diagnostics_where(&uri, |codes| codes.contains(&"GP310".to_owned()));
    let gp310 = twins.iter().find(|d| d["code"] == "GP310").unwrap();
    assert!(
        gp310["message"]
            .as_str()
            .unwrap()
            .contains("backend-twin.yaml"),
        "{gp310}"
    );

    // A broken configuration keeps the last good one and says so.
    std::fs::write(&config, "[rules\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let message = client.wait_for("window/showMessage", |_| true);
    assert!(
        message["message"]
            .as_str()
            .unwrap()
            .contains("not reloaded"),
        "{message}"
    );
    // Still checked with the last good configuration (GP304 off).
    client.change(&uri, 2, &text);
    let still = client.diagnostics(&uri, 2);
    assert!(!codes(&still).contains(&"GP304".to_owned()), "{still:?}");
    assert!(codes(&still).contains(&"GP310".to_owned()), "{still:?}");

    // A configuration that excludes the guide clears its findings.
    toml = toml.replacen(
        "authors = \"content/authors\"",
        "authors = \"content/authors\"\nexclude = [\"content/guides/backend-*\"]",
        1,
    );
    std::fs::write(&config, &toml).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let cleared = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str() && p["diagnostics"] == json!([])
    });
    assert!(
        cleared.get("version").is_none_or(Value::is_null),
        "{cleared}"
    );
}

#[test]
fn a_broken_document_and_a_panic_do_not_stop_the_server() {
    let dir = workspace();
    let mut client = Client::start(
        dir.path(),
        editor_capabilities(),
        json!({}),
        &[("GUIDEPRESS_SERVER_TEST_PANIC", "1")],
    );
    let text = guide_text();
    let uri = client.open(GUIDE, &text);
    client.diagnostics(&uri, 1);
    let broken = text.replacen("facts:\n", "facts: [\n", 1);
    client.change(&uri, 2, &broken);
    let found = client.diagnostics(&uri, 2);
    assert!(codes(&found).contains(&"GP101".to_owned()), "{found:?}");

    // Hover still knows the facts from the last version that parsed.
    let (line, character) = find(
        &broken,
        "median_salary: 174410",
        "median_salary: ".len() + 1,
    );
    let hover = client.at("textDocument/hover", &uri, line, character);
    assert!(hover_text(&hover).contains("BLS OEWS May 2025"), "{hover}");

    let response = client.request_raw("guidepress/panic", Value::Null);
    assert_eq!(response["error"]["code"], -32603, "{response}");
    let response = client.request_raw("textDocument/unknownThing", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    // Garbage parameters are an error answer, not a crash.
    let response = client.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(response["error"]["code"], -32602, "{response}");

    client.change(&uri, 3, &text);
    assert_eq!(codes(&client.diagnostics(&uri, 3)), vec!["GP304"]);
    assert!(client.shutdown());
}

/// A loopback server where `/moved` moves permanently to `/ok`, counting the requests.
fn moved_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buffer = [0; 4096];
            let read = stream.read(&mut buffer).unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..read]);
            let answer = if request.starts_with("GET /moved") || request.starts_with("HEAD /moved")
            {
                "HTTP/1.1 301 Moved Permanently\r\nLocation: /ok\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            } else {
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            };
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (address, count)
}

#[test]
fn links_on_save_come_from_the_cache_without_a_request() {
    let (address, requests) = moved_server();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("guidepress.toml"),
        "schemas = []\n[links]\nallow_net = [\"127.0.0.1\"]\nmax_retries = 0\nhost_interval = 0\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
    let guide = format!("slug: pay\nsources:\n  - id: outlook\n    url: {address}/moved\n");
    std::fs::write(dir.path().join("content/guides/pay.yaml"), &guide).unwrap();
    let key = ("GUIDEPRESS_LINKS_CACHE_KEY", "server links test key");
    let checked =
        crate::common::cli::run_with(dir.path(), &["links", "--format", "concise"], &[key]);
    let report = String::from_utf8_lossy(&checked.stdout).into_owned();
    // The moved link, and only that: GP403 (a timeout would be GP402, a
    // refused address GP405; neither is what the cache should hold here).
    let found: Vec<&str> = report
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() == 5 && w.starts_with("GP"))
        .collect();
    assert_eq!(found, ["GP403"], "{report}");
    let code = "GP403".to_owned();
    let asked = requests.load(std::sync::atomic::Ordering::SeqCst);
    assert!(asked > 0);

    let mut client = Client::start(
        dir.path(),
        editor_capabilities(),
        json!({"guidepress": {"linksOnSave": true}}),
        &[key],
    );
    let uri = client.open("content/guides/pay.yaml", &guide);
    assert!(!codes(&client.diagnostics(&uri, 1)).contains(&code));
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let saved = client.diagnostics_where(&uri, |codes| codes.contains(&code));
    let finding = saved.iter().find(|d| d["code"] == code.as_str()).unwrap();
    assert!(
        finding["message"]
            .as_str()
            .unwrap_or_default()
            .contains("/ok"),
        "the cached redirect's target: {finding}"
    );
    let (line, _) = find(&guide, "url:", 0);
    assert_eq!(finding["range"]["start"]["line"], line);
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), asked);
}

#[test]
fn each_workspace_folder_has_its_own_configuration() {
    let strict = workspace();
    let lenient = workspace();
    let third = workspace();
    for dir in [&lenient, &third] {
        let config = dir.path().join("guidepress.toml");
        let mut toml = std::fs::read_to_string(&config).unwrap();
        toml.push_str("\n[rules.severity]\nGP304 = \"off\"\n");
        std::fs::write(&config, toml).unwrap();
    }
    let mut client = Client::start_in(
        &[strict.path(), lenient.path()],
        editor_capabilities(),
        json!({}),
        &[],
    );
    let text = guide_text();
    let in_strict = client.open(GUIDE, &text);
    assert_eq!(codes(&client.diagnostics(&in_strict, 1)), vec!["GP304"]);
    let in_lenient = file_uri(&lenient.path().join(GUIDE));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": in_lenient, "languageId": "yaml", "version": 1, "text": text}}),
    );
    assert!(client.diagnostics(&in_lenient, 1).is_empty());

    // A folder added later gets its own configuration too.
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(third.path()), "name": "third"}], "removed": []}}),
    );
    let in_third = file_uri(&third.path().join(GUIDE));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": in_third, "languageId": "yaml", "version": 1, "text": text}}),
    );
    assert!(client.diagnostics(&in_third, 1).is_empty());
    assert!(client.shutdown());
}

#[test]
fn spelling_positions_quick_fixes_and_add_to_words() {
    let dir = workspace();
    // A misspelling after multi-byte text on its line, and a name.
    let text = guide_text()
        .replacen(
            "  Backend Engineers build the server-side logic, APIs, databases, and\n",
            "  Backend Engineers — é😀 — build the infrastucture, APIs, and\n",
            1,
        )
        .replacen(
            "Backend Engineers need strong programming",
            "Hakia Engineers need strong programming",
            1,
        );
    let line = text[..text.find("infrastucture").unwrap()]
        .matches('\n')
        .count();
    let prefix = "  Backend Engineers — é😀 — build the ";
    for (encoding, character) in [
        ("utf-16", prefix.encode_utf16().count()),
        ("utf-8", prefix.len()),
    ] {
        let mut client = Client::start(
            dir.path(),
            json!({"general": {"positionEncodings": [encoding]}}),
            json!({}),
            &[],
        );
        let uri = client.open(GUIDE, &text);
        let found = client.diagnostics(&uri, 1);
        let spelled = found
            .iter()
            .find(|d| {
                d["code"] == "GP701" && d["message"].as_str().unwrap().contains("infrastucture")
            })
            .unwrap_or_else(|| panic!("{found:?}"));
        assert_eq!(spelled["range"]["start"]["line"], line, "{encoding}");
        assert_eq!(
            spelled["range"]["start"]["character"], character,
            "{encoding}"
        );
        assert_eq!(
            spelled["range"]["end"]["character"],
            character + "infrastucture".len(),
            "{encoding}"
        );
    }

    let (_dir, mut client, uri, found) = open_guide(&text);
    assert_eq!(codes(&found), vec!["GP701", "GP304", "GP701"], "{found:?}");
    let misspelled = found
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("infrastucture"))
        .unwrap()
        .clone();
    let actions = actions_for(&mut client, &uri, &misspelled, Value::Null);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    // Each suggestion, the first first, unsafe and not preferred; then "add to words".
    assert!(
        titles[0].contains("Replace \"infrastucture\" with \"infrastructure\""),
        "{titles:?}"
    );
    for action in actions
        .iter()
        .filter(|a| a["title"].as_str().unwrap().starts_with("Replace"))
    {
        assert!(
            action["title"].as_str().unwrap().contains("unsafe"),
            "{action}"
        );
        assert_eq!(action["isPreferred"], false, "{action}");
    }
    let add = actions
        .iter()
        .find(|a| a["title"] == "Add 'infrastucture' to words (.guidepress/words.txt)")
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(add["command"]["command"], "guidepress.addWord");
    let edits = actions[0]["edit"]["changes"][uri.as_str()]
        .as_array()
        .unwrap();
    let fixed = apply_edits(&text, edits);
    assert_eq!(fixed, text.replacen("infrastucture", "infrastructure", 1));
    client.change(&uri, 2, &fixed);
    let after = client.diagnostics(&uri, 2);
    assert_eq!(codes(&after), vec!["GP304", "GP701"], "{after:?}");

    // "Add 'Hakia' to words": the server writes the file and checks again.
    let name = after.iter().find(|d| d["code"] == "GP701").unwrap().clone();
    let actions = actions_for(&mut client, &uri, &name, Value::Null);
    let add = actions
        .iter()
        .find(|a| a["command"]["command"] == "guidepress.addWord")
        .unwrap_or_else(|| panic!("{actions:?}"));
    client.request(
        "workspace/executeCommand",
        json!({
            "command": add["command"]["command"],
            "arguments": add["command"]["arguments"],
        }),
    );
    client.diagnostics_where(&uri, |codes| codes == ["GP304"]);
    let words = _dir.path().join(".guidepress/words.txt");
    assert_eq!(std::fs::read_to_string(&words).unwrap(), "Hakia\n");

    // The words file edited on disk is read again.
    std::fs::write(&words, "# emptied\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&words), "type": 2}]}),
    );
    client.diagnostics_where(&uri, |codes| codes == ["GP304", "GP701"]);
}
