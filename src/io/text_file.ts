/** Small text-file writes for Node (csvLogger's log file); the io folder is where Node built-ins may be loaded. */

type Fs = typeof import('node:fs/promises');

/** node:fs/promises, or an error naming `who` outside Node. */
async function fsFor(who: string): Promise<Fs> {
  if (typeof process === 'undefined' || !process.versions?.node) throw new Error(`${who}: writing a file needs Node.js`);
  return import('node:fs/promises');
}

/** The text of `path`, or '' when it does not exist. */
export async function readTextOrEmpty(path: string, who: string): Promise<string> {
  const fs = await fsFor(who);
  return fs.readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
}

/** Replaces the contents of `path` with `text` (creates the file; the folder must exist). */
export async function writeText(path: string, text: string, who: string): Promise<void> {
  await (await fsFor(who)).writeFile(path, text);
}

/** Appends `text` to `path` (creates the file; the folder must exist). */
export async function appendText(path: string, text: string, who: string): Promise<void> {
  await (await fsFor(who)).appendFile(path, text);
}
