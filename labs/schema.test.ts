// The lab schema and loader: the real Travels lab loads, every sample lab (one per feature) is valid, and
// broken input gives one friendly error naming the file and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLab, parseChapter, LabError, LABS_DIR, manifestText } from './load.ts';
import { chapterJsonSchema, checkSchema } from './schema.ts';

test('the Travels lab loads with every chapter in order and resolvable manifests', () => {
  const lab = loadLab('travels');
  assert.deepEqual(lab.chapters.map((c) => c.id.slice(0, 2)), ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13']);
  for (const c of lab.chapters) {
    for (const s of c.steps) {
      if (s.editor) assert.match(manifestText(lab, c.id, s.editor), /apiVersion:/, `${c.id}/${s.id} editor`);
    }
  }
});

test('every sample lab in labs/_samples parses and covers every check type', () => {
  const dir = join(LABS_DIR, '_samples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 5);
  const types = new Set<string>();
  for (const f of files) {
    const c = parseChapter(readFileSync(join(dir, f), 'utf8'), `_samples/${f}`);
    for (const s of c.steps) for (const k of s.checks) types.add(k.type);
  }
  const all = checkSchema.options.map((o) => o.shape.type.value);
  assert.deepEqual([...types].sort(), [...all].sort());
});

test('a chapter with a wrong field fails with the file, the path and a hint', () => {
  const bad = 'id: 01-x\ntitle: X\npage: p\nsummary: s\nsteps:\n  - id: a\n    title: A\n    checks:\n      - type: resourceExists\n        title: t\n        kind: Pod\n        name: p\n';
  assert.throws(() => parseChapter(bad, 'lab/01-x/chapter.yaml'), (e: unknown) => {
    assert.ok(e instanceof LabError);
    assert.match(e.message, /lab\/01-x\/chapter\.yaml, steps\.0\.checks\.0\.apiVersion/);
    assert.match(e.message, /hint:/);
    return true;
  });
});

test('invalid YAML is reported as such', () => {
  assert.throws(() => parseChapter('id: [unclosed', 'x.yaml'), /not valid YAML/);
});

test('duplicate step ids are rejected', () => {
  const dup = 'id: 01-x\ntitle: X\npage: p\nsummary: s\nsteps:\n  - { id: a, title: A }\n  - { id: a, title: B }\n';
  assert.throws(() => parseChapter(dup, 'x.yaml'), /duplicate step id "a"/);
});

test('the JSON Schema generated from the zod schema documents the fields', () => {
  const js = JSON.stringify(chapterJsonSchema());
  assert.match(js, /Stable id, unique in the chapter/);
  assert.match(js, /virtualServiceRoutes/);
});

test('scripts/schemas/lab.schema.json is up to date with labs/schema.ts', async () => {
  const { labSchemaText } = await import('../scripts/generate-lab-schema.ts');
  const onDisk = readFileSync(new URL('../scripts/schemas/lab.schema.json', import.meta.url), 'utf8');
  assert.equal(onDisk, labSchemaText(), 'run: node scripts/generate-lab-schema.ts');
});
