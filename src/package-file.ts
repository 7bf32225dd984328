import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder, found from this module whether it runs from source (src/) or compiled
 * (dist/src/): the nearest folder above it with a package.json. Built files (dist/web/...) are
 * found from here, wherever the module that serves them sits.
 */
export function packageRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(directory, 'package.json'))) return directory;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('no package.json above the modules of the server');
    directory = parent;
  }
}

/** Satu Pintu's package.json. */
export function readPackageJson(): { name: string; version: string; description?: string } {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'));
}
