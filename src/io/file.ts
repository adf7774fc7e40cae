/**
 * `file://` in Node, laid out as tfjs-node does: `save('file://dir')` writes
 * `dir/model.json` and the weights beside it; `load('file://dir/model.json')`
 * (or the directory) reads them.
 *
 * A save is all-or-nothing (see writeAtomically): the weights go to a fresh
 * file `weights.<id>.bin`, flushed to disk, then model.json, which names that
 * file, is written under a temporary name, flushed, and renamed over the old
 * model.json. That rename is the commit: a crash before it leaves the
 * previous model as it was, a crash after it leaves the new one. A second
 * commit then gives the weights their plain name `weights.bin` (tfjs-node's
 * layout) the same way, so a finished save leaves `model.json` + `weights.bin`. model.json
 * also records a CRC-32 of the weights (`weightsChecksum`, which TensorFlow.js
 * ignores), so a flipped byte in a weights file is an error on load.
 */
import type { IOHandler, ModelArtifacts, SaveResult } from './types.js';
import { artifactsInfo, checkModelJSON, isSafeRelativePath, modelJSONFor } from './types.js';
import { checkWeightSpecs, concatBuffers, crc32, describeValue } from './weights.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

async function node(op: string): Promise<{ fs: Fs; path: Path }> {
  if (typeof process === 'undefined' || !process.versions?.node) throw new Error(`${op}: file:// handlers need Node.js; in a browser use indexeddb://, localstorage:// or downloads://`);
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

/** One data file of an atomic write, stored as `<stem>.<id><ext>` with a fresh id. */
export interface AtomicDataFile {
  stem: string;
  ext: string;
  bytes: Uint8Array;
  /**
   * The plain name the file takes once committed (e.g. 'weights.bin', tfjs-node's layout). It is
   * settled by a second commit: the plain name is linked to the committed bytes and renamed into
   * place while the index still names `<stem>.<id><ext>`, then the index is renamed again naming
   * the plain file, then the id file is removed. Every crash point leaves a complete model.
   */
  settled?: string;
}

/** What writeAtomically writes: data files, then the index file that names them (the commit). */
export interface AtomicWrite {
  /** Data files, each written under a fresh name `<stem>.<id><ext>` and flushed before the commit. */
  data: AtomicDataFile[];
  /** The index file's name in the directory (e.g. 'model.json'); renaming it into place is the commit. */
  index: string;
  /** The index file's content, given the data files' final names (in `data` order). */
  content: (names: string[]) => string | Uint8Array;
  /** The names (relative to the directory) an existing index file references; once unreferenced they are removed after the commit. */
  references?: (oldIndex: string) => string[];
}

const TEMP = /^(.+)\.sg-tmp-(\d+)-(\d+)$/;
/** Temp files and data files of saves in flight in this process: cleanup never touches them. */
const inFlight = new Set<string>();
let tempCounter = 0;

function errno(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
}

async function fsyncDir(fs: Fs, dir: string): Promise<void> {
  // Makes the renames durable. Windows cannot open a directory: skip there.
  const h = await fs.open(dir, 'r').catch(() => null);
  if (!h) return;
  try {
    await h.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    await h.close();
  }
}

async function writeFlushed(fs: Fs, file: string, data: string | Uint8Array, flag: 'w' | 'wx'): Promise<void> {
  const h = await fs.open(file, flag);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Creates `dir` (and parents), explaining a parent that is a file instead of a raw ENOTDIR. */
async function ensureDir(fs: Fs, path: Path, dir: string, op: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    return;
  } catch (e) {
    if (errno(e) !== 'ENOTDIR' && errno(e) !== 'EEXIST') throw new Error(`${op}: cannot create the directory ${dir}: ${(e as Error).message}`);
  }
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    const st = await fs.stat(p).catch(() => null);
    if (st && !st.isDirectory()) throw new Error(`${op}: cannot save into ${dir}: ${p} is a file, not a directory`);
    if (p === path.dirname(p)) break;
  }
  throw new Error(`${op}: cannot create the directory ${dir}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

/** Removes temp files left in `dir` by saves that died (their process is gone) or failed in this process. */
async function removeStaleTemps(fs: Fs, path: Path, dir: string, names: string[]): Promise<void> {
  for (const n of names) {
    const m = TEMP.exec(n);
    if (!m) continue;
    const full = path.join(dir, n);
    const pid = Number(m[2]);
    if (inFlight.has(full) || (pid !== process.pid && pidAlive(pid))) continue;
    await fs.rm(full, { force: true }).catch(() => undefined);
  }
}

/** A fresh data-file id: time and randomness, then 'p' and the writer's pid (so cleanup can spare live writers). */
function freshId(): string {
  const t = (Date.now().toString(36).padStart(8, '0') + Math.random().toString(36).slice(2, 6).padEnd(4, '0')).slice(-12);
  return `${t}p${process.pid.toString(36)}`;
}

const DATA_ID = /^[0-9a-z]{12}p([0-9a-z]+)$/;

/**
 * Writes data files and the index file naming them into `dir` all-or-nothing:
 * each data file under a fresh name, flushed; the index under a temporary
 * name, flushed; then one rename of the index into place (the commit) and an
 * fsync of the directory. On failure before the commit everything written is
 * removed and the previous index and its files stay as they were. Before
 * writing, temp files and unreferenced data files (`<stem>.<id><ext>`) left by
 * writes of dead processes are removed; after the commit, the files the old
 * index referenced that the new one does not. Errors start with `op`.
 * Returns the data files' names. Concurrent writes to one directory from
 * several processes are not supported (the last commit wins).
 */
export async function writeAtomically(dir: string, w: AtomicWrite, op = 'save'): Promise<string[]> {
  const { fs, path } = await node(op);
  await ensureDir(fs, path, dir, op);
  const indexPath = path.join(dir, w.index);
  const listing = await fs.readdir(dir).catch((e: Error) => {
    throw new Error(`${op}: cannot list ${dir}: ${e.message}`);
  });
  await removeStaleTemps(fs, path, dir, listing);
  let oldRefs: string[] = [];
  // An old index that exists but cannot be read may still name some data file: then no data file is stale.
  let trustRefs = true;
  const old = await fs.readFile(indexPath, 'utf8').catch((e) => {
    if (errno(e) !== 'ENOENT') trustRefs = false;
    return null;
  });
  if (old !== null) {
    try {
      oldRefs = w.references ? w.references(old) : [];
    } catch {
      trustRefs = false;
    }
  }
  // Data files of earlier writes that died before their commit (or whose
  // cleanup did not finish): unreferenced, and not being written by a live process.
  const keepNow = new Set(oldRefs);
  const dataId = (n: string): RegExpExecArray | null => {
    for (const d of w.data) if (n.startsWith(`${d.stem}.`) && n.endsWith(d.ext)) return DATA_ID.exec(n.slice(d.stem.length + 1, n.length - d.ext.length));
    return null;
  };
  const removable = (n: string): boolean => {
    const m = dataId(n);
    if (!m) return false;
    const pid = parseInt(m[1], 36);
    return !inFlight.has(path.join(dir, n)) && (pid === process.pid || !pidAlive(pid));
  };
  if (trustRefs && w.references) {
    for (const n of listing) if (!keepNow.has(n) && removable(n)) await fs.rm(path.join(dir, n), { force: true }).catch(() => undefined);
  }
  const created: string[] = [];
  const tmp = `${indexPath}.sg-tmp-${process.pid}-${tempCounter++}`;
  inFlight.add(tmp);
  const names: string[] = [];
  try {
    for (const d of w.data) {
      for (let attempt = 0; ; attempt++) {
        const name = `${d.stem}.${freshId()}${d.ext}`;
        const full = path.join(dir, name);
        inFlight.add(full);
        try {
          await writeFlushed(fs, full, d.bytes, 'wx');
          created.push(full);
          names.push(name);
          break;
        } catch (e) {
          inFlight.delete(full);
          if (errno(e) === 'EEXIST' && attempt < 20) continue;
          if (errno(e) !== 'EEXIST') await fs.rm(full, { force: true }).catch(() => undefined);
          throw e;
        }
      }
    }
    await writeFlushed(fs, tmp, w.content(names), 'w');
    // The data files' directory entries must be durable before the index that names them.
    await fsyncDir(fs, dir);
    await fs.rename(tmp, indexPath);
  } catch (e) {
    await Promise.all([tmp, ...created].map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
    for (const f of created) inFlight.delete(f);
    inFlight.delete(tmp);
    throw new Error(`${op}: could not write ${indexPath}: ${(e as Error).message}`);
  }
  inFlight.delete(tmp);
  await fsyncDir(fs, dir);
  // Committed. What follows is cleanup: best effort, retried by the next write.
  const keep = new Set(names);
  const doomed = new Set([...oldRefs.filter((r) => isSafeRelativePath(r) && !r.includes('/')), ...listing.filter(removable)]);
  for (const n of doomed) {
    const full = path.join(dir, n);
    if (keep.has(n) || inFlight.has(full)) continue;
    await fs.rm(full, { force: true }).catch(() => undefined);
  }
  for (const f of created) inFlight.delete(f);
  if (!w.data.some((d) => d.settled)) return names;
  return settle(fs, path, dir, w, names, indexPath);
}

/** The second commit of writeAtomically: data files take their plain names (best effort: on failure the first commit stands). */
async function settle(fs: Fs, path: Path, dir: string, w: AtomicWrite, names: string[], indexPath: string): Promise<string[]> {
  const finals = names.map((n, i) => w.data[i].settled ?? n);
  const temps: string[] = [];
  try {
    for (let i = 0; i < names.length; i++) {
      const plain = w.data[i].settled;
      if (!plain) continue;
      const tmp = `${path.join(dir, plain)}.sg-tmp-${process.pid}-${tempCounter++}`;
      temps.push(tmp);
      inFlight.add(tmp);
      // A hard link shares the flushed bytes; where links are refused, write them again.
      await fs.link(path.join(dir, names[i]), tmp).catch(() => writeFlushed(fs, tmp, w.data[i].bytes, 'wx'));
      await fs.rename(tmp, path.join(dir, plain));
    }
    const tmpIndex = `${indexPath}.sg-tmp-${process.pid}-${tempCounter++}`;
    temps.push(tmpIndex);
    inFlight.add(tmpIndex);
    await writeFlushed(fs, tmpIndex, w.content(finals), 'w');
    await fsyncDir(fs, dir);
    await fs.rename(tmpIndex, indexPath);
    await fsyncDir(fs, dir);
  } catch {
    await Promise.all(temps.map((t) => fs.rm(t, { force: true }).catch(() => undefined)));
    for (const t of temps) inFlight.delete(t);
    return names;
  }
  for (const t of temps) inFlight.delete(t);
  for (let i = 0; i < names.length; i++) if (finals[i] !== names[i]) await fs.rm(path.join(dir, names[i]), { force: true }).catch(() => undefined);
  return finals;
}

/** Writes one file atomically: a flushed temp file renamed over `file`, then the directory flushed. Errors start with `op`. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, op = 'save'): Promise<void> {
  const { fs, path } = await node(op);
  const dir = path.dirname(file);
  await ensureDir(fs, path, dir, op);
  const tmp = `${file}.sg-tmp-${process.pid}-${tempCounter++}`;
  inFlight.add(tmp);
  try {
    await writeFlushed(fs, tmp, data, 'w');
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new Error(`${op}: could not write ${file}: ${(e as Error).message}`);
  } finally {
    inFlight.delete(tmp);
  }
  await fsyncDir(fs, dir);
}

/** The weight files an existing model.json names (for cleanup after the next save). */
function referencedWeightFiles(json: string): string[] {
  const j = JSON.parse(json) as { weightsManifest?: { paths?: unknown[] }[] };
  if (!Array.isArray(j?.weightsManifest)) return [];
  return j.weightsManifest.flatMap((g) => (Array.isArray(g?.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : []));
}

/** The `file://` io handler (Node): atomic saves into a directory, validated and checksum-verified loads. */
export class FileHandler implements IOHandler {
  constructor(readonly location: string) {}

  async save(a: ModelArtifacts): Promise<SaveResult> {
    const { path } = await node('save');
    const dir = this.location.endsWith('.json') ? path.dirname(this.location) : this.location;
    // Bad artifacts write nothing: check them before touching the directory.
    if (!a || typeof a.modelTopology !== 'object' || a.modelTopology === null) throw new Error('save: the artifacts have no modelTopology object');
    const need = checkWeightSpecs(a.weightSpecs ?? [], 'save');
    const wd = a.weightData as ArrayBuffer | ArrayBuffer[] | undefined; // tfjs may hand a list of buffers
    const bytes = new Uint8Array(Array.isArray(wd) ? concatBuffers(wd) : (wd ?? new ArrayBuffer(0)));
    if (bytes.byteLength !== need) throw new Error(`save: the weight data has ${bytes.byteLength} bytes but the weight specs describe ${need} bytes`);
    const checksum = `crc32:${crc32(bytes)}`;
    await writeAtomically(dir, {
      data: [{ stem: 'weights', ext: '.bin', bytes, settled: 'weights.bin' }],
      index: 'model.json',
      content: ([weights]) => JSON.stringify(modelJSONFor(a, [weights], checksum)),
      references: referencedWeightFiles,
    });
    return { modelArtifactsInfo: artifactsInfo(a) };
  }

  async load(): Promise<ModelArtifacts> {
    const { fs, path } = await node('loadLayersModel');
    let file = this.location;
    const st = await fs.stat(file).catch(() => null);
    if (!st) throw new Error(`loadLayersModel: file://${file} does not exist`);
    if (st.isDirectory()) file = path.join(file, 'model.json');
    const where = `loadLayersModel(file://${file})`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`${where}: cannot read model.json: ${(e as Error).message}`);
    }
    const j = checkModelJSON(parsed, where);
    const specs = j.weightsManifest.flatMap((g) => g.weights);
    const need = checkWeightSpecs(specs, where);
    const dir = path.dirname(file);
    const files = j.weightsManifest.flatMap((g) => g.paths).map((p) => path.join(dir, p));
    // Sizes first: a file of the wrong size is rejected before it is read.
    let have = 0;
    for (const full of files) {
      const s = await fs.stat(full).catch((e: Error) => {
        throw new Error(`${where}: cannot read weights file ${full}: ${e.message}`);
      });
      if (!s.isFile()) throw new Error(`${where}: weights path ${full} is not a file`);
      have += s.size;
    }
    if (have !== need) {
      throw new Error(`${where}: the weight files hold ${have} bytes but the manifest describes ${need} bytes (${specs.length} weights): a weights file is ${have < need ? 'truncated' : 'larger than expected'} or does not belong to this model.json`);
    }
    const buffers: ArrayBuffer[] = [];
    for (const full of files) {
      const b = await fs.readFile(full).catch((e: Error) => {
        throw new Error(`${where}: cannot read weights file ${full}: ${e.message}`);
      });
      buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    }
    const weightData = concatBuffers(buffers);
    if (weightData.byteLength !== need) throw new Error(`${where}: the weight files changed while being read (${weightData.byteLength} bytes, expected ${need})`);
    if (j.weightsChecksum !== undefined) {
      const got = `crc32:${crc32(new Uint8Array(weightData))}`;
      if (got !== j.weightsChecksum) throw new Error(`${where}: the weights do not match model.json's weightsChecksum (${got}, expected ${describeValue(j.weightsChecksum)}): a weights file is corrupted or belongs to another save`);
    }
    return {
      modelTopology: j.modelTopology,
      format: j.format,
      generatedBy: j.generatedBy,
      convertedBy: j.convertedBy,
      weightSpecs: specs,
      weightData,
      trainingConfig: j.trainingConfig,
      userDefinedMetadata: j.userDefinedMetadata,
    };
  }
}
