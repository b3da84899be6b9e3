// The one content hash of the product: SHA-256 as lower-case hex, of a text (as UTF-8) or of bytes.
import { createHash } from 'node:crypto';

/** The SHA-256 of `data` (a string is hashed as UTF-8) in lower-case hex. */
export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
