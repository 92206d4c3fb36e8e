#!/usr/bin/env node
// Prints one closing line per Vitest JSON report (`<name>: N passed, N failed, N skipped`), for CI logs.
// Exits non-zero when a report is missing or counts a failure.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

let ok = true;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`${basename(file, '.json')}: no report (${error.code ?? error.message})`);
    ok = false;
    continue;
  }
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${basename(file, '.json')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
  if (report.numFailedTests > 0 || report.numTotalTests === 0 || !report.success) ok = false;
}
process.exit(ok ? 0 : 1);
