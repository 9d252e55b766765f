// sparkc in VS Code: this extension only starts `sparkc lsp` for the YAML files it is
// given and hands it to VS Code's language client. Every check, hover, completion and
// quick fix is the server's; settings changes take effect on the next window reload.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("sparkc");
  const server = { command: config.get("path", "sparkc"), args: ["lsp", ...config.get("args", [])] };
  client = new LanguageClient("sparkc", "sparkc", server, {
    // files on disk that match sparkc.files, and YAML not saved yet
    documentSelector: [
      { scheme: "file", language: "yaml", pattern: config.get("files", "**/*.{yaml,yml}") },
      { scheme: "untitled", language: "yaml" },
    ],
    initializationOptions: { debounce: config.get("debounce", 150) },
    // a repository's .sparkc.yaml steers what is reported: its changes re-check the open files
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/.sparkc.yaml") },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
