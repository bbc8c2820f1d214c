// Public entry of the health wiring: the module, its controller and the SIGTERM drain (HTTP role) and the heartbeat (worker role).
export { HealthModule } from './health.module';
export { HealthController } from './health.controller';
export { OpenInferenceHealthController } from './open-inference-health.controller';
export { ShutdownDrain } from './shutdown-drain.service';
export { DependencyMonitor, type DependencyState } from './dependency-monitor.service';
export { Readiness } from './readiness.service';
export { WorkerHeartbeat } from './worker-heartbeat.service';
export { WorkerHeartbeats, type WorkerBeat } from './worker-heartbeats';
