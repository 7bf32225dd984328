// For the knex CLI (`npx knex migrate:latest` and friends); the server migrates by itself at start.
import { loadConfig } from './src/config.js';
import { migrationSettings } from './src/db/migrate.js';

const config = loadConfig();

export default config.DATABASE_URL
  ? { client: 'pg', connection: config.DATABASE_URL, migrations: migrationSettings }
  : {
      client: config.SQLITE_DRIVER,
      connection: { filename: config.sqliteFile },
      useNullAsDefault: true,
      migrations: migrationSettings,
    };
