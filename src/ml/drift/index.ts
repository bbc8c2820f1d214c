/** Drift and data-quality statistics (see src/ml/README.md, "Drift statistics"). */
export * from './bins';
export * from './categorical';
export { kolmogorovSf } from './kolmogorov';
export * from './ks';
export * from './quality';
export * from './verdict';
export * from './wasserstein';
