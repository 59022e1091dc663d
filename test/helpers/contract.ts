// The API contract, checked on every answer a test receives: the status must be one the OpenAPI
// document declares for the operation, the body must match the declared schema, and an error's
// code must be one the operation lists. The document is read from the running manager
// (/api/v1/openapi.json) and validated with Ajv (JSON Schema 2020-12), independently of zod.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface Operation {
  pattern: RegExp;
  method: string;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

export class Contract {
  private readonly ajv: Ajv2020;
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(doc: { paths: Record<string, Record<string, Operation['responses'] extends infer R ? { responses: R } : never>>; components: { schemas: Record<string, unknown> } }) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    (addFormats as unknown as (a: Ajv2020) => void)(this.ajv);
    const defs = JSON.parse(JSON.stringify(doc.components.schemas).replace(/"#\/components\/schemas\/(\w+)"/g, '"abri:components#/$defs/$1"'));
    this.ajv.addSchema({ $id: 'abri:components', $defs: defs });
    for (const [path, methods] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(methods)) this.operations.push({ pattern, method: method.toUpperCase(), responses: op.responses });
    }
    // the most literal path first: /hostings/{id}/sites before /hostings/{id}
    this.operations.sort((a, b) => b.pattern.source.replace(/\[\^\/\]\+/g, '').length - a.pattern.source.replace(/\[\^\/\]\+/g, '').length);
  }

  /**
   * the contracts of the documents this process has read, by ETag: the managers of a test file serve
   * the same one, whose validators are compiled once, and it is asked again with the ETags known (a
   * 304 instead of 3 MB to send and read, 40 ms of CPU, at each manager's start)
   */
  private static readonly byDocument = new Map<string, Contract>();

  static async load(baseUrl: string): Promise<Contract> {
    const known = [...Contract.byDocument.keys()].join(', ');
    const res = await fetch(`${baseUrl}/api/v1/openapi.json`, { headers: known ? { 'if-none-match': known } : {} });
    const etag = res.headers.get('etag');
    if (!etag) throw new Error(`the OpenAPI document came without an ETag (${res.status})`);
    let contract = Contract.byDocument.get(etag);
    if (res.status === 304 && contract) return contract;
    if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`);
    const doc = JSON.parse(await res.text());
    if (!contract) Contract.byDocument.set(etag, (contract = new Contract(doc)));
    return contract;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\/(\w+)"/g, '"abri:components#/$defs/$1"'));
      v = this.ajv.compile(rewritten);
      this.validators.set(key, v);
    }
    return v;
  }

  /** Throws a ContractViolation when the answer is not one the document declares. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
    const path = url.split('?')[0]!;
    if (!path.startsWith('/api/v1/') || path === '/api/v1/openapi.json') return;
    const op = this.operations.find((o) => o.method === method && o.pattern.test(path));
    if (!op) return; // no such route: the 404 route.not_found of every unknown path
    const where = `${method} ${path} → ${status}`;
    const declared = op.responses[String(status)];
    if (!declared) {
      const code = (body as { code?: string } | undefined)?.code;
      throw new ContractViolation(`${where}${code ? ` (${code})` : ''}: status not declared (declared: ${Object.keys(op.responses).join(', ')})`);
    }
    if (status === 204 || !declared.content) return;
    const mediaType = (contentType ?? '').split(';')[0]!.trim();
    const media = declared.content[mediaType];
    if (!media) throw new ContractViolation(`${where}: content type ${mediaType || 'none'} not declared (${Object.keys(declared.content).join(', ')})`);
    const validate = this.validator(`${op.method} ${op.pattern.source} ${status} ${mediaType}`, media.schema);
    if (!validate(body)) {
      const code = (body as { code?: string } | undefined)?.code;
      const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : ''}`);
      throw new ContractViolation(`${where}${code ? ` (${code})` : ''}: body does not match the declared schema: ${errors.join('; ')}`);
    }
  }
}
