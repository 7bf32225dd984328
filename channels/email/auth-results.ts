import type { HeaderBag } from './headers.js';

/**
 * Whether the receiving MTA we trust says the From domain is authentic: an
 * `Authentication-Results` header (RFC 8601) whose authserv-id is one of `trustedIds` reports
 * `dmarc=pass` for `header.from=<domain>`, or `spf=pass` for an `smtp.mailfrom` of that same domain
 * (SPF aligned with From, as DMARC counts it). Headers of any other authserv-id are ignored: anyone
 * can write one. Our MTA must remove such headers naming its own id from incoming mail (README).
 *
 * One pass over each header's characters: no backtracking, whatever the header holds.
 */
export function fromDomainAuthenticated(headers: HeaderBag, fromDomain: string, trustedIds: string[]): boolean {
  if (trustedIds.length === 0) return false;
  const domain = fromDomain.toLowerCase();
  const trusted = new Set(trustedIds.map((id) => id.toLowerCase()));
  for (const value of headers.all('authentication-results')) {
    const [authservId, ...results] = withoutComments(value).split(';');
    if (!trusted.has((authservId ?? '').trim().split(/\s+/)[0]!.toLowerCase())) continue;
    for (const result of results) {
      const pairs = result.trim().toLowerCase().split(/\s+/);
      const [method, outcome] = (pairs[0] ?? '').split('=');
      if (outcome !== 'pass') continue;
      const property = (name: string) =>
        pairs
          .find((pair) => pair.startsWith(`${name}=`))
          ?.slice(name.length + 1)
          .replace(/^"|"$/g, '');
      if (method === 'dmarc' && property('header.from') === domain) return true;
      if (method === 'spf') {
        const mailFrom = property('smtp.mailfrom');
        if (mailFrom && mailFrom.slice(mailFrom.lastIndexOf('@') + 1) === domain) return true;
      }
    }
  }
  return false;
}

/** The header without its (possibly nested) comments and quoted-pair escapes inside them. */
function withoutComments(value: string): string {
  let depth = 0;
  let out = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    if (depth > 0 && char === '\\') {
      index += 1;
      continue;
    }
    if (char === '(') depth += 1;
    else if (char === ')' && depth > 0) depth -= 1;
    else if (depth === 0) out += char;
  }
  return out;
}
