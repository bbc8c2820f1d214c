import { validationFailed } from '../common/errors/common.errors';
import { inferTask, rarerClass, targetTasks, type Task } from '../ml';
import type { TrainingData, TrainingDatasetVersion } from './ports/training-data.port';

/** What a job trains for, settled at submission and stored in its recipe. */
export interface ResolvedTarget {
  task: Task;
  /** Binary only: the class precision, recall and F1 are of. */
  positiveClass?: string;
}

/** The distinct values of a target: how many (or, not `exact`, at least how many), and their counts where known. */
interface TargetValues {
  distinct: number;
  exact: boolean;
  counts?: ReadonlyMap<string, number>;
}

/**
 * Settles the task and the positive class of a request against the dataset version, refusing
 * (422 naming the field) what the worker would fail on. An asked task wins; without one it is
 * inferred from the target's type and distinct values (`inferTask`). A binary target's positive
 * class defaults to its rarer class in the version (`rarerClass`).
 */
export async function resolveTarget(
  request: { task?: Task; positiveClass?: string },
  dataset: TrainingDatasetVersion,
  target: string,
  data: TrainingData,
): Promise<ResolvedTarget> {
  const { type } = dataset.schema.columns.find((c) => c.name === target)!;
  const tasks = targetTasks(type);
  if (!tasks.length)
    throw refusal('target', `${target} is a text column, which cannot be a target (declare it as a category)`);
  if (request.task !== undefined && !tasks.includes(request.task))
    throw refusal('task', `${target} is a ${type} column: its task can be ${tasks.map(quoted).join(' or ')}`);
  if (request.positiveClass !== undefined && request.task !== undefined && request.task !== 'binary')
    throw refusal('positiveClass', `applies to task "binary" only, not "${request.task}"`);
  if (request.task === 'regression') return { task: 'regression' };
  if (type === 'number') return noPositiveClass('regression', request, `${target} is a number column`);

  const values = await targetValues(dataset, target, data);
  if (values.distinct < 2)
    throw refusal(
      'target',
      `${target} has ${values.distinct} class(es) in version ${dataset.version}; classification needs at least 2`,
    );
  const task = request.task ?? inferTask(type, values.distinct);
  const has = `${target} has ${values.exact ? values.distinct : 'more than 2'}`;
  if (task === 'regression') return noPositiveClass(task, request, `${has} values (an ${type} column)`);
  if (task === 'multiclass') return noPositiveClass(task, request, `${has} classes`);
  if (values.distinct > 2) throw refusal('task', `${has} classes; use task "multiclass"`);
  const classes = [...values.counts!.keys()].sort(byCodePoint);
  if (request.positiveClass !== undefined && !classes.includes(request.positiveClass))
    throw refusal(
      'positiveClass',
      `${request.positiveClass} is not a class of ${target} in version ${dataset.version} (its classes: ${classes.join(', ')})`,
    );
  return { task, positiveClass: request.positiveClass ?? rarerClass(values.counts!) };
}

/**
 * From the profile where it counts the target's values (category and boolean columns), else by
 * scanning the version until a third value shows (integer columns): 2 values decide binary.
 */
async function targetValues(
  dataset: TrainingDatasetVersion,
  target: string,
  data: TrainingData,
): Promise<TargetValues> {
  const profiled = dataset.classCounts[target];
  if (profiled) return { distinct: profiled.size, exact: true, counts: profiled };
  const distinct = dataset.distinctCounts[target];
  if (distinct !== undefined) return { distinct, exact: true };
  const scanned = await data.valueCounts(dataset.versionId, target, 2);
  return scanned.complete
    ? { distinct: scanned.counts.size, exact: true, counts: scanned.counts }
    : { distinct: 3, exact: false };
}

/** A task without a positive class: one asked for is refused, saying why the task has none. */
function noPositiveClass(task: Task, request: { task?: Task; positiveClass?: string }, why: string): ResolvedTarget {
  if (request.positiveClass !== undefined)
    throw refusal(
      'positiveClass',
      `applies to task "binary" only; ${why}, so the task is "${task}"${request.task ? '' : ' (inferred)'}`,
    );
  return { task };
}

const refusal = (field: string, message: string) => validationFailed([{ field, message }]);
const quoted = (s: string) => `"${s}"`;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
