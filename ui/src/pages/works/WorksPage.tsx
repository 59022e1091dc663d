// Staff: the works (/staff/works) — filtered by kind and state, searched — the record of announced
// durations, and announcing a new work (/staff/works/new).
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { WorkKind, WorkState } from '../../api/model.js';
import { change, useGet, type BodyOf } from '../../api/query.js';
import { ChecklistField, CheckboxField, SelectField, TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { WorkRecordSection, WorksTable } from './WorkParts.js';

export const workKinds: WorkKind[] = ['maintenance', 'evolution', 'incident'];
export const workStates: WorkState[] = ['planned', 'in_progress', 'done', 'cancelled', 'investigating', 'identified', 'monitoring', 'resolved'];
const roles: BodyOf<'/servers', 'post'>['roles'] = ['edge', 'web', 'dns', 'mail', 'database', 'ftp', 'backup', 'status'];

export function WorksPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState('');
  const [state, setState] = useState('');
  return (
    <Page title={t('works.title')} actions={<><Link to="/staff/works/publication" className="button">{t('publish.link')}</Link> <Link to="/staff/work-channels" className="button">{t('works.channels')}</Link> <Link to="/staff/works/new" className="button primary">{t('works.new')}</Link></>}>
      <p className="hint">{t('works.explained')}</p>
      <div className="search filter">
        <label htmlFor="works-kind">{t('works.kindFilter')}</label>
        <select id="works-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">{t('works.all')}</option>
          {workKinds.map((k) => <option key={k} value={k}>{t(`workKind.${k}`)}</option>)}
        </select>
      </div>
      <div className="search filter">
        <label htmlFor="works-state">{t('works.stateFilter')}</label>
        <select id="works-state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">{t('works.all')}</option>
          <option value="open">{t('works.open')}</option>
          {workStates.map((s) => <option key={s} value={s}>{t(`workState.${s}`)}</option>)}
        </select>
      </div>
      <WorksTable filters={{ kind: kind || undefined, state: state && state !== 'open' ? state : undefined, open: state === 'open' ? 'true' : undefined }} />
      <WorkRecordSection />
    </Page>
  );
}

/** A time typed in a form: empty (undefined), the ISO instant it names, or the text as typed (the API says what is wrong). */
export const isoOrRaw = (v: unknown) => {
  const s = String(v).trim();
  return !s ? undefined : Number.isNaN(Date.parse(s)) ? s : new Date(s).toISOString();
};

export function NewWorkPage() {
  const { t, tMaybe } = useI18n();
  const navigate = useNavigate();
  const servers = useGet('/servers', { query: { limit: 1000, sort: 'name' } });
  const initial = { kind: 'maintenance', titleFr: '', titleEn: '', textFr: '', textEn: '', platform: false, roles: [] as string[], servers: [] as string[], plannedStart: '', plannedMinutes: '', startedAt: '' };
  const form = useForm(initial, { fieldOf: (f) => ({ title: 'titleFr', text: 'textFr', affects: 'roles' })[f] as keyof typeof initial | undefined });
  const submit = async (v: typeof initial) => {
    const incident = v.kind === 'incident';
    const body = {
      kind: v.kind as WorkKind, title: { fr: v.titleFr || v.titleEn, en: v.titleEn || v.titleFr }, text: { fr: v.textFr, en: v.textEn },
      affects: { platform: v.platform, roles: v.roles as typeof roles, servers: v.servers },
      ...(!incident && isoOrRaw(v.plannedStart) ? { plannedStart: isoOrRaw(v.plannedStart) } : {}),
      ...(!incident && v.plannedMinutes ? { plannedMinutes: Number(v.plannedMinutes) } : {}),
      ...(incident && isoOrRaw(v.startedAt) ? { startedAt: isoOrRaw(v.startedAt) } : {}),
    };
    const w = await change('post', '/works', { body });
    await navigate({ to: '/staff/works/$work', params: { work: String(w.number) } });
  };
  const incident = form.values.kind === 'incident';
  return (
    <Page title={t('works.new')} crumbs={[<Link to="/staff/works" activeOptions={{ exact: true }}>{t('works.title')}</Link>]}>
      <Form form={form} onSubmit={submit} submitLabel={t('work.create')} label={t('works.new')}>
        <SelectField name="kind" label={t('work.kind')} options={workKinds.map((k) => ({ value: k, label: t(`workKind.${k}`) }))} />
        <TextField name="titleFr" label={t('work.titleFr')} required />
        <TextField name="titleEn" label={t('work.titleEn')} required />
        <TextArea name="textFr" label={t('work.textFr')} hint={t('work.textHint')} />
        <TextArea name="textEn" label={t('work.textEn')} />
        <CheckboxField name="platform" label={t('work.affectsPlatformField')} />
        <ChecklistField name="roles" label={t('work.rolesField')} options={roles.map((r) => ({ value: r, label: tMaybe(`serverRole.${r}`, r) }))} />
        <ChecklistField name="servers" label={t('work.serversField')} options={(servers.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} />
        {!incident && <TextField name="plannedStart" label={t('work.plannedStart')} hint={t('work.plannedStartHint')} required />}
        {!incident && <TextField name="plannedMinutes" label={t('work.plannedMinutes')} inputMode="numeric" required />}
        {incident && <TextField name="startedAt" label={t('work.startedAt')} hint={t('work.plannedStartHint')} />}
      </Form>
    </Page>
  );
}
