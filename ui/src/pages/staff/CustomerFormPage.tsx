// Create a customer (staff), or change one (staff, or the customer's owners; status: staff only).
import { api } from '../../api/client.js';
import type { Customer } from '../../api/types.js';
import { useResource } from '../../api/use-resource.js';
import { SelectField, TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Loaded, Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';

export function NewCustomerPage() {
  return <CustomerForm customer={null} />;
}

export function EditCustomerPage({ id }: { id: string }) {
  const customer = useResource<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`);
  return <Loaded resource={customer}>{(c) => <CustomerForm customer={c} />}</Loaded>;
}

function CustomerForm({ customer }: { customer: Customer | null }) {
  const { t } = useI18n();
  const { isStaff } = useSession();
  const form = useForm({
    name: customer?.name ?? '',
    contactEmail: customer?.contactEmail ?? '',
    postalAddress: customer?.postalAddress ?? '',
    status: customer?.status ?? 'active',
  });
  const submit = async (v: typeof form.values) => {
    const body = isStaff ? v : { name: v.name, contactEmail: v.contactEmail, postalAddress: v.postalAddress };
    const saved = customer ? await api<Customer>('PATCH', `/api/v1/customers/${customer.id}`, body) : await api<Customer>('POST', '/api/v1/customers', body);
    navigate(`/customers/${saved.id}`);
  };
  const back = customer ? `/customers/${customer.id}` : '/staff/customers';
  return (
    <Page title={customer ? t('customer.editTitle', { name: customer.name }) : t('customer.create')} crumbs={[{ label: t('nav.customers'), to: '/staff/customers' }]}>
      <Form form={form} onSubmit={submit} submitLabel={customer ? t('action.save') : t('customer.create')} actions={<Link to={back} className="button">{t('action.cancel')}</Link>}>
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
