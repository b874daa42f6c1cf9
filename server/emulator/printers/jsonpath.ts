/**
 * The subset of client-go JSONPath that CRD `additionalPrinterColumns` use: field steps (`.spec.hosts`,
 * `['a.b']`), indexes and slices-by-star (`[0]`, `[*]`) and equality filters (`[?(@.type=="Ready")]`). Missing
 * keys yield no result, as `AllowMissingKeys(true)` does in the apiextensions table convertor.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: unknown };

const cache = new Map<string, Step[] | null>();

function parseBracket(inner: string): Step | null {
  const t = inner.trim();
  if (t === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(t)) return { kind: 'index', index: Number(t) };
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(t);
  if (quoted) return { kind: 'field', name: quoted[1] ?? quoted[2] ?? '' };
  const filter = /^\?\(@((?:\.[\w-]+)+)\s*(==|!=)\s*(.+)\)$/.exec(t);
  if (!filter) return null;
  const raw = filter[3]!.trim();
  let value: unknown;
  if (/^'.*'$|^".*"$/.test(raw)) value = raw.slice(1, -1);
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (!Number.isNaN(Number(raw))) value = Number(raw);
  else return null;
  return { kind: 'filter', path: filter[1]!.slice(1).split('.'), op: filter[2] as '==' | '!=', value };
}

/** Parses `.a.b[0]['c.d'][?(@.x=="y")]`; null when the expression is outside the supported subset. */
export function parseJsonPath(expr: string): Step[] | null {
  const known = cache.get(expr);
  if (known !== undefined) return known;
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  let ok = true;
  while (i < s.length && ok) {
    if (s[i] === '.') {
      const m = /^[^.[]+/.exec(s.slice(i + 1));
      if (!m) { ok = s.length === i + 1 && steps.length === 0; i++; continue; }
      steps.push(m[0] === '*' ? { kind: 'all' } : { kind: 'field', name: m[0] });
      i += 1 + m[0].length;
    } else if (s[i] === '[') {
      const end = s.indexOf(']', i);
      const step = end < 0 ? null : parseBracket(s.slice(i + 1, end));
      if (!step) ok = false;
      else steps.push(step);
      i = end + 1;
    } else ok = false;
  }
  const result = ok ? steps : null;
  cache.set(expr, result);
  return result;
}

function get(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function apply(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (step.kind === 'field') {
      if (v && typeof v === 'object' && !Array.isArray(v) && step.name in v) out.push((v as Record<string, unknown>)[step.name]);
    } else if (step.kind === 'index') {
      if (Array.isArray(v)) {
        const idx = step.index < 0 ? v.length + step.index : step.index;
        if (idx >= 0 && idx < v.length) out.push(v[idx]);
      }
    } else if (step.kind === 'all') {
      if (Array.isArray(v)) out.push(...v);
      else if (v && typeof v === 'object') out.push(...Object.values(v));
    } else if (Array.isArray(v)) {
      for (const item of v) {
        const got = get(item, step.path);
        if (got !== undefined && (step.op === '==' ? got === step.value : got !== step.value)) out.push(item);
      }
    }
  }
  return out;
}

/** All results of `expr` against `root` (empty when missing or unsupported). */
export function evalJsonPath(expr: string, root: unknown): unknown[] {
  const steps = parseJsonPath(expr);
  if (!steps) return [];
  return steps.reduce<unknown[]>((vals, step) => apply(vals, step), [root]);
}

/** Go's json.Marshal for printer cells: compact, map keys sorted. */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${goJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** jsonpath PrintResults of one value: JSON for arrays and maps, Go's `fmt.Print` form for scalars. */
export function printJsonPathValue(v: unknown): string {
  if (v === null) return '<nil>';
  if (typeof v === 'object') return goJson(v);
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** fmt.Print of a float64 decoded from JSON: integers print plainly up to 1e21 (%v switches to exponent form). */
function goNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}
