//! The `guidepress` command line: parses arguments, calls the library, maps
//! the outcome to an exit code (0 clean, 1 findings, 2 usage/config/internal).
//! Each command's arguments and glue live in `src/cli/<command>.rs`.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use cli::GlobalArgs;

/// Keeps career guides correct and ships them.
#[derive(Debug, Parser)]
#[command(name = "guidepress", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check guides and authors: YAML, schema, facts.
    Check(cli::check::CheckArgs),
    /// Start a content repository: configuration, folders, CI workflows, pre-commit hooks.
    Init(cli::init::InitArgs),
    /// Write a draft guide for an occupation: BLS's figures, placeholders for the prose.
    New(cli::new::NewArgs),
    /// Check the links the guides cite: sources and addresses in their text.
    Links(cli::links::LinksArgs),
    /// Print the JSON value a YAML file turns into (what the schemas see).
    Dump(cli::dump::DumpArgs),
    /// Explain a fact rule: what it checks, why, an example and its fix.
    Rule(cli::rule::RuleArgs),
    /// List every diagnostic code: name, default severity, whether it can fix.
    Rules(cli::rule::RulesArgs),
    /// Publish approved, error-free guides to the CMS.
    Publish(cli::publish::PublishArgs),
    /// Post findings on a pull request as one review, fixes as one-click suggested changes.
    Review(cli::review::ReviewArgs),
    /// Read guides from the CMS through the mapping and write them as YAML files.
    Pull(cli::pull::PullArgs),
    /// The official data guides are checked against: import BLS's tables, show figures.
    Data(cli::data::DataArgs),
    /// Render guides as the pages readers will see: to a folder, or served live.
    Preview(cli::preview::PreviewArgs),
    /// Run the language server (LSP over stdio): checks, fixes and official figures in editors.
    Server(cli::server::ServerArgs),
    /// Show the effective configuration (`--show`) or its JSON Schema (`--schema`).
    Config(cli::config::ConfigArgs),
    /// Add to the repository's own words, which spelling accepts.
    Words(cli::words::WordsArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print a manual page (roff): `guidepress man > guidepress.1`.
    Man(ManArgs),
    /// Write the documentation site's generated pages (for `scripts/docs.sh`).
    #[command(hide = true)]
    Docs(cli::docs::DocsArgs),
}

#[derive(Debug, clap::Args)]
struct ManArgs {
    /// The page of this command (`guidepress man check > guidepress-check.1`);
    /// default the page of guidepress itself.
    command: Option<String>,
    /// List the commands that have a page, one per line.
    #[arg(long, conflicts_with = "command")]
    list: bool,
}

#[derive(Debug, clap::Args)]
struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

// A check allocates and frees many small values per file (the parsed value,
// keys, findings); mimalloc spends less time doing it than the system
// allocator (measured in docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check(args) => cli::check::run(&cli.global, args),
        Command::Init(args) => cli::init::run(&cli.global, &args),
        Command::New(args) => cli::new::run(&cli.global, args),
        Command::Links(args) => cli::links::run(&cli.global, args),
        Command::Dump(args) => cli::dump::run(&cli.global, &args),
        Command::Rule(args) => cli::rule::run_rule(&cli.global, &args),
        Command::Rules(args) => cli::rule::run_rules(&args),
        Command::Publish(args) => cli::publish::run(&cli.global, args),
        Command::Review(args) => cli::review::run(&cli.global, args),
        Command::Pull(args) => cli::pull::run(&cli.global, args),
        Command::Data(args) => cli::data::run(&cli.global, args),
        Command::Preview(args) => cli::preview::run(&cli.global, args),
        Command::Config(args) => cli::config::run(&cli.global, &args),
        Command::Server(args) => cli::server::run(&cli.global, args),
        Command::Words(args) => cli::words::run(&cli.global, args),
        Command::Completions(args) => {
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "guidepress",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Man(args) => print_man_page(&args),
        Command::Docs(args) => cli::docs::run(&cli.global, &args, &Cli::command()),
    };
    outcome.unwrap_or_else(|error| cli::report_error(&error))
}

/// Prints the man page of guidepress or of one of its commands (each page
/// lists that command's flags), or the list of commands with a page.
fn print_man_page(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut out = std::io::stdout().lock();
    if args.list {
        for sub in root.get_subcommands().filter(|sub| !sub.is_hide_set()) {
            writeln!(out, "{}", sub.get_name())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let page = match &args.command {
        None => root,
        Some(name) => root.find_subcommand(name).cloned().ok_or_else(|| {
            anyhow::anyhow!("no command `{name}`; `guidepress man --list` lists them")
        })?,
    };
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
