/**
 * Request bodies of the instructor and join APIs, validated once at the edge (readJson + safeParse).
 * Times are epoch milliseconds or ISO strings; codes are letters/digits so they can be read aloud.
 */
import { z } from 'zod';

const time = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
const code = z.string().trim().regex(/^[A-Za-z0-9-]{4,32}$/, 'access codes are 4-32 letters, digits or dashes');

const workshopFields = {
  title: z.string().trim().min(1).max(120).describe('Shown on the join page and the dashboard.'),
  lab: z.string().regex(/^[a-z0-9_-]+$/).default('travels').describe('Lab id (a folder under labs/).'),
  capacity: z.number().int().min(1).max(500).default(30).describe('Most attendees at once.'),
  accessCode: code.optional().describe('What attendees type on /join; generated when omitted.'),
  startsAt: time.nullable().optional().describe('Joining opens at this time (null: now).'),
  endsAt: time.nullable().optional().describe('Joining closes and sessions end at this time (null: when ended).'),
  sessionMinutes: z.number().int().min(5).max(24 * 60).default(120).describe('Each attendee\'s sandbox lifetime when the workshop has no end time (with one, sandboxes last until it).'),
  pacing: z.enum(['free', 'instructor']).default('free').describe('free: all chapters open; instructor: up to unlockedThrough.'),
  unlockedThrough: z.number().int().min(1).max(99).nullable().optional(),
  registrationOpen: z.boolean().default(true),
  warm: z.number().int().min(0).max(500).default(0).describe('Sandboxes to pre-create so joining is instant.'),
};

export const CreateWorkshop = z.object(workshopFields).refine((w) => !w.startsAt || !w.endsAt || w.endsAt > w.startsAt, {
  message: 'endsAt must be after startsAt',
  path: ['endsAt'],
});
export type CreateWorkshopInput = z.infer<typeof CreateWorkshop>;

export const UpdateWorkshop = z.object({
  title: workshopFields.title.optional(),
  capacity: z.number().int().min(1).max(500).optional(),
  accessCode: code.optional(),
  startsAt: time.nullable().optional(),
  endsAt: time.nullable().optional(),
  sessionMinutes: z.number().int().min(5).max(24 * 60).optional(),
}).strict();
export type UpdateWorkshopInput = z.infer<typeof UpdateWorkshop>;

export const Login = z.object({ secret: z.string().min(1).max(512) });
export const Registration = z.object({ open: z.boolean() });
export const Warm = z.object({ count: z.number().int().min(0).max(500) });
export const Broadcast = z.object({ message: z.string().trim().min(1).max(500) });
export const Pacing = z.object({
  mode: z.enum(['free', 'instructor']),
  unlockedThrough: z.number().int().min(1).max(99).optional(),
}).refine((p) => p.mode === 'free' || p.unlockedThrough !== undefined, {
  message: 'instructor pacing needs unlockedThrough', path: ['unlockedThrough'],
});
export const Timer = z.object({
  minutes: z.number().min(0.05).max(24 * 60).nullable().describe('null stops the timer.'),
  label: z.string().trim().max(80).default('Time left'),
});
export const Goto = z.object({
  chapter: z.number().int().min(1).max(99),
  fastForward: z.boolean().default(false).describe('Also bring clusters that are behind to this chapter\'s start.'),
});
export const Chapter = z.object({ chapter: z.number().int().min(1).max(99) });
export const Extend = z.object({ minutes: z.number().int().min(1).max(24 * 60) });
export const HandDown = z.object({
  reply: z.string().trim().max(300, 'keep the reply under 300 characters').optional(),
});
export const Hand = z.object({
  raised: z.boolean(),
  note: z.string().max(200, 'keep the note under 200 characters').optional(),
});

export const Join = z.object({
  code,
  name: z.string().trim().min(1, 'enter a display name').max(40).regex(/^[^<>]*$/, 'no angle brackets in names'),
  resumeKey: z.string().max(100).optional(),
});
