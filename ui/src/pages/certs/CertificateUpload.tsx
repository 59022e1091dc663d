// Upload one's own certificate: the certificate, its private key (stored encrypted, never shown
// again) and the optional chain, as PEM text. The API's errors show next to the field they concern.
import { useRef } from 'react';
import type { Certificate, Site } from '../../api/model.js';
import { change } from '../../api/query.js';
import { TextArea } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';

export function CertificateUpload({ site, replacing, uploaded }: { site: Site; replacing: boolean; uploaded(c: Certificate): void }) {
  const { t } = useI18n();
  const empty = { certificate: '', privateKey: '', chain: '' };
  const form = useForm(empty);
  const box = useRef<HTMLDetailsElement>(null);
  const submit = async (v: typeof empty) => {
    const body = { certificate: v.certificate, privateKey: v.privateKey, ...(v.chain.trim() ? { chain: v.chain } : {}) };
    const c = await change('post', '/sites/{id}/certificate', { path: { id: site.id }, body });
    form.reset(empty);
    if (box.current) box.current.open = false;
    uploaded(c);
  };
  const title = replacing ? t('upload.replaceTitle') : t('upload.title');
  const names = [site.domainUnicode, ...site.aliasesUnicode].join(', ');
  return (
    <details className="more upload" ref={box}>
      <summary>{title}</summary>
      <p>{t('upload.explained', { names })}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('upload.submit')} label={title}>
        <TextArea name="certificate" label={t('upload.certificate')} hint={t('upload.certificateHint', { names })} rows={6} mono required />
        <TextArea name="privateKey" label={t('upload.privateKey')} hint={t('upload.privateKeyHint')} rows={6} mono required />
        <TextArea name="chain" label={t('upload.chain')} hint={t('upload.chainHint')} rows={4} mono />
      </Form>
    </details>
  );
}
