// Worker threads on Node 20 do not inherit tsx's loader from --import: register it here, then
// load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./protocol-worker.ts');
