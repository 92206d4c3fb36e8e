// What the API reference promises for every package (docs/api-tags.test.ts): each exported function and
// class has an `@example`, and each property whose doc states a default (`by default`, `defaults to`,
// `Default: 100`, `when omitted`) says it in a `@defaultValue` tag too, which TypeDoc shows in its own row.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Prose that states a default. */
export const STATES_DEFAULT = /\bby default\b|\bdefaults? (?:to|is)\b|\bdefault(?::|\s+[\d`'"{(]|\s+none\b)|\bdefault (?:a|an|the)\b|\bwhen (?:omitted|unset|not given)\b/i;

/** One thing the reference lacks. */
export interface MissingTag {
  /** `package: name` or `package: Interface.property`. */
  where: string;
  /** The file and line of the declaration. */
  at: string;
  /** What is missing. */
  missing: '@example' | '@defaultValue';
}

function hasTag(node: ts.Node, tag: string): boolean {
  return ts.getJSDocTags(node).some((entry) => entry.tagName.text === tag);
}

function docText(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join('\n');
}

function position(node: ts.Node, root: string): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${file.fileName.slice(root.length + 1)}:${line + 1}`;
}

/**
 * Lists the exported functions and classes without `@example`, and the properties of exported interfaces and
 * type literals whose doc states a default without `@defaultValue`, in every package's `src/index.ts`.
 *
 * @param root - the repository root.
 */
export function missingTags(root: string): MissingTag[] {
  const names = readdirSync(join(root, 'packages')).sort();
  const entries = names.map((name) => join(root, 'packages', name, 'src', 'index.ts'));
  const program = ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['ecr-auth-source'],
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const found: MissingTag[] = [];
  const seen = new Set<ts.Node>();
  const checkProperties = (pkg: string, owner: string, members: ts.NodeArray<ts.Node>): void => {
    for (const member of members) {
      if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
      if (seen.has(member)) continue;
      seen.add(member);
      if (STATES_DEFAULT.test(docText(member)) && !hasTag(member, 'defaultValue')) {
        found.push({ where: `${pkg}: ${owner}.${member.name.getText()}`, at: position(member, root), missing: '@defaultValue' });
      }
      if (member.type && ts.isTypeLiteralNode(member.type)) checkProperties(pkg, `${owner}.${member.name.getText()}`, member.type.members);
    }
  };
  names.forEach((pkg, index) => {
    const source = program.getSourceFile(entries[index] ?? '');
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) return;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = (symbol.declarations ?? []).filter((node) => !node.getSourceFile().fileName.includes('/node_modules/'));
      // A re-export of another package's symbol is checked in that package.
      if (declarations.some((node) => !node.getSourceFile().fileName.startsWith(join(root, 'packages', pkg, 'src')))) continue;
      const name = exported.getName();
      const callable = declarations.filter((node) => ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || (ts.isVariableDeclaration(node) && node.initializer !== undefined && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))));
      if (callable.length > 0) {
        const tagged = callable.some((node) => hasTag(ts.isVariableDeclaration(node) ? node.parent.parent : node, 'example'));
        if (!tagged && callable[0]) found.push({ where: `${pkg}: ${name}`, at: position(callable[0], root), missing: '@example' });
      }
      for (const node of declarations) {
        if (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) checkProperties(pkg, name, node.members);
        else if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)) checkProperties(pkg, name, node.type.members);
      }
    }
  });
  return found;
}
