// English: a hosting's SFTP users — the errors the API gives and what a web server reports on them.
// (Their screens come with the SFTP tab; the API, the CLI and these texts come first.)
export const enFiles = {
  'error.sftp_user.not_found': 'No such SFTP user.',
  'error.sftp_user.forbidden': 'You may not change the SFTP users of this hosting.',
  'error.sftp_user.name_taken': 'This hosting already has an SFTP user of this name.',
  'error.sftp_user.name_taken.name': 'There is already an SFTP user named {name}.',
  'error.sftp_user.name_too_long': 'This name is too long for an SFTP user.',
  'error.sftp_user.name_too_long.max': {
    n: 'max',
    one: 'Too long: in this hosting, give at most {max} character.',
    other: 'Too long: in this hosting, give at most {max} characters.',
  },
  'error.sftp_user.folder_invalid': 'This folder cannot be given: it must be inside the hosting (var/www or below, or the whole hosting), without “..”.',
  'error.sftp_user.no_login': 'Give a password or at least one public key: the user could not sign in otherwise.',
  'error.sftp_user.no_server': 'This hosting is on no web server yet: its SFTP users would have nowhere to sign in.',
  'error.sftp_key.invalid': 'This is not a public key the platform accepts (ed25519, ECDSA, or RSA of 2048 bits or more).',
  'error.sftp_key.taken': 'This user already has this key.',
  'error.sftp_key.taken.fingerprint': 'This user already has the key {fingerprint}.',
  'error.sftp_key.not_found': 'This user has no such key.',
  'error.quota.sftp_users_exceeded': 'This hosting has reached the number of file-transfer users its offer allows.',
  'error.quota.sftp_users_exceeded.max': {
    n: 'max',
    one: 'The offer “{offer}” allows {max} file-transfer user per hosting.',
    other: 'The offer “{offer}” allows {max} file-transfer users per hosting.',
  },
  'error.quota.sftp_keys_exceeded': 'This user has as many public keys as allowed.',
  'error.quota.sftp_keys_exceeded.max': { n: 'max', one: 'A user has at most {max} public key.', other: 'A user has at most {max} public keys.' },

  'report.sftp.account_not_ours':
    'A system account of this name already exists on the web server and was not created by Abri for this user: nothing was touched. The platform staff must look into it.',
  'report.sftp.hosting_not_ready': 'The hosting is not set up on its web server yet: this user will be added once it is.',
  'report.sftp.folder_unsafe': 'This user’s folder is a link or leads outside the hosting: the user cannot sign in until it is a real folder again.',
  'report.sftp.folder_unsafe.folder': 'The folder {folder} is a link or leads outside the hosting: the user cannot sign in until it is a real folder again.',
  'report.sftp.refused': 'The web server refused this SFTP user.',
  'report.sftp.refused.detail': 'The web server refused this SFTP user: {detail}',
};
