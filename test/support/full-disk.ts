/** A database whose disk is full, as a test plays it: the file may not grow, and its free pages are taken too, so no write finds room by chance. */
import type { Db } from '../../gateway/store/db';

/** Fills the database; the returned function gives it room again. */
export function fillDisk(db: Db): () => void {
  db.exec('CREATE TABLE filler (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const fill = db.prepare('INSERT INTO filler VALUES (zeroblob(?))');
  for (const size of [65_536, 4_096, 512, 64, 1]) {
    try {
      for (;;) fill.run(size);
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_FULL') throw error;
    }
  }
  return () => {
    db.pragma('max_page_count = 1073741823');
    db.exec('DROP TABLE filler');
  };
}
