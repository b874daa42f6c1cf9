import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSchemaFiles } from '../../../scripts/schemas/build.ts';

test('committed schema data is what scripts/schemas/generate.ts produces from the installed packages', async () => {
  const files = await buildSchemaFiles();
  for (const [name, text] of Object.entries(files)) {
    const committed = readFileSync(new URL(`./generated/${name}`, import.meta.url), 'utf8');
    assert.ok(committed === text, `${name} is stale: run npx node scripts/schemas/generate.ts`);
  }
});
