#!/usr/bin/env node
// The external tools of test-support/external-tools.json (the list test-support/tools.ts checks), for .ci/run:
//   node scripts/external-tools.mjs --missing-packages   the Debian packages of the tools not installed, one a line
//   node scripts/external-tools.mjs --missing            the tools not installed (name and how to get it), one a line
// A tool is found as the tests find it: at its fixed `path` when it has one, else on PATH.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const { tools } = JSON.parse(readFileSync(new URL('../test-support/external-tools.json', import.meta.url), 'utf8'));

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const found = (tool) => (tool.path ? [tool.path] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, tool.name))).some(executable);
const missing = tools.filter((tool) => !found(tool));

const mode = process.argv[2];
if (mode === '--missing-packages') {
  for (const apt of new Set(missing.flatMap((tool) => (tool.apt ? [tool.apt] : [])))) console.log(apt);
} else if (mode === '--missing') {
  for (const tool of missing) console.log(`${tool.name}: ${tool.apt ? `apt-get install -y ${tool.apt}` : tool.install}`);
} else {
  console.error('usage: node scripts/external-tools.mjs --missing-packages | --missing');
  process.exit(2);
}
