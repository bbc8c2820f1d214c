import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PredictionObservers } from '../inference';
import { BucketRecorder } from '../monitoring';

/**
 * Plugs monitoring's bucket recorder into inference's predict path: inference may not use
 * monitoring, so only the roles, which assemble every module, connect the two.
 */
@Injectable()
export class PredictionObserverWiring implements OnModuleInit {
  constructor(
    private readonly observers: PredictionObservers,
    private readonly recorder: BucketRecorder,
  ) {}

  onModuleInit(): void {
    if (this.recorder.enabled) this.observers.register(this.recorder);
  }
}
