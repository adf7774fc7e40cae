/**
 * The few file operations `backupAndRestore` needs (Node.js only; the
 * modules load on first use, so browser bundles never touch them): an atomic
 * write, a read that tells "missing" from "unreadable", and removal.
 */
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
 * Writes `data` to `file` atomically: a temporary file in the same directory
 * (created if missing), flushed to disk, renamed over `file`, then the
 * directory flushed so the rename itself survives a power cut. On failure
 * the temporary file is removed and `file` is untouched.
 */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  const { fs, path } = await node('writeFileAtomic');
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    const h = await fs.open(tmp, 'w');
    try {
      await h.writeFile(data);
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new Error(`writeFileAtomic: could not write ${file}: ${(e as Error).message}`);
  }
  try {
    const d = await fs.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the file itself is complete.
  }
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
