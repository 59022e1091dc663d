// The mail servers' certificates over HTTP (staff): see one, obtain it again now.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { certificateOut } from './model.js';
import { renewMailCertificate, showMailCertificate } from './operations-mail.js';

export const mailCertificateRoutes = [
  route({
    method: 'GET', path: '/api/v1/servers/{id}/mail-certificate', summary: 'A mail server\'s certificate (staff): the name its mail records point to, issuer, validity, next renewal, last error, deployment', tag: 'certificates',
    access: 'staff', params: idParams, response: certificateOut, errors: ['server.not_found', 'certificate.not_mail_server'],
    handler: ({ app, caller, params }) => showMailCertificate(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/servers/{id}/mail-certificate/renew', summary: 'Obtain a mail server\'s certificate again now (staff)', tag: 'certificates',
    access: 'staff', params: idParams, response: certificateOut, errors: ['server.not_found', 'certificate.not_mail_server', 'certificate.not_found', 'certificate.acme_disabled'],
    handler: ({ app, caller, params }) => renewMailCertificate(app, caller, params.id),
  }),
];
