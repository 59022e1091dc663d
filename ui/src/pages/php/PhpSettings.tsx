// A site's PHP settings (on its Web tab): what it is served with, against what its offer allows, and
// — for those who may change the site — a form where an empty field goes back to the default.
import type { Site } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import type { FieldIssue } from '../../api/client.js';
import { CheckboxField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Loaded, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/catalog.js';

type Php = { values: Record<string, string | number | boolean>; chosen: Record<string, string | number | boolean | undefined>; max: Record<string, string | number>; lowered: string[] };
const SIZES = ['memoryLimit', 'uploadMaxFilesize', 'postMaxSize'] as const;
const COUNTS = ['maxExecutionTime', 'maxInputVars'] as const;
const ROWS = [...SIZES, ...COUNTS, 'displayErrors'] as const;
const INI: Record<(typeof ROWS)[number], string> = {
  memoryLimit: 'memory_limit', uploadMaxFilesize: 'upload_max_filesize', postMaxSize: 'post_max_size',
  maxExecutionTime: 'max_execution_time', maxInputVars: 'max_input_vars', displayErrors: 'display_errors',
};

export function PhpSettings({ site, writable }: { site: Site; writable: boolean }) {
  const { t } = useI18n();
  const answer = useGet('/sites/{id}/php', { path: { id: site.id } });
  return (
    <Section title={t('php.title')}>
      <Loaded query={answer}>{(p) => (
        <>
          <PhpFacts php={p as Php} />
          {writable && <PhpForm siteId={site.id} php={p as Php} />}
        </>
      )}</Loaded>
    </Section>
  );
}

function PhpFacts({ php }: { php: Php }) {
  const { t } = useI18n();
  const shown = (k: (typeof ROWS)[number]) => {
    const v = php.values[k];
    return typeof v === 'boolean' ? t(v ? 'php.on' : 'php.off') : k === 'maxExecutionTime' ? t('php.seconds', { n: Number(v) }) : <code>{String(v)}</code>;
  };
  return (
    <table className="table" data-testid="php-settings">
      <thead><tr><th>{t('php.setting')}</th><th>{t('php.value')}</th><th>{t('php.max')}</th><th>{t('php.origin')}</th></tr></thead>
      <tbody>
        {ROWS.map((k) => (
          <tr key={k} data-testid={`php-${k}`}>
            <td>{t(`php.${k}` as MessageKey)} <code>{INI[k]}</code></td>
            <td>{shown(k)}</td>
            <td>{php.max[k] === undefined ? '' : k === 'maxExecutionTime' ? t('php.seconds', { n: Number(php.max[k]) }) : <code>{String(php.max[k])}</code>}</td>
            <td>{php.lowered.includes(k) ? t('php.lowered', { chosen: String(php.chosen[k]) }) : php.chosen[k] === undefined ? t('php.default') : t('php.chosen')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Values = Record<(typeof ROWS)[number], string | boolean>;

const valuesOf = (php: Php): Values => ({
  ...Object.fromEntries([...SIZES, ...COUNTS].map((k) => [k, php.chosen[k] === undefined ? '' : String(php.chosen[k])])),
  displayErrors: php.values.displayErrors === true,
}) as Values;

function check(v: Values): FieldIssue[] {
  const found: FieldIssue[] = [];
  for (const k of SIZES) if (String(v[k]).trim() && !/^[1-9][0-9]{0,5}[MmGg]$/.test(String(v[k]).trim())) found.push(issue(k, 'php.size'));
  for (const k of COUNTS) if (String(v[k]).trim() && !/^[1-9][0-9]*$/.test(String(v[k]).trim())) found.push(issue(k, 'form.whole_number'));
  return found;
}

function PhpForm({ siteId, php }: { siteId: string; php: Php }) {
  const { t } = useI18n();
  const form = useForm(valuesOf(php), { validate: check });
  const save = async (v: Values) => {
    const text = (k: string) => String(v[k as keyof Values]).trim();
    const body = {
      ...Object.fromEntries(SIZES.map((k) => [k, text(k) ? text(k).toUpperCase() : null])),
      ...Object.fromEntries(COUNTS.map((k) => [k, text(k) ? Number(text(k)) : null])),
      displayErrors: v.displayErrors === true,
    };
    const after = await change('patch', '/sites/{id}/php', { path: { id: siteId }, body });
    form.reset(valuesOf(after as Php));
  };
  return (
    <>
      <h3>{t('php.change')}</h3>
      <p className="hint">{t('php.changeExplained')}</p>
      <Form form={form} onSubmit={save} submitLabel={t('php.save')} label={t('php.change')}>
        {SIZES.map((k) => (
          <TextField key={k} name={k} label={t(`php.${k}` as MessageKey)} placeholder={String(php.values[k])}
            hint={t('php.sizeHint', { max: String(php.max[k]) })} />
        ))}
        {COUNTS.map((k) => (
          <TextField key={k} name={k} label={t(`php.${k}` as MessageKey)} inputMode="numeric" placeholder={String(php.values[k])}
            hint={t('php.countHint', { max: String(php.max[k]) })} />
        ))}
        <CheckboxField name="displayErrors" label={t('php.displayErrors')} hint={t('php.displayErrorsHint')} />
      </Form>
    </>
  );
}
