/** `sg.kernels`: inspection (list, source, bindings) and the kernel lab (shaders, checkBindings, tune). */
export * from '../kernels/inspect.js';
export { checkBindings, overridesOf, shaders, tune } from './kernel_lab.js';
export type { BindingCheck, TuneOptions, TuneResult, TuneTrial } from './kernel_lab.js';
