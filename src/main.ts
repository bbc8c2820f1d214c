// First: V8 flags must be set before the app's code allocates (see the module).
import './bootstrap/v8-flags';
import 'reflect-metadata';
import { exitOnStartFailure, loadConfigOrExit, runHttp, runWorker } from './bootstrap/run';

/**
 * The image's entry point: APP_ROLE picks the role (all|api: HTTP, with workers for all;
 * worker: hands over to the worker role, as src/worker.ts does).
 */
const config = loadConfigOrExit();
(config.env.APP_ROLE === 'worker' ? runWorker(config) : runHttp(config)).catch(exitOnStartFailure);
