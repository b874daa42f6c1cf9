/** The version the OpenAPI documents report; it follows the emulator's `/version`. */
import { SERVER_VERSION } from '../apiserver/version.ts';

export const SERVER_GIT_VERSION: string = SERVER_VERSION.gitVersion;
