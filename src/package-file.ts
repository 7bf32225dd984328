import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Satu Pintu's package.json, found from this module whether it runs from source (src/) or
 * compiled (dist/src/): the nearest one above it.
 */
export function readPackageJson(): { name: string; version: string; description?: string } {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(directory, 'package.json');
    if (fs.existsSync(candidate)) return JSON.parse(fs.readFileSync(candidate, 'utf8'));
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('no package.json above the modules of the server');
    directory = parent;
  }
}
