//! `guidepress server`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::GlobalArgs;

/// Run the language server (LSP over stdin/stdout) for editors.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

/// Serves one editor until it exits.
pub fn run(global: &GlobalArgs, _args: ServerArgs) -> Result<ExitCode> {
    guidepress::net::tls::install_crypto_provider();
    guidepress::server::run_stdio(guidepress::server::Options {
        config: global.config.clone(),
    })?;
    Ok(ExitCode::SUCCESS)
}
