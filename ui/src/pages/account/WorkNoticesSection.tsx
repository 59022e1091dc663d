// What I receive by e-mail about the works (maintenances, evolutions, incidents) that affect my
// hostings: all of them, only incidents, or nothing.
import { useState } from 'react';
import { change, useGet } from '../../api/query.js';
import { ChoiceField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Notice } from '../../components/Notice.js';
import { Loaded, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

const choices = ['all', 'incidents', 'none'] as const;
type Choice = (typeof choices)[number];

export function WorkNoticesSection() {
  const { t } = useI18n();
  const current = useGet('/me/work-notices', {});
  return (
    <Section title={t('workNotices.title')}>
      <p className="hint">{t('workNotices.explained')}</p>
      <Loaded query={current}>{(d) => <NoticesForm initial={d.receive} />}</Loaded>
    </Section>
  );
}

function NoticesForm({ initial }: { initial: Choice }) {
  const { t } = useI18n();
  const form = useForm({ receive: initial as string });
  const [saved, setSaved] = useState(false);
  const submit = async (v: { receive: string }) => {
    setSaved(false);
    await change('put', '/me/work-notices', { body: { receive: v.receive as Choice } });
    setSaved(true);
  };
  return (
    <>
      {saved && <Notice kind="success"><p>{t('workNotices.saved')}</p></Notice>}
      <Form form={form} onSubmit={submit} submitLabel={t('workNotices.save')} label={t('workNotices.title')}>
        <ChoiceField name="receive" label={t('workNotices.receive')}
          options={choices.map((c) => ({ value: c, label: t(`workNotices.${c}`), explanation: t(`workNotices.${c}.explained`) }))} />
      </Form>
    </>
  );
}
