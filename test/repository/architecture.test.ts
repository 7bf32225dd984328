import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { type KnownArrow, knownFolderCycleArrows, knownForbiddenImports } from './architecture-known-violations.js';

// The design's arrows, checked on the imports themselves (issue 13): adapters know no core, the
// core knows no HTTP, tickets know neither SLA nor routing, and no folder cycle is added. The code
// breaks these rules today, so the test is a ratchet: today's breaches are listed in
// architecture-known-violations.ts; an arrow not on the list fails, and so does a listed arrow the
// code no longer has, so the list only shrinks.

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['src', 'channels'];
// The files that wire the HTTP layer into the process: the only core files allowed to import src/http.
const HTTP_WIRING = new Set(['src/main.ts', 'src/runtime.ts', 'src/app.ts']);
// The HTTP edge: the API, the webhooks and the citizens' web door (src/http/web, its pages and public API).
const HTTP_EDGES = ['src/http/'];
// The HTTP framework, which only the HTTP edges and the wiring may import: an arrow to it is one to HTTP.
const HTTP_PACKAGES = new Set(['express']);

/** Every .ts file under src/ and channels/, relative to the root with '/'. */
function scannedFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (/\.(?:ts|mts|cts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(relative);
    }
  };
  for (const folder of SCANNED) walk(folder);
  return files.sort();
}

// Static imports and re-exports start at column 0 (Biome formats them so), may span lines and may
// be `import type`; `[^;'"`]*?` stops at the first statement end or string, so each match is short.
const FROM_CLAUSE = /^(?:import|export)\s[^;'"`]*?\bfrom\s*['"]([^'"\n]+)['"]/gm;
const SIDE_EFFECT_IMPORT = /^import\s*['"]([^'"\n]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** The module specifiers one file imports: static, type-only, re-exports and literal dynamic imports. */
function importSpecifiers(text: string): string[] {
  const specifiers: string[] = [];
  for (const pattern of [FROM_CLAUSE, SIDE_EFFECT_IMPORT, DYNAMIC_IMPORT]) {
    for (const match of text.matchAll(pattern)) specifiers.push(match[1]!);
  }
  return specifiers;
}

/** The project file a relative specifier names ('./x.js' is ./x.ts on disk); undefined for packages. */
function resolveSpecifier(importer: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier));
  // './x.js' is x.ts or, for a component with JSX, x.tsx.
  const candidates = [
    target,
    target.replace(/\.(m|c)?js$/, '.$1ts'),
    target.replace(/\.js$/, '.tsx'),
    `${target}.ts`,
    `${target}/index.ts`,
  ];
  const found = candidates.find((candidate) =>
    fs.statSync(path.join(ROOT, candidate), { throwIfNoEntry: false })?.isFile(),
  );
  // A specifier that resolves to nothing is a scanner or resolution gap: fail loudly, never skip it.
  if (!found) throw new Error(`${importer}: cannot resolve '${specifier}'`);
  return found;
}

interface Arrow {
  from: string;
  to: string;
}

/** Imports between project files, and imports of the HTTP framework (to: the package's name). */
function projectImports(): { arrows: Arrow[]; httpPackageArrows: Arrow[] } {
  const arrows: Arrow[] = [];
  const httpPackageArrows: Arrow[] = [];
  for (const file of scannedFiles()) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const specifier of importSpecifiers(text)) {
      const packageName = specifier.split('/')[0]!;
      if (HTTP_PACKAGES.has(packageName)) httpPackageArrows.push({ from: file, to: packageName });
      const to = resolveSpecifier(file, specifier);
      if (to && to !== file) arrows.push({ from: file, to });
    }
  }
  return { arrows, httpPackageArrows };
}

/**
 * The part of the design a file belongs to: src/<folder> or channels/<folder>; a file directly in
 * src/ (errors.ts, config.ts, main.ts...) is its own part, and channels/adapter.ts and registry.ts
 * are the part "channels".
 */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 2) return parts[0] === 'src' ? file : parts[0]!;
  return `${parts[0]}/${parts[1]}`;
}

/** The rule of the design an import breaks, or undefined. */
function forbiddenBy(arrow: Arrow): string | undefined {
  const { from, to } = arrow;
  if (from.startsWith('channels/') && to.startsWith('src/')) return 'channels/ -> src/: adapters know no core';
  if (from.startsWith('channels/') && HTTP_PACKAGES.has(to))
    return 'channels/ -> express: no express types cross the contract';
  const core = from.startsWith('src/') && !HTTP_EDGES.some((edge) => from.startsWith(edge)) && !HTTP_WIRING.has(from);
  if (core && HTTP_EDGES.some((edge) => to.startsWith(edge))) return 'core -> src/http: the core knows no HTTP';
  if (core && HTTP_PACKAGES.has(to)) return 'core -> express: the core knows no HTTP';
  if (from.startsWith('src/tickets/') && (to.startsWith('src/sla/') || to.startsWith('src/routing/'))) {
    return 'src/tickets -> src/sla | src/routing: they follow ticket events';
  }
  return undefined;
}

