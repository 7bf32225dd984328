import express, { type RequestHandler } from 'express';
import { ValidationError } from '../errors.js';
import { MAX_NESTING } from './validate.js';

/**
 * The JSON body parser of every API router: express.json with the router's size limit, refusing
 * nesting past MAX_NESTING before the body is parsed. Parsed, 20 MB of `[` (the replies' limit)
 * is ten million nested arrays: seconds of CPU and a gigabyte of memory, for a 400 in the end.
 */
export function jsonBody(limit: string): RequestHandler {
  return express.json({ limit, verify: (_request, _response, body) => checkNesting(body) });
}

/**
 * Throws a 400 when brackets and braces outside strings nest deeper than MAX_NESTING. One pass
 * over the bytes, so linear in the body; malformed JSON is left to the parser to name.
 */
export function checkNesting(body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (inString) {
      if (byte === 0x5c)
        index += 1; // a backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > MAX_NESTING)
        throw new ValidationError(`Invalid body: nested deeper than ${MAX_NESTING} levels`, [
          { field: 'body', problem: `nested deeper than ${MAX_NESTING} levels` },
        ]);
    } else if (byte === 0x5d || byte === 0x7d) {
      depth -= 1;
    }
  }
}
