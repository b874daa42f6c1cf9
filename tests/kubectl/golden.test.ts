/**
 * Golden transcripts: the scenario run with real kubectl 1.31, 1.32 and 1.33 against the emulator must
 * print exactly what the checked-in transcript says (after normalisation). `UPDATE_GOLDEN=1` rewrites
 * them; review the diff against what a real cluster prints before committing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL_DIR, VERSIONS } from './harness.ts';
import { SCENARIO } from './scenario.ts';
import { transcript } from './transcript.ts';

const update = process.env.UPDATE_GOLDEN === '1';

/** The first differing lines with a little context, readable in a test report. */
export function lineDiff(expected: string, actual: string, context = 3, max = 40): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < Math.max(e.length, a.length) && e[i] === a[i]) i++;
  for (let j = Math.max(0, i - context); j < i; j++) out.push(`  ${e[j]}`);
  for (let j = i; j < Math.min(i + max, Math.max(e.length, a.length)); j++) {
    if (e[j] === a[j]) out.push(`  ${e[j]}`);
    else {
      if (j < e.length) out.push(`- ${e[j]}`);
      if (j < a.length) out.push(`+ ${a[j]}`);
    }
  }
  return `first difference at line ${i + 1}:\n${out.join('\n')}`;
}

for (const version of VERSIONS) {
  const kubectl = `${KUBECTL_DIR}/kubectl.${version}`;
  test(`kubectl ${version} transcript matches golden`, { skip: !existsSync(kubectl) && `${kubectl} not installed`, timeout: 600_000 }, async () => {
    const file = new URL(`./golden/kubectl-${version}.txt`, import.meta.url);
    const actual = await transcript(version, SCENARIO);
    if (update || !existsSync(file)) {
      writeFileSync(file, actual);
      return;
    }
    const expected = readFileSync(file, 'utf8');
    if (actual !== expected) {
      const saved = join(tmpdir(), `kubectl-${version}.actual.txt`);
      writeFileSync(saved, actual);
      assert.fail(`${lineDiff(expected, actual)}\n(full transcript: ${saved})`);
    }
  });
}
