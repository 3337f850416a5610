// The "LocalSend" tag: how a device, an offer or a transfer reached through LocalSend's
// protocol is told apart from Ferry's own (a computer running both is listed once for each).

export function LocalSendTag() {
  return (
    <span className="badge badge-localsend" title="Reached through LocalSend’s protocol: no code to compare, and no resume">
      LocalSend
    </span>
  );
}
