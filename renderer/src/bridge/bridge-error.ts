// A failed call in the browser host, shaped like a FerryError in the other hosts: the engine's
// error code (which the UI acts on) and a message for people.

export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FerryError';
  }
}
