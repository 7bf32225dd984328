import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, spawnProcess, type ServerProcess } from './server-process.js';

/** Under .tmp/ (git-ignored) and inside the project, so that its modules resolve from node_modules. */
export const COMPILED_PACKAGE = path.join(PROJECT_ROOT, '.tmp', 'test-build');

let building: Promise<string> | undefined;

/**
 * Satu Pintu compiled as `npm run build` compiles it (tsc -p tsconfig.build.json), into a package
 * of its own: a copy of package.json (its scripts included, so `npm start` can run there) and
 * dist/. Built once per test run, never into the working tree's dist/.
 */
export function compiledPackage(): Promise<string> {
  building ??= (async () => {
    fs.rmSync(COMPILED_PACKAGE, { recursive: true, force: true });
    fs.mkdirSync(COMPILED_PACKAGE, { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, 'package.json'), path.join(COMPILED_PACKAGE, 'package.json'));
    await promisify(execFile)(
      path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'),
      ['-p', 'tsconfig.build.json', '--outDir', path.join(COMPILED_PACKAGE, 'dist')],
      { cwd: PROJECT_ROOT },
    );
    return COMPILED_PACKAGE;
  })();
  return building;
}

/** `node dist/src/main.js` with the V8 flags of `npm start`, and no TypeScript loader. */
export async function spawnCompiledServer(env: Record<string, string>): Promise<ServerProcess> {
  const cwd = await compiledPackage();
  return spawnProcess(
    process.execPath,
    ['--max-semi-space-size=32', '--no-allocation-site-pretenuring', 'dist/src/main.js'],
    { cwd, env },
  );
}
