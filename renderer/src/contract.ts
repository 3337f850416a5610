// The renderer's view of the one contract: the engine's own file, re-exported. It and the
// types it imports are free of Node, so the renderer type-checks and bundles it as is; a
// change to the contract is a compile error here as everywhere else.

export * from '../../main/core/contract/index.js';
export type { ErrorCode } from '../../main/core/contract/error-codes.js';
export type {
  DecodeFailure,
  DiscoverySnapshot,
  DropReason,
  InterfaceStatus,
  NetInterface,
  Problem,
  SendStatus,
  SkippedInterface,
} from '../../main/core/contract/discovery-status.js';
