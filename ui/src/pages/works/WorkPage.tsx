// One work: what it is, what it affects, planned versus actual times, its history. The staff
// (/staff/works/<number>) also tell updates (which may move its state) and move its plan; a
// customer (/works/<number>) reads it, with its own hostings the work affects.
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Work, WorkState } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { SelectField, TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useAffects, useWorkText, useWorkTimes, WorkHistory, WorkStateBadge } from './WorkParts.js';
import { isoOrRaw } from './WorksPage.js';

const staffRoute = getRouteApi('/staff/works/$work');
const customerRoute = getRouteApi('/works/$work');

export function StaffWorkPage() {
  const { work } = staffRoute.useParams();
  return <Loaded query={useGet('/works/{id}', { path: { id: work } })}>{(w) => <WorkView work={w} staff />}</Loaded>;
}

export function CustomerWorkPage() {
  const { work } = customerRoute.useParams();
  return <Loaded query={useGet('/works/{id}', { path: { id: work } })}>{(w) => <WorkView work={w} staff={false} />}</Loaded>;
}

const nextStates: Record<WorkState, WorkState[]> = {
  planned: ['in_progress', 'cancelled'], in_progress: ['done', 'cancelled'], done: [], cancelled: [],
  investigating: ['identified', 'monitoring', 'resolved'], identified: ['investigating', 'monitoring', 'resolved'], monitoring: ['investigating', 'identified', 'resolved'], resolved: [],
};

function WorkView({ work: w, staff }: { work: Work; staff: boolean }) {
  const { t } = useI18n();
  const text = useWorkText();
  const affects = useAffects();
  const times = useWorkTimes();
  const crumbs = staff ? [<Link to="/staff/works" activeOptions={{ exact: true }}>{t('works.title')}</Link>] : [<Link to="/" activeOptions={{ exact: true }}>{t('nav.dashboard')}</Link>];
  return (
    <Page title={t('work.pageTitle', { number: w.number, title: text(w.title) })} crumbs={crumbs} subtitle={<WorkStateBadge state={w.state} />}>
      <dl className="facts">
        <dt>{t('work.kind')}</dt><dd>{t(`workKind.${w.kind}`)}</dd>
        <dt>{t('work.affects')}</dt><dd>{affects(w)}</dd>
        <dt>{staff ? t('work.affected') : t('work.yourHostings')}</dt>
        <dd>{staff ? t('work.affectedCount', { hostings: w.affected.hostings, customers: w.affected.customers }) : w.affected.yours.map((h) => h.name).join(', ') || '—'}</dd>
        <dt>{t('work.planned')}</dt><dd data-testid="work-planned">{times.planned(w)}</dd>
        <dt>{t('work.actual')}</dt><dd data-testid="work-actual">{times.actual(w)}</dd>
      </dl>
      {text(w.text).split(/\n{2,}/).filter(Boolean).map((p, i) => <p key={i}>{p}</p>)}
      {staff && !w.finished && <UpdateForm work={w} />}
      {staff && w.state === 'planned' && <PlanForm work={w} />}
      <Section title={t('work.history')}><WorkHistory work={w} /></Section>
    </Page>
  );
}

function UpdateForm({ work: w }: { work: Work }) {
  const { t } = useI18n();
  const initial = { state: '', textFr: '', textEn: '', at: '' };
  const form = useForm(initial, { fieldOf: (f) => ({ text: 'textFr' })[f] as keyof typeof initial | undefined });
  const submit = async (v: typeof initial) => {
    const body = { ...(v.state ? { state: v.state as WorkState } : {}), ...(v.textFr || v.textEn ? { text: { fr: v.textFr, en: v.textEn } } : {}), ...(isoOrRaw(v.at) ? { at: isoOrRaw(v.at) } : {}) };
    await change('post', '/works/{id}/updates', { path: { id: w.id }, body });
    form.reset(initial);
  };
  return (
    <Section title={t('work.update')}>
      <Form form={form} onSubmit={submit} submitLabel={t('work.send')} label={t('work.update')}>
        <SelectField name="state" label={t('work.updateState')} options={[{ value: '', label: t('work.keepState') }, ...nextStates[w.state].map((s) => ({ value: s, label: t(`workState.${s}`) }))]} />
        <TextArea name="textFr" label={t('work.textFr')} />
        <TextArea name="textEn" label={t('work.textEn')} />
        <TextField name="at" label={t('work.updateAt')} hint={t('work.plannedStartHint')} />
      </Form>
    </Section>
  );
}

function PlanForm({ work: w }: { work: Work }) {
  const { t } = useI18n();
  const initial = { plannedStart: w.plannedStart ?? '', plannedMinutes: String(w.plannedMinutes ?? ''), noteFr: '', noteEn: '' };
  const form = useForm(initial, { fieldOf: (f) => ({ note: 'noteFr' })[f] as keyof typeof initial | undefined });
  const submit = async (v: typeof initial) => {
    const body = {
      ...(isoOrRaw(v.plannedStart) ? { plannedStart: isoOrRaw(v.plannedStart) } : {}),
      ...(v.plannedMinutes ? { plannedMinutes: Number(v.plannedMinutes) } : {}),
      ...(v.noteFr || v.noteEn ? { note: { fr: v.noteFr, en: v.noteEn } } : {}),
    };
    const after = await change('patch', '/works/{id}', { path: { id: w.id }, body });
    form.reset({ ...initial, plannedStart: after.plannedStart ?? '', plannedMinutes: String(after.plannedMinutes ?? '') });
  };
  return (
    <Section title={t('work.plan')}>
      <p className="hint">{t('work.planHint')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('work.savePlan')} label={t('work.plan')}>
        <TextField name="plannedStart" label={t('work.plannedStart')} hint={t('work.plannedStartHint')} />
        <TextField name="plannedMinutes" label={t('work.plannedMinutes')} inputMode="numeric" />
        <TextField name="noteFr" label={t('work.noteFr')} />
        <TextField name="noteEn" label={t('work.noteEn')} />
      </Form>
    </Section>
  );
}
