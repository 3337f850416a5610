// A failed call in the browser host, shaped like a FerryError in the other hosts: the engine's
// error code (which the UI acts on) and a message for people. `translated`: the message is the
// renderer's own, already in the window's language (shown as it is, not by its code's sentence).

export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly translated?: true,
  ) {
    super(message);
    this.name = 'FerryError';
  }
}
