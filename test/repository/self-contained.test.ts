import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

// A clone with nothing beside it must pass the tests: no file of the project may name the design
// folder that lived next to the repository, or reach above the repository root with a relative path.

const ROOT = path.resolve(import.meta.dirname, '../..');
const LEFT_OUT = [/^node_modules(\/|$)/, /^dist\//, /^package-lock\.json$/, /^data\//];
// Fixtures are other systems' text, kept as published: only the sibling-folder check reads them.
const FIXTURES = /^test\/fixtures\//;
// The sibling folder by relative path (any depth), or its contents by name from anywhere.
const SIBLING = /(?:\.\.\/)+shared\b|\bshared\/(?:fixtures|data|hooks|ARCHITECTURE\.md|DOMAIN\.md)\b/;
// The founding design documents, which stayed outside: the project's own are docs/*.md (lower case).
const DESIGN_DOCUMENT = /\b(?:ARCHITECTURE|DOMAIN)\.md\b/;
// A run of "../" that is not itself part of a longer path or a word.
const PARENT_RUN = /(?<![\w.\-/])(?:\.\.\/)+/g;

interface Finding {
  file: string;
  line: number;
  text: string;
  reason: string;
}

/** The project's files: tracked and new (not ignored) ones with git, the walked tree without it. */
function projectFiles(): string[] {
  let listed: string[];
  try {
    listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .split('\0')
      .filter(Boolean);
  } catch {
    listed = walk('');
  }
  return [...new Set(listed)]
    .filter((file) => !LEFT_OUT.some((pattern) => pattern.test(file)))
    .filter((file) => fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false })?.isFile())
    .sort();
}

function walk(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.name === '.git' || LEFT_OUT.some((pattern) => pattern.test(relative))) return [];
    return entry.isDirectory() ? walk(relative) : [relative];
  });
}

/** What in one file points outside the repository; `file` is relative to the root, with '/'. */
function outsideReferences(file: string, text: string): Finding[] {
  if (text.includes('\0')) return []; // binary
  const findings: Finding[] = [];
  const depth = file.split('/').length - 1;
  for (const [index, content] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    if (SIBLING.test(content)) {
      findings.push({ file, line, text: content.trim(), reason: 'names the folder beside the repository' });
    } else if (DESIGN_DOCUMENT.test(content)) {
      findings.push({ file, line, text: content.trim(), reason: 'names a design document not in the repository' });
    }
    if (FIXTURES.test(file)) continue;
    for (const match of content.matchAll(PARENT_RUN)) {
      const ups = match[0].length / 3;
      if (ups > depth) {
        findings.push({ file, line, text: content.trim(), reason: `goes ${ups} folders up from depth ${depth}` });
      }
    }
  }
  return findings;
}

describe('the repository stands on its own', () => {
  it('finds the files it reads', () => {
    const files = projectFiles();
    for (const expected of [
      'package.json',
      'README.md',
      'test/repository/self-contained.test.ts',
      'test/fixtures/twilio/twilio_api_v2010.json',
      'test/fixtures/data/holidays-id-2026.json',
      'docs/architecture.md',
      'docs/domain.md',
    ]) {
      expect(files).to.include(expected);
    }
  });

  it('has no file that refers to a folder outside the repository', () => {
    const findings = projectFiles().flatMap((file) =>
      outsideReferences(file, fs.readFileSync(path.join(ROOT, file), 'latin1')),
    );
    expect(
      findings.map((finding) => `${finding.file}:${finding.line} ${finding.reason}: ${finding.text}`),
    ).to.deep.equal([]);
  });

  it('ships the fixtures the tests read, each source with its licence and named in the README', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'test/fixtures/README.md'), 'utf8');
    const licences: [folder: string, licence: string][] = [
      ['email', 'LICENSE-sisimai-set-of-emails.txt'],
      ['email', 'LICENSE-mailparser.txt'],
      ['twilio', 'LICENSE-twilio-oai.txt'],
    ];
    for (const [folder, licence] of licences) {
      expect(fs.existsSync(path.join(ROOT, 'test/fixtures', folder, licence)), `${folder}/${licence}`).to.equal(true);
      expect(readme, licence).to.include(licence);
    }
    for (const source of ['sisimai/set-of-emails', 'nodemailer/mailparser', 'twilio/twilio-oai']) {
      expect(readme).to.include(source);
    }
  });

  describe('the check itself', () => {
    const sibling = ['..', 'shared'].join('/');

    it('catches the folder beside the repository, however it is reached', () => {
      expect(
        outsideReferences('test/support/x.ts', `const f = path.resolve(root, '${sibling}/fixtures/a.json');`),
      ).to.have.length(1);
      expect(outsideReferences('README.md', `The design is in \`${sibling}/${'ARCHITECTURE'}.md\`.`)).to.have.length(2);
      expect(outsideReferences('src/a.ts', `// as in /work/${'shared'}/data/holidays.json`)).to.have.length(1);
      expect(outsideReferences('test/fixtures/email/x.eml', `see ${sibling}/x`)).to.have.length(1);
      expect(outsideReferences('src/a.ts', `// the state machine of ${'ARCHITECTURE'}.md`)).to.have.length(1);
      expect(outsideReferences('src/a.ts', '// the state machine of docs/architecture.md')).to.deep.equal([]);
    });

    it('catches a relative path that climbs above the root, and lets one inside pass', () => {
      const climbing = `new URL('${'../'.repeat(3)}elsewhere/a.json', import.meta.url)`;
      expect(outsideReferences('test/support/x.ts', climbing)).to.have.length(1);
      expect(outsideReferences('README.md', 'see [it](../other-repo/README.md)')).to.have.length(1);
      expect(outsideReferences('test/support/x.ts', "import { a } from '../../src/a.js';")).to.deep.equal([]);
      expect(
        outsideReferences('test/calendar/x.ts', "new URL('../fixtures/data/h.json', import.meta.url)"),
      ).to.deep.equal([]);
      expect(outsideReferences('src/a.ts', 'a shared state, shared by every process')).to.deep.equal([]);
    });
  });
});
