// Français : payer une facture par carte (Stripe), rembourser par Stripe, et les erreurs de paiement affichées.
import type { enCard } from '../en/card.js';

export const frCard: Record<keyof typeof enCard, string> = {
  'card.title': 'Payer par carte',
  'card.explained': 'Vous payez sur la page sécurisée de Stripe : votre numéro de carte ne nous parvient jamais. La facture apparaît payée dès que Stripe confirme.',
  'card.pay': 'Payer {amount} par carte',
  'card.confirming': 'Merci : Stripe confirme votre paiement. Cette facture l\'affiche dès que Stripe nous prévient (en général en quelques secondes).',
  'card.thanks': 'Merci : votre paiement par carte est bien reçu.',
  'card.cancelled': 'Le paiement par carte a été annulé : rien n\'a été débité.',
  'card.refundTitle': 'Remboursement par carte',
  'card.refundExplained': 'Cette facture avoirée a été payée par carte : rendez l\'argent sur la même carte par Stripe.',
  'card.refund': 'Rembourser {amount} sur la carte',
  'card.refunded': 'Remboursé : le remboursement est enregistré sur la facture.',
  'card.refundPending': 'Stripe traite le remboursement : il sera enregistré dès que Stripe le confirme.',
  'error.payment.card_unavailable': 'Cette plateforme ne prend pas de paiement par carte : payez par virement avec la référence de la facture.',
  'error.payment.nothing_due': '{number} est payée : il ne reste rien à payer.',
  'error.payment.webhook_invalid': 'La signature de la notification {provider} n\'est pas valide.',
  'error.payment.provider_failed': 'Le prestataire de paiement ({provider}) a refusé ou ne répond pas ({code}). Réessayez dans un instant.',
  'error.payment.no_card_payment': '{number} n\'a aucun paiement par carte à rembourser : enregistrez le remboursement à la main.',
  'error.invoice.forbidden': 'Votre accès à ce client est en lecture seule : payer ses factures demande un rôle de gestionnaire ou de propriétaire.',
};
