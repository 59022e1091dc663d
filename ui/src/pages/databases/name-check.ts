// The form's own check of a database or user name (the part after the hosting's prefix), the same
// characters the API allows: said in the reader's language before asking the API.
import { issue } from '../../components/form.js';

const SUFFIX = /^[a-z0-9_]*$/;

export const checkName = (v: { name: string }) => (SUFFIX.test(v.name.trim()) ? [] : [issue('name', 'form.database_name')]);
