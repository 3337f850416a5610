// A request the LocalSend server turns down: the HTTP status and `{"message"}` the sender gets,
// with a FerryError code for the events the host sees.

import { FerryError, type ErrorCode } from '../errors.js';

export class Refusal extends FerryError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
