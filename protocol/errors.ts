/**
 * The permanent error codes shared by the REST API and the terminal socket. Codes never change meaning;
 * messages are for people, codes are for code (the page picks its wording and hints from them).
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'SESSION_EXPIRED',
  'SESSIONS_FULL',
  'PROVISION_FAILED',
  'SANDBOX_UNAVAILABLE',
  'BAD_FRAME',
  'UNKNOWN_TYPE',
  'VERSION_MISMATCH',
  'TAKEN_OVER',
  'TERMINAL_LIMIT',
  'SERVER_RESTARTING',
  'SESSION_ENDED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every non-2xx REST answer and the payload of the socket's error frame. */
export interface ApiError {
  code: ErrorCode | string;
  message: string;
  hint?: string;
}
