/**
 * Regular expressions as Envoy (Istio's uri/header regex) and Go tools evaluate them: RE2, through
 * re2js (a pure-JS port, no native build). RE2 matches in time linear in the input, so no pattern a
 * learner writes — `^(a+)+$` in a grep, `((.*)*)*Z` in a VirtualService — can stall the one server
 * every learner shares, as JavaScript's backtracking RegExp would. Patterns RE2 refuses (look-behind,
 * back-references) throw, as they do in Envoy and Go.
 */
import { RE2JS } from 're2js';

export interface Re2 {
  /** Whether the pattern matches somewhere in `s` (or, compiled with `whole`, all of it). */
  test(s: string): boolean;
}

export function compileRe2(pattern: string, opts: { ignoreCase?: boolean; whole?: boolean } = {}): Re2 {
  const re = RE2JS.compile(pattern, opts.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  return opts.whole ? { test: (s) => re.matches(s) } : { test: (s) => re.matcher(s).find() };
}
