/** Style sheets are bundled by esbuild (web/build.mjs); importing one gives nothing to the code. */
declare module '*.css';
