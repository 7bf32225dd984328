import express, { type Request, type Response } from 'express';
import type { UploadedFile } from './report-submission.js';

/** What a form post carried: its text fields (the last of each name) and its files. */
export interface FormBody {
  fields: Record<string, unknown>;
  files: UploadedFile[];
}

export type FormBodyProblem = 'body_too_large' | 'malformed';

/**
 * Reads a form post into memory, at most `limit` bytes (more is refused while it arrives, never
 * buffered whole): multipart/form-data (the page, with files), urlencoded, or JSON (the API).
 * Multipart is parsed by the platform's own parser (undici's, behind `Response.formData()`): no
 * extra dependency. Files that were not chosen (an empty part without a name) are left out.
 */
export function readFormBody(request: Request, response: Response, limit: number): Promise<FormBody | FormBodyProblem> {
  const raw = express.raw({ type: () => true, limit });
  return new Promise((resolve) => {
    raw(request, response, (error?: unknown) => {
      if (error) {
        const status = (error as { status?: number }).status;
        resolve(status === 413 ? 'body_too_large' : 'malformed');
        return;
      }
      parse(request).then(resolve, () => resolve('malformed'));
    });
  });
}

async function parse(request: Request): Promise<FormBody | FormBodyProblem> {
  const body: unknown = request.body;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  const header = String(request.headers['content-type'] ?? '');
  const type = header.toLowerCase(); // for the media type only: a multipart boundary is case-sensitive
  if (type.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'malformed';
    return { fields: parsed as Record<string, unknown>, files: [] };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { fields: Object.fromEntries(new URLSearchParams(bytes.toString('utf8'))), files: [] };
  }
  if (!type.startsWith('multipart/form-data')) return 'malformed';
  const form = await new Response(new Blob([new Uint8Array(bytes)]), {
    headers: { 'content-type': header },
  }).formData();
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (value.size > 0 || value.name !== '') {
      files.push({ filename: value.name, content: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { fields, files };
}
