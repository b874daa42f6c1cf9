/**
 * Golden transcripts: the scenario run with real kubectl 1.31, 1.32 and 1.33 against the emulator must
 * print exactly what the checked-in transcript says (after normalisation). `UPDATE_GOLDEN=1` rewrites
 * them; review the diff against what a real cluster prints before committing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { KUBECTL_DIR, VERSIONS } from './harness.ts';
import { SCENARIO } from './scenario.ts';
import { transcript } from './transcript.ts';

const update = process.env.UPDATE_GOLDEN === '1';

for (const version of VERSIONS) {
  const kubectl = `${KUBECTL_DIR}/kubectl.${version}`;
  test(`kubectl ${version} transcript matches golden`, { skip: !existsSync(kubectl) && `${kubectl} not installed`, timeout: 600_000 }, async () => {
    const file = new URL(`./golden/kubectl-${version}.txt`, import.meta.url);
    const actual = await transcript(version, SCENARIO);
    if (update || !existsSync(file)) {
      writeFileSync(file, actual);
      return;
    }
    assert.equal(actual, readFileSync(file, 'utf8'));
  });
}
