// Builds the agent console (web/console/) to static files under dist/web/console/: one hashed
// JavaScript bundle, one hashed style sheet, and an index.html that names them (no inline script or
// style, so that the page runs under a strict Content-Security-Policy). Prints the gzipped size of
// what a first load transfers, which the console keeps under 150 KB.
//
// Builds the chat widget (web/widget/) under dist/web/widget/: widget.js, the loader an office
// embeds (an IIFE, not hashed: its address is in the office's page), and the iframe's page
// frame.html with its hashed script and style sheet. What an office's visitor downloads (loader,
// frame script and style) stays under 30 KB gzipped: the build prints it and fails above it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CONSOLE_OUT_DIR = path.join(root, 'dist', 'web', 'console');
export const CITIZEN_OUT_DIR = path.join(root, 'dist', 'web', 'citizen');
const FIRST_LOAD_LIMIT_BYTES = 150 * 1024;
export const WIDGET_OUT_DIR = path.join(root, 'dist', 'web', 'widget');
export const WIDGET_LIMIT_BYTES = 30 * 1024;

/**
 * Runs `build` into a fresh sibling folder, then puts that folder in place of `outDir`. Several
 * test runs may share one checkout (CI runs the suite on three databases side by side), and every
 * browser test builds the pages it serves: wiping the served folder first gave another run's
 * server a moment with no page (503). A build identical to what is there (the same names and
 * bytes: esbuild's output is deterministic and its names hashed) leaves the folder untouched.
 * @template {{ outDir: string }} T
 * @param {string} outDir
 * @param {(dir: string) => Promise<T>} build
 * @returns {Promise<T>}
 */
async function buildInPlace(outDir, build) {
  const unique = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const staging = `${outDir}.building-${unique}`;
  try {
    const result = await build(staging);
    if (sameFiles(staging, outDir)) return { ...result, outDir };
    const previous = `${outDir}.previous-${unique}`;
    try {
      fs.renameSync(outDir, previous);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error; // none there yet
    }
    fs.renameSync(staging, outDir);
    fs.rmSync(previous, { recursive: true, force: true });
    return { ...result, outDir };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Whether two folders hold the same files with the same bytes.
 * @param {string} a
 * @param {string} b
 */
function sameFiles(a, b) {
  /** @param {string} dir @returns {string[]} */
  const list = (dir) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
          .sort()
      : [];
  const [left, right] = [list(a), list(b)];
  return (
    left.length > 0 &&
    left.length === right.length &&
    left.every(
      (file, index) =>
        file === right[index] && fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file))),
    )
  );
}

/** @param {string} file */
const gzippedSize = (file) => gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** Builds the console into `outDir` and answers the gzipped bytes of its JavaScript and CSS. */
export function buildConsole(outDir = CONSOLE_OUT_DIR) {
  return buildInPlace(outDir, buildConsoleInto);
}

/** @param {string} outDir */
async function buildConsoleInto(outDir) {
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
 * (src/http/web/citizen-assets.ts). Answers their gzipped bytes.
 */
export function buildCitizen(outDir = CITIZEN_OUT_DIR) {
  return buildInPlace(outDir, buildCitizenInto);
}

/** @param {string} outDir */
async function buildCitizenInto(outDir) {
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

/**
 * Builds the chat widget into `outDir`; answers the gzipped bytes of each file a visitor loads
 * (loader, frame script, frame style sheet) and their sum, which must stay under WIDGET_LIMIT_BYTES.
 */
export function buildWidget(outDir = WIDGET_OUT_DIR) {
  return buildInPlace(outDir, buildWidgetInto);
}

/** @param {string} outDir */
async function buildWidgetInto(outDir) {
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'warning',
  };
  // The loader runs on the office's page: a classic script wrapped in a function, so no global leaks.
  await esbuild.build({
    ...common,
    entryPoints: ['web/widget/loader.ts'],
    format: 'iife',
    outfile: path.join(outDir, 'widget.js'),
  });
  const result = await esbuild.build({
    ...common,
    entryPoints: { frame: 'web/widget/main.tsx' },
    format: 'esm',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
  });
  const outputs = Object.keys(result.metafile?.outputs ?? {}).map((file) => path.resolve(root, file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error('the widget build made no script or no style sheet');
  /** @param {string} file */
  const asset = (file) => `/chat/assets/${path.basename(file)}`;
  const template = fs.readFileSync(path.join(root, 'web', 'widget', 'frame.html'), 'utf8');
  fs.writeFileSync(
    path.join(outDir, 'frame.html'),
    template.replace('%STYLE%', asset(style)).replace('%SCRIPT%', asset(script)),
  );
  const files = {
    loader: gzippedSize(path.join(outDir, 'widget.js')),
    frameScript: gzippedSize(script),
    frameStyle: gzippedSize(style),
  };
  return { outDir, files, gzippedBytes: files.loader + files.frameScript + files.frameStyle };
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
  const widget = await buildWidget();
  const size = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `widget built in ${path.relative(root, widget.outDir)}: ${size(widget.gzippedBytes)} gzipped ` +
      `(loader ${size(widget.files.loader)}, frame script ${size(widget.files.frameScript)}, ` +
      `frame style ${size(widget.files.frameStyle)}; limit 30 KB)`,
  );
  if (widget.gzippedBytes > WIDGET_LIMIT_BYTES) {
    console.error('the chat widget exceeds its budget of 30 KB gzipped');
    process.exit(1);
  }
}
