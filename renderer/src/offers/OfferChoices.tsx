// What a file offer holds, each entry with a checkbox: the person leaves out what they do not
// want. A folder's box is ticked when all of it is, and shows a dash (mixed) when part of it is.
// An offer that lists only its first entries can be chosen from by its top-level entries; the
// rest of the list is shown, without boxes of its own. With nothing to choose between (a
// single file), the list is shown without boxes at all.

import { useId, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../state/format.js';
import { filesUnder, tickState, type ChoiceTree, type TickState } from '../state/offer-choice.js';
import { Icon } from '../ui/Icon.js';
import { MiddlePath } from '../ui/MiddlePath.js';

/** A native checkbox that can show the mixed state (indeterminate is a property, not an attribute). */
function TickBox({ id, name, state, onChange }: { id: string; name: string; state: TickState; onChange: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'mixed';
  }, [state]);
  // Named by the whole path: the label's two boxes (MiddlePath) would read with a space between.
  return <input ref={ref} id={id} type="checkbox" className="tick" aria-label={name} checked={state === 'on'} onChange={onChange} />;
}

export function OfferChoices({
  tree,
  ticked,
  onToggle,
  hidden,
  label,
  fixed = false,
}: {
  tree: ChoiceTree;
  ticked: ReadonlySet<number>;
  onToggle: (node: number) => void;
  /** Entries the list leaves out. */
  hidden: number;
  label: string;
  /** Nothing to choose (one file, say): the list alone, focusable so it can be scrolled. */
  fixed?: boolean;
}) {
  const base = useId();
  const { t } = useTranslation();
  return (
    <ul className="offer-files offer-choices" aria-label={label} tabIndex={fixed ? 0 : undefined}>
      {tree.nodes.map((n, i) => {
        const state = fixed ? 'on' : tickState(tree, ticked, i);
        const choosable = n.choosable && !fixed;
        const id = `${base}-${i}`;
        const classes = ['offer-entry', n.dir ? 'is-dir' : '', state === 'off' ? 'is-off' : '', choosable ? '' : 'is-fixed']
          .filter(Boolean)
          .join(' ');
        const content = (
          <>
            <Icon name={n.dir ? 'folder' : 'file'} size={16} />
            <MiddlePath path={n.path} className="offer-path" />
            {n.dir && <span className="sr-only">{t('offers.choices.folderNote')}</span>}
          </>
        );
        return (
          <li key={n.path} className={classes} style={{ paddingInlineStart: 12 + n.depth * 22 }}>
            {choosable ? (
              <>
                <TickBox
                  id={id}
                  name={n.dir ? t('offers.choices.folder', { path: n.path }) : n.path}
                  state={state}
                  onChange={() => onToggle(i)}
                />
                <label htmlFor={id} className="offer-entry-label">
                  {content}
                </label>
              </>
            ) : (
              <span className="offer-entry-label">{content}</span>
            )}
            {n.dir
              ? tree.complete && <span className="offer-file-size">{t('common.count.files', { count: filesUnder(tree, i) })}</span>
              : n.size !== null && <span className="offer-file-size">{formatBytes(n.size)}</span>}
          </li>
        );
      })}
      {hidden > 0 && <li className="offer-more">{t('offers.choices.more', { count: hidden })}</li>}
    </ul>
  );
}
