// Each chapter of the Travels lab against its page: <StartHere> says 'Starts where "<previous chapter
// title>" ends' from chapter.yaml, so that title must be the one the learner sees in the sidebar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadLab } from '../../labs/load.ts';

const DOCS = new URL('../../site/content/docs/', import.meta.url);

/** The sidebar entry of a page: its frontmatter's sidebar.label, else its title. */
function sidebarTitle(page: string): string {
  const file = [`${page}.mdx`, `${page}/index.mdx`].map((p) => new URL(p, DOCS)).find((u) => existsSync(u));
  assert.ok(file, `no page for ${page}`);
  const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(file, 'utf8'))?.[1];
  const data = parse(front ?? '') as { title?: string; sidebar?: { label?: string } };
  return data.sidebar?.label ?? data.title ?? '';
}

test('every chapter title is the title its page has in the sidebar', () => {
  const mismatched = loadLab('travels').chapters
    .map((c) => ({ id: c.id, chapter: c.title, page: sidebarTitle(c.page) }))
    .filter((x) => x.chapter !== x.page);
  assert.deepEqual(mismatched, []);
});
