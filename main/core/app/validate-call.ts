// The edge where UI requests enter the engine (IPC from a renderer, JSON from a browser): the
// one validator every host runs, against a call table of commands.ts. The call must be one of
// the table's, with arguments of the right shape and size: a compromised renderer gets
// UNKNOWN_TYPE or BAD_MESSAGE, never a call with surprising arguments.

import { COMMANDS, type Check, type CommandName } from '../contract/commands.js';
import { FerryError } from '../errors.js';

export interface ValidCall<N extends string = CommandName> {
  name: N;
  args: unknown[];
}

/** Any table of commands.ts (Check<never> is what every check can stand for). */
type Table<N extends string> = { readonly [K in N]: readonly Check<never>[] };

/** Checks a call against one table: its name must be the table's own, its arguments pass their checks. */
export function checkCall<N extends string>(table: Table<N>, name: unknown, args: unknown): ValidCall<N> {
  // An own key only: "constructor" or "__proto__" must not find something on the prototype.
  if (typeof name !== 'string' || !Object.hasOwn(table, name)) {
    throw new FerryError('UNKNOWN_TYPE', `unknown command ${JSON.stringify(String(name).slice(0, 64))}`);
  }
  const checks = table[name as N];
  if (!Array.isArray(args) || args.length !== checks.length || !checks.every((check, i) => check(args[i]))) {
    throw new FerryError('BAD_MESSAGE', `bad arguments for ${name}`);
  }
  return { name: name as N, args };
}

/** Checks a call of one of the contract's commands. */
export function validateCall(name: unknown, args: unknown): ValidCall {
  return checkCall(COMMANDS, name, args);
}

/** Runs a validated call on what implements its table. */
export function invoke<N extends string>(impl: { [K in N]: (...a: never[]) => unknown }, call: ValidCall<N>): Promise<unknown> {
  const fn = impl[call.name] as unknown as (...a: unknown[]) => unknown;
  return Promise.resolve(fn.apply(impl, call.args));
}
