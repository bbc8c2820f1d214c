// Every test file (jest.base.js setupFiles): Nest's default logger at the test run's level.
import { quietNestLogger } from './log-level';

quietNestLogger();
