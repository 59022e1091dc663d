// Factur-X (pure): the EN 16931 Cross Industry Invoice (UN/CEFACT CII D16B) of an issued invoice or
// credit note — factur-x.xml, embedded in its PDF/A-3 by pdf-facturx.ts — and the XMP that declares
// it (the Factur-X extension schema). From the frozen document alone, so the same invoice always
// gives the same XML. Golden files pin it (test/golden/facturx).
import type { InvoiceView } from './model.js';
import { byRate, decimal } from './render-exports.js';
import { addDays, vatMention } from './rules.js';

export const FACTURX_FILE = 'factur-x.xml';
export const FACTURX_LEVEL = 'EN 16931';
const GUIDELINE = 'urn:cen.eu:en16931:2017';

/** Only invoices and credit notes are Factur-X: a proforma is no claim (no type code for it here). */
export const isFacturX = (i: InvoiceView) => i.kind === 'invoice' || i.kind === 'credit_note';

export const xmlEscape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;' })[c]!);

interface Address {
  postcode?: string;
  lines: string[];
  city?: string;
  country: string;
}

/**
 * A free-text postal address in its CII parts: the last line may be a country (two capital letters,
 * or France), the line before "75001 Paris"; France when none is said.
 */
export function addressParts(text: string): Address {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  let country = 'FR';
  const last = lines.at(-1) ?? '';
  if (/^[A-Z]{2}$/.test(last)) country = lines.pop()!;
  else if (/^france$/i.test(last)) lines.pop();
  const m = /^(\d{4,5})\s+(.+)$/.exec(lines.at(-1) ?? '');
  if (m) lines.pop();
  const three = lines.length > 3 ? [...lines.slice(0, 2), lines.slice(2).join(', ')] : lines;
  return { postcode: m?.[1], lines: three, city: m?.[2], country };
}

/** An element: text content (escaped), children (nulls left out), or none (empty element). */
interface Node {
  tag: string;
  attrs: string;
  content: string | Node[];
}
type Kid = Node | null;
const el = (tag: string, content: string | Kid[], attrs = ''): Node => ({ tag, attrs, content: typeof content === 'string' ? content : content.filter((k): k is Node => k !== null) });
/** An element with a text, or nothing when the text is empty. */
const txt = (tag: string, s: string | undefined, attrs = ''): Kid => (s ? el(tag, s, attrs) : null);
const date102 = (day: string): Node => el('udt:DateTimeString', day.replace(/-/g, ''), ' format="102"');

function serialize(n: Node, depth: number): string {
  const pad = '  '.repeat(depth);
  if (typeof n.content === 'string') return `${pad}<${n.tag}${n.attrs}>${xmlEscape(n.content)}</${n.tag}>`;
  if (!n.content.length) return `${pad}<${n.tag}${n.attrs}/>`;
  return `${pad}<${n.tag}${n.attrs}>\n${n.content.map((k) => serialize(k, depth + 1)).join('\n')}\n${pad}</${n.tag}>`;
}

function address(text: string): Node {
  const a = addressParts(text);
  const lineTags = ['ram:LineOne', 'ram:LineTwo', 'ram:LineThree'];
  return el('ram:PostalTradeAddress', [txt('ram:PostcodeCode', a.postcode), ...a.lines.map((l, n) => txt(lineTags[n]!, l)), txt('ram:CityName', a.city), txt('ram:CountryID', a.country)]);
}

/** SIREN (9 digits: ICD 0002), SIRET (14: 0009), or another number (an association's RNA) without a scheme. */
function legalId(registration: string): Kid {
  const digits = registration.replace(/[\s.]/g, '');
  const scheme = /^\d{9}$/.test(digits) ? ' schemeID="0002"' : /^\d{14}$/.test(digits) ? ' schemeID="0009"' : '';
  return registration ? el('ram:SpecifiedLegalOrganization', [txt('ram:ID', scheme ? digits : registration, scheme)]) : null;
}

const email = (address: string) => (address ? el('ram:URIUniversalCommunication', [txt('ram:URIID', address, ' schemeID="EM"')]) : null);

/** The exemption mention (BT-120) a document carries: franchise or non-profit, in its language. */
export function exemptionOf(i: InvoiceView): string | null {
  const mentions = (['franchise', 'nonprofit'] as const).map((m) => vatMention(m, i.locale));
  return i.mentions.find((m) => mentions.includes(m)) ?? null;
}

