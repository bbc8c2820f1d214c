import { HttpStatus, type ArgumentsHost } from '@nestjs/common';
import { AuthErrorCode } from '../auth';
import { CommonErrorCode } from '../common/errors/common.errors';
import { HttpErrorFilter } from '../common/errors/http-error.filter';
import { DataErrorCode } from '../data';
import { InferenceErrorCode } from '../inference';
import { MonitoringErrorCode } from '../monitoring';
import { RegistryError, RegistryErrorCode } from '../registry';
import { TrainingErrorCode } from '../training';
import { ERROR_STATUSES } from './error-statuses';

/** Every module's code enum, by the namespace its codes carry. */
const MODULE_CODES: Record<string, Record<string, string>> = {
  common: CommonErrorCode,
  auth: AuthErrorCode,
  data: DataErrorCode,
  training: TrainingErrorCode,
  registry: RegistryErrorCode,
  inference: InferenceErrorCode,
  monitoring: MonitoringErrorCode,
};

const allCodes = () => Object.values(MODULE_CODES).flatMap((codes) => Object.values(codes));

describe('ERROR_STATUSES', () => {
  it.each(Object.entries(MODULE_CODES))('gives every %s code an error status', (_module, codes) => {
    for (const code of Object.values(codes)) {
      const status: number = ERROR_STATUSES[code];
      expect([code, status >= 400 && status < 600]).toEqual([code, true]);
    }
  });

  it.each(Object.entries(MODULE_CODES))(
    'namespaces every %s code by its module, so no two modules can share one',
    (module, codes) => {
      for (const code of Object.values(codes)) expect(code).toMatch(new RegExp(`^${module}\\.[a-z_]+$`));
    },
  );

  it('holds the module codes and nothing else', () => {
    expect(Object.keys(ERROR_STATUSES).sort()).toEqual(allCodes().sort());
  });

  it("is what the app's filter answers a module's error with", () => {
    let sent: { status?: number; body?: unknown } = {};
    const reply = {
      headers: () => reply,
      status: (s: number) => ((sent = { ...sent, status: s }), reply),
      send: (b: unknown) => ((sent = { ...sent, body: b }), reply),
    };
    const host = {
      switchToHttp: () => ({ getRequest: () => ({ id: 'r' }), getResponse: () => reply }),
    } as unknown as ArgumentsHost;
    new HttpErrorFilter(ERROR_STATUSES).catch(
      new RegistryError(RegistryErrorCode.QUALITY_GATE_REFUSED, 'Quality gate refused'),
      host,
    );
    expect(sent).toEqual({
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      body: expect.objectContaining({ statusCode: 422, code: 'registry.quality_gate_refused' }),
    });
  });
});
