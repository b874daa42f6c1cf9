/**
 * Regenerates `server/emulator/openapi/generated/*.json` from npm packages (kubernetes-models,
 * @kubernetes-models/istio): the built-in definitions for every kind the emulator's registry serves, and the Istio
 * CRD schemas. Run `npx node scripts/schemas/generate.ts` after upgrading those packages or changing the
 * registry's built-in list; the output is deterministic and committed (a test checks it is current).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { buildSchemaFiles } from './build.ts';

const OUT = new URL('../../server/emulator/openapi/generated/', import.meta.url);

mkdirSync(OUT, { recursive: true });
const files = await buildSchemaFiles();
for (const [name, text] of Object.entries(files)) writeFileSync(new URL(name, OUT), text);
console.log(`wrote ${Object.keys(files).join(', ')} to ${OUT.pathname}`);
