// Ferry in English and Simplified Chinese: the catalogs agree key for key, placeholder for
// placeholder and plural form for plural form; every key is used and every key used exists;
// no component writes words of its own; the language is picked as people expect; and numbers,
// sizes and times read right in both languages.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { en } from '../../main/i18n/catalog/en.js';
import { zhCN } from '../../main/i18n/catalog/zh-CN.js';
import { formatters } from '../../main/i18n/format.js';
import { createI18n, errorText, languagesFromEnv, matchLanguage, pickLanguage, resolveLanguage } from '../../main/i18n/index.js';
import { REPO } from '../repo.js';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string): string => key.replace(PLURAL, '');
const CATALOGS = { en: flatten(en), 'zh-CN': flatten(zhCN) };

/** Key → its forms (the key itself, or key_one, key_other). */
function byBase(flat: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of flat.keys()) out.set(base(key), [...(out.get(base(key)) ?? []), key]);
  return out;
}

function sourceFiles(dir: string, exts: readonly string[], skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !exts.some((e) => entry.name.endsWith(e))) continue;
    const rel = path.relative(REPO, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (!skip(rel)) out.push(rel);
  }
  return out;
}

// Where keys are used: the renderer, the hosts, and main/i18n's own modules (not the catalogs).
const USERS = [
  ...sourceFiles('renderer/src', ['.ts', '.tsx']),
  ...sourceFiles('main', ['.ts'], (rel) => rel.startsWith('main/i18n/catalog/')),
];
const USED_SOURCE = USERS.map((f) => fs.readFileSync(path.join(REPO, f), 'utf8')).join('\n');

describe('the catalogs', () => {
  test('Chinese has every key English has, and no other', () => {
    const enKeys = new Set(byBase(CATALOGS.en).keys());
    const zhKeys = new Set(byBase(CATALOGS['zh-CN']).keys());
    const missing = [...enKeys].filter((k) => !zhKeys.has(k));
    const extra = [...zhKeys].filter((k) => !enKeys.has(k));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    assert.ok(enKeys.size > 300, `only ${enKeys.size} keys: is the catalog wired?`);
  });

  test('a counted text has each plural form its language needs, and only those', () => {
    const plurals = [...byBase(CATALOGS.en)].filter(([, forms]) => forms.some((f) => PLURAL.test(f))).map(([k]) => k);
    assert.ok(plurals.includes('common.count.files'));
    for (const [lang, flat] of Object.entries(CATALOGS)) {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const key of plurals) {
        const have = (byBase(flat).get(key) ?? []).map((f) => f.slice(key.length + 1)).sort();
        assert.deepEqual(have, [...needed].sort(), `${lang} ${key}`);
      }
    }
  });

  test('English and Chinese name the same placeholders and the same markup in every text', () => {
    const marks = (s: string): string[] =>
      [...new Set([...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}|<\/?(\w+)\s*\/?>/g)].map((m) => m[1] ?? `<${m[2]}>`))].sort();
    const zhBases = byBase(CATALOGS['zh-CN']);
    for (const [key, forms] of byBase(CATALOGS.en)) {
      const enMarks = marks(forms.map((f) => CATALOGS.en.get(f)).join(' '));
      const zhMarks = marks((zhBases.get(key) ?? []).map((f) => CATALOGS['zh-CN'].get(f)).join(' '));
      // English's _one form may write "1" instead of {{count}}; count is a plural's argument anyway.
      assert.deepEqual(
        zhMarks.filter((m) => m !== 'count'),
        enMarks.filter((m) => m !== 'count'),
        key,
      );
    }
  });

  test('the Chinese is Chinese: no English sentence left untranslated', () => {
    // Words that stay as they are in a Chinese UI: names, and the technical terms users meet so.
    const KEPT =
      /\b(Ferry|LocalSend|PIN|TLS|md5|MD5|QR|URL|IP|IPv4|IPv6|ID|JSON|HTTPS?|LAN|Wi-Fi|UDP|TCP|mDNS|CLI|PATH|SHA-256|English|OK|macOS|Windows|Linux|Android|iOS|GNOME|KDE|Ctrl|Cmd|Enter|Esc|Tab|Shift|Alt|Option|Space|nft|iptables|ufw|firewalld|sudo|ferry|serve|send|receive|peers|trust|help|stdin|stdout|stderr|Chromium|Electron|Node|npm|Debian|multicast|kB|MB|GB|TB|PB)\b/g;
    const untranslated = [...CATALOGS['zh-CN']]
      .filter(([, v]) => !/[\u3400-\u9fff]/.test(v))
      .filter(([, v]) =>
        /[A-Za-z]{3,}/.test(
          v
            .replace(/\{\{[^}]*\}\}/g, '')
            .replace(/<\/?\w+\s*\/?>/g, '')
            .replace(/--?[\w-]+/g, '')
            .replace(KEPT, ''),
        ),
      )
      .map(([k, v]) => `${k}: ${v}`);
    assert.deepEqual(untranslated, []);
  });

  test('every key is used by the code, written whole', () => {
    const unused = [...byBase(CATALOGS.en).keys()].filter(
      (key) => !new RegExp(`['"\`]${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}['"\`]`).test(USED_SOURCE),
    );
    assert.deepEqual(unused, []);
  });

  test('every key the code names exists', () => {
    // Any literal that starts with a catalog's part is a key, whatever function it goes to
    // (t, i18n.t, a local alias, <Trans i18nKey>, a map of keys).
    const keys = new Set(byBase(CATALOGS.en).keys());
    const parts = Object.keys(en).join('|');
    const named = [...USED_SOURCE.matchAll(new RegExp(`['"\`]((?:${parts})\\.[\\w.-]+)['"\`]`, 'g'))]
      .map((m) => m[1] ?? '')
      .filter((k) => !/\.(json|m?js|ts)$/.test(k)); // file names such as 'settings.json'
    assert.ok(named.length > 500, `only ${named.length} uses found`);
    assert.deepEqual(
      named.filter((k) => !keys.has(k)),
      [],
    );
  });
});

