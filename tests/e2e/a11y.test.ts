// Every screen of the built renderer, with the fake bridge, checked by axe-core in light and
// dark and at a small (800×600) and a large (1400×900) window: no violation of any rule axe
// runs by default (WCAG 2 A and AA, contrast included, and its best practices). Ferry has no
// theme setting of its own (it follows the system), so prefers-color-scheme is the theme.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { drop, paste, rendererHarness, skip, type Scenario } from '../fixtures/renderer-page.js';

const AXE = path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js');
// Served from the page's own origin: the renderer's Content-Security-Policy refuses inline scripts.
const AXE_URL = '/__test__/axe.min.js';

const SIZES = [
  { width: 800, height: 600 },
  { width: 1400, height: 900 },
];
const SCHEMES = ['light', 'dark'] as const;

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** One line per violation and one per element, enough to find it without running axe again. */
function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    ${n.target.map(String).join(' ')}: ${(n.failureSummary ?? '').replace(/\s*\n\s*/g, ' ')}`);
      return `${where}: ${v.id} (${v.impact ?? 'no impact'}) ${v.help}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

async function nav(page: Page, section: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: new RegExp(`^${section}`) })
    .click();
}

/**
 * Applies the new colours at once: under reduced motion every element still runs a 0.01 ms
 * transition of every property (styles.css), and with software rendering behind a blurred
 * backdrop a frame can take seconds to come; axe must not read a colour midway. Finishing a
 * parent's transition changes what its children inherit and starts theirs, hence the rounds.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { getAnimations(): Array<{ finish(): void }> } }).document;
    for (let round = 0; round < 20; round++) {
      let finished = 0;
      for (const a of doc.getAnimations()) {
        try {
          a.finish();
          finished++;
        } catch {
          // An endless animation (a spinner): no colour of it is in question.
        }
      }
      if (finished === 0) return;
    }
  });
}

interface Screen {
  name: string;
  scenario?: Scenario;
  /** Brings the page from its first load to the screen. */
  show?: (page: Page) => Promise<void>;
}

