#!/usr/bin/env node
// Offline Cypher linter built on Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support, function lintCypherQuery).
//
// Usage: node lint.mjs QUERIES.json
//   QUERIES.json: JSON array of {"name": str, "text": str}
//
// Prints one line per diagnostic:  name:line:col: severity: message
// (line and col are 1-based), then a summary line.
// Exit codes: 0 = no errors, 1 = at least one error, 2 = bad usage/input.
//
// Only diagnostics of severity Error fail the run; warnings (e.g. a label
// that is not in the schema below) are printed but do not fail.

import { readFileSync } from 'node:fs';

let lib;
try {
  lib = await import('@neo4j-cypher/language-support');
} catch (err) {
  console.error(
    'cypher-lint: cannot load @neo4j-cypher/language-support ' +
      `(${err.message}). Run \`make setup\` ` +
      '(npm ci --prefix tools/cypher-lint).',
  );
  process.exit(2);
}
const { lintCypherQuery, isNotParamError, parseStatementsStrs, testData } =
  lib;

// The graph model the app writes to Neo4j. The test passes the live model from
// app/graph/schema.py as a second argument; these defaults serve a bare run.
let LABELS = [
  'Region',
  'Municipality',
  'Programme',
  'Organisation',
  'WorkPackage',
  'Task',
  'Theme',
];
let RELATIONSHIP_TYPES = [
  'IN_REGION',
  'NEIGHBOURS',
  'PARTICIPATES_IN',
  'LEADS',
  'PARTNER_IN',
  'HAS_TASK',
  'ADDRESSES',
  'PART_OF',
  'MEMBER_OF',
  'SUCCEEDS',
  'FUNDED_BY',
  'USES_FRAMEWORK_OF',
  'COOPERATES_WITH',
  'MOBILISES_FUNDING_FROM',
  'IMPLEMENTS_PLANS_OF',
];
if (process.argv[3]) {
  try {
    const model = JSON.parse(readFileSync(process.argv[3], 'utf8'));
    LABELS = model.labels;
    RELATIONSHIP_TYPES = model.relationshipTypes;
  } catch (err) {
    console.error(`cypher-lint: cannot read the graph model ${process.argv[3]}: ${err.message}`);
    process.exit(2);
  }
}

// Neo4j 5 target. Function and procedure registries come from the package's
// bundled Neo4j catalogue (testData.mockSchema, a dump of a Neo4j instance
// with APOC), so unknown functions/procedures (e.g. Kuzu-only ones) and wrong
// call signatures are reported as errors, fully offline.
const catalogue = testData?.mockSchema ?? {};
const DB_SCHEMA = {
  labels: LABELS,
  relationshipTypes: RELATIONSHIP_TYPES,
  defaultLanguage: 'CYPHER 5',
  functions: catalogue.functions,
  procedures: catalogue.procedures,
};

// LSP DiagnosticSeverity values.
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function die(message) {
  console.error(`cypher-lint: ${message}`);
  console.error('usage: node lint.mjs QUERIES.json [MODEL.json]');
  process.exit(2);
}

function loadQueries(path) {
  let raw;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    die(`cannot read ${path}: ${err.code ?? err.message}`);
  }
  let data;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    die(`${path} is not valid JSON: ${err.message}`);
  }
  if (!Array.isArray(data)) {
    die(`${path} must contain a JSON array of {"name", "text"} objects`);
  }
  data.forEach((q, i) => {
    if (
      q === null ||
      typeof q !== 'object' ||
      Array.isArray(q) ||
      typeof q.name !== 'string' ||
      typeof q.text !== 'string'
    ) {
      die(
        `${path}: entry ${i} must be an object with string fields ` +
          '"name" and "text"',
      );
    }
  });
  return data;
}

function lintOne({ name, text }) {
  const found = [];
  const add = (severity, line, col, message) =>
    found.push({ name, severity, line, col, message });

  if (text.trim().length === 0) {
    add('error', 1, 1, 'query text is empty');
    return found;
  }

  // The driver sends one statement per run(); several would be rejected.
  const statements = parseStatementsStrs(text);
  if (statements.length > 1) {
    add(
      'error',
      1,
      1,
      `query text contains ${statements.length} statements; ` +
        'Neo4j accepts only one per run',
    );
  }

  const { diagnostics } = lintCypherQuery(text, DB_SCHEMA, {
    // The driver does not understand cypher-shell/Browser commands (:param).
    consoleCommandsEnabled: false,
  });
  for (const d of diagnostics) {
    // Parameters are bound at run time, so "Parameter $x is not defined."
    // is not a problem for application queries.
    if (!isNotParamError(d)) continue;
    add(
      SEVERITY[d.severity] ?? 'error',
      d.range.start.line + 1,
      d.range.start.character + 1,
      d.message.replace(/\s*\n\s*/g, ' '),
    );
  }
  return found;
}

const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2) die('expected QUERIES.json and optionally MODEL.json');
const queries = loadQueries(args[0]);

let errors = 0;
let warnings = 0;
for (const q of queries) {
  let diags;
  try {
    diags = lintOne(q);
  } catch (err) {
    diags = [
      {
        name: q.name,
        severity: 'error',
        line: 1,
        col: 1,
        message: `linter crashed: ${err.message}`,
      },
    ];
  }
  for (const d of diags) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    console.log(`${d.name}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
  }
}
console.log(
  `cypher-lint: ${queries.length} queries, ${errors} errors, ` +
    `${warnings} warnings`,
);
process.exitCode = errors > 0 ? 1 : 0;
