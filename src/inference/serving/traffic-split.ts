/**
 * Canary and shadow configuration (INFERENCE_CANARY, INFERENCE_SHADOW) and the canary draw.
 * Pure, so the routing rule is unit-tested apart from the app.
 */
export const CANARY_ALIAS = 'canary';
export const SHADOW_ALIAS = 'shadow';

export interface CanaryRule {
  /** Share of the model's production traffic answered by the canary alias, 0..1. */
  share: number;
  /** Same caller → same side (hash of caller id and model), instead of a draw per request. */
  sticky: boolean;
}

/** `credit=0.1,fraud=0.05:sticky` → rules per model (the env schema has checked the syntax). */
export function parseCanary(spec: string): Map<string, CanaryRule> {
  const rules = new Map<string, CanaryRule>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [model, rest] = part.split('=');
    const [share, flag] = rest.split(':');
    rules.set(model.trim(), { share: Number(share), sticky: flag === 'sticky' });
  }
  return rules;
}

export function parseShadow(spec: string): Set<string> {
  return new Set(
    spec
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean),
  );
}

/** FNV-1a (32 bit) of the text, scaled to [0, 1): a stable, well-spread bucket per caller. */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

/** Whether this request goes to the canary. */
export function takesCanary(
  rule: CanaryRule,
  model: string,
  caller: string,
  random: () => number = Math.random,
): boolean {
  if (rule.share <= 0) return false;
  const u = rule.sticky ? unitHash(`${model}\u0000${caller}`) : random();
  return u < rule.share;
}
