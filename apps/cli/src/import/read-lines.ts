import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** The file's lines, streamed; `onBytes` reports how far into the file the reader is. */
export function readLines(path: string, onBytes?: (bytes: number) => void): AsyncIterable<string> {
  const stream = createReadStream(path);
  if (onBytes) {
    let bytes = 0;
    stream.on('data', (chunk) => onBytes((bytes += chunk.length)));
  }
  return createInterface({ input: stream, crlfDelay: Infinity });
}

/** The file's bytes in chunks (for CSV, whose quoted fields may span lines); `onBytes` as for readLines. */
export function readChunks(path: string, onBytes?: (bytes: number) => void): AsyncIterable<Buffer> {
  const stream = createReadStream(path);
  if (onBytes) {
    let bytes = 0;
    stream.on('data', (chunk) => onBytes((bytes += chunk.length)));
  }
  return stream;
}

/** The first non-empty line (from the first 64 KiB), for format detection. */
export function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(65_536, statSync(path).size));
    readSync(fd, buffer, 0, buffer.length, 0);
    return (
      buffer
        .toString('utf8')
        .split(/\r?\n/)
        .find((l) => l.trim() !== '') ?? ''
    );
  } finally {
    closeSync(fd);
  }
}
