// `abri service …`: a hosting's service over its life — show it, change its offer (prorated; preview
// with --preview), end it at term or early, keep it (cancel the end). Customers on their own
// hostings, staff on any.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { endModes } from '../billing/rules-lifecycle.js';
import { client, oneOf, seg, show, type Item } from './command-kit.js';

const money = (cents: unknown, currency: unknown) => `${(Number(cents) / 100).toFixed(2)} ${String(currency)}`;

/** The amounts of a change of offer in one line each. */
function planText(p: Item, done: boolean): string {
  const c = p.credit as Item | null;
  const ch = p.charge as Item | null;
  const r = p.renewal as Item | null;
  const head = `${String(p.hosting)}: ${String((p.from as Item).offer)} → ${String((p.to as Item).offer)} ${done ? 'done' : 'on ' + String(p.changeDate) + ' (preview: nothing issued)'}`;
  if (!p.billed) return `${head}\nnothing prorated: the service is not billed yet (or its due date has come)`;
  return [
    head,
    c ? `credit: ${money(c.totalCents, p.currency)} (${String(c.unusedDays)}/${String(c.periodDays)} days unused of ${String(c.invoice)})` : 'credit: none',
    ch ? `charge: ${money(ch.totalCents, p.currency)} (${String(ch.days)}/${String(ch.cycleDays)} days, to ${String(ch.periodStart)} → ${String(ch.periodEnd)})` : 'charge: none',
    `balance: ${money(p.balanceCents, p.currency)}; due date stays ${String(p.dueDate)}`,
    ...(r ? [`renewal invoice ${String(r.invoice)} credited and issued again: ${money(r.newTotalCents, p.currency)}`] : []),
    ...(done ? [`issued: ${(p.issued as Item[]).map((d) => String(d.number)).join(', ') || 'nothing'}`] : []),
  ].join('\n');
}

export function registerLifecycleCommands(program: Command) {
  const cmd = program.command('service').description(about.service);
  const path = (hosting: string) => `/api/v1/hostings/${seg(hosting)}`;

  cmd.command('show').description('show a hosting\'s service: price, cycle, due date, its end if asked')
    .argument('<hosting>', 'hosting id or system name')
    .action(async (hosting: string) => show(program, await client(program).get(`${path(hosting)}/service`)));

  cmd.command('change-offer').description('move a hosting to another offer today: the unused days credited, the new offer invoiced to the same due date')
    .argument('<hosting>', 'hosting id or system name')
    .argument('<offer>', 'offer id or name')
    .option('--preview', 'show the amounts only, issue nothing')
    .action(async (hosting: string, offer: string, o: { preview?: boolean }) => {
      const api = client(program);
      const plan = o.preview ? await api.get<Item>(`${path(hosting)}/offer-change`, { offer }) : await api.post<Item>(`${path(hosting)}/offer-change`, { offer });
      show(program, plan, planText(plan, !o.preview));
    });

  cmd.command('end').description('end a hosting\'s service: at term (terminated on its due date, nothing renewed) or early (terminated tomorrow, nothing refunded)')
    .argument('<hosting>', 'hosting id or system name')
    .requiredOption('--at <when>', 'term or early', oneOf(endModes))
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (hosting: string, o: { at: (typeof endModes)[number]; reason?: string }) => {
      const svc = await client(program).post<Item>(`${path(hosting)}/service/end`, { mode: o.at, ...(o.reason ? { reason: o.reason } : {}) });
      show(program, svc, `${String(svc.hosting)} ends on ${String((svc.ending as Item).on)} (${o.at === 'term' ? 'at term' : 'early'})`);
    });

  cmd.command('keep').description('cancel the end of a hosting\'s service (until its day): it renews again')
    .argument('<hosting>', 'hosting id or system name')
    .action(async (hosting: string) => {
      const svc = await client(program).delete<Item>(`${path(hosting)}/service/end`);
      show(program, svc, `${String(svc.hosting)} no longer ends: it renews on ${String(svc.dueDate)}`);
    });
}
