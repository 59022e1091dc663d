// Staff: the accounting exports on the invoices page — a range of days, then the CSV of invoices and
// credit notes or the FEC of the sales journal, downloaded under the name the manager gives. A bad
// range is said next to its field (the form's own check) or as the API's problem, translated.
import { problemOf } from '../../api/client.js';
import { SelectField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

type Values = { from: string; to: string; separator: string };
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

function check(v: Values) {
  const found = (['from', 'to'] as const).filter((k) => !isDay(v[k])).map((k) => issue(k, 'exports.day'));
  if (!found.length && v.from > v.to) found.push(issue('to', 'exports.order'));
  return found;
}

/** Saves what the API answered as a file, under its content-disposition's name. */
async function save(res: Response) {
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.txt';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportsPanel() {
  const { t } = useI18n();
  const today = new Date().toISOString().slice(0, 10);
  const form = useForm<Values>({ from: `${today.slice(0, 4)}-01-01`, to: today, separator: 'tab' }, { validate: check });
  const download = (what: 'invoices.csv' | 'fec') => async (v: Values) => {
    const query = new URLSearchParams({ from: v.from, to: v.to, ...(what === 'fec' ? { separator: v.separator } : {}) });
    const res = await fetch(`/api/v1/billing/exports/${what}?${query}`, { credentials: 'same-origin' });
    if (!res.ok) throw await problemOf(res);
    await save(res);
  };
  return (
    <Section title={t('exports.title')}>
      <p className="hint">{t('exports.explained')}</p>
      <Form form={form} onSubmit={download('invoices.csv')} submitLabel={t('exports.csv')} label={t('exports.title')}
        actions={<button type="button" disabled={form.busy} onClick={form.submit(download('fec'))}>{t('exports.fec')}</button>}>
        <div className="field-row">
          <TextField name="from" type="date" label={t('exports.from')} required />
          <TextField name="to" type="date" label={t('exports.to')} hint={t('exports.toHint')} required />
          <SelectField name="separator" label={t('exports.separator')} options={[{ value: 'tab', label: t('exports.separator.tab') }, { value: 'pipe', label: t('exports.separator.pipe') }]} />
        </div>
      </Form>
    </Section>
  );
}
