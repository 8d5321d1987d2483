export { createShellAdapter, type ShellAdapterDeps } from './adapter.js';
export { ShellDeliverer, SHELL_CHANNEL } from './deliverer.js';
