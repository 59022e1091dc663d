// Error codes of billing: services, seller settings, invoices and credit notes.
import { defineErrors } from '../platform/errors.js';

export const billingErrors = defineErrors({
  'invoice.not_found': 'not_found',
  /** the seller's name and address are needed on every invoice (params: missing) */
  'billing.seller_incomplete': 'conflict',
  /** an invoice of this service for this period exists and is not credited (params: number, periodStart) */
  'invoice.already_issued': 'conflict',
  /** the offer costs nothing: there is nothing to invoice (params: offer) */
  'invoice.nothing_to_bill': 'conflict',
  /** a credit note credits this invoice already (params: number, creditNote) */
  'invoice.already_credited': 'conflict',
  /** only invoices are credited: not a proforma, not a credit note (params: number, kind) */
  'invoice.not_creditable': 'conflict',
  /** an export's range: from after to, or longer than the longest allowed (params: from, to, maxDays) */
  'billing.export_range': 'invalid',
  /** the FEC's file name needs the seller's SIREN: none set, and the registration number is no SIREN or SIRET */
  'billing.siren_missing': 'conflict',
  /** a credit beyond what is left to credit of the invoice (params: number, remainingCents, askedCents) */
  'invoice.credit_exceeds': 'conflict',
  /** an amount credits one VAT rate: this invoice has several (credit some of its lines) (params: number) */
  'invoice.credit_mixed_rates': 'conflict',
  /** a line the invoice does not have (params: line) */
  'invoice.credit_line_unknown': 'invalid',
  /** the hosting has this offer already (params: offer) */
  'offer_change.same_offer': 'conflict',
  /** customers move only to offers open to self-service; staff move to any (params: offer) */
  'offer_change.not_self_service': 'forbidden',
  /** the hosting holds more than the offer allows (params: offer, misfits; one issue per misfit: what, used, limit) */
  'offer_change.does_not_fit': 'conflict',
  /** the service ends already, on that day, that way (params: hosting, endsOn, mode) */
  'service.already_ending': 'conflict',
  /** the service is not ending: nothing to cancel (params: hosting) */
  'service.not_ending': 'conflict',
});
