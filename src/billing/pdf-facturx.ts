// A Factur-X PDF (pdfkit): a PDF/A-3b (PDF 1.7, every font embedded, sRGB output intent) that
// carries its EN 16931 XML as the attached file factur-x.xml (AFRelationship Data, referenced from
// the catalogue's AF) and says so in its XMP (the Factur-X extension schema, conformance EN 16931).
// pdfkit writes the title and author into the XMP as they are; PDF/A needs that XMP well-formed and
// equal to the document's Info, so this document writes them escaped, with the modification date.
import PDFDocument from 'pdfkit';
import type { InvoiceView } from './model.js';
import { FACTURX_FILE, facturXml, facturXmp, xmlEscape } from './render-facturx.js';

interface Info {
  Title?: string;
  Author?: string;
  Subject?: string;
  Creator?: string;
  Producer?: string;
  CreationDate: Date;
  ModDate?: Date;
}

const xmpDate = (d: Date) => `${d.toISOString().split('.')[0]}Z`;

class PdfA3 extends PDFDocument {
  /** pdfkit's hook that writes the Info into the XMP (overridden: escaped, with ModifyDate) */
  _addInfo(): void {
    const info = (this as unknown as { info: Info }).info;
    const e = (s: string | undefined) => xmlEscape(s ?? '');
    this.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
          <xmp:CreateDate>${xmpDate(info.CreationDate)}</xmp:CreateDate>
          <xmp:ModifyDate>${xmpDate(info.ModDate ?? info.CreationDate)}</xmp:ModifyDate>
          <xmp:CreatorTool>${e(info.Creator)}</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <dc:format>application/pdf</dc:format>
          <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(info.Title)}</rdf:li></rdf:Alt></dc:title>
          <dc:creator><rdf:Seq><rdf:li>${e(info.Author)}</rdf:li></rdf:Seq></dc:creator>
          <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(info.Subject)}</rdf:li></rdf:Alt></dc:description>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
          <pdf:Producer>${e(info.Producer)}</pdf:Producer>
        </rdf:Description>
        ${facturXmp()}`);
  }
}

/** A PDF/A-3b document for the invoice, with its factur-x.xml attached: lay the page out, then end() it. */
export function facturXDocument(i: InvoiceView, options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  const pdf = new PdfA3({ ...options, subset: 'PDF/A-3b', pdfVersion: '1.7' });
  const issued = new Date(i.issuedAt);
  pdf.file(Buffer.from(facturXml(i)), {
    name: FACTURX_FILE, type: 'text/xml', description: `Factur-X ${i.number}`, creationDate: issued, modifiedDate: issued,
    relationship: 'Data',
  } as PDFKit.Mixins.PDFAttachmentOptions);
  return pdf;
}
