import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds personal data left unmasked in log text (UU 27/2022; src/privacy-mask.ts masks it):
 * Indonesian phone numbers (+62 8…, 62 8…, 08…, with or without separators), email addresses and
 * 16-digit NIKs. Masked forms are not findings: a masked phone keeps stars in its middle
 * (+6281*****890), a masked email its first letter and stars (b***@example.go.id), a masked NIK
 * its first four digits and stars (3174************).
 */
const PATTERNS: Array<{ kind: string; pattern: RegExp }> = [
  // A mobile number: 8 and 8 to 11 more digits after +62, 62 or 0, spaces or dashes between. Not
  // inside a longer word or number (SIDs, timestamps, SP-081-234-567), not next to a mask's stars.
  { kind: 'phone', pattern: /(?<![\w*+-])(?:\+62|62|0)8(?:[ -]?\d){8,11}(?![\w*])/g },
  { kind: 'email', pattern: /(?<![\w.%+*-])[\w.%+-]{2,}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi },
  { kind: 'NIK', pattern: /(?<![\w*])\d{16}(?![\w*])/g },
];

export interface Finding {
  kind: string;
  found: string;
  file?: string;
  line?: number;
  text: string;
}

/** The unmasked phones, emails and NIKs in a text, with the line each is on. */
export function findUnmaskedPersonalData(text: string, file?: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { kind, pattern } of PATTERNS) {
      for (const match of line.matchAll(pattern))
        findings.push({ kind, found: match[0], file, line: index + 1, text: line.slice(0, 300) });
    }
  });
  return findings;
}

/** Every finding in the log files of a directory. */
export function scanLogDirectory(directory: string): { files: number; lines: number; findings: Finding[] } {
  if (!fs.existsSync(directory)) return { files: 0, lines: 0, findings: [] };
  let lines = 0;
  const names = fs.readdirSync(directory).filter((name) => name.endsWith('.log'));
  const findings = names.flatMap((name) => {
    const text = fs.readFileSync(path.join(directory, name), 'utf8');
    lines += text.split('\n').length - 1;
    return findUnmaskedPersonalData(text, name);
  });
  return { files: names.length, lines, findings };
}

/** Findings as a failure message: where, what, and the line. */
export const describeFindings = (findings: Finding[]): string =>
  findings
    .slice(0, 20)
    .map((finding) => `${finding.file ?? ''}:${finding.line ?? ''} ${finding.kind} ${finding.found}: ${finding.text}`)
    .join('\n');
