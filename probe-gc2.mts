import fs from 'node:fs';
import { createDatabase } from './src/db/knex.ts';
const variant = process.argv[2];
const file = `/tmp/probe/gc2-${variant}.db`;
for (const f of [file, file + '-wal', file + '-shm']) fs.rmSync(f, { force: true });
const db = createDatabase({ sqliteFile: file });
await db.schema.createTable('t', (t) => { t.increments('id'); t.integer('a'); });
for (let i = 0; i < 20000; i++) {
  if (variant === 'empty') await db.transaction(async () => {});
  else await db.transaction((trx) => trx('t').where({ id: 1 }).update({ a: i }));
}
await db.destroy();
