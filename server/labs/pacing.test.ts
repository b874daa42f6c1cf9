// Which chapters a paced workshop attendee may act on: counted in the lab's chapter order, inclusive,
// unknown chapters left to the route's 404, and a message a learner understands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab } from '../../labs/load.ts';
import { chapterLocked } from './pacing.ts';

const lab = loadLab('travels');

test('no limit, or a chapter up to the limit, is open', () => {
  assert.equal(chapterLocked(lab, '05-request-routing', undefined), undefined);
  assert.equal(chapterLocked(lab, '01-prerequisites', 1), undefined);
  assert.equal(chapterLocked(lab, '02-install', 2), undefined);
  assert.equal(chapterLocked(lab, 'no-such-chapter', 1), undefined);
});

test('a chapter beyond the limit is locked, numbered by its position in the lab', () => {
  assert.equal(lab.chapters.findIndex((c) => c.id === '03-first-steps'), 2);
  const locked = chapterLocked(lab, '03-first-steps', 2);
  assert.ok(locked);
  assert.equal(locked.status, 403);
  assert.equal(locked.code, 'CHAPTER_LOCKED');
  assert.equal(locked.message, 'Your instructor has not opened this chapter yet.');
  assert.match(locked.hint, /Chapters 1–2 are open \(up to "Install the Travels demo"\)/);
  assert.match(chapterLocked(lab, '02-install', 1)!.hint, /^Chapter 1 is open/);
});
