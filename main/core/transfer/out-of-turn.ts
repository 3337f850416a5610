// How each role words a message that arrived out of turn. The text travels to the peer in the
// error frame that ends the connection, so each role keeps its own phrasing.

import { FerryError } from '../errors.js';
import type { Message } from '../protocol/messages.js';

export type Role = 'sender' | 'receiver';

export function outOfTurn(role: Role, m: Message, wanted: string): FerryError {
  return new FerryError(
    'UNEXPECTED_MESSAGE',
    role === 'receiver' ? `got ${m.type} while waiting for ${wanted}` : `the receiver sent ${m.type} instead of ${wanted}`,
  );
}
