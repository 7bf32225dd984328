import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AttachmentRef, InboundEnvelope } from '../../channels/adapter.js';
import {
  classifyAttachment,
  cleanFilename,
  cleanLabel,
  refusalInEnglish,
  type RefusalCode,
} from './attachment-policy.js';

/** An attachment as the email adapter returns it: the bytes ride in a non-enumerable `content`. */
type ParsedAttachment = AttachmentRef & { readonly content?: Buffer };

export interface AttachmentStoreOptions {
  /** DATA_DIR: files go under `<dataDir>/attachments/`. */
  dataDir: string;
  /** EMAIL_ATTACHMENT_MAX_BYTES. */
  maxBytes: number;
}

/**
 * Saves mail attachments under DATA_DIR, named by their sha256 (`attachments/ab/abcdef…`), so the
 * same file sent twice is stored once and a name can never escape the folder. Files are written
 * to a temporary name, flushed and renamed, so a crash leaves no half file under the real name.
 *
 * Only what the attachment policy accepts is kept (attachment-policy.ts: PDF, images, office
 * documents without macros, text; sniffed from the bytes), recorded with the sniffed content type
 * and a cleaned name. An attachment over EMAIL_ATTACHMENT_MAX_BYTES, or one the policy refuses, is
 * not stored and not listed as an attachment (no row would point at a file); the message text
 * ends with a note naming it and why, so the agent knows to ask the citizen for it another way.
 */
export class AttachmentStore {
  constructor(private readonly options: AttachmentStoreOptions) {}

  /** The envelopes with their attachments saved and `url` set, ready for the inbox. */
  async storeAll(envelopes: InboundEnvelope[]): Promise<InboundEnvelope[]> {
    const stored: InboundEnvelope[] = [];
    for (const envelope of envelopes) stored.push(await this.store(envelope));
    return stored;
  }

  private async store(envelope: InboundEnvelope): Promise<InboundEnvelope> {
    const kept: AttachmentRef[] = [];
    const notes: string[] = [];
    for (const attachment of envelope.attachments as ParsedAttachment[]) {
      const { content } = attachment;
      const ref: AttachmentRef = { ...attachment }; // the spread leaves the non-enumerable bytes behind
      if (!content) {
        notes.push(`[Lampiran tidak disimpan: ${describe(ref)}, isinya tidak terbaca]`);
        continue;
      }
      if (content.length > this.options.maxBytes) {
        notes.push(`[Lampiran tidak disimpan: ${describe(ref)}, melebihi batas ${megabytes(this.options.maxBytes)}]`);
        continue;
      }
      const verdict = await classifyAttachment({ filename: ref.filename, content });
      if (!verdict.accepted) {
        notes.push(`[Lampiran tidak disimpan: ${describe(ref)}, ${verdict.reason}]`);
        continue;
      }
      kept.push({
        ...ref,
        filename: verdict.displayName,
        contentType: verdict.contentType,
        url: await this.save(ref.sha256!, content),
      });
    }
    const text = notes.length === 0 ? envelope.text : [envelope.text, ...notes].filter(Boolean).join('\n\n');
    return { ...envelope, text, attachments: kept };
  }

  /**
   * One file an agent attaches to a reply: kept under the same rules as the citizens' (size, the
   * attachment policy), with the sniffed content type and the cleaned name, never the declared
   * ones. Returns the reference to record, or why it is refused.
   */
  async storeOutgoing(file: {
    filename: string;
    content: Buffer;
  }): Promise<AttachmentRef | { refused: string; reason: RefusalCode | 'too_large'; description: string }> {
    const name = cleanFilename(file.filename);
    if (file.content.length > this.options.maxBytes)
      return {
        refused: `${name} is larger than ${megabytes(this.options.maxBytes)}`,
        reason: 'too_large',
        description: `melebihi batas ${megabytes(this.options.maxBytes)}`,
      };
    const verdict = await classifyAttachment(file);
    if (!verdict.accepted)
      return {
        refused: `${verdict.name}: ${refusalInEnglish(verdict.code)}`,
        reason: verdict.code,
        description: verdict.reason,
      };
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    return {
      storage: 'local',
      url: await this.save(sha256, file.content),
      filename: verdict.displayName,
      contentType: verdict.contentType,
      sizeBytes: file.content.length,
      sha256,
    };
  }

  /**
   * A kept file opened for reading, with its size; undefined when the path is not one this store
   * gives (`attachments/ab/<sha256>`: nothing outside the folder can be named) or the file is gone.
   */
  async openStored(relative: string): Promise<{ file: FileHandle; size: number } | undefined> {
    if (!STORED_PATH.test(relative) || relative.slice(12, 14) !== relative.slice(15, 17)) return undefined;
    const file = await open(path.join(this.options.dataDir, relative), 'r').catch(() => undefined);
    if (!file) return undefined;
    const info = await file.stat().catch(() => undefined);
    if (!info?.isFile()) {
      await file.close();
      return undefined;
    }
    return { file, size: info.size };
  }

  /** Writes the file once per content; returns its path relative to DATA_DIR. */
  private async save(sha256: string, content: Buffer): Promise<string> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('An attachment digest is not a sha256');
    const relative = path.posix.join('attachments', sha256.slice(0, 2), sha256);
    const target = path.join(this.options.dataDir, relative);
    const existing = await stat(target).catch(() => undefined);
    if (existing?.size === content.length) return relative;

    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(content);
      await file.sync(); // on disk before the SMTP client hears 250
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, target); // concurrent writers of one digest write the same bytes
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return relative;
  }
}

/** The relative path `save` gives: the digest's first two hex digits, then the digest. */
const STORED_PATH = /^attachments\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

/** The file as the note names it: its declared name cleaned (no bidi tricks), or its declared type. */
const describe = (ref: AttachmentRef): string =>
  `${ref.filename ? cleanFilename(ref.filename) : cleanLabel(ref.contentType) || 'tanpa nama'} (${megabytes(ref.sizeBytes ?? 0)})`;
const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
