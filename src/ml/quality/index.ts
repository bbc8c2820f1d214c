/** Model quality of a monitoring window: estimated before labels (CBPE), realised after. */
export * from './histogram';
export * from './sampling-error';
export * from './cbpe';
export * from './cbpe-multiclass';
export * from './realised';
