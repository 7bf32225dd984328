// Builds the agent console (web/console/) to static files under dist/web/console/: one hashed
// JavaScript bundle, one hashed style sheet, and an index.html that names them (no inline script or
// style, so that the page runs under a strict Content-Security-Policy). Prints the gzipped size of
// what a first load transfers, which the console keeps under 150 KB.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CONSOLE_OUT_DIR = path.join(root, 'dist', 'web', 'console');
export const CITIZEN_OUT_DIR = path.join(root, 'dist', 'web', 'citizen');
const FIRST_LOAD_LIMIT_BYTES = 150 * 1024;

/** Builds the console into `outDir` and answers the gzipped bytes of its JavaScript and CSS. */
export async function buildConsole(outDir = CONSOLE_OUT_DIR) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { app: 'web/console/main.tsx' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error('the console build made no script or no style sheet');
  /** @param {string} file */
  const asset = (file) => `/console/assets/${path.basename(file)}`;
  const template = fs.readFileSync(path.join(root, 'web', 'console', 'index.html'), 'utf8');
  fs.writeFileSync(
    path.join(outDir, 'index.html'),
    template.replace('%STYLE%', asset(style)).replace('%SCRIPT%', asset(script)),
  );
  const gzipped = [script, style].reduce((sum, file) => sum + gzipSync(fs.readFileSync(file)).length, 0);
  return { outDir, gzippedBytes: gzipped };
}

/**
 * Builds the citizen pages' assets (web/citizen/: the style sheet and the form's script) to
 * `outDir`/assets with hashed names, and a manifest.json that the server reads to link them
 * (src/web/citizen-assets.ts). Answers their gzipped bytes.
 */
export async function buildCitizen(outDir = CITIZEN_OUT_DIR) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { form: 'web/citizen/form.ts', styles: 'web/citizen/styles.css' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error('the citizen build made no script or no style sheet');
  fs.writeFileSync(
    path.join(outDir, 'manifest.json'),
    `${JSON.stringify({ script: path.basename(script), style: path.basename(style) }, null, 2)}\n`,
  );
  const gzipped = [script, style].reduce((sum, file) => sum + gzipSync(fs.readFileSync(file)).length, 0);
  return { outDir, gzippedBytes: gzipped };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outDir, gzippedBytes } = await buildConsole();
  const kb = (gzippedBytes / 1024).toFixed(1);
  console.log(`console built in ${path.relative(root, outDir)}: first load ${kb} KB gzipped (JS + CSS, limit 150 KB)`);
  if (gzippedBytes > FIRST_LOAD_LIMIT_BYTES) {
    console.error('the console exceeds its first-load budget of 150 KB gzipped');
    process.exit(1);
  }
  const citizen = await buildCitizen();
  console.log(
    `citizen pages built in ${path.relative(root, citizen.outDir)}: ${(citizen.gzippedBytes / 1024).toFixed(1)} KB gzipped (JS + CSS)`,
  );
}
