/**
 * Child process of tests/io/crash.test.ts (bundled with esbuild, run by node):
 * loads the models in argv[3] and argv[4], prints 'ready', then saves them
 * alternately into argv[2] until it is killed.
 */
import { FileHandler } from '../../src/io/file.js';

const [target, a, b] = process.argv.slice(2);
const models = [await new FileHandler(a).load(), await new FileHandler(b).load()];
process.stdout.write('ready\n');
for (let i = 0; ; i++) await new FileHandler(target).save(models[i % 2]);
