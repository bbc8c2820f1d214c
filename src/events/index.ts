// Public entry of the event channel: define events where they are emitted, publish and subscribe through the bus.
export { defineEvent, type EventChannel, type EventScope } from './event-channel';
export { EventBus, EventsMissed, type EventHandler } from './event-bus';
export { EventsModule } from './events.module';
