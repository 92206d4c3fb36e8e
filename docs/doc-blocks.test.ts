// Every fenced block of the READMEs, CONTRIBUTING.md and docs/ is checked (test-support/doc-blocks.ts, the
// convention in CONTRIBUTING.md): TypeScript type-checked against the built packages, shell run with bash
// against the emulator in a sandbox HOME, JSON and YAML parsed.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '@ecr-auth/emulator';
import { allBlocks, blockKind, consoleCommands, exampleBlocks, stripJsonComments, type DocBlock } from '../test-support/doc-blocks.ts';
import { emulatorCredentials, startTestEmulator } from '../test-support/emulator.ts';
import { needTools, TOOL_NAMES, type ToolName, type ToolsCheck } from '../test-support/tools.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const blocks = allBlocks(root);
const scratch = mkdtempSync(join(tmpdir(), 'ecr-auth-doc-blocks-'));
/** One block's run: this long at most. */
const BLOCK_TIMEOUT_MS = 30_000;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const label = (block: DocBlock): string => `${block.file}:${block.line} ${block.info}`;
const kinds = new Map(blocks.map((block) => [block, blockKind(block)] as const));
const ofKind = (kind: string): DocBlock[] => blocks.filter((block) => { const k = kinds.get(block); return k !== undefined && 'kind' in k && k.kind === kind; });

describe('the docs hold code blocks the test understands', () => {
  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThan(20);
  });
  const wrong = blocks.flatMap((block) => { const k = kinds.get(block); return k && 'error' in k ? [k.error] : []; });
  it('every block has a known language, and every skip a reason', () => {
    if (wrong.length > 0) throw new Error(wrong.join('\n'));
  });
});

describe('JSON and YAML blocks parse', () => {
  for (const block of [...ofKind('json'), ...ofKind('jsonc'), ...ofKind('yaml')]) {
    it.skipIf(block.skipMarker !== undefined)(label(block), () => {
      if (block.language === 'json') expect(() => JSON.parse(block.code)).not.toThrow();
      else if (block.language === 'jsonc') expect(() => JSON.parse(stripJsonComments(block.code))).not.toThrow();
      else {
        const errors = parseAllDocuments(block.code).flatMap((document) => ('errors' in document ? document.errors.map((error) => error.message) : []));
        expect(errors).toEqual([]);
      }
    });
  }
});

/** A folder whose node_modules resolves `ecr-auth`, `@ecr-auth/*` (their built types) and the tree's other packages. */
function typeCheckFolder(): string {
  const dir = join(scratch, 'ts');
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const link = (name: string, target: string): void => {
    const path = join(modules, name);
    if (existsSync(path)) return;
    mkdirSync(join(path, '..'), { recursive: true });
    symlinkSync(target, path, 'dir');
  };
  for (const name of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { name: string };
    link(manifest.name, join(root, 'packages', name));
  }
  const trees = [join(root, 'node_modules'), ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'node_modules'))];
  for (const tree of trees.filter((path) => existsSync(path))) {
    for (const name of readdirSync(tree)) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) for (const inner of readdirSync(join(tree, name))) link(`${name}/${inner}`, join(tree, name, inner));
      else link(name, join(tree, name));
    }
  }
  return dir;
}

/** The packages' `@example` blocks that import what they use (the others are fragments of their doc). */
const examples = exampleBlocks(root);

describe('TypeScript blocks type-check against the built packages', () => {
  const checked = [...ofKind('typescript'), ...examples].filter((block) => block.skipMarker === undefined);
  const diagnostics = new Map<DocBlock, string[]>();
  beforeAll(() => {
    if (checked.length === 0) return;
    const dir = typeCheckFolder();
    const files = new Map<string, DocBlock>();
    checked.forEach((block, index) => {
      const file = join(dir, `block-${index}-${block.file.replace(/[^a-z0-9]+/gi, '-')}-${block.line}.ts`);
      // Every block is a module (top-level await, no shared globals), whether or not it imports anything.
      writeFileSync(file, `${block.code}export {};\n`);
      files.set(file, block);
      diagnostics.set(block, []);
    });
    const program = ts.createProgram([...files.keys()], {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [join(dir, 'node_modules', '@types')],
      skipLibCheck: true,
      noEmit: true,
    });
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const block = diagnostic.file ? files.get(resolve(diagnostic.file.fileName)) : undefined;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!block || !diagnostic.file || diagnostic.start === undefined) {
        for (const list of diagnostics.values()) list.push(`(program) ${message}`);
        continue;
      }
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      diagnostics.get(block)?.push(`${block.file}:${block.line + 1 + line}: TS${diagnostic.code}: ${message}`);
    }
  }, 120_000);
  for (const block of [...ofKind('typescript'), ...examples]) {
    const reason = block.skipMarker ? ` [not checked: ${block.skipReason ?? ''}]` : '';
    it.skipIf(block.skipMarker !== undefined)(`${label(block)}${reason}`, () => {
      const found = diagnostics.get(block) ?? [];
      if (found.length > 0) throw new Error(found.join('\n'));
    });
  }
});

