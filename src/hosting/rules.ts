// Pure rules of hostings and sites: what the offer allows, what the policy sees.
import { AppError } from '../platform/errors.js';
import type { Subject } from '../platform/policy.js';
import type { SiteRow } from './model.js';
import type { HostingRow, SiteOffer } from './store-hostings.js';

type HostingLike = Pick<HostingRow, 'name' | 'status' | 'customerId' | 'customerStatus'>;

/** A hosting (or an object of it, `what`) as the policy sees it. */
export const hostingSubject = (h: HostingLike, what = 'hosting'): Subject => ({
  what,
  customerId: h.customerId,
  customerStatus: h.customerStatus,
  hosting: { name: h.name, status: h.status },
});

/** A site as the policy sees it. */
export const siteSubject = (s: { customerId: string; customerStatus: HostingRow['customerStatus']; hostingName: string; hostingStatus: HostingRow['status'] }, what = 'site'): Subject => ({
  what,
  customerId: s.customerId,
  customerStatus: s.customerStatus,
  hosting: { name: s.hostingName, status: s.hostingStatus },
});

export function assertHttpsAllowed(offer: Pick<SiteOffer, 'name' | 'tlsAllowed'>, mode: SiteRow['httpsMode']) {
  if (mode !== 'http-only' && !offer.tlsAllowed) {
    throw new AppError('offer.tls_not_allowed', `the offer "${offer.name}" does not include HTTPS; use httpsMode "http-only"`, {
      params: { offer: offer.name },
      issues: [{ code: 'offer.tls_not_allowed', path: 'body.httpsMode', message: 'HTTPS is not included in the offer' }],
    });
  }
}

export function assertSiteQuota(offer: Pick<SiteOffer, 'name' | 'maxSites'>, used: number, adding = 1) {
  if (used + adding > offer.maxSites) {
    throw new AppError('quota.sites_exceeded', `the offer "${offer.name}" allows ${offer.maxSites} site(s) per hosting`, {
      params: { offer: offer.name, max: offer.maxSites, used },
    });
  }
}

/** The HTTPS mode a new site gets when none is asked: redirect where the offer allows TLS (recommended). */
export const defaultHttpsMode = (offer: Pick<SiteOffer, 'tlsAllowed'>): SiteRow['httpsMode'] => (offer.tlsAllowed ? 'redirect' : 'http-only');
