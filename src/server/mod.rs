//! `guidepress server`: the checks, fixes and official figures in the
//! writer's editor, over the Language Server Protocol (stdio).
//!
//! ```text
//! editor ──didOpen/didChange──▶ Documents ──(debounce)──▶ Session::check
//!                                                 pipeline::run (in memory)
//!        ◀──publishDiagnostics (versioned)─────────────────┘
//! editor ──codeAction/hover/completion/definition──▶ the latest check + schema + data
//! editor ──didChangeWatchedFiles──▶ reload config/schemas/data, authors, slugs
//! ```
//!
//! Frames are read and written by [`transport`] (bounded by the folders'
//! `limits.max_file_size`); documents are held to the same bound.
//!
//! Everything runs on one thread in the order messages arrive, so a result is
//! never published over a newer one; the slugs of the guides on disk are read
//! on a second thread at start. A panic while answering one message is
//! caught, logged and answered with an error; the server keeps running.

mod actions;
mod completion;
pub mod cursor;
mod definition;
mod diagnostics;
mod documents;
mod hover;
pub mod position;
pub mod schema;
mod session;
pub mod transport;

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, ExecuteCommandOptions, FileSystemWatcher,
    GlobPattern, HoverProviderCapability, InitializeParams, InitializeResult, MessageType, OneOf,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ServerInfo, ShowDocumentParams, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use self::position::Encoding;
use self::session::{ClientSettings, Session};
use crate::pipeline::Input;

/// Why the server stopped other than by `shutdown` + `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The client broke the protocol (or went away before `initialize`).
    #[error("language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// A message could not be read or written.
    #[error("language server I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The `initialize` parameters are not what the protocol says.
    #[error("bad initialize parameters: {0}")]
    Initialize(#[from] serde_json::Error),
    /// The connection closed.
    #[error("the client closed the connection")]
    Disconnected,
}

/// How the server is started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A configuration file instead of the workspace's `guidepress.toml`.
    pub config: Option<PathBuf>,
}

/// Serves one client on stdin/stdout until it says `exit`.
pub fn run_stdio(options: Options) -> Result<(), ServerError> {
    let limit =
        transport::FrameLimit::for_file_size(crate::load::LoadLimits::default().max_file_size);
    let (connection, threads) = transport::stdio(limit.clone());
    serve_limited(&connection, options, Some(limit))?;
    drop(connection);
    threads.join()?;
    Ok(())
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(position::kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::fix_all_kind()]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "\"".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        workspace: Some(lsp_types::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp_types::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![actions::PLACE_CURSOR.into(), actions::ADD_WORD.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// The workspace folders: each is checked with its own `guidepress.toml`.
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| session::uri_path(&folder.uri))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    #[allow(deprecated)]
    let root_uri = params.root_uri.as_ref().and_then(session::uri_path);
    vec![
        root_uri
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from(".")),
    ]
}

/// What the main loop hears besides the client.
enum Internal {
    /// The slugs of the guides on disk of the folder were read.
    Slugs(PathBuf, HashMap<PathBuf, String>),
}

struct Server<'c> {
    connection: &'c Connection,
    /// One per workspace folder (never empty).
    sessions: Vec<Session>,
    config: Option<PathBuf>,
    encoding: Encoding,
    client: ClientSettings,
    /// Documents changed and not checked yet, and when to check them.
    pending: BTreeSet<String>,
    deadline: Option<Instant>,
    internal: (Sender<Internal>, Receiver<Internal>),
    show_document: bool,
    watch_registration: bool,
    next_request: i32,
    shut_down: bool,
    /// The transport's frame limit, kept in step with the folders' `limits.max_file_size`.
    frame_limit: Option<transport::FrameLimit>,
}

/// Serves one client on `connection` until it says `exit`.
pub fn serve(connection: &Connection, options: Options) -> Result<(), ServerError> {
    serve_limited(connection, options, None)
}

