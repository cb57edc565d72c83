/**
 * A small structural checker for custom resources that have no npm model: each object is
 * walked against a description of its API type, and every unknown field, wrong type,
 * missing required field, value outside an enum or pattern, and broken cross-field rule
 * is reported with its path (`spec.affinity.podAntiAffinityTyp: unknown field`).
 */

/** Checks `value` at `path`, adding one message per problem to `errors`. */
export type Check = (value: unknown, path: string, errors: string[]) => void;

/** A rule over a whole object: a message when it is broken. */
export type Rule = (value: Record<string, unknown>) => string | undefined;

const kind = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

export function str(options: { pattern?: RegExp; enum?: readonly string[]; minLength?: number } = {}): Check {
  return (value, path, errors) => {
    if (typeof value !== 'string') return void errors.push(`${path}: must be a string, not ${kind(value)}`);
    if (options.minLength !== undefined && value.length < options.minLength)
      errors.push(`${path}: must have at least ${options.minLength} characters`);
    if (options.enum && !options.enum.includes(value))
      errors.push(`${path}: must be one of ${options.enum.join(', ')}, not ${JSON.stringify(value)}`);
    if (options.pattern && !options.pattern.test(value))
      errors.push(`${path}: ${JSON.stringify(value)} does not match ${options.pattern}`);
  };
}

export function int(options: { min?: number; max?: number } = {}): Check {
  return (value, path, errors) => {
    if (typeof value !== 'number' || !Number.isInteger(value))
      return void errors.push(`${path}: must be an integer, not ${kind(value)}`);
    if (options.min !== undefined && value < options.min) errors.push(`${path}: must be at least ${options.min}`);
    if (options.max !== undefined && value > options.max) errors.push(`${path}: must be at most ${options.max}`);
  };
}

export const bool: Check = (value, path, errors) => {
  if (typeof value !== 'boolean') errors.push(`${path}: must be a boolean, not ${kind(value)}`);
};

/** A Kubernetes quantity (`8Gi`, `250m`, `1`), as a string or a number. */
export const quantity: Check = (value, path, errors) => {
  if (typeof value === 'number') return;
  str({ pattern: /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|m|[kMGTPE]i?)?$/ })(value, path, errors);
};

/** A field whose type this checker does not model in depth: an object is all it requires. */
export const opaqueObject: Check = (value, path, errors) => {
  if (kind(value) !== 'object') errors.push(`${path}: must be an object, not ${kind(value)}`);
};

export function list(item: Check, options: { minItems?: number } = {}): Check {
  return (value, path, errors) => {
    if (!Array.isArray(value)) return void errors.push(`${path}: must be an array, not ${kind(value)}`);
    if (options.minItems !== undefined && value.length < options.minItems)
      errors.push(`${path}: must have at least ${options.minItems} items`);
    value.forEach((v, i) => {
      item(v, `${path}[${i}]`, errors);
    });
  };
}

/** A map of any keys to values of one type (Go's map[string]T). */
export function record(item: Check): Check {
  return (value, path, errors) => {
    if (kind(value) !== 'object') return void errors.push(`${path}: must be an object, not ${kind(value)}`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) item(v, `${path}.${k}`, errors);
  };
}

/** An object with exactly these fields (others are unknown), the required ones present, and its rules kept. */
export function obj(fields: Record<string, Check>, required: readonly string[] = [], rules: Rule[] = []): Check {
  return (value, path, errors) => {
    if (kind(value) !== 'object') return void errors.push(`${path}: must be an object, not ${kind(value)}`);
    const o = value as Record<string, unknown>;
    for (const name of required) if (o[name] === undefined) errors.push(`${path}.${name}: required`);
    for (const [name, v] of Object.entries(o)) {
      const check = fields[name];
      if (!check) errors.push(`${path}.${name}: unknown field`);
      else if (v !== undefined && v !== null) check(v, `${path}.${name}`, errors);
    }
    for (const rule of rules) {
      const broken = rule(o);
      if (broken) errors.push(`${path}: ${broken}`);
    }
  };
}

/** Rule: at most one of these fields is set. */
export function oneOf(...names: string[]): Rule {
  return (o) => {
    const set = names.filter((n) => o[n] !== undefined);
    return set.length > 1 ? `${set.join(' and ')} are mutually exclusive` : undefined;
  };
}

/** Runs a check from its root and returns its messages. */
export function problems(check: Check, value: unknown, root: string): string[] {
  const errors: string[] = [];
  check(value, root, errors);
  return errors;
}
