// Create a customer (staff), or change one (staff, or the customer's owners; status: staff only).
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import type { Customer } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { SelectField, TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Loaded, Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { CustomersCrumb } from '../CustomerPage.js';

const editRoute = getRouteApi('/customers/$customer/edit');

export function NewCustomerPage() {
  return <CustomerForm customer={null} />;
}

export function EditCustomerPage() {
  const { customer } = editRoute.useParams();
  const answer = useGet('/customers/{id}', { path: { id: customer } });
  return <Loaded query={answer}>{(c) => <CustomerForm customer={c} />}</Loaded>;
}

function CustomerForm({ customer }: { customer: Customer | null }) {
  const { t } = useI18n();
  const { isStaff } = useSession();
  const navigate = useNavigate();
  const form = useForm({
    name: customer?.name ?? '',
    contactEmail: customer?.contactEmail ?? '',
    postalAddress: customer?.postalAddress ?? '',
    status: customer?.status ?? 'active',
  });
  const submit = async (v: typeof form.values) => {
    const body = isStaff ? v : { name: v.name, contactEmail: v.contactEmail, postalAddress: v.postalAddress };
    const saved = customer
      ? await change('patch', '/customers/{id}', { path: { id: customer.id }, body })
      : await change('post', '/customers', { body });
    await navigate({ to: '/customers/$customer', params: { customer: String(saved.number) } });
  };
  const back = customer
    ? <Link to="/customers/$customer" params={{ customer: String(customer.number) }} className="button">{t('action.cancel')}</Link>
    : <Link to="/staff/customers" className="button">{t('action.cancel')}</Link>;
  return (
    <Page title={customer ? t('customer.editTitle', { name: customer.name }) : t('customer.create')} crumbs={[<CustomersCrumb />]}>
      <Form form={form} onSubmit={submit} submitLabel={customer ? t('action.save') : t('customer.create')} actions={back}>
        <TextField name="name" label={t('field.name')} hint={t('customer.nameHint')} required />
        <TextField name="contactEmail" label={t('customer.contactEmail')} type="email" required />
        <TextArea name="postalAddress" label={t('customer.postalAddress')} rows={3} />
        {isStaff && (
          <SelectField name="status" label={t('field.status')} options={(['active', 'suspended', 'closed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        )}
      </Form>
    </Page>
  );
}
