// A device's name as a menu item or a dialog button shows it. Names come from the network:
// control and direction-override characters are dropped (no reordered or hidden text), long
// ones are cut, and '&', which Windows and Linux menus read as an access-key marker, doubled.

import type { PeerView } from '../../core/contract/index.js';
import type { I18n } from '../../i18n/index.js';
import { ENGLISH } from './language.js';

const UNSHOWN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function deviceLabel(peer: Pick<PeerView, 'name' | 'protocol'>, escapeAmpersands: boolean, i18n: I18n = ENGLISH): string {
  let name = peer.name.replace(UNSHOWN, '').trim() || i18n.t('desktop.device.unnamed');
  if (name.length > 40) name = `${name.slice(0, 39)}…`;
  if (peer.protocol === 'localsend') name = i18n.t('desktop.device.localsend', { name });
  return escapeAmpersands ? name.replace(/&/g, '&&') : name;
}

/** The devices a send can go to now: online ones, by name. */
export function onlineDevices<P extends Pick<PeerView, 'online' | 'name'>>(peers: readonly P[]): P[] {
  return peers.filter((p) => p.online).sort((a, b) => a.name.localeCompare(b.name));
}
