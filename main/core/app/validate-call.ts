// The edge where UI requests enter the engine (IPC from a renderer, JSON from a browser):
// the command must be one of the contract's, with arguments of the right shape and size.
// A compromised renderer gets BAD_MESSAGE, never a call with surprising arguments.

import { COMMAND_NAMES, type CommandName, type Commands } from '../contract.js';
import { FerryError } from '../errors.js';

type Check = (v: unknown) => boolean;

const str = (max: number): Check => (v) => typeof v === 'string' && v.length > 0 && v.length <= max;
const oneOf = (...values: string[]): Check => (v) => typeof v === 'string' && values.includes(v);
const paths: Check = (v) => Array.isArray(v) && v.length > 0 && v.length <= 10_000 && v.every(str(32_768));
const obj: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length <= 16;
const secret: Check = (v) => v === null || str(4096)(v);

// One check per parameter: a command whose parameters change no longer compiles until its checks do.
type ChecksOf<T extends readonly unknown[]> = { [I in keyof T]: Check };
type ChecksFor<K extends CommandName> = ChecksOf<Parameters<Commands[K]>>;

const ARGS: { [K in CommandName]: ChecksFor<K> } = {
  getState: [],
  getDiscoveryStatus: [],
  getHistory: [],
  getTransferFiles: [str(128)],
  sendPaths: [str(512), paths],
  answerOffer: [str(128), oneOf('accept', 'decline', 'always')],
  cancelTransfer: [str(128)],
  retryTransfer: [str(128)],
  dismissTransfer: [str(128)],
  clearHistory: [],
  addManualPeer: [str(300)],
  removeManualPeer: [str(300)],
  untrustDevice: [str(64)],
  updateSettings: [obj],
  setSecret: [secret],
  generateSecret: [],
};

export interface ValidCall {
  name: CommandName;
  args: unknown[];
}

export function validateCall(name: unknown, args: unknown): ValidCall {
  if (typeof name !== 'string' || !(COMMAND_NAMES as string[]).includes(name)) {
    throw new FerryError('UNKNOWN_TYPE', `unknown command ${JSON.stringify(String(name).slice(0, 64))}`);
  }
  const checks = ARGS[name as CommandName] as readonly Check[];
  if (!Array.isArray(args) || args.length !== checks.length || !checks.every((c, i) => c(args[i]))) {
    throw new FerryError('BAD_MESSAGE', `bad arguments for ${name}`);
  }
  return { name: name as CommandName, args };
}

/** Runs a validated call on an implementation of the contract. */
export function invoke(impl: { [K in CommandName]: (...a: never[]) => unknown }, call: ValidCall): Promise<unknown> {
  const fn = impl[call.name] as unknown as (...a: unknown[]) => unknown;
  return Promise.resolve(fn.apply(impl, call.args));
}
