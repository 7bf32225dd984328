/**
 * Raw mail headers as the loop and bounce checks need them: every value of a name, unfolded, in
 * the order they appear (the topmost first: the one our listener or the last MTA added). mailparser
 * decodes the headers it knows into objects of different shapes; these checks want the text.
 */
export interface HeaderBag {
  /** All values of a header (case-insensitive name), topmost first; [] when absent. */
  all(name: string): string[];
  /** The topmost value, if any. */
  first(name: string): string | undefined;
  has(name: string): boolean;
}

export function headerBag(lines: ReadonlyArray<{ key: string; line: string }>): HeaderBag {
  const values = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = unfold(colon >= 0 ? line.slice(colon + 1) : '');
    const name = key.toLowerCase();
    // Appended in place: copying the list for each value was quadratic in a mail of 100,000 Received lines.
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return {
    all: (name) => values.get(name.toLowerCase()) ?? [],
    first: (name) => values.get(name.toLowerCase())?.[0],
    has: (name) => values.has(name.toLowerCase()),
  };
}

/**
 * The header section of an embedded message (a bounce's returned message or its
 * text/rfc822-headers part), up to the first blank line.
 */
export function parseHeaderBlock(text: string): HeaderBag {
  const end = text.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? text.slice(0, end) : text).replace(/^\s+/, '');
  const lines: Array<{ key: string; line: string }> = [];
  for (const physical of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(physical) && lines.length > 0) {
      lines[lines.length - 1]!.line += `\n${physical}`;
    } else {
      const match = /^([!-9;-~]+)[ \t]*:/.exec(physical);
      if (match) lines.push({ key: match[1]!, line: physical });
    }
  }
  return headerBag(lines);
}

const unfold = (value: string): string => value.replace(/\r?\n[ \t]+/g, ' ').trim();

/** Message ids in a header value (Message-ID, In-Reply-To, References), without angle brackets. */
export function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!);
  if (bracketed.length > 0) return bracketed;
  // Some clients write ids without brackets.
  return value.split(/[\s,]+/).filter((token) => token.includes('@'));
}

/** The local part (case kept: RFC 5321 leaves it to the receiver) and lower-cased domain of an address. */
export function splitAddress(address: string | undefined): { local: string; domain: string } | undefined {
  const match = /^\s*<?([^<>@\s]+)@([^<>@\s]+?)>?\s*$/.exec(address ?? '');
  return match ? { local: match[1]!, domain: match[2]!.toLowerCase() } : undefined;
}
