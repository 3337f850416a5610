// The slice of FerryApp the desktop host uses: the contract's commands plus events, the
// vouching for received files and shutdown. Tests hand the adapter a fake of this shape.

import type { FerryApp } from '../../core/app/ferry-app.js';
import type { Commands, Remote } from '../../core/contract/index.js';

export type FerryHost = Remote<Commands> & Pick<FerryApp, 'onEvent' | 'resolveReceived' | 'receivedLink' | 'stop'>;
