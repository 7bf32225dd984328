import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const here = fileURLToPath(import.meta.url);
/** `.ts` from source (tsx), `.js` compiled (dist/src/db/migrate.js next to dist/migrations). */
const extension = path.extname(here);
const migrationsDirectory = path.resolve(path.dirname(here), '../../migrations');

/**
 * The files of migrations/, as `.ts` from source or as their compiled `.js`. Each is recorded in
 * knex_migrations under its source name (`20261122_0001_contacts.ts`) however it runs, so that a
 * database migrated from source is up to date for the compiled server and the other way round.
 */
class ProjectMigrations implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    const files = await readdir(migrationsDirectory);
    return files.filter((file) => file.endsWith(extension) && !file.endsWith('.d.ts')).sort();
  }

  getMigrationName(file: string): string {
    return `${path.basename(file, extension)}.ts`;
  }

  getMigration(file: string): Promise<Knex.Migration> {
    return import(pathToFileURL(path.join(migrationsDirectory, file)).href);
  }
}

export const migrationSettings: Knex.MigratorConfig = {
  migrationSource: new ProjectMigrations(),
  tableName: 'knex_migrations',
};

/** Brings the schema up to date; the same files run on SQLite and PostgreSQL. */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationSettings)) as [number, string[]];
  return applied;
}
