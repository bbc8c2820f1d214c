// The runtime roles, assembled in one place (docs/architecture.md, "Runtime roles").
export { HttpRoleModule } from './http-role.module';
export { WorkerRoleModule } from './worker-role.module';
