import { MlInputError } from './errors';
import type { Task } from './hyperparameters';
import type { CellValue, ColumnSpec, ColumnType } from './schema';

/** How the target is encoded for the network, and decoded back for answers. */
export interface TargetEncoding {
  name: string;
  task: Task;
  /** Sorted class labels (classification). */
  classes?: string[];
  positiveClass?: string;
  /** Regression targets are standardised with the training mean/std; predictions are scaled back. */
  scaling?: { mean: number; std: number };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The tasks a column of this type can be the target of: numbers regress, labels classify. */
export function targetTasks(type: ColumnType): readonly Task[] {
  switch (type) {
    case 'number':
      return ['regression'];
    case 'integer':
      return ['binary', 'multiclass', 'regression'];
    case 'boolean':
    case 'category':
      return ['binary', 'multiclass'];
    case 'text':
      return [];
  }
}

/**
 * The task a target implies when none is asked for, from its type and its number of distinct
 * values (any number above 2 may stand for "more than 2"): exactly 2 values classify as binary
 * (a `number` column regresses whatever it holds: its values cannot be class labels); more
 * values are classes of a boolean or category column but a quantity of an integer one (a count,
 * an age, a score), where regression keeps their order. Text columns are no target (throws).
 */
export function inferTask(type: ColumnType, distinct: number): Task {
  const tasks = targetTasks(type);
  if (!tasks.length) throw new MlInputError('target', `a ${type} column cannot be a target`);
  if (type === 'number') return 'regression';
  if (distinct === 2) return 'binary';
  return type === 'integer' ? 'regression' : 'multiclass';
}

/**
 * The default positive class of a binary target: the rarer of its two classes (ties: the last
 * in sorted order), as precision, recall and F1 are usually wanted for the rare event.
 */
export function rarerClass(counts: ReadonlyMap<string, number>): string {
  const [a, b] = [...counts.keys()].sort(cmp);
  if (b === undefined || counts.size !== 2) throw new MlInputError('target', 'a binary target has exactly 2 classes');
  return counts.get(a)! < counts.get(b)! ? a : b;
}

/**
 * Fits the target encoding on the training labels. Binary: exactly two classes; the positive
 * class is `positiveClass` if given, else the rarer class (`rarerClass`).
 */
export function fitTarget(col: ColumnSpec, task: Task, train: CellValue[], positiveClass?: string): TargetEncoding {
  if (task === 'regression') {
    if (!targetTasks(col.type).includes('regression'))
      throw new MlInputError('target', 'regression needs a numeric target');
    const ys = train as number[];
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length);
    return { name: col.name, task, scaling: { mean, std: sd > 0 ? sd : 1 } };
  }
  if (!targetTasks(col.type).includes(task))
    throw new MlInputError('target', `a ${col.type} column cannot be a class label`);
  const counts = new Map<string, number>();
  for (const v of train) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  const classes = [...counts.keys()].sort(cmp);
  if (classes.length < 2) throw new MlInputError('target', 'the training part holds only one class');
  if (task === 'binary' && classes.length !== 2) {
    throw new MlInputError('task', `binary needs exactly 2 classes, the target has ${classes.length}`);
  }
  if (task === 'multiclass') return { name: col.name, task, classes };
  if (positiveClass !== undefined && !classes.includes(positiveClass)) {
    throw new MlInputError('positiveClass', `not one of the classes ${classes.join(', ')}`);
  }
  return { name: col.name, task, classes, positiveClass: positiveClass ?? rarerClass(counts) };
}

/** Output width of the network for this target. */
export function outputUnits(t: TargetEncoding): number {
  return t.task === 'multiclass' ? t.classes!.length : 1;
}

/**
 * Encodes labels as the rows of y (row-major, outputUnits wide). An unseen class (possible only
 * outside the training part) encodes as all zeros for multiclass and as negative for binary.
 */
export function encodeTarget(t: TargetEncoding, values: CellValue[]): Float32Array {
  const k = outputUnits(t);
  const y = new Float32Array(values.length * k);
  values.forEach((v, i) => {
    if (t.task === 'regression') y[i] = ((v as number) - t.scaling!.mean) / t.scaling!.std;
    else if (t.task === 'binary') y[i] = String(v) === t.positiveClass ? 1 : 0;
    else {
      const c = t.classes!.indexOf(String(v));
      if (c >= 0) y[i * k + c] = 1;
    }
  });
  return y;
}

/**
 * Weight per row: n / (k · n_c) for its class (`balanced`), 1 otherwise. Counts come from
 * `reference` (the training labels), so validation is weighted like training; a class absent
 * from the reference weighs 1.
 */
export function classWeights(
  t: TargetEncoding,
  values: CellValue[],
  mode: 'balanced' | 'none',
  reference: CellValue[] = values,
): Float32Array {
  const w = new Float32Array(values.length).fill(1);
  if (mode === 'none' || t.task === 'regression') return w;
  const counts = new Map<string, number>();
  for (const v of reference) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  const k = t.classes!.length;
  values.forEach((v, i) => {
    const c = counts.get(String(v));
    if (c) w[i] = reference.length / (k * c);
  });
  return w;
}
