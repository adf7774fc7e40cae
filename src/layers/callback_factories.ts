/** `sg.callbacks.*`: earlyStopping, and the Callback base class. */
export { earlyStopping, EarlyStopping, Callback, History, ProgressLogger } from './callbacks.js';
export { modelCheckpoint, ModelCheckpoint } from './model_checkpoint.js';
export { terminateOnNaN, TerminateOnNaN } from './terminate_on_nan.js';
export { backupAndRestore, BackupAndRestore } from './backup_and_restore.js';
