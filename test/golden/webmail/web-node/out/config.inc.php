<?php
// Roundcube of the webmail. Rendered by Abri; do not edit.
$config['db_dsnw'] = 'sqlite:////var/lib/abri/webmail/db/roundcube.db?mode=0600';
$config['temp_dir'] = '/var/lib/abri/webmail/tmp/';
$config['log_dir'] = '/var/lib/abri/webmail/logs/';
$config['des_key'] = 'q83vEjRWeJCrze8SNFZ4kKvN';
$config['plugins'] = ['abri_webmail'];
$config['imap_host'] = 'ssl://webmail.invalid:993';
$config['smtp_host'] = 'tls://webmail.invalid:587';
$config['smtp_user'] = '%u';
$config['smtp_pass'] = '%p';
$config['imap_conn_options'] = ['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true]];
$config['smtp_conn_options'] = ['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true]];
$config['proxy_whitelist'] = ['10.0.0.10', '2001:db8::10'];
$config['login_lc'] = 2;
$config['enable_installer'] = false;
$config['skin'] = 'elastic';
$config['product_name'] = 'Webmail';
$config['mime_types'] = '/etc/mime.types';
$config['session_lifetime'] = 30;
$config['abri_webmail_servers'] = [
  'a-org.example' => ['imap' => 'ssl://10.0.0.25:993', 'smtp' => 'tls://10.0.0.25:587'],
  'xn--caf-dma.fr' => ['imap' => 'ssl://[2001:db8::25]:993', 'smtp' => 'tls://[2001:db8::25]:587'],
];