/** The CII XML (profile EN 16931). A credit note (type 381) states its amounts positive. */
export function facturXml(i: InvoiceView): string {
  const sign = i.kind === 'credit_note' ? -1 : 1;
  const amount = (tag: string, cents: number, attrs = '') => el(tag, decimal(sign * cents, '.'), attrs);
  const exemption = exemptionOf(i);
  const category = (bp: number) => (bp > 0 ? 'S' : exemption ? 'E' : 'Z');
  const rate = (bp: number) => el('ram:RateApplicablePercent', String(bp / 100));
  const lines = i.lines.map((l, n) => el('ram:IncludedSupplyChainTradeLineItem', [
    el('ram:AssociatedDocumentLineDocument', [el('ram:LineID', String(n + 1))]),
    el('ram:SpecifiedTradeProduct', [el('ram:Name', l.description)]),
    el('ram:SpecifiedLineTradeAgreement', [el('ram:NetPriceProductTradePrice', [el('ram:ChargeAmount', decimal(l.unitExCents, '.'))])]),
    el('ram:SpecifiedLineTradeDelivery', [el('ram:BilledQuantity', String(sign * l.quantity), ' unitCode="C62"')]),
    el('ram:SpecifiedLineTradeSettlement', [
      el('ram:ApplicableTradeTax', [el('ram:TypeCode', 'VAT'), el('ram:CategoryCode', category(l.vatRateBp)), rate(l.vatRateBp)]),
      el('ram:SpecifiedTradeSettlementLineMonetarySummation', [amount('ram:LineTotalAmount', l.exCents)]),
    ]),
  ]));
  const s = i.seller;
  const seller = el('ram:SellerTradeParty', [
    txt('ram:Name', s.name), legalId(s.registration), address(s.address), email(s.email),
    s.vatNumber ? el('ram:SpecifiedTaxRegistration', [el('ram:ID', s.vatNumber, ' schemeID="VA"')]) : null,
    // an exempt seller has no VAT number: its registration number is its tax registration (BT-32, BR-E-02)
    !s.vatNumber && s.registration ? el('ram:SpecifiedTaxRegistration', [el('ram:ID', s.registration, ' schemeID="FC"')]) : null,
  ]);
  const buyer = el('ram:BuyerTradeParty', [el('ram:ID', String(i.buyer.number)), txt('ram:Name', i.buyer.name), address(i.buyer.address), email(i.buyer.email)]);
  const breakdown = byRate(i).map((r) => el('ram:ApplicableTradeTax', [
    amount('ram:CalculatedAmount', r.vatCents), el('ram:TypeCode', 'VAT'), r.vatRateBp === 0 ? txt('ram:ExemptionReason', exemption ?? undefined) : null,
    amount('ram:BasisAmount', r.exCents), el('ram:CategoryCode', category(r.vatRateBp)), rate(r.vatRateBp),
  ]));
  const period = i.periodStart && i.periodEnd
    ? el('ram:BillingSpecifiedPeriod', [el('ram:StartDateTime', [date102(i.periodStart)]), el('ram:EndDateTime', [date102(addDays(i.periodEnd, -1))])])
    : null;
  const settlement = el('ram:ApplicableHeaderTradeSettlement', [
    el('ram:InvoiceCurrencyCode', i.currency),
    ...breakdown,
    period,
    el('ram:SpecifiedTradePaymentTerms', [el('ram:DueDateDateTime', [date102(i.paymentDue)])]),
    el('ram:SpecifiedTradeSettlementHeaderMonetarySummation', [
      amount('ram:LineTotalAmount', i.totalExCents), amount('ram:TaxBasisTotalAmount', i.totalExCents), amount('ram:TaxTotalAmount', i.vatCents, ` currencyID="${xmlEscape(i.currency)}"`),
      amount('ram:GrandTotalAmount', i.totalCents), amount('ram:DuePayableAmount', i.totalCents),
    ]),
    i.credits ? el('ram:InvoiceReferencedDocument', [el('ram:IssuerAssignedID', i.credits.number)]) : null,
  ]);
  const notes = [...(i.reason ? [i.reason] : []), ...i.mentions].map((m) => el('ram:IncludedNote', [el('ram:Content', m)]));
  const root = el('rsm:CrossIndustryInvoice', [
    el('rsm:ExchangedDocumentContext', [el('ram:GuidelineSpecifiedDocumentContextParameter', [el('ram:ID', GUIDELINE)])]),
    el('rsm:ExchangedDocument', [el('ram:ID', i.number), el('ram:TypeCode', i.kind === 'credit_note' ? '381' : '380'), el('ram:IssueDateTime', [date102(i.issueDate)]), ...notes]),
    el('rsm:SupplyChainTradeTransaction', [...lines, el('ram:ApplicableHeaderTradeAgreement', [seller, buyer]), el('ram:ApplicableHeaderTradeDelivery', []), settlement]),
  ], NAMESPACES);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root, 0)}\n`;
}

const NAMESPACES = [
  ['rsm', 'CrossIndustryInvoice'], ['qdt', 'QualifiedDataType'], ['ram', 'ReusableAggregateBusinessInformationEntity'], ['udt', 'UnqualifiedDataType'],
].map(([p, n]) => ` xmlns:${p}="urn:un:unece:uncefact:data:standard:${n}:100"`).join('');

const xmpProperty = (name: string, description: string) => `
              <rdf:li rdf:parseType="Resource">
                <pdfaProperty:name>${name}</pdfaProperty:name>
                <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                <pdfaProperty:category>external</pdfaProperty:category>
                <pdfaProperty:description>${description}</pdfaProperty:description>
              </rdf:li>`;

/** The XMP a Factur-X PDF/A-3 carries besides the PDF/A identification: the fx properties and their extension schema. */
export function facturXmp(): string {
  return `
        <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
          <fx:DocumentType>INVOICE</fx:DocumentType>
          <fx:DocumentFileName>${FACTURX_FILE}</fx:DocumentFileName>
          <fx:Version>1.0</fx:Version>
          <fx:ConformanceLevel>${FACTURX_LEVEL}</fx:ConformanceLevel>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
          <pdfaExtension:schemas>
            <rdf:Bag>
              <rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                <pdfaSchema:property>
                  <rdf:Seq>${[
    xmpProperty('DocumentFileName', 'name of the embedded XML invoice file'),
    xmpProperty('DocumentType', 'INVOICE'),
    xmpProperty('Version', 'The actual version of the Factur-X XML schema'),
    xmpProperty('ConformanceLevel', 'The conformance level of the embedded Factur-X data'),
  ].join('')}
                  </rdf:Seq>
                </pdfaSchema:property>
              </rdf:li>
            </rdf:Bag>
          </pdfaExtension:schemas>
        </rdf:Description>
`;
}
