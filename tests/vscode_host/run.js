// Loads a packaged extension's main file with the stand-in `vscode` module,
// activates it, opens one document and prints the diagnostics the real
// server publishes for it, then deactivates (the client shuts the server
// down). Usage: node run.js EXTENSION_DIR DOCUMENT
// Prints one JSON line: { diagnostics: [{ code, message, line, severity }],
// errors: [messages shown to the user], log: output channel }. A server that
// cannot start ends the run once the extension has said so.
'use strict';

const fs = require('fs');
const Module = require('module');
const path = require('path');

const stand_in = path.join(__dirname, 'vscode.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? stand_in : resolve.call(this, request, ...rest);
};
const vscode = require('vscode');
process.on('unhandledRejection', (error) => vscode.testing.log.push(`unhandled rejection: ${error && error.stack ? error.stack : error}\n`));

async function main() {
  const [extensionDir, file] = process.argv.slice(2);
  const extension = require(path.join(path.resolve(extensionDir), 'extension.js'));
  const uri = vscode.Uri.file(file);
  const text = fs.readFileSync(file, 'utf8');
  const document = {
    uri, fileName: uri.fsPath, languageId: 'yaml', version: 1, isClosed: false, isDirty: false,
    isUntitled: false, eol: 1, lineCount: text.split('\n').length, getText: () => text,
  };
  const received = new Promise((resolve) => {
    vscode.testing.published.event((event) => {
      if (event.uri === uri.toString()) resolve(event.diagnostics);
    });
  });
  // A debug build starting on a loaded machine: generous, and the message
  // names the same figure the timer uses.
  const patience_s = 60;
  const timeout = setTimeout(() => {
    console.error(`no diagnostics within ${patience_s} s\n${vscode.testing.log.join('')}`);
    process.exit(1);
  }, patience_s * 1000);
  const context = { subscriptions: [], extensionPath: extensionDir, globalState: vscode.testing, workspaceState: vscode.testing };
  await extension.activate(context);
  const log = () => vscode.testing.log.join('');
  let diagnostics = [];
  if (!log().includes('guidepress: could not start')) {
    vscode.workspace.textDocuments.push(document);
    vscode.testing.events.open.fire(document);
    diagnostics = await received;
  }
  clearTimeout(timeout);
  await extension.deactivate();
  context.subscriptions.forEach((d) => d && d.dispose && d.dispose());
  console.log(JSON.stringify({
    diagnostics: diagnostics.map((d) => ({
      code: d.code && typeof d.code === 'object' ? d.code.value : d.code,
      message: d.message,
      line: d.range.start.line,
      severity: d.severity,
    })),
    errors: log().split('\n').filter((l) => l.startsWith('error message: ')).map((l) => l.slice(15)),
    log: log(),
  }));
}

main().then(() => process.exit(0), (error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
