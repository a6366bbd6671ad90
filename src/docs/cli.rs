//! The command-line reference, `reference/cli.md`: every visible command
//! with its usage, arguments, defaults, values and environment variables,
//! read from the binary's clap definition (as `guidepress man` is).

use std::fmt::Write as _;

use clap::{Arg, ArgAction, Command};

use super::{Page, escape_text};

/// The site path of the command-line reference.
pub const PATH: &str = "reference/cli.md";

/// The full name of every visible command of `root` (`guidepress`,
/// `guidepress check`, `guidepress data import`), in order.
pub fn command_names(root: &Command) -> Vec<String> {
    let mut root = root.clone().disable_help_subcommand(true);
    root.build();
    let mut names = Vec::new();
    visit(&root, root.get_name(), &mut |name, _| {
        names.push(name.to_owned())
    });
    names
}

fn visit(command: &Command, name: &str, each: &mut dyn FnMut(&str, &Command)) {
    each(name, command);
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        visit(sub, &format!("{name} {}", sub.get_name()), each);
    }
}

/// How an argument is written: `-q, --quiet`, `--format <FORMAT>`, `[PATHS]...`.
fn label(arg: &Arg) -> String {
    let names: Vec<String> = arg
        .get_value_names()
        .map(|names| names.iter().map(|n| n.to_string()).collect())
        .unwrap_or_else(|| vec![arg.get_id().as_str().to_owned()]);
    let many = arg
        .get_num_args()
        .is_some_and(|range| range.max_values() > 1)
        || matches!(arg.get_action(), ArgAction::Append);
    if arg.is_positional() {
        let value = names.join(" ");
        let value = if arg.is_required_set() {
            format!("<{value}>")
        } else {
            format!("[{value}]")
        };
        return if many { format!("{value}...") } else { value };
    }
    let mut flags = Vec::new();
    if let Some(short) = arg.get_short() {
        flags.push(format!("-{short}"));
    }
    if let Some(long) = arg.get_long() {
        flags.push(format!("--{long}"));
    }
    let mut text = flags.join(", ");
    let takes_value = arg.get_num_args().is_none_or(|range| range.takes_values())
        && matches!(arg.get_action(), ArgAction::Set | ArgAction::Append);
    if takes_value {
        for name in &names {
            let _ = write!(text, " <{name}>");
        }
    }
    text
}

/// What an argument does, with its default, values and environment variable.
fn describe(arg: &Arg) -> String {
    let help = arg
        .get_long_help()
        .or_else(|| arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let mut text = escape_text(help.split_whitespace().collect::<Vec<_>>().join(" ").trim());
    if !text.is_empty() && !text.ends_with(['.', ')', ':', '!', '?']) {
        text.push('.');
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| format!("`{}`", v.to_string_lossy()))
        .collect();
    if !defaults.is_empty() && !matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::Count) {
        let _ = write!(text, " Default: {}.", defaults.join(", "));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| match v.get_help() {
            Some(help) => format!("`{}` ({})", v.get_name(), escape_text(&help.to_string())),
            None => format!("`{}`", v.get_name()),
        })
        .collect();
    let boolean = matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse);
    if !values.is_empty() && !boolean {
        let _ = write!(text, " Values: {}.", values.join(", "));
    }
    if let Some(env) = arg.get_env() {
        let _ = write!(text, " Environment: `{}`.", env.to_string_lossy());
    }
    text.trim().to_owned()
}

/// The section of one command.
fn section(text: &mut String, name: &str, command: &Command, root: bool) {
    let depth = name.split(' ').count().min(4);
    let hashes = "#".repeat(depth + 1);
    let _ = writeln!(text, "\n{hashes} `{name}`\n");
    let about = command
        .get_long_about()
        .or_else(|| command.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    if !about.is_empty() {
        let _ = writeln!(text, "{}\n", escape_text(about.trim()).replace("  ", " "));
    }
    let usage = command
        .clone()
        .bin_name(name)
        .render_usage()
        .to_string()
        .replace("\n", " ");
    let usage = usage.trim_start_matches("Usage: ").trim();
    let _ = writeln!(text, "```text\n{usage}\n```\n");
    let args: Vec<&Arg> = command
        .get_arguments()
        .filter(|arg| !arg.is_hide_set())
        .filter(|arg| {
            !matches!(
                arg.get_action(),
                ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
            )
        })
        .filter(|arg| root || !arg.is_global_set())
        .collect();
    if !args.is_empty() {
        let _ = writeln!(text, "| Argument | Description |");
        let _ = writeln!(text, "| --- | --- |");
        for arg in args {
            let _ = writeln!(text, "| `{}` | {} |", label(arg), describe(arg));
        }
        text.push('\n');
    }
    let subs: Vec<&Command> = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .collect();
    if !subs.is_empty() {
        let _ = writeln!(text, "| Command | What it does |");
        let _ = writeln!(text, "| --- | --- |");
        for sub in subs {
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            let _ = writeln!(
                text,
                "| `{name} {}` | {} |",
                sub.get_name(),
                escape_text(&about)
            );
        }
        text.push('\n');
    }
}

/// The page, from the binary's clap definition `root`.
pub fn page(root: &Command) -> Page {
    let mut root = root.clone().disable_help_subcommand(true);
    root.build();
    let mut text = String::from("# Command-line reference\n\n");
    text.push_str(
        "<!-- Generated from the binary's argument definitions by `guidepress docs generate`: edit their doc comments, not this page. -->\n\n",
    );
    text.push_str(
        "Every command takes `--help` (`-h` for a summary) and the global flags of `guidepress` itself. `guidepress man COMMAND` prints the same as a manual page. Exit codes: `0` clean, `1` findings at the fail level, `2` usage, configuration or internal failure.\n",
    );
    let name = root.get_name().to_owned();
    let mut sections = String::new();
    visit(&root, &name, &mut |full, command| {
        section(&mut sections, full, command, full == name);
    });
    text.push_str(&sections);
    Page {
        path: PATH.to_owned(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Command {
        Command::new("tool")
            .arg(
                Arg::new("quiet")
                    .short('q')
                    .long("quiet")
                    .global(true)
                    .action(ArgAction::SetTrue)
                    .help("Say less."),
            )
            .subcommand(
                Command::new("check")
                    .about("Check <files>.")
                    .arg(Arg::new("paths").num_args(0..).help("Files."))
                    .arg(
                        Arg::new("format")
                            .long("format")
                            .value_name("FORMAT")
                            .default_value("full")
                            .value_parser(["full", "json"])
                            .help("Output format."),
                    ),
            )
            .subcommand(Command::new("secret").hide(true))
    }

    #[test]
    fn every_visible_command_flag_default_and_value_is_listed() {
        let page = page(&sample());
        assert!(page.text.contains("## `tool`"), "{}", page.text);
        assert!(page.text.contains("### `tool check`"), "{}", page.text);
        assert!(page.text.contains("Check &lt;files&gt;."), "{}", page.text);
        assert!(
            page.text.contains(
                "| `--format <FORMAT>` | Output format. Default: `full`. Values: `full`, `json`. |"
            ),
            "{}",
            page.text
        );
        assert!(
            page.text.contains("| `[paths]...` | Files. |"),
            "{}",
            page.text
        );
        assert!(
            page.text.contains("| `-q, --quiet` | Say less. |"),
            "{}",
            page.text
        );
        // The global flag is listed once, under the command that defines it.
        assert_eq!(page.text.matches("--quiet` |").count(), 1, "{}", page.text);
        assert!(!page.text.contains("secret"));
        assert_eq!(command_names(&sample()), ["tool", "tool check"]);
    }
}