const SCREENS: Screen[] = [
  { name: 'the device list', show: (page) => page.getByRole('group', { name: 'Office PC' }).waitFor() },
  {
    name: 'a device card with files dragged over it',
    show: async (page) => {
      await drop(page.getByRole('group', { name: 'Office PC' }), ['report.pdf'], { release: false });
      await page.locator('.peer-card.is-drop-target').waitFor();
    },
  },
  {
    name: 'transfers, two file lists expanded',
    scenario: { manyFiles: true },
    show: async (page) => {
      await nav(page, 'Transfers');
      for (const from of ['Office PC', 'Anna’s MacBook Pro']) {
        await page.getByRole('button', { name: `Files of the transfer from ${from}` }).click();
        await page.getByRole('list', { name: `Files received from ${from}` }).waitFor();
      }
    },
  },
  { name: 'an offer', scenario: { offers: true }, show: (page) => page.getByRole('dialog').waitFor() },
  {
    name: 'an offer from a changed identity',
    scenario: { offers: true, identityChanged: true, receiverError: true },
    show: (page) => page.getByRole('dialog').getByRole('alert').waitFor(),
  },
  { name: 'settings', show: (page) => nav(page, 'Settings') },
  {
    name: 'settings with a new shared secret shown',
    scenario: { secretEnabled: true },
    show: async (page) => {
      await nav(page, 'Settings');
      await page.getByRole('button', { name: 'Generate a new one' }).click();
      await page.getByRole('textbox', { name: 'Your new secret (shown only now)' }).waitFor();
    },
  },
  {
    name: 'settings fixed by the command line, in a browser host',
    scenario: { native: false, fixed: ['downloadDir', 'port', 'acceptPolicy', 'announce'] },
    show: (page) => nav(page, 'Settings'),
  },
  {
    name: 'trusting a device',
    show: async (page) => {
      await page
        .getByRole('group', { name: 'Office PC' })
        .getByRole('button', { name: /^Trust…/ })
        .click();
      await page.getByRole('dialog', { name: 'Trust Office PC?' }).getByText('482 915').waitFor();
    },
  },
  {
    name: 'history',
    show: async (page) => {
      await nav(page, 'History');
      await page.getByRole('list', { name: 'Past transfers' }).waitFor();
    },
  },
  {
    name: 'the clear-history confirmation',
    show: async (page) => {
      await nav(page, 'History');
      await page.getByRole('button', { name: 'Clear history…' }).click();
      await page.getByRole('dialog', { name: 'Clear the history?' }).waitFor();
    },
  },
  {
    name: 'Add a device',
    show: async (page) => {
      await page.getByRole('button', { name: 'Add a device' }).click();
      await page.getByRole('dialog', { name: 'Add a device' }).waitFor();
    },
  },
  {
    name: 'network troubleshooting',
    show: async (page) => {
      await page.getByRole('button', { name: 'Troubleshoot' }).click();
      await page.getByRole('dialog', { name: 'Network troubleshooting' }).getByRole('list', { name: 'Findings' }).waitFor();
    },
  },
  {
    name: 'LocalSend devices, and a PIN asked for in the queue',
    scenario: { localsend: true },
    show: async (page) => {
      await page.getByRole('group', { name: 'Sam’s Pixel (LocalSend)' }).waitFor();
      await page.getByLabel('PIN for Sam’s Pixel').waitFor();
    },
  },
  {
    name: 'a wrong PIN, and a LocalSend send that restarts',
    scenario: { localsend: true },
    show: async (page) => {
      await nav(page, 'Transfers');
      const field = page.getByLabel('PIN for Sam’s Pixel');
      await field.fill('0000');
      await field.press('Enter');
      await page.getByText('That PIN was wrong — try again').waitFor();
      await page.getByRole('button', { name: /^Retry from the start/ }).waitFor();
    },
  },
  {
    name: 'an offer from a LocalSend app that proves no identity',
    scenario: { localsendOffer: true },
    show: (page) => page.getByRole('dialog').getByText('This app does not prove who it is.').waitFor(),
  },
  {
    name: 'an offer from a verified LocalSend app',
    scenario: { localsendOffer: true },
    show: async (page) => {
      await page.getByRole('dialog').getByRole('button', { name: 'Decline', exact: true }).click();
      await page.getByRole('dialog', { name: 'Office PC wants to send you files' }).getByText('Sent with LocalSend').waitFor();
    },
  },
  {
    name: 'trusting a LocalSend device',
    scenario: { localsend: true },
    show: async (page) => {
      await page
        .getByRole('group', { name: 'Office PC (LocalSend)' })
        .getByRole('button', { name: /^Trust…/ })
        .click();
      await page.getByRole('dialog', { name: 'Trust Office PC (LocalSend)?' }).waitFor();
    },
  },
  {
    name: 'Add a device, LocalSend on',
    scenario: { localsend: true },
    show: async (page) => {
      await page.getByRole('button', { name: 'Add a device' }).click();
      await page.getByRole('dialog', { name: 'Add a device' }).getByText('localsend://', { exact: false }).first().waitFor();
    },
  },
  {
    name: 'LocalSend settings with a PIN being changed and the shared secret on',
    scenario: { localsend: true, localsendPin: true, secretEnabled: true },
    show: async (page) => {
      await nav(page, 'Settings');
      await page.getByRole('button', { name: 'Change PIN…' }).click();
      await page.getByLabel('New PIN for LocalSend senders').waitFor();
    },
  },
  {
    name: 'LocalSend settings fixed by the command line',
    scenario: { localsend: true, fixed: ['localsend', 'localsendPort'] },
    show: (page) => nav(page, 'Settings'),
  },
  {
    name: 'LocalSend’s port taken, in the header',
    scenario: { localsendProblem: true },
    show: (page) => page.getByRole('banner').getByRole('alert').waitFor(),
  },
  {
    name: 'LocalSend’s port taken, in network troubleshooting',
    scenario: { localsendProblem: true },
    show: async (page) => {
      await page.getByRole('button', { name: 'Troubleshoot' }).click();
      await page
        .getByRole('dialog', { name: 'Network troubleshooting' })
        .getByText('LocalSend: port 53317 is in use', { exact: false })
        .waitFor();
    },
  },
  {
    name: 'received messages, a long one shown whole, beside the devices',
    scenario: { texts: true },
    show: async (page) => {
      await page.getByRole('button', { name: 'Show all of the message from Sam’s Pixel' }).click();
      await page.getByRole('button', { name: 'Show less of the message from Sam’s Pixel' }).waitFor();
    },
  },
  {
    name: 'received messages in a browser (a link to open), and text transfers in the queue',
    scenario: { texts: true, native: false },
    show: async (page) => {
      await nav(page, 'Transfers');
      await page.getByRole('link', { name: /^Open link/ }).waitFor();
    },
  },
  {
    name: 'a message in the history',
    scenario: { texts: true },
    show: async (page) => {
      await nav(page, 'History');
      await page.getByRole('list', { name: 'Past transfers' }).getByText('PC LOAD LETTER', { exact: false }).waitFor();
    },
  },
  {
    name: 'sending a message to a device',
    show: async (page) => {
      await page.getByRole('group', { name: 'Office PC', exact: true }).getByRole('button', { name: 'Send text…' }).click();
      const field = page.getByRole('dialog', { name: 'Send a message to Office PC' }).getByRole('textbox', { name: 'Message' });
      await field.fill('See you at the station at 6.\nPlatform 4.');
    },
  },
  {
    name: 'pasted text past the limit, with the device picker',
    show: async (page) => {
      await paste(page, { text: 'é'.repeat(40_000) });
      const dialog = page.getByRole('dialog', { name: 'Send a message', exact: true });
      await dialog.getByRole('radio', { name: /Office PC/ }).check();
      await dialog.getByRole('alert').waitFor();
    },
  },
  {
    name: 'pasted text with no device online',
    scenario: { empty: true },
    show: async (page) => {
      await paste(page, { text: 'Anyone there?' });
      await page.getByRole('dialog', { name: 'Send a message', exact: true }).getByText('No device is online.').waitFor();
    },
  },
  {
    name: 'a text offer',
    scenario: { textOffer: true },
    show: (page) => page.getByRole('dialog', { name: /wants to send you a message/ }).waitFor(),
  },
  {
    name: 'an offer with a file and a folder left out, to a folder typed in (a browser)',
    scenario: { choiceOffer: true, native: false },
    show: async (page) => {
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('checkbox', { name: 'Holiday 2024/Raw/IMG_0001.cr3', exact: true }).uncheck();
      await dialog.getByRole('checkbox', { name: 'Scans (folder)', exact: true }).uncheck();
      await dialog.getByRole('button', { name: 'Change…' }).click();
      const field = dialog.getByRole('textbox', { name: 'Save to' });
      await field.fill('Pictures');
      await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
      await dialog.getByRole('alert').waitFor();
    },
  },
  {
    name: 'an offer with nothing ticked, and another folder picked (the desktop app)',
    scenario: { choiceOffer: true },
    show: async (page) => {
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Change…' }).click();
      await dialog.getByText('/home/sam/Incoming').waitFor();
      await dialog.getByRole('button', { name: 'Select none' }).click();
      await dialog.getByText('Nothing is ticked', { exact: false }).waitFor();
    },
  },
  {
    name: 'an offer that lists only its first entries',
    scenario: { bigOffer: true },
    show: async (page) => {
      await page.getByRole('dialog').getByRole('checkbox', { name: 'clip-01.mp4', exact: true }).uncheck();
      await page.getByRole('dialog').getByText('Only the first 200 items are listed', { exact: false }).waitFor();
    },
  },
  {
    name: 'two devices selected, the selection bar',
    show: async (page) => {
      await page.getByRole('checkbox', { name: 'Select Office PC' }).check();
      await page.getByRole('checkbox', { name: 'Select Anna’s MacBook Pro' }).check();
      await page.getByRole('group', { name: 'Selected devices' }).waitFor();
    },
  },
  {
    name: 'this device’s address, as text and a QR code',
    scenario: { localsend: true },
    show: async (page) => {
      await page.getByRole('button', { name: 'Show my address' }).click();
      const dialog = page.getByRole('dialog', { name: 'This device’s address' });
      await dialog.getByRole('radio', { name: /^localsend:\/\/192\.168\.1\.23:53317/ }).check();
      await dialog.getByRole('img', { name: 'QR code of localsend://192.168.1.23:53317' }).waitFor();
    },
  },
  {
    name: 'the desktop app’s settings',
    scenario: { desktop: true },
    show: async (page) => {
      await nav(page, 'Settings');
      await page.getByRole('switch', { name: 'Start Ferry when I log in' }).waitFor();
    },
  },
  {
    name: 'a finished transfer with skipped files, its files shown',
    scenario: { skipped: true },
    show: async (page) => {
      await nav(page, 'Transfers');
      const row = page.locator('li.transfer').filter({ hasText: 'Holiday 2024 (5 files)' });
      await row.getByRole('button', { name: /^Files/ }).click();
      await row.getByText('Skipped (not wanted)').first().waitFor();
    },
  },
  { name: 'the empty state', scenario: { empty: true }, show: (page) => page.getByText('Looking for other devices…').waitFor() },
  { name: 'the failed first load', scenario: { failLoad: true }, show: (page) => page.getByRole('alert').waitFor() },
];

