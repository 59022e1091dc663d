// Restores from snapshots, under a hosting's Snapshots tab: who may change the hosting picks a
// snapshot, a file or folder of the home (var/www/site/wp-config.php, var/www/site) and where it goes
// (a new restored-<date>/ folder, or in place after a safety snapshot that undoes it); its web server
// does it within moments. The last restores are listed with their state (followed while one is under
// way), why one failed, and how to undo one done in place.
import { useState } from 'react';
import type { Hosting } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { ChoiceField, SelectField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Loaded, Section } from '../../components/Page.js';
import { pending, RestoreTable, type RestoreRow } from '../../components/RestoreTable.js';
import { useI18n } from '../../i18n/i18n.js';

type Snapshot = { kind: 'hourly' | 'daily' | 'weekly' | 'monthly' | 'manual' | 'safety'; name: string; takenAt: string };
export type Restore = RestoreRow & { path: string; mode: 'copy' | 'in-place' };

export function RestoreSection({ hosting, writable, snapshots }: { hosting: Hosting; writable: boolean; snapshots: Snapshot[] }) {
  const { t } = useI18n();
  const restores = useGet('/hostings/{id}/snapshots/restores', { path: { id: hosting.id } }, {
    staleTime: 0,
    refetchInterval: (q) => (pending(q.state.data?.items as Restore[] | undefined) ? 2000 : false),
  });
  return (
    <Section title={t('restores.title')}>
      <p className="hint">{t('restores.explained')}</p>
      {writable && snapshots.length > 0 && <RestoreForm hosting={hosting} snapshots={snapshots} />}
      <Loaded query={restores}>{(r) => <RestoreList items={r.items as Restore[]} />}</Loaded>
    </Section>
  );
}

function RestoreForm({ hosting, snapshots }: { hosting: Hosting; snapshots: Snapshot[] }) {
  const { t, fmt } = useI18n();
  const [asked, setAsked] = useState(false);
  const empty = { snapshot: snapshots[0]!.name, path: '', mode: 'copy' };
  const form = useForm(empty);
  const restore = async (v: typeof empty) => {
    setAsked(false);
    await change('post', '/hostings/{id}/snapshots/restores', { path: { id: hosting.id }, body: { snapshot: v.snapshot, path: v.path, mode: v.mode as 'copy' | 'in-place' } });
    form.reset({ ...v, path: '' });
    setAsked(true);
  };
  return (
    <>
      <h3>{t('restores.create')}</h3>
      <Form form={form} onSubmit={restore} submitLabel={t('restores.submit')} label={t('restores.create')}>
        <SelectField name="snapshot" label={t('restores.snapshot')}
          options={snapshots.map((s) => ({ value: s.name, label: `${s.name} · ${t(`snapshots.kind.${s.kind}`)} · ${fmt.dateTime(s.takenAt)}` }))} />
        <TextField name="path" label={t('restores.path')} required hint={t('restores.pathHint')} placeholder="var/www/site/wp-config.php" />
        <ChoiceField name="mode" label={t('restores.mode')} options={[
          { value: 'copy', label: t('restores.mode.copy'), explanation: t('restores.mode.copyExplained') },
          { value: 'in-place', label: t('restores.mode.in-place'), explanation: t('restores.mode.in-placeExplained') },
        ]} />
      </Form>
      {asked && <p role="status" data-testid="restore-asked">{t('restores.asked')}</p>}
    </>
  );
}

export function RestoreList({ items }: { items: Restore[] }) {
  const { t } = useI18n();
  return (
    <RestoreTable items={items} testId="restores" what={(r) => r.path}
      text={{ list: t('restores.list'), none: t('restores.none'), inPlace: t('restores.mode.in-place'), columns: [t('restores.path'), t('restores.snapshot'), t('restores.target'), t('restores.requestedAt'), t('restores.status')] }}
      undo={(r, snapshot) => t('restores.undo', { snapshot, path: r.path })} />
  );
}
