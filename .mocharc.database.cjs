// The suite on a database other than the default (npm run test:postgres, npm run test:sqlite3): the
// files that depend on the database (test/support/database-suites.cjs), with .mocharc.json's options.
const base = require('./.mocharc.json');
const { databaseSuites } = require('./test/support/database-suites.cjs');

module.exports = { ...base, spec: databaseSuites() };
