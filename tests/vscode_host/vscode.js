// A stand-in for the `vscode` module that only the editor provides: just
// enough of the extension host for the packaged extension and
// vscode-languageclient to start a real `guidepress server`, open a document
// and receive its diagnostics. What is not written out below is an inert
// value (callable, constructible, any property), so code paths the run does
// not need stay quiet. Settings come from the GUIDEPRESS_TEST_SETTINGS
// environment variable (JSON, flat keys such as "guidepress.path").
'use strict';

const path = require('path');

const inert = () => {
  const target = function () {};
  const cache = new Map();
  return new Proxy(target, {
    get(_, key) {
      if (key === 'then') return undefined; // not a promise
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (!cache.has(key)) cache.set(key, inert());
      return cache.get(key);
    },
    apply: () => inert(),
    construct: (_, args) => ({ args }),
  });
};

class Disposable {
  constructor(fn) { this.fn = fn; }
  static from(...items) { return new Disposable(() => items.forEach((i) => i && i.dispose && i.dispose())); }
  dispose() { if (this.fn) this.fn(); this.fn = undefined; }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg) => {
      const bound = thisArg ? listener.bind(thisArg) : listener;
      this.listeners.add(bound);
      return new Disposable(() => this.listeners.delete(bound));
    };
  }
  fire(value) { for (const l of [...this.listeners]) l(value); }
  dispose() { this.listeners.clear(); }
}

class Uri {
  constructor(scheme, p) { this.scheme = scheme; this.path = p; this.fsPath = p; this.authority = ''; this.query = ''; this.fragment = ''; }
  static file(p) { return new Uri('file', path.resolve(p)); }
  static parse(s) {
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/[^/]*)?(.*)$/i.exec(s);
    return m ? new Uri(m[1], decodeURIComponent(m[2])) : new Uri('file', s);
  }
  toString() { return `${this.scheme}://${encodeURI(this.path)}`; }
  toJSON() { return this.toString(); }
  with(change) { return new Uri(change.scheme || this.scheme, change.path || this.path); }
}

class Position {
  constructor(line, character) { this.line = line; this.character = character; }
}
class Range {
  constructor(a, b, c, d) {
    [this.start, this.end] = typeof a === 'number' ? [new Position(a, b), new Position(c, d)] : [a, b];
  }
}
class Location {
  constructor(uri, where) { this.uri = uri; this.range = where instanceof Position ? new Range(where, where) : where; }
}
class Diagnostic {
  constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; }
}
class DiagnosticRelatedInformation {
  constructor(location, message) { this.location = location; this.message = message; }
}
const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };

class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
    this.emitter = emitter;
  }
  cancel() { this.token.isCancellationRequested = true; this.emitter.fire(); }
  dispose() {}
}
class CancellationError extends Error {}

const settings = JSON.parse(process.env.GUIDEPRESS_TEST_SETTINGS || '{}');
const events = {};
const event = (name) => (events[name] = events[name] || new EventEmitter()).event;

/** Diagnostics as the client hands them to the editor: uri string -> list. */
const published = new EventEmitter();
const log = [];

