/**
 * Writes scripts/schemas/lab.schema.json, the JSON Schema of chapter.yaml generated from the zod schema in
 * labs/schema.ts (chapter files point editors at it with a yaml-language-server modeline).
 * Run: node scripts/generate-lab-schema.ts   (labs/schema.test.ts fails when the file is stale)
 */
import { writeFileSync } from 'node:fs';
import { chapterJsonSchema } from '../labs/schema.ts';

export function labSchemaText(): string {
  return JSON.stringify({ $id: 'https://travels-labs.local/lab.schema.json', title: 'Travels Labs chapter', ...(chapterJsonSchema() as object) }, null, 2) + '\n';
}

if (import.meta.main) {
  writeFileSync(new URL('./schemas/lab.schema.json', import.meta.url), labSchemaText());
  console.log('wrote scripts/schemas/lab.schema.json');
}
