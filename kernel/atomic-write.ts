/** Writes a whole file so that a crash or power cut leaves the old content or the new, never half of either. */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of a new file (0o600 for secrets and run records); the umask applies. */
  mode?: number;
  /** Create only: when the file exists already, leave it as it is and return false (the first of two racing writers wins). */
  exclusive?: boolean;
}

/** Filesystems that cannot sync a directory say so with one of these; the rename is then as durable as they make it. */
const NO_DIRECTORY_SYNC = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EBADF']);

function syncDirectory(dir: string): void {
  // Windows cannot open a directory as a file.
  if (process.platform === 'win32') return;
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (err) {
    if (NO_DIRECTORY_SYNC.has((err as NodeJS.ErrnoException).code ?? '')) return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!NO_DIRECTORY_SYNC.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` to `file` (creating its directory): into a new temp file beside it, fsynced, then renamed over
 * `file` (or, `exclusive`, hard-linked to it, which fails when it exists), then the directory fsynced so the new
 * name itself survives a power cut. Returns false only when `exclusive` found the file there already.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, { mode = 0o666, exclusive = false }: AtomicWriteOptions = {}): boolean {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  // A name of its own per writer: two processes saving the same file never write into one temp file.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (exclusive) {
      try {
        linkSync(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      }
    } else {
      renameSync(tmp, file);
    }
  } finally {
    // after a rename there is nothing left to remove; after a link or a failure, the temp name goes
    rmSync(tmp, { force: true });
  }
  syncDirectory(dir);
  return true;
}
