// The nhnprice extension: starts `nhnprice lsp` (a language server over standard input
// and output) for every .nhp file; the server does all the work.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("nhnprice").get("command", ["nhnprice", "lsp"]);
  const server = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient(
    "nhnprice",
    "nhnprice",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "nhnprice" }, { scheme: "untitled", language: "nhnprice" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
