// `abri invoice …` and `abri billing …`: invoices, proformas and credit notes (list, show, download
// the PDF; staff issue and credit), the seller's legal details and billing settings, and the
// service of a hosting (price, cycle, due date).
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { about } from './command-list.js';
import { invoiceStatuses } from '../billing/rules-payments.js';
import { vatModes } from '../billing/rules.js';
import { addShow, bodyFrom, changes, client, commaList, customerId, euros, oneOf, printList, seg, show, whole, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print } from './output.js';
import { exportSettings, registerExportCommands, withExportSettings } from './commands-billing-exports.js';
import { registerLifecycleCommands } from './commands-lifecycle.js';

const money = (cents: unknown, currency: unknown) => `${(Number(cents) / 100).toFixed(2)} ${String(currency)}`;

const invoices: Resource = {
  noun: 'invoice',
  path: '/api/v1/invoices',
  ref: 'id, number (F2026-000123) or RF reference',
  columns: ['number', 'kind', 'issueDate', 'customer', 'period', 'total', 'credited', 'paymentDue', 'status', 'balance', 'creditedBy'],
  sorts: 'issuedAt, number, totalCents',
  row: (i) => ({
    ...i, total: money(i.totalCents, i.currency), credited: Number(i.creditedCents) ? money(i.creditedCents, i.currency) : '', customer: (i.buyer as Item).name,
    status: i.status ?? '', balance: i.status ? money(i.balanceCents, i.currency) : '',
    period: i.periodStart ? `${String(i.periodStart)} → ${String(i.periodEnd)}` : '', creditedBy: (i.creditedBy as Item | null)?.number ?? '',
  }),
  label: (i) => `${String(i.kind).replace('_', ' ')} ${String(i.number)}`,
};

/** "20" or "5.5" percent → basis points; "default" stays (commander keeps no null): vatBody() sends it as null. */
export function vatRate(value: string): number | 'default' {
  if (value === 'default') return 'default';
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(value.trim());
  const bp = m ? Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0')) : NaN;
  if (!(bp >= 0 && bp <= 10000)) throw new InvalidArgumentError('must be a percentage like 20 or 5.5, or "default"');
  return bp;
}

/** An offer's body with --vat-rate default as null (the seller's rate). */
export const vatBody = (body: Item): Item => (body.vatRateBp === 'default' ? { ...body, vatRateBp: null } : body);

const sellerFields: Record<string, string> = {
  name: 'name', address: 'address', registration: 'registration', vatNumber: 'vatNumber', email: 'email', vatMode: 'vatMode', vatRate: 'defaultVatRateBp',
  paymentTerms: 'paymentTerms', latePayment: 'latePayment', paymentDays: 'paymentDays', renewalDays: 'renewalDays', orderDays: 'orderDays', iban: 'iban', bic: 'bic',
  ...exportSettings,
};

function registerInvoiceCommands(program: Command) {
  const cmd = program.command('invoice').description(about.invoice);

  withListOptions(cmd.command('list').description('list invoices, newest first (a customer\'s users: theirs)'), invoices.sorts)
    .option('--customer <ref>', 'only this customer\'s (id or number)')
    .option('--hosting <id>', 'only this hosting\'s (id)')
    .option('--kind <kind>', 'invoice, proforma or credit_note', oneOf(['invoice', 'proforma', 'credit_note'] as const))
    .option('--status <status>', `only invoices ${invoiceStatuses.join(', ')}`, oneOf(invoiceStatuses))
    .action(async (o: ListOptions & { customer?: string; hosting?: string; kind?: string; status?: string }) => {
      const api = client(program);
      const customer = o.customer ? await customerId(api, o.customer) : undefined;
      printList(program, invoices, await api.get<Page>(invoices.path, { q: o.q, sort: o.sort, limit: o.limit, cursor: o.cursor, customerId: customer, hostingId: o.hosting, kind: o.kind, status: o.status }));
    });

  addShow(program, cmd, invoices);

  cmd.command('pdf').description('download an invoice as PDF')
    .argument('<ref>', `invoice ${invoices.ref}`)
    .option('--out <file>', 'where to write it (default: <number>.pdf in this directory; - for standard output)')
    .action(async (ref: string, o: { out?: string }) => {
      const api = client(program);
      const inv = await api.get<Item>(`${invoices.path}/${seg(ref)}`);
      const pdf = await api.download(`${invoices.path}/${seg(String(inv.id))}/pdf`);
      if (o.out === '-') return void process.stdout.write(pdf);
      const file = o.out ?? `${String(inv.number)}.pdf`;
      writeFileSync(file, pdf);
      print(program, { file, bytes: pdf.length, number: inv.number }, `${invoices.label(inv)} written to ${file} (${pdf.length} bytes)`);
    });

  cmd.command('issue').description('issue the next invoice of a hosting\'s service now (staff): the period from its due date')
    .argument('<hosting>', 'hosting id or system name')
    .option('--proforma', 'a proforma (its own series; not a claim) instead of an invoice')
    .action(async (hosting: string, o: { proforma?: boolean }) => {
      const inv = await client(program).post<Item>(invoices.path, { hostingId: hosting, kind: o.proforma ? 'proforma' : 'invoice' });
      show(program, inv, `${invoices.label(inv)} issued: ${money(inv.totalCents, inv.currency)}`);
    });

  cmd.command('credit').description('credit an invoice with a credit note (staff), in full or in part: the only correction of an issued invoice')
    .argument('<ref>', `invoice ${invoices.ref}`)
    .requiredOption('--reason <text>', 'why (printed on the credit note)')
    .option('--amount <euros>', 'credit this amount, VAT included, e.g. 4.99 (default: what is left of the invoice)', euros)
    .option('--lines <n,…>', 'credit these lines in full (0 = the first), comma-separated', (v: string, prev?: number[]) => [...(prev ?? []), ...commaList(v).map(whole)])
    .action(async (ref: string, o: { reason: string; amount?: number; lines?: number[] }) => {
      const body = { reason: o.reason, ...(o.amount !== undefined ? { amountCents: o.amount } : {}), ...(o.lines ? { lines: o.lines } : {}) };
      const credit = await client(program).post<Item>(`${invoices.path}/${seg(ref)}/credit`, body);
      show(program, credit, `${invoices.label(credit)} issued: ${money(credit.totalCents, credit.currency)}`);
    });
}

