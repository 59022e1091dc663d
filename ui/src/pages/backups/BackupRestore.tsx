// Restores from off-server backups, under a hosting's Backups tab: who may change the hosting picks a
// backup, browses its tree one folder at a time (read in the repository by its web server when a
// folder opens), picks a file or folder, and where it goes (a new restored-<date>/ folder, or in place
// after a safety snapshot that undoes it); its web server does it within moments. The restores are
// listed with the other restores from the backups (PartRestores.tsx), and with those from snapshots.
import { useState } from 'react';
import type { Hosting } from '../../api/model.js';
import { change, LIVE, useGet } from '../../api/query.js';
import { ChoiceField, SelectField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Loaded, Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';

type Backup = { id: string; shortId: string; time: string };

export function BackupRestore({ hosting, backups, writable, staff }: { hosting: Hosting; backups: Backup[]; writable: boolean; staff: boolean }) {
  const { t } = useI18n();
  return (
    <Section title={t('backupRestore.title')}>
      <p className="hint">{t('backupRestore.explained')}</p>
      {writable && backups.length > 0 && <RestoreForm hosting={hosting} backups={backups} staff={staff} />}
    </Section>
  );
}

function RestoreForm({ hosting, backups, staff }: { hosting: Hosting; backups: Backup[]; staff: boolean }) {
  const { t, fmt } = useI18n();
  const [folder, setFolder] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [asked, setAsked] = useState(false);
  const empty = { backup: backups[0]!.id, mode: 'copy' };
  const form = useForm(empty);
  const backup = form.values.backup;
  const restore = async (v: typeof empty) => {
    setAsked(false);
    await change('post', '/hostings/{id}/backups/{snapshot}/restore', { path: { id: hosting.id, snapshot: v.backup }, body: { part: 'files', path: picked ?? '', mode: v.mode as 'copy' | 'in-place' } });
    setPicked(null);
    setAsked(true);
  };
  const whole = async () => {
    setAsked(false);
    await change('post', '/hostings/{id}/backups/{snapshot}/restore', { path: { id: hosting.id, snapshot: backup }, body: { part: 'hosting' } });
    setAsked(true);
  };
  const up = folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '';
  return (
    <>
      <Form form={form} onSubmit={restore} submitLabel={t('restores.submit')} label={t('backupRestore.title')}>
        <SelectField name="backup" label={t('backupRestore.backup')} options={backups.map((b) => ({ value: b.id, label: `${fmt.dateTime(b.time)} · ${b.shortId}` }))} />
        <h3 id="backup-tree-title">{t('backupRestore.browse')} <code data-testid="backup-tree-folder">/{folder}</code></h3>
        {folder !== '' && (
          <button type="button" className="button" onClick={() => { setFolder(up); setPicked(null); }} data-testid="backup-tree-up">{t('backupRestore.up')}</button>
        )}
        <Tree hosting={hosting} backup={backup} folder={folder} picked={picked} onOpen={(p) => { setFolder(p); setPicked(null); }} onPick={setPicked} />
        <p data-testid="backup-picked">{picked ? <>{t('backupRestore.picked')} <code>{picked}</code></> : t('backupRestore.pickOne')}</p>
        <ChoiceField name="mode" label={t('restores.mode')} options={[
          { value: 'copy', label: t('restores.mode.copy'), explanation: t('restores.mode.copyExplained') },
          { value: 'in-place', label: t('restores.mode.in-place'), explanation: t('restores.mode.in-placeExplained') },
        ]} />
      </Form>
      {staff && (
        <ConfirmButton label={t('backupRestore.whole')} title={t('backupRestore.wholeTitle', { name: hosting.name })} confirmLabel={t('backupRestore.whole')} onConfirm={whole}>
          <p>{t('backupRestore.wholeExplained')}</p>
        </ConfirmButton>
      )}
      {asked && <p role="status" data-testid="backup-restore-asked">{t('backupRestore.asked')}</p>}
    </>
  );
}

function Tree(p: { hosting: Hosting; backup: string; folder: string; picked: string | null; onOpen(path: string): void; onPick(path: string): void }) {
  const { t, fmt } = useI18n();
  const answer = useGet('/hostings/{id}/backups/{snapshot}/tree', { path: { id: p.hosting.id, snapshot: p.backup }, query: { path: p.folder } }, { meta: LIVE, staleTime: 60_000, refetchOnWindowFocus: false });
  return (
    <Loaded query={answer}>
      {(r) => r.entries.length === 0 ? <p className="hint" data-testid="backup-tree-empty">{t('backupRestore.emptyFolder')}</p> : (
        <TableScroll label={t('backupRestore.browse')}>
          <table data-testid="backup-tree" aria-labelledby="backup-tree-title">
            <thead>
              <tr>
                <th scope="col">{t('backupRestore.name')}</th>
                <th scope="col" className="num">{t('backups.size')}</th>
                <th scope="col">{t('backupRestore.modified')}</th>
                <th scope="col"><span className="visually-hidden">{t('backupRestore.pick')}</span></th>
              </tr>
            </thead>
            <tbody>
              {r.entries.map((e) => (
                <tr key={e.path} aria-selected={p.picked === e.path}>
                  <th scope="row">
                    {e.type === 'dir'
                      ? <button type="button" className="link-button" onClick={() => p.onOpen(e.path)}>{e.name}/</button>
                      : <code>{e.name}{e.type === 'symlink' ? ' →' : ''}</code>}
                  </th>
                  <td className="num">{e.size === null ? '—' : fmt.bytes(e.size)}</td>
                  <td>{e.mtime ? fmt.dateTime(e.mtime) : '—'}</td>
                  <td>
                    {(e.type === 'dir' || e.type === 'file') && (
                      <button type="button" className="button" onClick={() => p.onPick(e.path)} aria-pressed={p.picked === e.path} aria-label={t('backupRestore.pickNamed', { name: e.path })}>
                        {t('backupRestore.pick')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Loaded>
  );
}
