/**
 * Loads a lab (labs/<lab>/NN-chapter/chapter.yaml) and validates it once, at the edge, with one friendly
 * error per problem ("chapter 03-first-steps, steps[2].checks[0].kind: Required — hint…"). Used by the
 * server (labs REST), the site build (MDX components) and the tests. Node-only (reads files).
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { chapterSchema, type Chapter, type ManifestRef } from './schema.ts';

export const LABS_DIR = dirname(fileURLToPath(import.meta.url));

export interface Lab {
  id: string;
  dir: string;
  chapters: Chapter[];
}

export class LabError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(`${message}\n  hint: ${hint}`);
    this.name = 'LabError';
    this.hint = hint;
  }
}

function formatIssues(where: string, issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => `${where}, ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Parses and validates one chapter.yaml; throws a LabError naming the file and the field. */
export function parseChapter(text: string, where: string): Chapter {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new LabError(`${where}: not valid YAML: ${(e as Error).message}`, 'check indentation and quoting');
  }
  const res = chapterSchema.safeParse(raw);
  if (!res.success) {
    throw new LabError(formatIssues(where, res.error.issues),
      'see labs/schema.ts (or scripts/schemas/lab.schema.json) for the fields a chapter accepts');
  }
  return res.data;
}

/** Loads every chapter folder of a lab in order; manifest files referenced by steps must exist. */
export function loadLab(labId = 'travels', root = LABS_DIR): Lab {
  const dir = join(root, labId);
  if (!existsSync(dir)) throw new LabError(`lab "${labId}" not found in ${root}`, 'lab ids are folder names under labs/');
  const chapters: Chapter[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const file = join(dir, entry, 'chapter.yaml');
    if (!/^\d\d-/.test(entry) || !statSync(join(dir, entry)).isDirectory() || !existsSync(file)) continue;
    const chapter = parseChapter(readFileSync(file, 'utf8'), `${labId}/${entry}/chapter.yaml`);
    if (chapter.id !== entry) {
      throw new LabError(`${labId}/${entry}/chapter.yaml: id "${chapter.id}" differs from its folder`, `set id: ${entry}`);
    }
    for (const step of chapter.steps) {
      for (const m of [...step.solution.manifests, ...(step.editor ? [step.editor] : [])]) {
        if (m.file) manifestText({ id: labId, dir, chapters: [] }, chapter.id, m);
      }
    }
    chapters.push(chapter);
  }
  if (chapters.length === 0) throw new LabError(`lab "${labId}" has no chapters`, 'add NN-name/chapter.yaml folders');
  return { id: labId, dir, chapters };
}

/** The YAML text of a manifest reference: inline, chapter-relative file, or the lab's manifests/ folder. */
export function manifestText(lab: Lab, chapterId: string, ref: ManifestRef): string {
  if (ref.yaml) return ref.yaml;
  const candidates = [join(lab.dir, chapterId, ref.file!), join(lab.dir, 'manifests', ref.file!)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new LabError(`${lab.id}/${chapterId}: manifest "${ref.file}" not found`,
      `put it in labs/${lab.id}/${chapterId}/ or labs/${lab.id}/manifests/`);
  }
  return readFileSync(found, 'utf8');
}

export function findStep(lab: Lab, chapterId: string, stepId: string) {
  const chapter = lab.chapters.find((c) => c.id === chapterId);
  const step = chapter?.steps.find((s) => s.id === stepId);
  return chapter && step ? { chapter, step } : undefined;
}
