/**
 * Turns whatever admission or the store throws into the Status the real apiserver would send:
 * store reasons map to NotFound/AlreadyExists/Conflict, admission errors carry their own Status fields.
 */
import { StoreError } from '../store/object-store.ts';
import type { ResourceInfo } from '../registry/registry.ts';
import { StatusError, alreadyExists, conflictStale, expired, notFound, type StatusBody } from './status-errors.ts';

export function toStatusError(err: unknown, info: ResourceInfo, name: string): unknown {
  if (err instanceof StatusError) return err;
  if (err instanceof StoreError) {
    switch (err.reason) {
      case 'NotFound':
        return new StatusError(notFound(info, name));
      case 'AlreadyExists':
        return new StatusError(alreadyExists(info, name));
      case 'Conflict':
        return new StatusError(conflictStale(info, name));
      case 'Expired':
        return new StatusError(expired(err.message));
    }
  }
  // Admission errors from the controllers module: accept anything Status-shaped.
  const e = err as { status?: Partial<StatusBody>; code?: unknown; reason?: unknown; message?: unknown; details?: unknown };
  const s = e?.status && typeof e.status === 'object' ? e.status : e;
  if (s && typeof s.code === 'number' && typeof s.reason === 'string' && typeof s.message === 'string') {
    return new StatusError({ code: s.code, reason: s.reason, message: s.message, ...(s.details ? { details: s.details as StatusBody['details'] } : {}) });
  }
  return err;
}