/** Wrappers for the built executables, first on the blocks' PATH. */
function binFolder(): string {
  const dir = join(scratch, 'bin');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    for (const [command, target] of Object.entries(manifest.bin ?? {})) {
      const wrapper = join(dir, command);
      writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${join(root, 'packages', name, target)}' "$@"\n`);
      chmodSync(wrapper, 0o755);
    }
  }
  return dir;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, BLOCK_TIMEOUT_MS);
    child.on('error', fail);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      // Whatever the block left running in the background goes with it.
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // nothing left
      }
      done({ status, signal, output, timedOut });
    });
  });
}

function toolsCheck(block: DocBlock): ToolsCheck | Error {
  const unknown = block.needs.filter((name) => !(TOOL_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) return new Error(`${block.file}:${block.line}: needs ${unknown.join(', ')}, which test-support/external-tools.json does not list (add it there, or mark the block \`no-run: <reason>\`)`);
  try {
    return needTools(...(block.needs as ToolName[]));
  } catch (error) {
    return error as Error;
  }
}

describe('shell blocks run against the emulator', () => {
  let emulator: Emulator;
  let bin: string;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    bin = binFolder();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  const byFile = new Map<string, DocBlock[]>();
  for (const block of ofKind('shell')) byFile.set(block.file, [...(byFile.get(block.file) ?? []), block]);

  for (const [file, fileBlocks] of byFile) {
    // The blocks of one page run in order in one sandbox, as a reader would run them.
    describe(file, () => {
      let sandbox: string;
      let env: NodeJS.ProcessEnv;
      beforeAll(() => {
        sandbox = mkdtempSync(join(scratch, `${file.replace(/[^a-z0-9]+/gi, '-')}-`));
        const home = join(sandbox, 'home');
        for (const dir of ['home/.config', 'home/.cache', 'home/.local/share', 'run', 'tmp', 'work']) mkdirSync(join(sandbox, dir), { recursive: true, mode: 0o700 });
        const { accessKeyId, secretAccessKey } = emulatorCredentials(emulator);
        env = {
          PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
          HOME: home,
          USER: process.env['USER'] ?? 'root',
          LANG: 'C.UTF-8',
          TMPDIR: join(sandbox, 'tmp'),
          XDG_CONFIG_HOME: join(home, '.config'),
          XDG_CACHE_HOME: join(home, '.cache'),
          XDG_DATA_HOME: join(home, '.local/share'),
          XDG_RUNTIME_DIR: join(sandbox, 'run'),
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_ECR: emulator.url,
          AWS_ENDPOINT_URL_ECR_PUBLIC: emulator.url,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...(process.env['NODE_EXTRA_CA_CERTS'] ? { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] } : {}),
        };
      });

      for (const block of fileBlocks) {
        const tools = block.needs.length > 0 ? toolsCheck(block) : undefined;
        const title = tools && !(tools instanceof Error) ? tools.title(label(block)) : label(block);
        if (block.skipMarker) {
          it.skip(`${title} [not run: ${block.skipReason ?? ''}]`, () => {});
          continue;
        }
        it.skipIf(tools !== undefined && !(tools instanceof Error) && tools.skip)(title, async () => {
          if (tools instanceof Error) throw tools;
          const code = block.language === 'console' ? consoleCommands(block.code) : block.code;
          expect(code.trim(), `${label(block)}: a console block without \`$ \` commands`).not.toBe('');
          const run = await runBash(`set -euo pipefail\n${code}`, join(sandbox, 'work'), env);
          const why = run.timedOut ? `timed out after ${BLOCK_TIMEOUT_MS} ms` : `exit ${run.status ?? run.signal}`;
          expect(run.status, `${label(block)}: ${why}\n${code}\n--- output ---\n${run.output}`).toBe(0);
        }, BLOCK_TIMEOUT_MS + 5_000);
      }
    });
  }
});
