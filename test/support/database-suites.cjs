// The test files whose outcome depends on the database under test: those that start a test server
// or a process cluster, open a test database, or read the suite's choice of database themselves.
// `npm test` runs every file on SQLite (better-sqlite3); the runs on other databases
// (`npm run test:postgres`, `npm run test:sqlite3`, .mocharc.database.cjs) take these only, since
// the others (pure functions, parsers, child processes on a SQLite file of their own, the demo)
// would run the same code on the same SQLite again. Read from the files, so a new test that starts
// a server joins by itself (test/repository/database-suites.test.ts checks the rule).
const fs = require('node:fs');
const path = require('node:path');

const USES_THE_DATABASE =
  /\b(?:startTestServer|createTestDatabase|openTestDatabase|startProcessCluster|testSqliteDriver)\s*\(|\bTEST_DATABASE_URL\b|\bTEST_SQLITE_DRIVER\b/;

/**
 * Every *.test.ts file under `directory`, relative to `root`, sorted.
 * @param {string} root
 * @param {string} [directory]
 * @returns {string[]}
 */
function testFiles(root, directory = 'test') {
  /** @type {string[]} */
  const found = [];
  for (const entry of fs.readdirSync(path.join(root, directory), { withFileTypes: true })) {
    const relative = path.posix.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(root, relative));
    else if (entry.name.endsWith('.test.ts')) found.push(relative);
  }
  return found.sort();
}

/**
 * @param {string} [root]
 * @returns {string[]}
 */
function databaseSuites(root = path.resolve(__dirname, '..', '..')) {
  return testFiles(root).filter((file) => USES_THE_DATABASE.test(fs.readFileSync(path.join(root, file), 'utf8')));
}

module.exports = { databaseSuites, testFiles, USES_THE_DATABASE };
