/**
 * Build-time access to the lab definitions and recorded outputs for the site's MDX components (Astro
 * frontmatter runs in Node during the build, never in the browser). Loaded once per build and cached.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadLab, findStep, manifestText, type Lab } from './load.ts';
import type { Step, Chapter } from './schema.ts';

let lab: Lab | undefined;

/** Astro bundles this module, so import.meta.url is not the source folder: the build runs from the repo root. */
export function travelsLab(): Lab {
  lab ??= loadLab('travels', join(process.cwd(), 'labs'));
  return lab;
}

export function chapterById(id: string): Chapter {
  const c = travelsLab().chapters.find((x) => x.id === id);
  if (!c) throw new Error(`unknown chapter "${id}" (labs/travels/${id}/chapter.yaml)`);
  return c;
}

export function stepOf(chapterId: string, stepId: string): Step {
  const found = findStep(travelsLab(), chapterId, stepId);
  if (!found) throw new Error(`unknown step "${chapterId}/${stepId}" in labs/travels`);
  return found.step;
}

export function editorYaml(chapterId: string, step: Step): string {
  return step.editor ? manifestText(travelsLab(), chapterId, step.editor) : '';
}

export function solutionYaml(chapterId: string, step: Step): string {
  return step.solution.manifests.map((m) => manifestText(travelsLab(), chapterId, m)).join('---\n');
}

export interface RecordedCommand {
  command: string;
  output: string;
  exitCode: number;
}

const recordedCache = new Map<string, Record<string, RecordedCommand[]>>();

/** Output recorded at build time (scripts/record-outputs.ts) for a chapter, keyed by step id. */
export function recordedFor(chapterId: string): Record<string, RecordedCommand[]> {
  let r = recordedCache.get(chapterId);
  if (!r) {
    const file = join(travelsLab().dir, 'recorded', `${chapterId}.json`);
    r = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, RecordedCommand[]>) : {};
    recordedCache.set(chapterId, r);
  }
  return r;
}

/** The recorded output of one command, matched by its text within the chapter. */
export function recordedOutput(chapterId: string | undefined, command: string): RecordedCommand | undefined {
  if (!chapterId) return undefined;
  for (const list of Object.values(recordedFor(chapterId))) {
    const hit = list.find((c) => c.command === command);
    if (hit) return hit;
  }
  return undefined;
}
