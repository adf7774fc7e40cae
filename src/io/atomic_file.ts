/**
 * The few file operations `backupAndRestore` needs (Node.js only; the
 * modules load on first use, so browser bundles never touch them): an atomic
 * write, a read that tells "missing" from "unreadable", and removal.
 */
import { writeFileAtomic as writeFileAtomicOf } from './file.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

async function node(what: string): Promise<{ fs: Fs; path: Path }> {
  if (typeof process === 'undefined' || !process.versions?.node) throw new Error(`${what}: needs Node.js (it reads and writes files)`);
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

/** `dir/name` with the platform's separator. */
export async function joinPath(dir: string, name: string): Promise<string> {
  const { path } = await node('joinPath');
  return path.join(dir, name);
}

/**
 * Writes `data` to `file` atomically (a flushed temporary file renamed over
 * it, then the directory flushed): the one routine of `./file.ts` that model
 * saves use too. On failure `file` is untouched.
 */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  return writeFileAtomicOf(file, data, 'writeFileAtomic');
}

/** The bytes of `file`, or null when it does not exist (other errors are thrown, naming the file). */
export async function readFileIfExists(file: string): Promise<Uint8Array | null> {
  const { fs } = await node('readFileIfExists');
  try {
    const b = await fs.readFile(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw new Error(`readFileIfExists: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Removes `file` if present, then its directory if that left it empty. */
export async function removeFileAndEmptyDir(file: string): Promise<void> {
  const { fs, path } = await node('removeFileAndEmptyDir');
  await fs.rm(file, { force: true });
  await fs.rmdir(path.dirname(file)).catch(() => undefined);
}
