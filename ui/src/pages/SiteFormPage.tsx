// Add a site to a hosting, or change one: domain, aliases, an address under the platform's domain
// (when the platform has one), document root, PHP version from the offer, the HTTPS mode explained in
// plain words (the recommended one first and chosen by default), and (when adding) who publishes the
// DNS of a domain new to the platform.
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import type { DnsMode, Hosting, HttpsMode, Offer, Site } from '../api/model.js';
import { usePlatform } from '../api/platform.js';
import { change, useGet } from '../api/query.js';
import { ChoiceField, SelectField, TextArea, TextField } from '../components/fields.js';
import { Form, useForm } from '../components/form.js';
import { Loaded, Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';

const modes: HttpsMode[] = ['redirect', 'both', 'https-only', 'http-only'];
const dnsModes: DnsMode[] = ['managed', 'external'];

const newRoute = getRouteApi('/hostings/$hosting/sites/new');
const editRoute = getRouteApi('/sites/$site/edit');

/** /hostings/<name>/sites/new */
export function NewSitePage() {
  const { hosting } = newRoute.useParams();
  const answer = useGet('/hostings/{id}', { path: { id: hosting } });
  return <Loaded query={answer}>{(h) => <SiteFormLoader hosting={h} site={null} />}</Loaded>;
}

/** /sites/<domain>/edit */
export function EditSitePage() {
  const { site } = editRoute.useParams();
  const answer = useGet('/sites/{id}', { path: { id: site } });
  const hosting = useGet('/hostings/{id}', { path: { id: answer.data?.hostingId ?? '' } }, { enabled: !!answer.data });
  return <Loaded query={answer}>{(s) => <Loaded query={hosting}>{(h) => <SiteFormLoader hosting={h} site={s} />}</Loaded>}</Loaded>;
}

function SiteFormLoader({ hosting, site }: { hosting: Hosting; site: Site | null }) {
  const offer = useGet('/offers/{id}', { path: { id: hosting.offerId } });
  return <Loaded query={offer}>{(o) => <SiteForm hosting={hosting} site={site} offer={o} />}</Loaded>;
}

const lines = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

function SiteForm({ hosting, site, offer }: { hosting: Hosting; site: Site | null; offer: Offer }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const platform = usePlatform();
  const form = useForm({
    domain: site?.domainUnicode ?? '',
    aliases: site?.aliasesUnicode.join('\n') ?? '',
    documentRoot: site?.documentRoot ?? '',
    phpVersion: site?.phpVersion ?? (offer.phpVersions.includes(hosting.phpVersion) ? hosting.phpVersion : offer.phpVersions.at(-1) ?? ''),
    httpsMode: site?.httpsMode ?? (offer.tlsAllowed ? 'redirect' : 'http-only'),
    platformSubdomain: site?.platformSubdomain ?? '',
    dns: 'managed' as DnsMode,
  });
  const platformDomain = platform?.platformDomain ?? null;
  const label = form.values.platformSubdomain.trim().toLowerCase();
  const submit = async (v: typeof form.values) => {
    const common = {
      domain: v.domain,
      aliases: lines(v.aliases),
      phpVersion: v.phpVersion,
      httpsMode: v.httpsMode,
      // without a platform domain the field is not shown: the site keeps what it has
      ...(platformDomain ? { platformSubdomain: v.platformSubdomain.trim() || null } : {}),
    };
    const saved = site
      ? await change('patch', '/sites/{id}', { path: { id: site.id }, body: { ...common, documentRoot: v.documentRoot } })
      : await change('post', '/hostings/{id}/sites', { path: { id: hosting.id }, body: { ...common, ...(v.documentRoot.trim() ? { documentRoot: v.documentRoot } : {}), dns: v.dns } });
    await navigate({ to: '/sites/$site', params: { site: saved.domain } });
  };
  const title = site ? t('site.editTitle', { domain: site.domainUnicode }) : t('site.addTitle', { hosting: hosting.name });
  const back = site
    ? <Link to="/sites/$site" params={{ site: site.domain }} className="button">{t('action.cancel')}</Link>
    : <Link to="/hostings/$hosting" params={{ hosting: hosting.name }} className="button">{t('action.cancel')}</Link>;
  return (
    <Page title={title} crumbs={[<Link to="/hostings/$hosting" params={{ hosting: hosting.name }}>{hosting.name}</Link>]}>
      <Form form={form} onSubmit={submit} submitLabel={site ? t('action.save') : t('site.add')} actions={back}>
        <TextField name="domain" label={t('site.domain')} hint={t('site.domainHint')} required />
        <TextArea name="aliases" label={t('site.aliases')} hint={t('site.aliasesHint')} />
        {platformDomain && (
          <TextField name="platformSubdomain" label={t('site.platformSubdomain')}
            hint={label ? t('site.platformSubdomainPreview', { name: `${label}.${platformDomain}` }) : t('site.platformSubdomainHint', { domain: platformDomain })} />
        )}
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
