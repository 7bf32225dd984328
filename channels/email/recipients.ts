import { splitAddress } from './headers.js';

/**
 * Which recipients of a mail are the help desk's: the configured addresses, any address on a
 * configured `@domain`, and `reply+TOKEN@` on the domain of any configured address (the address
 * our outgoing mail asks citizens to answer to).
 */
export class OurAddresses {
  private readonly exact = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly replyDomains = new Set<string>();

  /** `replyDomains`: more domains of our reply+ addresses (that of EMAIL_FROM, which names them). */
  constructor(entries: readonly string[], replyDomains: readonly string[] = []) {
    for (const domain of replyDomains) this.replyDomains.add(domain.trim().toLowerCase());
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (entry.startsWith('@')) {
        this.domains.add(entry.slice(1));
        this.replyDomains.add(entry.slice(1));
      } else if (splitAddress(entry)) {
        this.exact.add(entry);
        this.replyDomains.add(splitAddress(entry)!.domain);
      }
    }
  }

  isOurs(address: string): boolean {
    const normalized = address.trim().toLowerCase();
    const parts = splitAddress(normalized);
    if (!parts) return false;
    return this.exact.has(normalized) || this.domains.has(parts.domain) || this.replyTokenOf(address) !== undefined;
  }

  /** The TOKEN of `reply+TOKEN@` one of our domains; the core verifies it, we only extract. */
  replyTokenOf(address: string): string | undefined {
    const parts = splitAddress(address);
    if (!parts || !this.replyDomains.has(parts.domain)) return undefined;
    const match = /^reply\+([^@\s]+)$/i.exec(parts.local);
    return match?.[1];
  }
}

/** The domain of a mailbox as settings write it (`Satu Pintu <helpdesk@example.go.id>`). */
export function domainOfMailbox(mailbox: string): string | undefined {
  return splitAddress(/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox)?.domain;
}
