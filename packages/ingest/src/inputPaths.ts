import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IngestError } from './errors.js';

/** Which files of a folder a reader takes, and how to name them in an error. */
export interface FolderFilter {
  /** Whether a file name (without its folder) is taken. */
  readonly accepts: (name: string) => boolean;
  /** What the taken files are, for `folder: has no <what>`. */
  readonly what: string;
}

/**
 * The files that `paths` name: a file as given, a folder as the files directly in it that `filter` accepts,
 * sorted by name so that the order and the result are stable. A missing path, or a folder without such files,
 * is an `IngestError`. The one folder expansion of the package: the `.evtx` reader and the raw-event reader
 * differ only in their filter.
 */
export async function expandPaths(paths: readonly string[], filter: FolderFilter): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => {
      throw new IngestError(path, null, null, 'no such file or folder');
    });
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const inFolder = (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && filter.accepts(entry.name))
      .map((entry) => entry.name)
      .sort();
    if (inFolder.length === 0) throw new IngestError(path, null, null, `has no ${filter.what}`);
    files.push(...inFolder.map((name) => join(path, name)));
  }
  return files;
}
