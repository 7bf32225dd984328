import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AttachmentRef, AttachmentSink, InboundEnvelope } from '../../channels/adapter.js';
import {
  classifyAttachment,
  cleanFilename,
  cleanLabel,
  refusalInEnglish,
  type RefusalCode,
} from './attachment-policy.js';

/**
 * An attachment as the email adapter returns it: its bytes ride in a non-enumerable `content`, or
 * were handed to this store's sink as they were parsed (`saved`: the file `incoming` wrote).
 */
type ParsedAttachment = AttachmentRef & { readonly content?: Buffer; readonly saved?: unknown };

/** One attachment as the sink wrote it: a temporary file, unless it was larger than the store takes. */
interface IncomingFile {
  path?: string;
  /** Moved to its place under its digest (storeAll): not for `discard` to remove. */
  kept?: boolean;
}

/** The attachments of one mail on their way in: see AttachmentStore.incoming. */
export interface IncomingAttachments {
  /** For the adapter's parseRaw. */
  sink: AttachmentSink;
  /** Whether writing an attachment failed (a disk problem: worth a retry, unlike a parse failure). */
  readonly failed: boolean;
  /** Removes the files storeAll did not keep (always call it, once the mail is recorded or not). */
  discard(): Promise<void>;
}

/** Where the sink writes: beside the kept files (one file system, so a rename keeps them). */
const INCOMING = path.join('attachments', 'incoming');

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

  /** EMAIL_ATTACHMENT_MAX_BYTES: the largest file kept (and read back whole to be sniffed). */
  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** The envelopes with their attachments saved and `url` set, ready for the inbox. */
  async storeAll(envelopes: InboundEnvelope[]): Promise<InboundEnvelope[]> {
    const stored: InboundEnvelope[] = [];
    for (const envelope of envelopes) stored.push(await this.store(envelope));
    return stored;
  }

  /**
   * The attachments of one mail, written as the adapter parses them: each to a temporary file under
   * `DATA_DIR/attachments/incoming/` (never served: not a digest path), at most EMAIL_ATTACHMENT_MAX_BYTES
   * of it (a larger one is read to its end and let go: its note needs only its size). Past
   * `maxAttachments` nothing more is written (the mail is refused whole). storeAll then judges each
   * file and moves the kept ones to their place; `discard` removes the rest.
   */
  incoming(limits: { maxAttachments: number }): IncomingAttachments {
    const files: IncomingFile[] = [];
    const directory = path.join(this.options.dataDir, INCOMING);
    const maxBytes = this.options.maxBytes;
    const state = { failed: false, count: 0 };
    const sink: AttachmentSink = async ({ content }) => {
      state.count += 1;
      if (state.count > limits.maxAttachments) {
        await drain(content);
        return {} satisfies IncomingFile;
      }
      const entry: IncomingFile = { path: path.join(directory, `${randomBytes(8).toString('hex')}.part`) };
      files.push(entry);
      try {
        await mkdir(directory, { recursive: true });
        let written = 0;
        const upTo = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            written += chunk.length;
            done(null, written <= maxBytes ? chunk : undefined); // beyond: read on, keep nothing
          },
        });
        // flush: synced before it is closed, on disk before the SMTP client hears 250.
        await pipeline(content, upTo, createWriteStream(entry.path!, { flags: 'wx', flush: true }));
        if (written > maxBytes) {
          await rm(entry.path!, { force: true });
          entry.path = undefined;
        }
        return entry;
      } catch (error) {
        state.failed = true;
        content.destroy();
        throw error;
      }
    };
    return {
      sink,
      get failed() {
        return state.failed;
      },
      discard: async () => {
        await Promise.all(
          files.filter((entry) => entry.path && !entry.kept).map((entry) => rm(entry.path!, { force: true })),
        );
      },
    };
  }

  /** Removes what `incoming` left behind in a process that died (older than `olderThanMs`). */
  async sweepIncoming(olderThanMs: number, now = Date.now()): Promise<number> {
    const directory = path.join(this.options.dataDir, INCOMING);
    const names = await readdir(directory).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const file = path.join(directory, name);
      const info = await stat(file).catch(() => undefined);
      if (info && now - info.mtimeMs > olderThanMs) {
        await rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  private async store(envelope: InboundEnvelope): Promise<InboundEnvelope> {
    const kept: AttachmentRef[] = [];
    const notes: string[] = [];
    for (const attachment of envelope.attachments as ParsedAttachment[]) {
      const incoming = attachment.saved as IncomingFile | undefined;
      const ref: AttachmentRef = { ...attachment }; // the spread leaves the non-enumerable bytes behind
      const size = attachment.content?.length ?? ref.sizeBytes ?? 0;
      if (!attachment.content && !incoming) {
        notes.push(`[Lampiran tidak disimpan: ${describe(ref)}, isinya tidak terbaca]`);
        continue;
      }
      if (size > this.options.maxBytes || (incoming && !incoming.path)) {
        notes.push(`[Lampiran tidak disimpan: ${describe(ref)}, melebihi batas ${megabytes(this.options.maxBytes)}]`);
        continue;
      }
      // At most EMAIL_ATTACHMENT_MAX_BYTES in memory, one attachment at a time: the policy sniffs the whole file.
      const content = attachment.content ?? (await readFile(incoming!.path!));
      const verdict = await classifyAttachment({ filename: ref.filename, content });
      if (!verdict.accepted) {
        notes.push(`[Lampiran tidak disimpan: ${describe(ref)}, ${verdict.reason}]`);
        continue;
      }
      kept.push({
        ...ref,
        filename: verdict.displayName,
        contentType: verdict.contentType,
        url: incoming ? await this.keep(ref.sha256!, incoming) : await this.save(ref.sha256!, content),
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

  /** Moves a file the sink wrote (flushed already) to its place, once per content; its path relative to DATA_DIR. */
  private async keep(sha256: string, incoming: IncomingFile): Promise<string> {
    const { relative, target } = this.placeOf(sha256);
    const size = (await stat(incoming.path!)).size;
    const existing = await stat(target).catch(() => undefined);
    if (existing?.size === size) return relative; // the same file, kept before; discard removes this copy
    await mkdir(path.dirname(target), { recursive: true });
    await rename(incoming.path!, target); // concurrent writers of one digest write the same bytes
    incoming.kept = true;
    return relative;
  }

  private placeOf(sha256: string): { relative: string; target: string } {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('An attachment digest is not a sha256');
    const relative = path.posix.join('attachments', sha256.slice(0, 2), sha256);
    return { relative, target: path.join(this.options.dataDir, relative) };
  }

  /** Writes the file once per content; returns its path relative to DATA_DIR. */
  private async save(sha256: string, content: Buffer): Promise<string> {
    const { relative, target } = this.placeOf(sha256);
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

/** Reads a stream to its end, keeping nothing. */
async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // nothing kept
  }
}

/** The relative path `save` gives: the digest's first two hex digits, then the digest. */
const STORED_PATH = /^attachments\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

/** The file as the note names it: its declared name cleaned (no bidi tricks), or its declared type. */
const describe = (ref: AttachmentRef): string =>
  `${ref.filename ? cleanFilename(ref.filename) : cleanLabel(ref.contentType) || 'tanpa nama'} (${megabytes(ref.sizeBytes ?? 0)})`;
const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
