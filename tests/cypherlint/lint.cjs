#!/usr/bin/env node
// Lint Cypher with Neo4j's own language support, offline.
// stdin: a JSON list of {name, query}, or {"schema": DbSchema, "queries": [{name, query}, ...]}.
// stdout: a JSON list of {name, severity: "Error"|"Warning"|"Information"|"Hint", message, line, column}.
// Every $parameter a query uses is declared (parameters are supplied at run time, not by the linter).
'use strict';

const { lintCypherQuery } = require('@neo4j-cypher/language-support');

const SEVERITY = { 1: 'Error', 2: 'Warning', 3: 'Information', 4: 'Hint' };
const PARAM = /\$(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)/g;

function readStdin() {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => { data += chunk; });
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

async function main() {
  const input = JSON.parse(await readStdin());
  const queries = Array.isArray(input) ? input : input.queries;
  const schema = Array.isArray(input) ? {} : (input.schema || {});
  const out = [];
  for (const { name, query } of queries) {
    const parameters = {};
    for (const match of query.matchAll(PARAM)) {
      parameters[match[1].replace(/^`|`$/g, '')] = null;
    }
    const { diagnostics } = lintCypherQuery(query, { ...schema, parameters }, { consoleCommandsEnabled: false });
    for (const d of diagnostics) {
      out.push({
        name,
        severity: SEVERITY[d.severity] || String(d.severity),
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
      });
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + '\n');
  process.exit(2);
});
