// The shapes the UI reads, named after the API's answers (derived from the generated schema: never
// copied by hand, so a change of the API shows up as a type error here or where it is used).
import type { Answer, BodyOf } from './query.js';

export type Page<T> = { items: T[]; nextCursor: string | null; total: number };
type Item<L> = L extends { items: Array<infer T> } ? T : never;

export type Me = Answer<'/me'>;
export type User = Item<Answer<'/users'>>;
export type Locale = Me['user']['locale'];
export type UserRole = User['role'];
export type MyCustomer = Me['customers'][number];

export type Customer = Answer<'/customers/{id}'>;
export type Delegation = Item<Answer<'/customers/{id}/delegations'>>;
export type DelegationRole = Delegation['role'];
export type Invitation = Item<Answer<'/customers/{id}/invitations'>>;
export type InvitationLink = Answer<'/customers/{id}/invitations', 'post'>;
export type InvitationView = Answer<'/auth/invitation', 'post'>;
export type Job = Answer<'/jobs/{id}'>;
export type JobStatus = Job['status'];
export type OutgoingMail = Answer<'/outbox/{id}'>;
export type OutgoingMailStatus = OutgoingMail['status'];
export type Offer = Answer<'/offers/{id}'>;
export type Hosting = Answer<'/hostings/{id}'>;
export type Site = Answer<'/sites/{id}'>;
export type HttpsMode = Site['httpsMode'];
export type Provisioning = NonNullable<Site['provisioning']>;
export type ProvisioningStatus = Provisioning['status'];
export type Server = Item<Answer<'/servers'>>;
export type ApiToken = Item<Answer<'/tokens'>>;
export type AuditEntry = Item<Answer<'/audit'>>;
export type Platform = Answer<'/platform'>;

export type Zone = Answer<'/zones/{id}'>;
export type DnsMode = Zone['dns'];
export type DnsRecord = Item<Answer<'/zones/{id}/records'>>;
export type RecordType = BodyOf<'/zones/{id}/records', 'post'>['type'];
export type ZoneCheck = Answer<'/zones/{id}/check'>;
export type Certificate = Answer<'/sites/{id}/certificate'>;
export type Database = Item<Answer<'/hostings/{id}/databases'>>;
export type DatabaseUser = Item<Answer<'/hostings/{id}/database-users'>>;
export type FtpUser = Item<Answer<'/hostings/{id}/ftp-users'>>;
export type MailDomain = Item<Answer<'/hostings/{id}/mail-domains'>>;
export type Mailbox = Item<Answer<'/mail-domains/{id}/mailboxes'>>;
export type MailAlias = Item<Answer<'/mail-domains/{id}/aliases'>>;
export type DatabaseUsage = Answer<'/hostings/{id}/database-usage'>;
export type DatabasePassword = Answer<'/database-users/{id}/password', 'post'>;
export type ReadOnly = NonNullable<Database['readOnly']>;
export type CertificateStatus = Certificate['status'];

export const recordTypes: RecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS'];
export type CronTask = Item<Answer<'/hostings/{id}/cron-tasks'>>;
export type CronRun = Item<Answer<'/cron-tasks/{id}/runs'>>;

export type Work = Answer<'/works/{id}'>;
export type WorkSummary = Item<Answer<'/works'>>;
export type WorkKind = Work['kind'];
export type WorkState = Work['state'];
export type WorkRecord = Answer<'/works/record'>;

export type Invoice = Answer<'/invoices/{id}'>;
export type InvoiceKind = Invoice['kind'];
export type Seller = Answer<'/billing/seller'>;
export type VatMode = Seller['vatMode'];
export type Service = Answer<'/hostings/{id}/service'>;
