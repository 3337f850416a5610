// Renderer entry: picks the bridge, starts the state store and mounts the React tree.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App, NoBridge } from './App.js';
import { getBridge } from './bridge/index.js';
import type { FerryBridge } from './contract.js';
import { ServicesProvider } from './hooks/app-context.js';
import { i18n } from './i18n/setup.js';
import { errorMessage } from './state/errors.js';
import { createAppStore } from './state/store.js';
import { createToastStore } from './state/toasts.js';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html is missing the #root element');
const root = createRoot(rootElement);

let bridge: FerryBridge | null = null;
let failure = '';
try {
  bridge = getBridge();
} catch (err) {
  failure = errorMessage(err);
}

if (!bridge) {
  root.render(
    <I18nextProvider i18n={i18n}>
      <NoBridge message={failure} />
    </I18nextProvider>,
  );
} else {
  const store = createAppStore(bridge);
  store.start();
  const services = { bridge, store, toasts: createToastStore() };
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ServicesProvider value={services}>
          <App />
        </ServicesProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}
