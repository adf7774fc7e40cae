/** `sg.callbacks.*`: earlyStopping, and the Callback base class. */
export { earlyStopping, EarlyStopping, Callback, History, ProgressLogger } from './callbacks.js';
export { modelCheckpoint, ModelCheckpoint } from './model_checkpoint.js';
export { reduceLROnPlateau, ReduceLROnPlateau, learningRateScheduler, LearningRateScheduler, csvLogger, CSVLogger } from './callbacks_extra.js';
export type { ReduceLROnPlateauArgs, CSVLoggerArgs, Schedule } from './callbacks_extra.js';