const workspace = {
  workspaceFolders: process.env.GUIDEPRESS_TEST_WORKSPACE
    ? [{ uri: Uri.file(process.env.GUIDEPRESS_TEST_WORKSPACE), name: 'workspace', index: 0 }]
    : undefined,
  textDocuments: [],
  getConfiguration(section) {
    const prefix = section ? `${section}.` : '';
    return {
      get: (key, fallback) => (prefix + key in settings ? settings[prefix + key] : fallback),
      has: (key) => prefix + key in settings,
      inspect: () => undefined,
      update: async () => {},
    };
  },
  getWorkspaceFolder: (uri) => workspace.workspaceFolders && workspace.workspaceFolders[0],
  createFileSystemWatcher: (glob) => ({
    glob,
    onDidCreate: event(`create ${glob}`),
    onDidChange: event(`change ${glob}`),
    onDidDelete: event(`delete ${glob}`),
    dispose() {},
  }),
  onDidOpenTextDocument: event('open'),
  onDidCloseTextDocument: event('close'),
  onDidChangeTextDocument: event('change'),
  onDidSaveTextDocument: event('save'),
  onWillSaveTextDocument: event('willSave'),
  onDidChangeConfiguration: event('configuration'),
  onDidChangeWorkspaceFolders: event('folders'),
  onDidCreateFiles: event('createFiles'),
  onDidRenameFiles: event('renameFiles'),
  onDidDeleteFiles: event('deleteFiles'),
  onWillCreateFiles: event('willCreateFiles'),
  onWillRenameFiles: event('willRenameFiles'),
  onWillDeleteFiles: event('willDeleteFiles'),
  onDidOpenNotebookDocument: event('openNotebook'),
  onDidCloseNotebookDocument: event('closeNotebook'),
  onDidChangeNotebookDocument: event('changeNotebook'),
  onDidSaveNotebookDocument: event('saveNotebook'),
  notebookDocuments: [],
  applyEdit: async () => true,
  fs: inert(),
};

const window = {
  createOutputChannel: (name) => ({
    name,
    append: (text) => log.push(text),
    appendLine: (text) => log.push(`${text}\n`),
    replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
  }),
  showErrorMessage: async (message) => { log.push(`error message: ${message}\n`); return undefined; },
  showWarningMessage: async (message) => { log.push(`warning message: ${message}\n`); return undefined; },
  showInformationMessage: async (message) => { log.push(`information message: ${message}\n`); return undefined; },
  activeTextEditor: undefined,
  visibleTextEditors: [],
  onDidChangeActiveTextEditor: event('activeEditor'),
  onDidChangeVisibleTextEditors: event('visibleEditors'),
  tabGroups: { all: [], onDidChangeTabs: event('tabs'), onDidChangeTabGroups: event('tabGroups') },
  showTextDocument: async () => undefined,
  createStatusBarItem: () => inert(),
};

const languages = {
  match(selector, document) {
    const filters = Array.isArray(selector) ? selector : [selector];
    return filters.some((f) => (typeof f === 'string' ? f === document.languageId
      : (!f.language || f.language === document.languageId) && (!f.scheme || f.scheme === document.uri.scheme)))
      ? 10 : 0;
  },
  createDiagnosticCollection(name) {
    const entries = new Map();
    return {
      name,
      set(uri, diagnostics) {
        if (Array.isArray(uri)) { uri.forEach(([u, d]) => this.set(u, d)); return; }
        entries.set(uri.toString(), diagnostics || []);
        published.fire({ collection: name, uri: uri.toString(), diagnostics: diagnostics || [] });
      },
      get: (uri) => entries.get(uri.toString()),
      delete: (uri) => entries.delete(uri.toString()),
      has: (uri) => entries.has(uri.toString()),
      forEach: (fn) => entries.forEach((d, u) => fn(Uri.parse(u), d)),
      clear: () => entries.clear(),
      dispose() {},
    };
  },
  getLanguages: async () => ['yaml'],
  onDidChangeDiagnostics: event('diagnostics'),
};

const host = {
  version: '1.82.0',
  Uri, EventEmitter, Disposable, CancellationTokenSource, CancellationError,
  Position, Range, Location, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
  workspace, window, languages,
  commands: {
    registerCommand: () => new Disposable(),
    executeCommand: async () => undefined,
  },
  env: { language: 'en', appName: 'guidepress test host', machineId: 'test', openExternal: async () => true },
  extensions: { getExtension: () => undefined, all: [] },
  // For the test driver, not part of the VS Code API.
  testing: { published, log, events },
};

/** `target`, with an inert value for every member it does not define. */
const filled = (target) => new Proxy(target, {
  get(t, key) {
    if (!(key in t) && typeof key === 'string') t[key] = inert();
    return t[key];
  },
});
for (const name of ['workspace', 'window', 'languages', 'commands', 'env']) {
  host[name] = filled(host[name]);
}
module.exports = filled(host);
