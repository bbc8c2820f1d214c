/** An input the ML library cannot work with; `field` names the offending input (e.g. `hyperparameters.epochs`). */
export class MlInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'MlInputError';
  }
}

/** A bundle that cannot be read (wrong format version, corrupt weights...). */
export class BundleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleFormatError';
  }
}
