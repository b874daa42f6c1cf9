/**
 * Request bodies: read with the apiserver's 3 MiB limit, then decoded by Content-Type (JSON, YAML,
 * Kubernetes protobuf). Failures become the Status errors a real server returns.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError, badRequest, entityTooLarge, unsupportedMediaType } from './status-errors.ts';
import { decodeProtobufObject, ProtobufError } from '../protobuf/decode.ts';

/** kube-apiserver `MaxRequestBodyBytes`. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new StatusError(entityTooLarge(limit));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new StatusError(entityTooLarge(limit));
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Go encoding/json wording for a JSON syntax error, which the apiserver passes on. */
export function goJsonError(text: string, err: unknown): string {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  const pos = m ? Number(m[1]) : text.length;
  if (pos >= text.trimEnd().length) return 'unexpected end of JSON input';
  const ch = text[pos];
  return `invalid character '${ch}' looking for beginning of value`;
}

/** Parses a body as JSON or YAML (by media type); throws BadRequest with the decoder's message. */
export function parseStructured(buf: Buffer, media: string, prefix: string): unknown {
  const text = buf.toString('utf8');
  if (media.includes('yaml')) {
    try {
      return parseYaml(text, { version: '1.1' }) ?? {};
    } catch (err) {
      throw new StatusError(badRequest(`${prefix}error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`));
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StatusError(badRequest(`${prefix}${goJsonError(text, err)}`));
  }
}

const OBJECT_MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Decodes an object body for create/update. */
export function decodeObjectBody(buf: Buffer, contentType: string | undefined): Record<string, unknown> {
  const media = mediaType(contentType) || 'application/json';
  if (media === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeProtobufObject(buf);
    } catch (err) {
      if (err instanceof ProtobufError) throw new StatusError(badRequest(err.message));
      throw new StatusError(badRequest(`unable to decode protobuf body: ${(err as Error).message}`));
    }
  }
  if (media !== 'application/json' && media !== 'application/yaml' && media !== '*/*') {
    throw new StatusError(unsupportedMediaType(OBJECT_MEDIA));
  }
  const parsed = parseStructured(buf, media, "couldn't get version/kind; json parse error: ");
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StatusError(badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`));
  }
  return parsed as Record<string, unknown>;
}
