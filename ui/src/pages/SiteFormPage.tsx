// Add a site to a hosting, or change one: domain, aliases, an optional address under the platform's
// domain, document root, PHP version from the offer, the HTTPS mode explained in plain words, and
// (when adding) who publishes the DNS of a domain new to the platform.
import { api } from '../api/client.js';
import type { DnsMode, Hosting, HttpsMode, Offer, Site } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { ChoiceField, SelectField, TextArea, TextField } from '../components/fields.js';
import { Form, useForm } from '../components/form.js';
import { Loaded, Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';

const modes: HttpsMode[] = ['both', 'redirect', 'https-only', 'http-only'];
const dnsModes: DnsMode[] = ['managed', 'external'];

/** /hostings/:id/sites/new */
export function NewSitePage({ hostingId }: { hostingId: string }) {
  const hosting = useResource<Hosting>(`/api/v1/hostings/${encodeURIComponent(hostingId)}`);
  return <Loaded resource={hosting}>{(h) => <SiteFormLoader hosting={h} site={null} />}</Loaded>;
}

/** /sites/:id/edit */
export function EditSitePage({ siteId }: { siteId: string }) {
  const site = useResource<Site>(`/api/v1/sites/${encodeURIComponent(siteId)}`);
  const hosting = useResource<Hosting>(site.data ? `/api/v1/hostings/${site.data.hostingId}` : null);
  return <Loaded resource={site}>{(s) => <Loaded resource={hosting}>{(h) => <SiteFormLoader hosting={h} site={s} />}</Loaded>}</Loaded>;
}

function SiteFormLoader({ hosting, site }: { hosting: Hosting; site: Site | null }) {
  const offer = useResource<Offer>(`/api/v1/offers/${hosting.offerId}`);
  return <Loaded resource={offer}>{(o) => <SiteForm hosting={hosting} site={site} offer={o} />}</Loaded>;
}

const lines = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

function SiteForm({ hosting, site, offer }: { hosting: Hosting; site: Site | null; offer: Offer }) {
  const { t } = useI18n();
  const form = useForm({
    domain: site?.domainUnicode ?? '',
    aliases: site?.aliasesUnicode.join('\n') ?? '',
    documentRoot: site?.documentRoot ?? '',
    phpVersion: site?.phpVersion ?? (offer.phpVersions.includes(hosting.phpVersion) ? hosting.phpVersion : offer.phpVersions.at(-1) ?? ''),
    httpsMode: site?.httpsMode ?? (offer.tlsAllowed ? 'both' : 'http-only'),
    platformSubdomain: site?.platformSubdomain ?? '',
    dns: 'managed',
  });
  // the platform's domain is known once a site has a name under it (the API tells platformName)
  const platformDomain = site?.platformName && site.platformSubdomain ? site.platformName.slice(site.platformSubdomain.length + 1) : null;
  const label = form.values.platformSubdomain.trim().toLowerCase();
  const submit = async (v: typeof form.values) => {
    const body = {
      domain: v.domain,
      aliases: lines(v.aliases),
      ...(v.documentRoot.trim() || site ? { documentRoot: v.documentRoot } : {}),
      phpVersion: v.phpVersion,
      httpsMode: v.httpsMode,
      platformSubdomain: v.platformSubdomain.trim() || null,
      ...(site ? {} : { dns: v.dns }),
    };
    const saved = site ? await api<Site>('PATCH', `/api/v1/sites/${site.id}`, body) : await api<Site>('POST', `/api/v1/hostings/${hosting.id}/sites`, body);
    navigate(`/sites/${saved.id}`);
  };
  const title = site ? t('site.editTitle', { domain: site.domainUnicode }) : t('site.addTitle', { hosting: hosting.name });
  const back = site ? `/sites/${site.id}` : `/hostings/${hosting.id}`;
  return (
    <Page title={title} crumbs={[{ label: hosting.name, to: `/hostings/${hosting.id}` }]}>
      <Form form={form} onSubmit={submit} submitLabel={site ? t('action.save') : t('site.add')} actions={<Link to={back} className="button">{t('action.cancel')}</Link>}>
        <TextField name="domain" label={t('site.domain')} hint={t('site.domainHint')} required />
        <TextArea name="aliases" label={t('site.aliases')} hint={t('site.aliasesHint')} />
        <TextField name="platformSubdomain" label={t('site.platformSubdomain')}
          hint={platformDomain && label ? t('site.platformSubdomainPreview', { name: `${label}.${platformDomain}` }) : t('site.platformSubdomainHint')} />
        <TextField name="documentRoot" label={t('site.documentRoot')} hint={t('site.documentRootHint', { home: hosting.home })} />
        <SelectField name="phpVersion" label={t('site.php')} hint={t('site.phpHint', { offer: offer.name })}
          options={offer.phpVersions.map((v) => ({ value: v, label: `PHP ${v}` }))} />
        <ChoiceField name="httpsMode" label={t('site.https')} hint={offer.tlsAllowed ? undefined : t('site.httpsNotInOffer', { offer: offer.name })}
          options={modes.map((m) => ({ value: m, label: t(`https.${m}`), explanation: t(`https.${m}.explained`), disabled: m !== 'http-only' && !offer.tlsAllowed }))} />
        {!site && (
          <ChoiceField name="dns" label={t('site.dns')} hint={t('site.dnsHint')}
            options={dnsModes.map((m) => ({ value: m, label: t(`dnsChoice.${m}`), explanation: t(`dnsChoice.${m}.explained`) }))} />
        )}
      </Form>
    </Page>
  );
}
