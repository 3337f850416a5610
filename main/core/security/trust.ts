// What a connection asks of the trust store (pinned devices); the store itself, and the file
// it keeps, are store/trust-store.ts's.
export type { TrustedDevice, TrustView } from '../store/trust-store.js';