/// [`serve`], keeping `frame_limit` in step with the workspaces' size limit.
fn serve_limited(
    connection: &Connection,
    options: Options,
    frame_limit: Option<transport::FrameLimit>,
) -> Result<(), ServerError> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let encoding = position::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let show_document = params
        .capabilities
        .window
        .as_ref()
        .and_then(|w| w.show_document.as_ref())
        .is_some_and(|s| s.support);
    let watch_registration = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let client = ClientSettings::from_value(params.initialization_options.as_ref());
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "guidepress".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        connection,
        sessions: Vec::new(),
        config: options.config,
        encoding,
        client,
        pending: BTreeSet::new(),
        deadline: None,
        internal: crossbeam_channel::unbounded(),
        show_document,
        watch_registration,
        next_request: 0,
        shut_down: false,
        frame_limit,
    };
    // `initialize_finish` has received `initialized`: the client may be asked things.
    for root in workspace_roots(&params) {
        server.add_folder(root);
    }
    // The folders' size limit is known: frames over the default may be judged.
    if let Some(limit) = &server.frame_limit {
        limit.settle();
    }
    server.register_watchers();
    server.main_loop()
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), ServerError> {
        let receiver = self.connection.receiver.clone();
        let internal = self.internal.1.clone();
        loop {
            let timeout = self.deadline.map_or(Duration::from_secs(3600), |d| {
                d.saturating_duration_since(Instant::now())
            });
            crossbeam_channel::select! {
                recv(receiver) -> message => {
                    let Ok(message) = message else {
                        return Err(ServerError::Disconnected);
                    };
                    match &message {
                        Message::Notification(n) if n.method == "exit" => return Ok(()),
                        Message::Request(r) if r.method == "shutdown" => {
                            self.shut_down = true;
                            self.send(Message::Response(Response::new_ok(r.id.clone(), ())));
                        }
                        // After `shutdown` only `exit` counts (answers to the
                        // server's own requests may still arrive).
                        Message::Request(r) if self.shut_down => {
                            self.send(Message::Response(Response::new_err(
                                r.id.clone(),
                                ErrorCode::InvalidRequest as i32,
                                "the server is shutting down".into(),
                            )));
                        }
                        _ if self.shut_down => {}
                        _ => self.guarded(message),
                    }
                }
                recv(internal) -> event => {
                    if let Ok(Internal::Slugs(root, slugs)) = event {
                        self.slugs_read(&root, slugs);
                    }
                }
                default(timeout) => {}
            }
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                self.flush();
            }
        }
    }

    /// Handles one message; a panic is logged and, for a request, answered
    /// with an error.
    fn guarded(&mut self, message: Message) {
        let request_id = match &message {
            Message::Request(request) => Some((request.id.clone(), request.method.clone())),
            _ => None,
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| self.handle(message)));
        if let Err(panic) = outcome {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            // The editor's log (its output panel) is where a server reports itself.
            self.notify::<lsp_types::notification::LogMessage>(lsp_types::LogMessageParams {
                typ: MessageType::ERROR,
                message: format!("guidepress server: internal error: {what}"),
            });
            if let Some((id, method)) = request_id {
                self.send(Message::Response(Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("guidepress could not answer {method}: internal error ({what})"),
                )));
            }
        }
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => {}
        }
    }

    fn send(&self, message: Message) {
        // A closed connection ends the main loop at the next receive.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    fn client_request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_request += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(format!("guidepress-{}", self.next_request)),
            R::METHOD.to_owned(),
            params,
        )));
    }

    fn show_message(&self, typ: MessageType, message: String) {
        self.notify::<lsp_types::notification::ShowMessage>(ShowMessageParams { typ, message });
    }

    fn request(&mut self, request: Request) {
        use lsp_types::request::{
            CodeActionRequest, Completion, ExecuteCommand, GotoDefinition, HoverRequest,
        };
        let id = request.id.clone();
        let result: Result<Value, (ErrorCode, String)> = match request.method.as_str() {
            CodeActionRequest::METHOD => {
                self.params(request)
                    .map(|params: lsp_types::CodeActionParams| {
                        self.flush_one(&params.text_document.uri);
                        json(actions::code_actions(
                            self.session(&params.text_document.uri),
                            &params,
                        ))
                    })
            }
            HoverRequest::METHOD => self.params(request).map(|p: lsp_types::HoverParams| {
                self.at(p.text_document_position_params, hover::hover)
            }),
            Completion::METHOD => self.params(request).map(|p: lsp_types::CompletionParams| {
                self.at(p.text_document_position, completion::completion)
            }),
            GotoDefinition::METHOD => {
                self.params(request)
                    .map(|p: lsp_types::GotoDefinitionParams| {
                        self.at(p.text_document_position_params, definition::definition)
                    })
            }
            ExecuteCommand::METHOD => {
                self.params(request)
                    .map(|params: lsp_types::ExecuteCommandParams| {
                        self.execute(params);
                        Value::Null
                    })
            }
            "guidepress/panic" if std::env::var_os("GUIDEPRESS_SERVER_TEST_PANIC").is_some() => {
                panic!("requested by guidepress/panic")
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("guidepress does not answer {other}"),
            )),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    /// Answers a request about one place of a document, with its latest changes checked.
    fn at<T: serde::Serialize>(
        &mut self,
        at: lsp_types::TextDocumentPositionParams,
        answer: fn(&Session, &Uri, lsp_types::Position) -> T,
    ) -> Value {
        self.flush_one(&at.text_document.uri);
        json(answer(
            self.session(&at.text_document.uri),
            &at.text_document.uri,
            at.position,
        ))
    }

    fn params<P: serde::de::DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<P, (ErrorCode, String)> {
        serde_json::from_value(request.params).map_err(|e| {
            (
                ErrorCode::InvalidParams,
                format!("bad parameters for {}: {e}", request.method),
            )
        })
    }

    fn execute(&mut self, params: lsp_types::ExecuteCommandParams) {
        if params.command == actions::ADD_WORD {
            self.add_word(params.arguments);
            return;
        }
        if params.command != actions::PLACE_CURSOR || !self.show_document {
            return;
        }
        let mut arguments = params.arguments.into_iter();
        let (Some(uri), Some(position)) = (arguments.next(), arguments.next()) else {
            return;
        };
        let (Some(uri), Ok(position)) = (
            uri.as_str().and_then(|u| u.parse::<Uri>().ok()),
            serde_json::from_value::<lsp_types::Position>(position),
        ) else {
            return;
        };
        self.client_request::<lsp_types::request::ShowDocument>(ShowDocumentParams {
            uri,
            external: Some(false),
            take_focus: Some(true),
            selection: Some(lsp_types::Range::new(position, position)),
        });
    }

    /// Adds a word to the words file of the document's workspace folder, reads
    /// the prose settings again and checks the open documents again.
    fn add_word(&mut self, arguments: Vec<Value>) {
        let mut arguments = arguments.into_iter();
        let (Some(uri), Some(word)) = (
            arguments
                .next()
                .and_then(|u| u.as_str().and_then(|u| u.parse::<Uri>().ok())),
            arguments.next().and_then(|w| w.as_str().map(str::to_owned)),
        ) else {
            return;
        };
        let session = self.session_mut(&uri);
        let Some(prose) = session.settings.context.prose.clone() else {
            return;
        };
        match crate::prose::words::add(&prose.words_path, &prose.words_shown, &[word]) {
            Ok(_) => {
                session.reload_prose();
                self.recheck_all();
            }
            Err(error) => self.show_message(MessageType::ERROR, error.to_string()),
        }
    }

    fn notification(&mut self, notification: Notification) {
        use lsp_types::notification::{
            DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles,
            DidChangeWorkspaceFolders, DidCloseTextDocument, DidOpenTextDocument,
            DidSaveTextDocument,
        };
        let params = notification.params;
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(params) {
                    let doc = params.text_document;
                    self.session_mut(&doc.uri).documents.open(
                        doc.uri.clone(),
                        doc.text,
                        doc.version,
                    );
                    self.check_and_publish(&doc.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                    let uri = params.text_document.uri;
                    let encoding = self.encoding;
                    let session = self.session_mut(&uri);
                    let max_len = transport::frame_bytes(session.workspace.limits().max_file_size);
                    if session.documents.change(
                        &uri,
                        params.text_document.version,
                        params.content_changes,
                        encoding,
                        max_len,
                    ) {
                        self.pending.insert(uri.as_str().to_owned());
                        let wait = Duration::from_millis(self.client.debounce_ms);
                        self.deadline = Some(Instant::now() + wait);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidSaveTextDocumentParams>(params) {
                    let uri = params.text_document.uri;
                    if let Some(path) = session::uri_path(&uri) {
                        self.session_mut(&uri).refresh_slug(&path);
                    }
                    self.flush_one(&uri);
                    if self.client.links_on_save {
                        self.publish_with_links(&uri);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(params) {
                    let uri = params.text_document.uri;
                    let session = self.session_mut(&uri);
                    session.documents.close(&uri);
                    session.checked.remove(&uri);
                    self.pending.remove(uri.as_str());
                    self.notify::<lsp_types::notification::PublishDiagnostics>(
                        PublishDiagnosticsParams::new(uri, Vec::new(), None),
                    );
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidChangeWatchedFilesParams>(params) {
                    self.files_changed(params);
                }
            }
            DidChangeWorkspaceFolders::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeWorkspaceFoldersParams>(params)
                {
                    self.folders_changed(params.event);
                }
            }
            DidChangeConfiguration::METHOD => {
                // Clients that pull settings send `null`: keep what we have.
                if let Some(settings) = params.get("settings").filter(|s| !s.is_null()) {
                    self.client = ClientSettings::from_value(Some(settings));
                    self.recheck_all();
                }
            }
            _ => {}
        }
    }

    /// The index of the session of the folder holding `uri` (the innermost
    /// one); the first folder's for a file in none.
    fn index(&self, uri: &Uri) -> usize {
        let Some(path) = session::uri_path(uri) else {
            return 0;
        };
        self.sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| path.starts_with(&s.root))
            .max_by_key(|(_, s)| s.root.components().count())
            .map_or(0, |(index, _)| index)
    }

    fn session(&self, uri: &Uri) -> &Session {
        &self.sessions[self.index(uri)]
    }

    fn session_mut(&mut self, uri: &Uri) -> &mut Session {
        let index = self.index(uri);
        &mut self.sessions[index]
    }

    /// Starts checking a workspace folder.
    fn add_folder(&mut self, root: PathBuf) {
        if self.sessions.iter().any(|s| s.root == root) {
            return;
        }
        let (session, problem) = Session::open(root, self.config.clone(), self.encoding);
        if let Some(problem) = problem {
            self.show_message(MessageType::ERROR, format!("guidepress: {problem}"));
        }
        self.sessions.push(session);
        self.scan_slugs(self.sessions.len() - 1);
        self.update_frame_limit();
    }

    /// Frames may hold a document as large as the largest `limits.max_file_size`.
    fn update_frame_limit(&self) {
        let Some(limit) = &self.frame_limit else {
            return;
        };
        let largest = self
            .sessions
            .iter()
            .map(|s| s.workspace.limits().max_file_size)
            .max()
            .unwrap_or_else(|| crate::load::LoadLimits::default().max_file_size);
        limit.set_file_size(largest);
    }

    fn folders_changed(&mut self, event: lsp_types::WorkspaceFoldersChangeEvent) {
        let mut moved: Vec<(Uri, documents::Document)> = Vec::new();
        for folder in event.removed {
            let Some(root) = session::uri_path(&folder.uri) else {
                continue;
            };
            if let Some(index) = self.sessions.iter().position(|s| s.root == root) {
                if self.sessions.len() == 1 {
                    continue;
                }
                let mut gone = self.sessions.remove(index);
                moved.extend(gone.documents.drain());
            }
        }
        for folder in event.added {
            if let Some(root) = session::uri_path(&folder.uri) {
                self.add_folder(root);
            }
        }
        // Documents of a removed folder stay open in the folder now holding them.
        for (uri, document) in moved {
            self.session_mut(&uri)
                .documents
                .open(uri.clone(), document.text, document.version);
        }
        self.recheck_all();
    }

    fn register_watchers(&mut self) {
        if !self.watch_registration {
            return;
        }
        let watchers = [
            "**/guidepress.toml",
            "**/*.json",
            "**/*.{yaml,yml}",
            "**/*.csv",
            "**/*.txt",
        ]
        .iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String((*glob).to_owned()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        self.client_request::<lsp_types::request::RegisterCapability>(RegistrationParams {
            registrations: vec![Registration {
                id: "guidepress-watch".into(),
                method: lsp_types::notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        });
    }

    /// Reads the slug of every guide on disk of session `index` on another thread.
    fn scan_slugs(&self, index: usize) {
        let session = &self.sessions[index];
        let targets = session.disk_guides();
        let limits = session.workspace.limits();
        let root = session.root.clone();
        let sender = self.internal.0.clone();
        std::thread::spawn(move || {
            let slugs: HashMap<PathBuf, String> = targets
                .into_iter()
                .filter_map(|target| {
                    let path = target.path.clone();
                    Some((path, session::read_slug(&Input::from(target), limits)?))
                })
                .collect();
            let _ = sender.send(Internal::Slugs(root, slugs));
        });
    }

    fn slugs_read(&mut self, root: &std::path::Path, slugs: HashMap<PathBuf, String>) {
        let Some(session) = self.sessions.iter_mut().find(|s| s.root == root) else {
            return;
        };
        session.set_slugs(slugs);
        // Only a guide sharing its slug with another can change.
        let shared: Vec<Uri> = session
            .documents
            .iter()
            .map(|(uri, _)| uri.clone())
            .filter(|uri| session.shares_slug(uri))
            .collect();
        for uri in shared {
            self.check_and_publish(&uri);
        }
    }

    fn files_changed(&mut self, params: DidChangeWatchedFilesParams) {
        let mut reload = BTreeSet::new();
        let mut authors = BTreeSet::new();
        let mut words = BTreeSet::new();
        for change in params.changes {
            let Some(path) = session::uri_path(&change.uri) else {
                continue;
            };
            let index = self.index(&change.uri);
            let session = &mut self.sessions[index];
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let is_config = Some(&path) == session.workspace.config.path.as_ref()
                || name == crate::config::CONFIG_FILE;
            if is_config || name.ends_with(".json") || path.starts_with(session.data_dir()) {
                reload.insert(index);
            } else if path.starts_with(session.authors_dir()) {
                authors.insert(index);
            } else if session
                .settings
                .context
                .prose
                .as_ref()
                .is_some_and(|prose| prose.words_path == path)
            {
                words.insert(index);
            } else {
                session.refresh_slug(&path);
            }
        }
        for index in reload.iter().copied() {
            match self.sessions[index].reload() {
                None => {
                    self.scan_slugs(index);
                    self.update_frame_limit();
                }
                Some(problem) => self.show_message(
                    MessageType::ERROR,
                    format!("guidepress: the configuration was not reloaded: {problem}"),
                ),
            }
        }
        for index in authors.difference(&reload) {
            self.sessions[*index].refresh_authors();
        }
        for index in words.difference(&reload) {
            self.sessions[*index].reload_prose();
        }
        self.recheck_all();
    }

    fn check_and_publish(&mut self, uri: &Uri) {
        let index = self.index(uri);
        let session = &mut self.sessions[index];
        let before = session.slug(uri);
        if !session.check(uri) {
            // No longer checked (excluded by a reloaded configuration): clear its findings.
            if session.checked.remove(uri).is_some() {
                self.notify::<lsp_types::notification::PublishDiagnostics>(
                    PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None),
                );
            }
            return;
        }
        self.publish(uri);
        // A slug that changed may start or end a duplicate in another open guide.
        let session = &mut self.sessions[index];
        let after = session.slug(uri);
        if before != after {
            let others: Vec<Uri> = session
                .documents
                .iter()
                .map(|(u, _)| u.clone())
                .filter(|u| u != uri)
                .filter(|u| {
                    let slug = session.slug(u);
                    slug.is_some() && (slug == before || slug == after)
                })
                .collect();
            for other in others {
                if self.sessions[index].check(&other) {
                    self.publish(&other);
                }
            }
        }
    }

    fn publish(&self, uri: &Uri) {
        let session = self.session(uri);
        let Some(checked) = session.checked.get(uri) else {
            return;
        };
        let diagnostics = diagnostics::all(
            &checked.file,
            uri,
            &session.root,
            self.encoding,
            &session.report_context,
        );
        self.notify::<lsp_types::notification::PublishDiagnostics>(PublishDiagnosticsParams::new(
            uri.clone(),
            diagnostics,
            Some(checked.version),
        ));
    }

    /// Checks every document whose debounce ran out.
    fn flush(&mut self) {
        self.deadline = None;
        let pending = std::mem::take(&mut self.pending);
        for uri in pending {
            if let Ok(uri) = uri.parse::<Uri>() {
                self.check_and_publish(&uri);
            }
        }
    }

    /// Checks `uri` now if a change to it is waiting (a request needs its findings).
    fn flush_one(&mut self, uri: &Uri) {
        if self.pending.remove(uri.as_str()) {
            self.check_and_publish(uri);
        }
        if self.pending.is_empty() {
            self.deadline = None;
        }
    }

    fn recheck_all(&mut self) {
        self.pending.clear();
        self.deadline = None;
        let open: Vec<Uri> = self
            .sessions
            .iter()
            .flat_map(|s| s.documents.iter().map(|(u, _)| u.clone()))
            .collect();
        for uri in open {
            self.check_and_publish(&uri);
        }
    }

    /// Publishes `uri`'s findings with its links checked from the cache.
    fn publish_with_links(&mut self, uri: &Uri) {
        let session = self.session(uri);
        let Some(mut diagnostics) = session.link_findings(uri) else {
            return;
        };
        let Some(checked) = session.checked.get(uri) else {
            return;
        };
        let mut all = diagnostics::all(
            &checked.file,
            uri,
            &session.root,
            self.encoding,
            &session.report_context,
        );
        all.append(&mut diagnostics);
        self.notify::<lsp_types::notification::PublishDiagnostics>(PublishDiagnosticsParams::new(
            uri.clone(),
            all,
            Some(checked.version),
        ));
    }
}

fn json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests;