// Attributes whose text a person reads or hears.
const READ_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);
const WORDS = /\p{L}{2,}/u;

/** String literals an expression evaluates to directly (not those passed to a call, like t('key')). */
function directLiterals(e: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e];
  if (ts.isTemplateExpression(e)) return [e.head, ...e.templateSpans.map((s) => s.literal)];
  if (ts.isParenthesizedExpression(e)) return directLiterals(e.expression);
  if (ts.isConditionalExpression(e)) return [...directLiterals(e.whenTrue), ...directLiterals(e.whenFalse)];
  if (ts.isBinaryExpression(e)) {
    // A comparison (view === 'devices' && …) says nothing; only what the expression yields.
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken)
      return [...directLiterals(e.left), ...directLiterals(e.right)];
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return directLiterals(e.right);
    return [];
  }
  return [];
}

function literalText(n: ts.Node): string {
  return ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateLiteralToken(n) ? n.text : '';
}

/** Words a component writes itself: JSX text, read attributes and children given as literals. */
export function hardCodedTexts(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (n: ts.Node, text: string): void => {
    if (WORDS.test(text)) found.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${text.trim()}`);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isJsxText(n)) report(n, n.text);
    else if (ts.isJsxAttribute(n) && READ_ATTRIBUTES.has(n.name.getText(sf)) && n.initializer) {
      if (ts.isStringLiteral(n.initializer)) report(n, n.initializer.text);
      else if (ts.isJsxExpression(n.initializer) && n.initializer.expression)
        for (const l of directLiterals(n.initializer.expression)) report(l, literalText(l));
    } else if (ts.isJsxExpression(n) && n.expression && (ts.isJsxElement(n.parent) || ts.isJsxFragment(n.parent))) {
      for (const l of directLiterals(n.expression)) report(l, literalText(l));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('the components', () => {
  test('the checker finds words written in JSX, in read attributes and as literal children', () => {
    const sample = `const A = () => <div title="Open it" aria-label={x ? 'Yes please' : t('a.b')} className="row">Hello {t('x.y')}{'Bye now'} {v === 'done' && 'All done'} {n} ·</div>;`;
    assert.deepEqual(
      hardCodedTexts('sample.tsx', sample).map((s) => s.replace(/^sample\.tsx:1: /, '')),
      ['Open it', 'Yes please', 'Hello', 'Bye now', 'All done'],
    );
  });

  test('no component writes words of its own: they all come from the catalogs', () => {
    const found = sourceFiles('renderer/src', ['.tsx']).flatMap((f) => hardCodedTexts(f, fs.readFileSync(path.join(REPO, f), 'utf8')));
    assert.deepEqual(found, []);
  });
});

describe('the language', () => {
  test('a tag or a POSIX locale names the language; every Chinese is Simplified Chinese; others are none', () => {
    assert.equal(matchLanguage('zh-CN'), 'zh-CN');
    assert.equal(matchLanguage('zh_CN.UTF-8'), 'zh-CN');
    assert.equal(matchLanguage('zh-Hans-SG'), 'zh-CN');
    assert.equal(matchLanguage('zh-TW'), 'zh-CN');
    assert.equal(matchLanguage('en-GB'), 'en');
    assert.equal(matchLanguage('en_US.utf8@euro'), 'en');
    assert.equal(matchLanguage('de-DE'), null);
    assert.equal(matchLanguage('C'), null);
    assert.equal(matchLanguage(''), null);
  });

  test('the first preferred language Ferry speaks, else English; the setting wins over both', () => {
    assert.equal(pickLanguage(['de-DE', 'zh-CN', 'en']), 'zh-CN');
    assert.equal(pickLanguage(['fr', 'de']), 'en');
    assert.equal(pickLanguage([]), 'en');
    assert.equal(resolveLanguage('system', ['zh-CN']), 'zh-CN');
    assert.equal(resolveLanguage('en', ['zh-CN']), 'en');
    assert.equal(resolveLanguage('zh-CN', ['en-US']), 'zh-CN');
  });

  test('the environment as gettext reads it: LANGUAGE, then LC_ALL, LC_MESSAGES, LANG; C means English', () => {
    assert.equal(pickLanguage(languagesFromEnv({ LANG: 'zh_CN.UTF-8' })), 'zh-CN');
    assert.equal(pickLanguage(languagesFromEnv({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })), 'en');
    assert.equal(pickLanguage(languagesFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' })), 'zh-CN');
    assert.equal(pickLanguage(languagesFromEnv({ LANG: 'de_DE.UTF-8', LANGUAGE: 'fr:zh_CN' })), 'zh-CN');
    assert.equal(pickLanguage(languagesFromEnv({ LANG: 'C.UTF-8', LANGUAGE: 'zh_CN' })), 'en');
    assert.equal(pickLanguage(languagesFromEnv({})), 'en');
  });
});

describe('numbers, sizes and times in both languages', () => {
  const enF = formatters(createI18n('en'));
  const zhI = createI18n('zh-CN');
  const zhF = formatters(zhI);

  test('sizes and speeds', () => {
    assert.equal(enF.bytes(1_234_567), '1.2 MB');
    assert.equal(zhF.bytes(1_234_567), '1.2 MB');
    assert.equal(enF.speed(3_400_000), '3.4 MB/s');
    assert.equal(zhF.speed(3_400_000), '3.4 MB/秒');
    assert.equal(zhF.speed(0), null);
  });

  test('counts: plural in English, a measure word in Chinese, digits grouped', () => {
    assert.equal(enF.contents(1, 0), '1 file');
    assert.equal(enF.contents(1234, 2), '1,234 files and 2 folders');
    assert.equal(enF.contents(0, 1), '1 folder');
    assert.equal(zhF.contents(1, 0), '1 个文件');
    assert.equal(zhF.contents(1234, 2), '1,234 个文件和 2 个文件夹');
  });

  test('time left and durations', () => {
    assert.equal(enF.eta(180), 'about 3 min left');
    assert.equal(zhF.eta(180), '大约还剩 3 分钟');
    assert.equal(zhF.eta(5), '还剩几秒');
    assert.equal(enF.duration(185_000), '3 min 5 s');
    assert.equal(zhF.duration(185_000), '3 分 5 秒');
    assert.equal(zhF.duration(2 * 86_400_000 + 3_600_000), '2 天 1 小时');
  });

  test('dates: today and yesterday in words, else the date as the language writes it', () => {
    const now = new Date(2025, 4, 14, 12, 0).getTime();
    assert.equal(zhF.when(new Date(2025, 4, 14, 9, 5).getTime(), now), '今天 09:05');
    assert.equal(zhF.when(new Date(2025, 4, 13, 23, 59).getTime(), now), '昨天 23:59');
    assert.match(zhF.when(new Date(2025, 0, 2, 8, 0).getTime(), now), /^1月2日 08:00$/);
    assert.equal(enF.when(new Date(2025, 4, 14, 9, 5).getTime(), now, 'en-GB'), 'Today, 09:05');
  });

  test('errors: the engine’s own message in English, the sentence for its code in Chinese', () => {
    const e = { code: 'NO_SPACE', message: 'not enough disk space: 3 GB needed, 1 GB free' };
    assert.equal(errorText(createI18n('en'), e), e.message);
    assert.equal(errorText(zhI, e), '磁盘空间不足。');
    assert.equal(errorText(zhI, { code: 'NOT_A_CODE', message: 'odd' }), 'odd');
    assert.equal(errorText(zhI, { code: null, message: '' }), '出了点问题。');
  });
});
