import { parentPort, workerData } from 'node:worker_threads';
import { opsPerSecond } from './measure.js';
import { CASES } from './protocol-cases.js';

const { caseName, seconds } = workerData as { caseName: string; seconds: number };
const setup = CASES[caseName];
if (!setup) throw new Error(`unknown case ${caseName}`);
parentPort?.postMessage(await opsPerSecond(await setup(), seconds));
