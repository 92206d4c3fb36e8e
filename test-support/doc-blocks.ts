// The fenced code blocks of the documentation, for docs/doc-blocks.test.ts: which files hold them, how each
// block's info string reads, and what the test does with it (CONTRIBUTING.md, "Code blocks in the docs").
//
//   ```ts                         type-checked against the built packages (one program for every block)
//   ```ts no-check: <reason>      not type-checked (say why)
//   ```sh / bash / shell          run with bash against the emulator, in a sandbox HOME
//   ```console                    the same, for its `$ ` lines (the other lines are output)
//   ```sh needs: docker kubectl   run when these tools are installed, skipped naming them otherwise
//   ```sh no-run: <reason>        not run (say why)
//   ```json / jsonc / yaml        parsed (jsonc: comments stripped first)
//   ```text, ini, toml, ...       data: not checked (DATA_LANGUAGES)
//
// Any other language, or a block with none, fails the test, so that a typo (```tsx) never skips silently.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Languages type-checked as TypeScript. */
export const TS_LANGUAGES = ['ts', 'typescript'] as const;
/** Languages run with bash (`console`: only the lines that start with `$ `). */
export const SHELL_LANGUAGES = ['sh', 'bash', 'shell', 'console'] as const;
/** Languages parsed: JSON, JSON with comments, YAML. */
export const PARSED_LANGUAGES = ['json', 'jsonc', 'yaml', 'yml'] as const;
/**
 * The one list of languages shown but not checked: configuration formats and file contents the test has
 * no parser for. Add a language here only when it cannot be run, type-checked or parsed; and to typedoc.json's
 * `highlightLanguages` (or `ignoredHighlightLanguages`, when Shiki has no grammar for it).
 */
export const DATA_LANGUAGES = ['text', 'ini', 'toml', 'dockerfile', 'systemd', 'groovy', 'hcl', 'xml', 'diff', 'http', 'properties', 'dotenv', 'env', 'conf', 'crontab', 'promql', 'markdown'] as const;

/** Generated pages (tables written by scripts): not hand-written, not checked. */
export const GENERATED_PAGES = ['docs/benchmarks.md', 'docs/benchmarks-node24.md', 'docs/quality.md'];

/** One fenced block. */
export interface DocBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  /** The whole info string after the fence. */
  info: string;
  /** The language (the info string's first word, lower case), `''` when none. */
  language: string;
  /** `no-run: <reason>` / `no-check: <reason>`: the reason (`''` when the marker has none). */
  skipReason?: string;
  /** Which marker skips it: `no-run` or `no-check`. */
  skipMarker?: 'no-run' | 'no-check';
  /** `needs: a b`: the tools it runs. */
  needs: string[];
  /** The block's text (the fence's indentation removed), ending with a newline. */
  code: string;
}

/** The Markdown files whose blocks are checked: the READMEs, CONTRIBUTING.md and docs/ (generated pages left out). */
export function docFiles(root: string): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'].filter((file) => exists(join(root, file)));
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    if (exists(join(root, 'packages', name, 'README.md'))) files.push(`packages/${name}/README.md`);
  }
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = `${dir}/${name}`;
      if (path === 'docs/api') continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md') && !GENERATED_PAGES.includes(path)) files.push(path);
    }
  };
  walk('docs');
  return files;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The fenced blocks of one Markdown text (backtick or tilde fences, at any indentation).
 *
 * @param text - the Markdown.
 * @param file - its path, for the blocks' `file`.
 */
export function extractBlocks(text: string, file: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', rawInfo = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const line = lines[end] ?? '';
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]?.[0] === fence[0] && (close[1]?.length ?? 0) >= fence.length) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    blocks.push({ file, line: index + 1, ...parseInfo(rawInfo.trim()), code: body.length > 0 ? `${body.join('\n')}\n` : '' });
    index = end;
  }
  return blocks;
}

/**
 * Reads an info string: `sh no-run: needs AWS`, `ts no-check: a fragment`, `sh needs: docker, kubectl`.
 *
 * @param info - the text after the fence.
 */
