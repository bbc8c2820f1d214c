import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DatasetUsageCheckers } from '../data';
import { RegistryDatasetUsage } from '../registry';

/**
 * Plugs the registry's answer to "is this dataset version used?" into the data module, which
 * knows no other module: only the roles, which assemble every module, may connect the two.
 */
@Injectable()
export class DatasetUsageWiring implements OnModuleInit {
  constructor(
    private readonly checkers: DatasetUsageCheckers,
    private readonly registryUsage: RegistryDatasetUsage,
  ) {}

  onModuleInit(): void {
    this.checkers.register(this.registryUsage);
  }
}
