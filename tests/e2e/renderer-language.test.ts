// The language setting in the built renderer with the fake bridge: the Settings screen's
// Language select saves with updateSettings({ language }), the window switches to the chosen
// language by itself, and a window started with Chinese chosen speaks Chinese from the start.
// The language names stay in their own language whatever the window speaks.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Page } from 'playwright-core';
import { calls, rendererHarness, skip, waitForCall, type Call, type Scenario } from '../fixtures/renderer-page.js';

/** The fake bridge's settings start with `language: scenario.language ?? 'system'`. */
type LanguageScenario = Scenario & { language?: 'system' | 'en' | 'zh-CN' };

describe('the language setting', { skip }, () => {
  const { open, closeChecked, problems } = rendererHarness();

  /** Settings is the sidebar's last section: found by place, whatever language the window speaks. */
  async function toSettings(page: Page): Promise<void> {
    await page.locator('.sidebar').getByRole('navigation').getByRole('button').last().click();
  }

  async function optionNames(page: Page, name: string): Promise<string[]> {
    return page.getByRole('combobox', { name, exact: true }).locator('option').allInnerTexts();
  }

  test('the Language select saves the choice, and the window switches to it', async () => {
    const page = await open();
    await toSettings(page);
    const select = page.getByRole('combobox', { name: 'Language', exact: true });
    assert.equal(await select.inputValue(), 'system');
    assert.deepEqual(await optionNames(page, 'Language'), ['System language', 'English', '简体中文']);

    await select.selectOption('zh-CN');
    assert.deepEqual(await waitForCall(page, 'updateSettings'), ['updateSettings', { language: 'zh-CN' }]);
    // The same screen, now in Chinese: its headings, the select's own label, the page's language.
    await page.getByRole('heading', { name: '本机', exact: true }).waitFor();
    await page.getByRole('heading', { name: '接收', exact: true }).waitFor();
    const chinese = page.getByRole('combobox', { name: '语言', exact: true });
    assert.equal(await chinese.inputValue(), 'zh-CN');
    assert.deepEqual(await optionNames(page, '语言'), ['跟随系统', 'English', '简体中文']);
    assert.equal(
      await page.evaluate(
        () => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang,
      ),
      'zh-CN',
    );

    await chinese.selectOption('en');
    await page.waitForFunction(
      () => (globalThis as unknown as { __calls: Call[] }).__calls.filter((c) => c[0] === 'updateSettings').length >= 2,
    );
    assert.deepEqual((await calls(page, 'updateSettings')).at(-1), ['updateSettings', { language: 'en' }]);
    await page.getByRole('heading', { name: 'This device', exact: true }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Language', exact: true }).inputValue(), 'en');
    await closeChecked(page);
  });

  test('a window whose setting says Chinese speaks Chinese from the start, its checks included', async () => {
    const scenario: LanguageScenario = { language: 'zh-CN' };
    const page = await open(scenario);
    await toSettings(page);
    await page.getByRole('heading', { name: '信任的设备', exact: true }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: '语言', exact: true }).inputValue(), 'zh-CN');
    await page.getByRole('combobox', { name: '有人发送文件时', exact: true }).waitFor();
    await page.getByRole('switch', { name: '对其他设备可见' }).waitFor();
    // The checks of what people type answer in Chinese too.
    const port = page.getByRole('textbox', { name: '端口', exact: true });
    await port.fill('99999');
    await port.press('Enter');
    await page.getByRole('alert').filter({ hasText: '1 到 65535' }).waitFor();
    assert.equal((await calls(page, 'updateSettings')).length, 0);
    await closeChecked(page);
  });

  test('no script errors and no Content-Security-Policy violations on any page', () => {
    assert.deepEqual(problems, []);
  });
});
