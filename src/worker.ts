// First: V8 flags must be set before the app's code allocates (see the module).
import './bootstrap/v8-flags';
import 'reflect-metadata';
import { exitOnStartFailure, loadConfigOrExit, runWorker } from './bootstrap/run';

/** The worker entry point: the worker role only (queue processors, schedules, heartbeat), whatever APP_ROLE says. */
const config = loadConfigOrExit({ ...process.env, APP_ROLE: 'worker' });
runWorker(config).catch(exitOnStartFailure);
