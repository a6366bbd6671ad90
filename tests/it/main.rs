//! The integration tests, one module per subject, linked into one test
//! binary (one link instead of one per file). Run one subject with
//! `cargo test --test it formats::`. The shared helpers live beside this
//! folder (`tests/common/`, `tests/*_support/`) so a test file of its own
//! under `tests/` can use them too.

#[path = "../common/mod.rs"]
mod common;
#[path = "../links_support/mod.rs"]
mod links_support;
#[path = "../publish_support/mod.rs"]
mod publish_support;
#[path = "../release_support/mod.rs"]
mod release_support;
#[path = "../review_support/mod.rs"]
mod review_support;
#[path = "../rule_support/mod.rs"]
mod rule_support;
#[path = "../server_support/mod.rs"]
mod server_support;

mod action;
mod architecture;
mod changed_since;
mod check_fixtures;
mod cli;
mod cli_output;
mod cli_rules;
mod cms_admin_browser;
mod compact_reports;
mod config_schema;
mod content_repo;
mod data_checksums;
mod dist;
mod docs_site;
mod fix_applicability;
mod fix_writer_props;
mod formats;
mod fuzz_inputs;
mod github;
mod hooks;
mod hostile_files;
mod import_bounds;
mod js_numbers;
mod links_cache;
mod links_cli;
mod links_fix_escaping;
mod links_outcomes;
mod links_snapshots;
mod links_ssrf;
mod links_trust;
mod loader_props;
mod markdown;
mod official_data;
mod outlook;
mod package;
mod preview;
mod preview_browser;
mod preview_hardening;
mod preview_serve;
mod printing;
mod prose;
mod publish_batches;
mod publish_e2e;
mod publish_faults;
mod publish_model;
mod publish_resilience;
mod publish_select;
mod publish_trust;
mod publish_workflow;
mod readme_promises;
mod report_schemas;
mod review;
mod rules;
mod rules_engine;
mod sarif_schema;
mod scripts;
mod server_limits;
mod server_lsp;
mod vsix;
mod whole_numbers;
mod yaml_conformance;