export function parseInfo(info: string): Pick<DocBlock, 'info' | 'language' | 'skipReason' | 'skipMarker' | 'needs'> {
  const language = (/^[^\s{]*/.exec(info)?.[0] ?? '').toLowerCase();
  const rest = info.slice(language.length).trim();
  const skip = /^(no-run|no-check)\b:?\s*(.*)$/.exec(rest);
  const needs = /^needs:\s*(.*)$/.exec(rest);
  return {
    info,
    language,
    ...(skip ? { skipMarker: skip[1] as 'no-run' | 'no-check', skipReason: (skip[2] ?? '').trim() } : {}),
    needs: needs ? (needs[1] ?? '').split(/[\s,]+/).filter(Boolean) : [],
  };
}

/** What the test does with a block. */
export type BlockKind = 'typescript' | 'shell' | 'json' | 'jsonc' | 'yaml' | 'data';

/**
 * What the test does with a block, or why the block is wrong (an unknown language, a skip marker without a
 * reason or on the wrong kind of block).
 *
 * @param block - the block.
 */
export function blockKind(block: DocBlock): { kind: BlockKind } | { error: string } {
  const { language } = block;
  const where = `${block.file}:${block.line}`;
  let kind: BlockKind;
  if ((TS_LANGUAGES as readonly string[]).includes(language)) kind = 'typescript';
  else if ((SHELL_LANGUAGES as readonly string[]).includes(language)) kind = 'shell';
  else if (language === 'json') kind = 'json';
  else if (language === 'jsonc') kind = 'jsonc';
  else if (language === 'yaml' || language === 'yml') kind = 'yaml';
  else if ((DATA_LANGUAGES as readonly string[]).includes(language)) kind = 'data';
  else if (language === '') return { error: `${where}: a code block without a language; name one (\`text\` for plain output)` };
  else return { error: `${where}: unknown language \`${language}\`; use one of ${[...TS_LANGUAGES, ...SHELL_LANGUAGES, ...PARSED_LANGUAGES].join(', ')} or add it to DATA_LANGUAGES in test-support/doc-blocks.ts` };
  const rest = block.info.slice(language.length).trim();
  if (rest !== '' && block.skipMarker === undefined && block.needs.length === 0) {
    return { error: `${where}: info string \`${block.info}\` not understood; after the language: \`no-run: <reason>\`, \`no-check: <reason>\` or \`needs: <tools>\`` };
  }
  if (block.skipMarker !== undefined) {
    if (!block.skipReason) return { error: `${where}: \`${block.skipMarker}\` needs a reason: \`${language} ${block.skipMarker}: <why>\`` };
    if (block.skipMarker === 'no-run' && kind !== 'shell') return { error: `${where}: \`no-run\` is for shell blocks; a ${language} block takes \`no-check: <reason>\`` };
    if (block.skipMarker === 'no-check' && kind === 'shell') return { error: `${where}: a shell block takes \`no-run: <reason>\`, not \`no-check\`` };
    if (kind === 'data') return { error: `${where}: a ${language} block is not checked anyway; drop \`${block.skipMarker}\`` };
  }
  if (block.needs.length > 0 && kind !== 'shell') return { error: `${where}: \`needs:\` is for shell blocks` };
  return { kind };
}

/**
 * The commands of a `console` block: its `$ ` lines (and their `\` continuations), without the prompt.
 *
 * @param code - the block's text.
 */
export function consoleCommands(code: string): string {
  const commands: string[] = [];
  let continuing = false;
  for (const line of code.split('\n')) {
    if (continuing) commands.push(line);
    else if (line.startsWith('$ ')) commands.push(line.slice(2));
    else continue;
    continuing = line.endsWith('\\');
  }
  return commands.length > 0 ? `${commands.join('\n')}\n` : '';
}

/**
 * Strips `//` and `/* *\/` comments and trailing commas from JSON with comments, outside strings.
 *
 * @param text - JSONC.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      const end = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(index))?.[0] ?? char;
      out += end;
      index += end.length - 1;
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index++;
      out += '\n';
    } else if (char === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      index = close === -1 ? text.length : close + 1;
    } else out += char;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** Every block of every checked file under `root`. */
export function allBlocks(root: string): DocBlock[] {
  return docFiles(root).flatMap((file) => extractBlocks(readFileSync(join(root, file), 'utf8'), relative(root, join(root, file))));
}

/**
 * The TypeScript `@example` blocks of the packages' TSDoc (`packages/<name>/src`, tests left out) that import
 * what they use: type-checked with the docs' blocks. An example without an import is a fragment of the
 * surrounding doc and is not checked.
 *
 * @param root - the repository root.
 */
export function exampleBlocks(root: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) {
        const lines = readFileSync(join(root, path), 'utf8').split('\n');
        // A doc comment's lines without their ` * ` prefix (other lines blank, so that line numbers hold).
        const text = lines.map((line) => /^\s*\* ?(.*)$/.exec(line)?.[1] ?? '').join('\n');
        for (const block of extractBlocks(text, path)) {
          if (!(TS_LANGUAGES as readonly string[]).includes(block.language) || !/^import /m.test(block.code)) continue;
          if (!/@example\s*$/.test(lines.slice(Math.max(0, block.line - 4), block.line - 1).join('\n'))) continue;
          blocks.push(block);
        }
      }
    }
  };
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    if (exists(join(root, 'packages', name, 'src'))) walk(`packages/${name}/src`);
  }
  return blocks;
}
