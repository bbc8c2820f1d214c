import { v7 as uuidv7 } from 'uuid';

/**
 * A new prediction id: a UUIDv7 (RFC 9562), time-ordered, so the prediction log's primary key
 * grows at its right edge instead of taking random inserts all over a day partition's index.
 * uuid's `v7()` keeps a counter within a millisecond (RFC 9562 §6.2, method 1), so the ids of one
 * process are strictly increasing and a batch's ids sort in the batch's order.
 */
export function newPredictionId(): string {
  return uuidv7();
}
