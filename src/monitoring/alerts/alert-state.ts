/** An open episode as the state machine sees it. */
export interface OpenEpisode {
  state: 'pending' | 'firing';
  pendingSince: Date;
}

/**
 * What one evaluation does to a rule's subject:
 * - `open`: no episode and the condition holds: a new one, `firing` at once when the rule's
 *   for-duration is 0, else `pending`;
 * - `fire`: pending and the condition has held for the for-duration;
 * - `stay`: pending (not long enough yet) or firing, still holding: the value and evidence refresh;
 * - `clear`: pending and no longer holding: it never was an alert, the episode goes;
 * - `resolve`: firing and no longer holding;
 * - `none`: no episode, nothing holds.
 */
export type Step =
  | { kind: 'none' }
  | { kind: 'open'; state: 'pending' | 'firing' }
  | { kind: 'stay' }
  | { kind: 'fire' }
  | { kind: 'clear' }
  | { kind: 'resolve' };

/**
 * inactive → pending (condition true) → firing (true for ≥ forSeconds) → resolved (false again).
 * One evaluation that breaks the condition while pending starts the count again: a flapping
 * signal never fires unless it holds for the whole for-duration.
 */
export function step(open: OpenEpisode | null, breached: boolean, forSeconds: number, now: Date): Step {
  if (!open) return breached ? { kind: 'open', state: forSeconds === 0 ? 'firing' : 'pending' } : { kind: 'none' };
  if (!breached) return { kind: open.state === 'pending' ? 'clear' : 'resolve' };
  if (open.state === 'pending' && now.getTime() - open.pendingSince.getTime() >= forSeconds * 1000)
    return { kind: 'fire' };
  return { kind: 'stay' };
}
