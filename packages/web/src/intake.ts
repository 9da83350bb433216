import type { InMemoryFile } from '@isoforest/ingest/browser';

/**
 * The bytes of the picked or dropped files, read with the File API (nothing is sent anywhere), reporting the bytes
 * read so far after every chunk so that the page can show a progress bar on large files.
 */
export async function readFiles(
  files: readonly File[],
  progress: (read: number, total: number) => void,
): Promise<InMemoryFile[]> {
  const total = files.reduce((s, f) => s + f.size, 0);
  let read = 0;
  const out: InMemoryFile[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(file.size);
    let at = 0;
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes.set(value, at);
      at += value.length;
      read += value.length;
      progress(read, total);
    }
    out.push({ name: file.name, bytes: at === bytes.length ? bytes : bytes.subarray(0, at) });
  }
  return out;
}
