import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { describeDatabase } from './database-url.js';
import { createDatabase, type Knex } from './knex.js';
import { migrationSettings } from './migrate.js';

/**
 * `npm run migrate`, `npm run migrate:rollback` (`-- --all` for every batch), `npm run
 * migrate:status`: the schema by hand, on the database the server's own settings name
 * (DATABASE_URL or DATA_DIR, from the environment or `.env`). The server migrates by itself at
 * start; this is for looking first, or for stepping back after a bad upgrade.
 */
const USAGE = 'usage: node dist/src/db/migrate-cli.js latest | rollback [--all] | status';

type Command = (db: Knex, args: string[]) => Promise<string[]>;

const commands: Record<string, Command> = {
  async latest(db) {
    const [batch, applied] = (await db.migrate.latest(migrationSettings)) as [number, string[]];
    if (applied.length === 0) return ['Already up to date: no migration to apply.'];
    return [`Applied ${applied.length} migration(s) as batch ${batch}:`, ...applied.map((name) => `  ${name}`)];
  },
  async rollback(db, args) {
    const all = args.includes('--all');
    const [batch, undone] = (await db.migrate.rollback(migrationSettings, all)) as [number, string[]];
    if (undone.length === 0) return ['Nothing to roll back.'];
    const what = all ? 'every batch' : `batch ${batch}`;
    return [`Rolled back ${undone.length} migration(s) of ${what}:`, ...undone.map((name) => `  ${name}`)];
  },
  async status(db) {
    const [completed, pending] = (await db.migrate.list(migrationSettings)) as [Array<{ name: string }>, string[]];
    const source = migrationSettings.migrationSource!;
    return [
      ...completed.map((row) => `applied  ${row.name}`),
      ...pending.map((file) => `pending  ${source.getMigrationName(file)}`),
      `${completed.length} applied, ${pending.length} pending.`,
    ];
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Satu Pintu migrate: ${error.message}`);
    return 1;
  }
  const database = describeDatabase(config);
  const db = createDatabase({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    sqliteFile: config.sqliteFile,
    sqliteDriver: config.SQLITE_DRIVER,
  });
  try {
    const lines = await command(db, args);
    console.log(`Database: ${database}`);
    for (const line of lines) console.log(line);
    return 0;
  } catch (error) {
    console.error(`Satu Pintu migrate: ${name} failed on ${database}: ${(error as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