describe('accessibility (axe-core) of every screen', { skip }, () => {
  const { open, closeChecked, problems } = rendererHarness();
  let axeSource = '';

  async function violations(page: Page): Promise<AxeViolation[]> {
    if (!axeSource) axeSource = await readFile(AXE, 'utf8');
    const loaded = await page.evaluate(() => 'axe' in globalThis);
    if (!loaded) {
      await page.route(`**${AXE_URL}`, (route) => route.fulfill({ body: axeSource, contentType: 'text/javascript' }));
      await page.addScriptTag({ url: AXE_URL });
    }
    return page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    });
  }

  for (const screen of SCREENS) {
    test(`${screen.name}: no violations, light and dark, 800×600 and 1400×900`, async () => {
      // One page per screen, re-themed and resized in place: the same state, four looks.
      const page = await open(screen.scenario, { viewport: SIZES[0]!, colorScheme: 'light' });
      await screen.show?.(page);
      const found: string[] = [];
      for (const size of SIZES) {
        await page.setViewportSize(size);
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          await settled(page);
          const list = await violations(page);
          if (list.length > 0) found.push(describeViolations(`${screen.name}, ${colorScheme}, ${size.width}×${size.height}`, list));
        }
      }
      await closeChecked(page);
      assert.equal(found.length, 0, `axe-core found violations:\n${found.join('\n')}`);
    });
  }

  test('no script errors and no Content-Security-Policy violations on any page', () => {
    assert.deepEqual(problems, []);
  });
});
