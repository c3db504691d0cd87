// Drive yaml-language-server (the server of VS Code's YAML extension) over stdio as an
// editor does: open documents, collect the diagnostics it publishes for each.
// Usage: node yaml_language_server.js SERVER_JS < [{"path": ..., "text": ...}, ...]
// Prints {path: [{line, column, message}, ...]} (lines and columns from 1); exit 2 on timeout.
'use strict';
const { spawn } = require('child_process');
const { pathToFileURL } = require('url');

const documents = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const server = spawn(process.execPath, [process.argv[2], '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const waiting = new Map(documents.map((d) => [pathToFileURL(d.path).href, d.path]));
const results = {};
const settings = { validate: true, schemaStore: { enable: false } }; // nothing from the network
let buffer = Buffer.alloc(0);

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}

function received(message) {
  if (message.id === 1 && message.method === undefined) { // initialize answered
    send({ method: 'initialized', params: {} });
    send({ method: 'workspace/didChangeConfiguration', params: { settings: { yaml: settings } } });
    for (const d of documents) {
      const textDocument = { uri: pathToFileURL(d.path).href, languageId: 'yaml', version: 1, text: d.text };
      send({ method: 'textDocument/didOpen', params: { textDocument } });
    }
  } else if (message.method === 'workspace/configuration') {
    send({ id: message.id, result: message.params.items.map(() => settings) });
  } else if (message.id !== undefined && message.method) {
    send({ id: message.id, result: null });
  } else if (message.method === 'textDocument/publishDiagnostics' && waiting.has(message.params.uri)) {
    results[waiting.get(message.params.uri)] = message.params.diagnostics.map((d) => ({
      line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message,
    }));
    waiting.delete(message.params.uri);
    if (waiting.size === 0) {
      process.stdout.write(JSON.stringify(results));
      server.kill();
      process.exit(0);
    }
  }
}

server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const head = buffer.indexOf('\r\n\r\n');
    if (head < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())[1]);
    if (buffer.length < head + 4 + length) return;
    received(JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString('utf8')));
    buffer = buffer.subarray(head + 4 + length);
  }
});
send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } } });
setTimeout(() => { process.stderr.write(`no diagnostics for ${[...waiting.values()]}\n`); server.kill(); process.exit(2); }, 60000);
