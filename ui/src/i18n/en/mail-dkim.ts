// English: DKIM of a mail domain — the signing key's selector, the retired keys still published, the rotation.
export const enMailDkim = {
  'mailDkim.title': 'DKIM signature of {name}',
  'mailDkim.signing': 'Mail sent from this domain is signed with the key of selector {selector}.',
  'mailDkim.none': 'Mail from this domain is not signed yet: make a key.',
  'mailDkim.selector': 'Selector',
  'mailDkim.state': 'State',
  'mailDkim.record': 'DNS record',
  'mailDkim.stateSigning': 'signs',
  'mailDkim.stateRetired': 'replaced, published until {date}',
  'mailDkim.rotate': 'New DKIM key',
  'mailDkim.rotateFor': 'Make a new DKIM key for {name}',
  'mailDkim.rotateTitle': 'Sign the mail of {name} with a new key?',
  'mailDkim.rotateConfirm': 'Yes, make a new key',
  'mailDkim.rotateManaged': 'The new key is published in DNS and signs from then on. The current one stays published for 7 days, so mail already sent still verifies.',
  'mailDkim.rotateExternal': 'The new key signs from then on: publish its record at the domain’s DNS host right away. The current one stays listed for 7 days.',
};
