// A settings change as a UI sends it, checked field by field before anything is saved.

import * as path from 'node:path';
import { LANGUAGE_SETTINGS, type AcceptPolicy, type LanguageSetting } from '../contract/index.js';
import { FerryError } from '../errors.js';
import { ACCEPT_POLICIES, type StoredSettings } from '../store/settings-file.js';

export type SettingsChange = Partial<StoredSettings> & { deviceName?: string };

/** Throws BAD_CONFIG naming the field that is wrong. */
export function checkSettingsPatch(patch: Record<string, unknown>): SettingsChange {
  const out: SettingsChange = {};
  for (const [k, v] of Object.entries(patch)) {
    switch (k) {
      case 'deviceName':
        if (typeof v !== 'string' || v.trim() === '') throw new FerryError('BAD_CONFIG', 'The device name must not be empty');
        out.deviceName = v;
        break;
      case 'downloadDir':
        if (typeof v !== 'string' || !path.isAbsolute(v))
          throw new FerryError('BAD_CONFIG', 'The download folder must be a full path, such as /home/you/Downloads');
        out.downloadDir = v;
        break;
      case 'port':
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535)
          throw new FerryError('BAD_CONFIG', 'The port must be a number from 0 to 65535');
        out.port = v as number;
        break;
      case 'acceptPolicy':
        if (!ACCEPT_POLICIES.includes(v as AcceptPolicy))
          throw new FerryError('BAD_CONFIG', `The accept policy is one of ${ACCEPT_POLICIES.join(', ')}`);
        out.acceptPolicy = v as AcceptPolicy;
        break;
      case 'language':
        if (!LANGUAGE_SETTINGS.includes(v as LanguageSetting))
          throw new FerryError('BAD_CONFIG', `The language is one of ${LANGUAGE_SETTINGS.join(', ')}`);
        out.language = v as LanguageSetting;
        break;
      case 'localsendPort':
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535)
          throw new FerryError('BAD_CONFIG', 'The LocalSend port must be a number from 0 to 65535');
        out.localsendPort = v as number;
        break;
      case 'notifications':
      case 'announce':
      case 'localsend':
        if (typeof v !== 'boolean') throw new FerryError('BAD_CONFIG', `${k} is true or false`);
        out[k] = v;
        break;
      case 'desktop': {
        const d = v as Record<string, unknown> | null;
        if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new FerryError('BAD_CONFIG', 'desktop settings are an object');
        for (const [dk, dv] of Object.entries(d)) {
          if (dk !== 'startAtLogin' && dk !== 'closeToTray')
            throw new FerryError('BAD_CONFIG', `unknown desktop setting ${JSON.stringify(dk)}`);
          if (typeof dv !== 'boolean') throw new FerryError('BAD_CONFIG', `${dk} is true or false`);
          out[dk] = dv;
        }
        break;
      }
      default:
        throw new FerryError('BAD_CONFIG', `unknown setting ${JSON.stringify(k)}`);
    }
  }
  return out;
}
