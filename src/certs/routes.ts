// Certificates over HTTP: parse, call one operation, answer. A site's certificate (see it, upload
// one, renew, back to automatic); staff list every certificate and see or renew the platform's wildcard.
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { certificateListItem, certificateListQuery, certificateOut, certificateUpload } from './model.js';
import {
  listAllCertificates, removeCertificate, renewCertificate, renewPlatformCertificate, showPlatformCertificate, showSiteCertificate, uploadCertificate,
} from './operations.js';

const changeErrors = ['site.not_found', 'site.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];
const uploadErrors = [
  'certificate.https_disabled', 'certificate.invalid', 'certificate.key_mismatch', 'certificate.expired', 'certificate.not_yet_valid', 'certificate.names_mismatch',
  'certificate.foreign_names', 'certificate.weak_key', 'certificate.key_type_unsupported', 'certificate.not_for_servers', 'certificate.ca_certificate',
];

export const certificateRoutes = [
  route({
    method: 'GET', path: '/api/v1/sites/{id}/certificate', summary: 'The site\'s certificate: issuer, names, validity, status, last error, next renewal', tag: 'certificates',
    access: 'user', tenant: true, params: idParams, response: certificateOut, errors: ['site.not_found'],
    handler: ({ app, caller, params }) => showSiteCertificate(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/sites/{id}/certificate',
    summary: 'Upload the site\'s own certificate (PEM certificate, key, chain) naming only the site\'s domain and aliases; it replaces automatic certificates until removed',
    tag: 'certificates', access: 'user', tenant: true, params: idParams, body: certificateUpload, response: certificateOut, errors: [...changeErrors, ...uploadErrors],
    handler: ({ app, caller, params, body }) => uploadCertificate(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/sites/{id}/certificate/renew', summary: 'Obtain the certificate again now (automatic certificates)', tag: 'certificates',
    access: 'user', tenant: true, params: idParams, response: certificateOut,
    errors: [...changeErrors, 'certificate.https_disabled', 'certificate.custom', 'certificate.acme_disabled'],
    handler: ({ app, caller, params }) => renewCertificate(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/sites/{id}/certificate', summary: 'Remove an uploaded certificate: the platform obtains one automatically again', tag: 'certificates',
    access: 'user', tenant: true, params: idParams, response: certificateOut, errors: [...changeErrors, 'certificate.not_custom'],
    handler: ({ app, caller, params }) => removeCertificate(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/certificates', summary: 'Every certificate of the platform (staff): search, filter by status, sort by expiry', tag: 'certificates',
    access: 'staff', query: certificateListQuery, response: listOf(certificateListItem),
    handler: ({ app, caller, query: { status, ...list } }) => listAllCertificates(app, caller, { ...list, status }),
  }),
  route({
    method: 'GET', path: '/api/v1/certificates/platform', summary: 'The platform\'s wildcard certificate (staff)', tag: 'certificates', access: 'staff', response: certificateOut,
    handler: ({ app, caller }) => showPlatformCertificate(app, caller),
  }),
  route({
    method: 'POST', path: '/api/v1/certificates/platform/renew', summary: 'Obtain the platform\'s wildcard certificate again now (staff)', tag: 'certificates', access: 'staff',
    response: certificateOut, errors: ['certificate.not_found', 'certificate.acme_disabled'],
    handler: ({ app, caller }) => renewPlatformCertificate(app, caller),
  }),
];
