// The "LocalSend" tag: how a device, an offer or a transfer reached through LocalSend's
// protocol is told apart from Ferry's own (a computer running both is listed once for each).

import { useTranslation } from 'react-i18next';

export function LocalSendTag() {
  const { t } = useTranslation();
  return (
    <span className="badge badge-localsend" title={t('app.localsendTag.title')}>
      {t('app.localsendTag.name')}
    </span>
  );
}