function registerSellerCommands(program: Command) {
  const cmd = program.command('billing').description(about.billing);

  cmd.command('show').description('show the seller\'s details and billing settings')
    .action(async () => show(program, await client(program).get('/api/v1/billing/seller')));

  const set = cmd.command('set').description('change the seller\'s details and billing settings (issued invoices keep theirs)')
    .option('--name <name>', 'legal name')
    .option('--address <text>', 'postal address (\\n between lines)', (v: string) => v.replace(/\\n/g, '\n'))
    .option('--registration <number>', 'association number (RNA) or SIREN/SIRET')
    .option('--vat-number <number>', 'intra-EU VAT number')
    .option('--email <email>', 'contact e-mail printed on invoices')
    .option('--vat-mode <mode>', 'vat, franchise (art. 293 B du CGI) or nonprofit (art. 261-7-1° du CGI)', oneOf(vatModes))
    .option('--vat-rate <percent>', 'VAT rate of offers that set none, e.g. 20', (v: string) => {
      const bp = vatRate(v);
      if (bp === 'default') throw new InvalidArgumentError('must be a percentage like 20 or 5.5');
      return bp;
    })
    .option('--payment-terms <text>', 'payment terms printed on invoices')
    .option('--late-payment <text>', 'late-payment mentions')
    .option('--payment-days <n>', 'days after issue an invoice is to be paid by', whole)
    .option('--renewal-days <n>', 'days before a due date its renewal invoice is issued', whole)
    .option('--order-days <n>', 'days an unpaid order waits before it is cancelled (default 14)', whole)
    .option('--iban <iban>', 'IBAN for bank transfers, printed on invoices with an EPC QR code ("" for none)')
    .option('--bic <bic>', 'BIC of that bank account');
  withExportSettings(set)
    .action(async (o: Item) => {
      const seller = await client(program).patch<Item>('/api/v1/billing/seller', changes(bodyFrom(o, sellerFields), 'billing set'));
      const missing = seller.missing as string[];
      show(program, seller, missing.length ? `billing settings changed; invoices still need: ${missing.join(', ')}` : 'billing settings changed');
    });

  cmd.command('service').description('show a hosting\'s service (price, cycle, due date); staff move its due date')
    .argument('<hosting>', 'hosting id or system name')
    .option('--due-date <day>', 'new due date, YYYY-MM-DD (staff)')
    .action(async (hosting: string, o: { dueDate?: string }) => {
      const api = client(program);
      const path = `/api/v1/hostings/${seg(hosting)}/service`;
      if (o.dueDate) show(program, await api.patch(path, { dueDate: o.dueDate }), `service of ${hosting}: due on ${o.dueDate}`);
      else show(program, await api.get(path));
    });

  registerExportCommands(program, cmd);
}

export function registerBillingCommands(program: Command) {
  registerInvoiceCommands(program);
  registerSellerCommands(program);
  registerLifecycleCommands(program);
}