/** Folder arrows that lie on a cycle: both ends in one strongly connected component (Tarjan). */
function cyclicFolderArrows(arrows: Arrow[]): Arrow[] {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of arrows) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    if (!edges.has(b)) edges.set(b, new Set());
    edges.get(a)!.add(b);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  let components = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.set(member, components);
      } while (member !== node);
      components += 1;
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  const cyclic: Arrow[] = [];
  for (const [from, targets] of edges) {
    for (const to of targets) if (component.get(from) === component.get(to)) cyclic.push({ from, to });
  }
  return cyclic.sort((a, b) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`));
}

const key = (arrow: Arrow) => `${arrow.from} -> ${arrow.to}`;

/** What the code has that the list does not (new breaches), and what the list has that the code no longer does. */
function ratchet(found: Arrow[], known: readonly KnownArrow[]): { added: string[]; stale: string[] } {
  const foundKeys = new Set(found.map(key));
  const knownKeys = new Set(known.map(key));
  return {
    added: [...foundKeys].filter((entry) => !knownKeys.has(entry)).sort(),
    stale: [...knownKeys].filter((entry) => !foundKeys.has(entry)).sort(),
  };
}

describe('architecture: the arrows between folders', () => {
  const { arrows, httpPackageArrows } = projectImports();
  const forbidden = [...arrows, ...httpPackageArrows].filter((arrow) => forbiddenBy(arrow) !== undefined);
  const cyclic = cyclicFolderArrows(arrows);

  after(() => {
    const mutualPairs = cyclic.filter(
      (arrow) => arrow.from < arrow.to && cyclic.some((back) => back.from === arrow.to && back.to === arrow.from),
    );
    console.log(
      `      architecture: ${arrows.length} imports in ${scannedFiles().length} files; ` +
        `${forbidden.length} forbidden imports (${knownForbiddenImports.length} listed), ` +
        `${cyclic.length} folder arrows on cycles (${knownFolderCycleArrows.length} listed), ` +
        `${mutualPairs.length} folder pairs importing each other`,
    );
  });

  it('reads every kind of import: type-only, re-exports, side effects, multi-line, dynamic', () => {
    const sample = [
      "import type { A } from './a.js';",
      "import { b,\n  c } from '../b.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "import './f.js';",
      "export type { G } from './g.js';",
      "const h = await import('./h.js');",
      "  // import x from './not-a-statement.js' is prose",
      "export const i = 'not-an-import.js';",
    ].join('\n');
    expect(importSpecifiers(sample).sort()).to.deep.equal(
      ['./a.js', '../b.js', './d.js', './e.js', './f.js', './g.js', './h.js'].sort(),
    );
  });

  it('finds the imports of the project (the scanner is not blind)', () => {
    // channels/adapter.ts re-exports the adapters' error classes: a re-export the scanner must see.
    expect(arrows).to.deep.include({ from: 'channels/adapter.ts', to: 'channels/provider-errors.ts' });
    expect(arrows.length).to.be.greaterThan(500);
    expect(httpPackageArrows).to.deep.include({ from: 'src/app.ts', to: 'express' });
  });

  it('adds no forbidden import (channels -> src, core -> src/http or express, tickets -> sla | routing)', () => {
    const { added } = ratchet(forbidden, knownForbiddenImports);
    const explained = added.map((entry) => {
      const [from, to] = entry.split(' -> ') as [string, string];
      return `${entry}  (${forbiddenBy({ from, to })})`;
    });
    expect(explained, 'new forbidden imports (fix the import; the list only shrinks)').to.deep.equal([]);
  });

  it('lists no forbidden import the code no longer has (remove it from the list)', () => {
    const { stale } = ratchet(forbidden, knownForbiddenImports);
    expect(stale, 'stale entries in architecture-known-violations.ts').to.deep.equal([]);
  });

  it('adds no cycle between folders', () => {
    const { added } = ratchet(cyclic, knownFolderCycleArrows);
    const explained = added.map((entry) => {
      const [from, to] = entry.split(' -> ') as [string, string];
      const files = arrows.filter((arrow) => folderOf(arrow.from) === from && folderOf(arrow.to) === to);
      return `${entry}  (e.g. ${key(files[0]!)})`;
    });
    expect(explained, 'new folder arrows on a cycle').to.deep.equal([]);
  });

  it('lists no folder cycle the code no longer has (remove it from the list)', () => {
    const { stale } = ratchet(cyclic, knownFolderCycleArrows);
    expect(stale, 'stale cycle entries in architecture-known-violations.ts').to.deep.equal([]);
  });

  it('gives every listed entry a reason and lists it once', () => {
    for (const list of [knownForbiddenImports, knownFolderCycleArrows]) {
      expect(new Set(list.map(key)).size).to.equal(list.length);
      for (const entry of list) expect(entry.reason, key(entry)).to.match(/\S/);
    }
  });
});
