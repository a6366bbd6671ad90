// guidepress for VS Code: runs `guidepress server` (the language server,
// over stdio) for the YAML files of a workspace that has a guidepress.toml,
// and tells it when the configuration, a schema or an official-data file
// changes on disk. Everything else (diagnostics, quick fixes, hover,
// completion, definitions) comes from the server through vscode-languageclient.
//
// Settings: `guidepress.path` (the executable; changing it restarts the
// server), `guidepress.linksOnSave` and `guidepress.debounceMs` (sent to the
// server, which reads the `guidepress` section), `guidepress.trace.server`
// (read by the client).
'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');

/** Files whose change on disk the server re-reads (workspace/didChangeWatchedFiles). */
const WATCHED = ['**/guidepress.toml', '**/*.schema.json', '**/data/**/*.csv'];

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.FileSystemWatcher[]} made once, shared by every client (restarts). */
let watchers = [];

/** The `guidepress` executable: a bare name is looked up on PATH; a relative
 * path with a directory part is taken from the first workspace folder. */
function executable() {
  const configured = vscode.workspace.getConfiguration('guidepress').get('path', 'guidepress');
  const command = configured.trim() || 'guidepress';
  if (path.isAbsolute(command) || !command.includes('/')) {
    return command;
  }
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  return folder ? path.join(folder.uri.fsPath, command) : command;
}

/** The client settings the server reads: the `guidepress` section. */
function serverSettings() {
  const config = vscode.workspace.getConfiguration('guidepress');
  return {
    linksOnSave: config.get('linksOnSave', false),
    debounceMs: config.get('debounceMs', 5),
  };
}

function createClient() {
  const command = executable();
  // No `transport`: stdio is the default, and with `TransportKind.stdio`
  // vscode-languageclient would only append `--stdio` (the server's one
  // transport anyway).
  const serverOptions = { command, args: ['server'] };
  const clientOptions = {
    // Every YAML file on disk; the server checks those under the content
    // roots of its guidepress.toml and leaves other YAML alone, so this client
    // runs next to the Red Hat YAML extension (which keeps the schema
    // validation, formatting and outline it gives every YAML file).
    documentSelector: [{ scheme: 'file', language: 'yaml' }],
    initializationOptions: serverSettings(),
    synchronize: {
      configurationSection: 'guidepress',
      fileEvents: watchers,
    },
  };
  return new LanguageClient('guidepress', 'guidepress', serverOptions, clientOptions);
}

/** Starts a client; a missing or failing executable becomes one message
 * that names the setting, not an unhandled rejection. */
async function start() {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const choice = await vscode.window.showErrorMessage(
      `guidepress: could not start \`${executable()} server\` (${reason}). ` +
        'Install guidepress or set "guidepress.path".',
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'guidepress.path');
    }
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    await running.stop();
  }
}

async function restart() {
  await stop();
  await start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  watchers = WATCHED.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);
  context.subscriptions.push(
    vscode.commands.registerCommand('guidepress.restartServer', () => restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('guidepress.path')) {
        restart();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
