// Every setting of Abri: its ABRI_* key, its default and what it means (`abri config --help` lists
// them; platform/config.ts reads and checks them).

/** Names the platform itself uses (or will): its name servers, mail, web mail, status page, panel… */
export const DEFAULT_RESERVED_LABELS = 'ns*,dns*,mx*,mail,smtp,imap,pop,pop3,webmail,autoconfig,autodiscover,status,manager,panel,admin,api,www,'
  + 'ftp,sftp,ssh,hostmaster,postmaster,abuse';

export interface Setting {
  key: string;
  default: string;
  description: string;
}

export const settings: Setting[] = [
  { key: 'ABRI_CONFIG', default: './abri.conf', description: 'optional config file (KEY=VALUE lines with the keys below); environment variables win' },
  { key: 'ABRI_DATA_DIR', default: './abri-data', description: 'data directory: embedded database, rendered configs, secrets' },
  { key: 'ABRI_LISTEN', default: '127.0.0.1:8080', description: 'address:port the manager listens on' },
  { key: 'ABRI_DATABASE_URL', default: '', description: 'postgres://… URL; unset = embedded PGlite under ABRI_DATA_DIR/db' },
  { key: 'ABRI_PUBLIC_URL', default: '', description: 'public URL of the manager (links printed and mailed); default http://ABRI_LISTEN' },
  { key: 'ABRI_API_URL', default: '', description: 'CLI: manager URL to talk to; default the public URL' },
  { key: 'ABRI_TOKEN', default: '', description: 'CLI: API token (else read from ~/.config/abri/token)' },
  { key: 'ABRI_AGENT_TOKEN', default: '', description: 'abri agent: the server\'s agent token (instead of --token)' },
  { key: 'ABRI_LOG_LEVEL', default: 'info', description: 'log level: fatal, error, warn, info, debug, trace, silent' },
  { key: 'ABRI_HOSTING_PREFIX', default: 'h', description: 'prefix of hosting system names (e.g. w4a → w4a100010)' },
  { key: 'ABRI_UID_MIN', default: '100000', description: 'first uid (and hosting number) given to hostings' },
  { key: 'ABRI_UID_MAX', default: '199999', description: 'last uid given to hostings' },
  { key: 'ABRI_HOSTING_ROOT', default: '/home', description: 'directory under which hosting homes are created' },
  { key: 'ABRI_RETENTION_DAYS', default: '30', description: 'days a terminated hosting\'s files are kept before they may be purged' },
  { key: 'ABRI_PHP_VERSIONS', default: '8.2', description: 'PHP versions the platform offers, comma-separated' },
  { key: 'ABRI_SESSION_HOURS', default: '12', description: 'lifetime of a login session, in hours' },
  { key: 'ABRI_LOCAL_AGENT', default: '1', description: 'abri serve runs an agent for this machine (server "local", roles edge+web): 1 or 0' },
  { key: 'ABRI_APPLY', default: '0', description: 'agents apply configs for real (root, Debian services installed); 0 = render-only into ABRI_DATA_DIR/render' },
  { key: 'ABRI_NODE_ROOT', default: '/', description: 'prefix of every path an agent writes (/etc/apache2/abri, /etc/php/V/fpm/abri, /etc/haproxy/abri, /run/abri…)' },
  { key: 'ABRI_WEB_LISTEN', default: '127.0.0.1:8081', description: 'where Apache listens on web nodes (the edge forwards there)' },
  { key: 'ABRI_APACHE_INSTANCES', default: '1', description: 'Apache instances on each web node, on ABRI_WEB_LISTEN\'s port and the next ones: a hosting\'s sites go to instance (uid mod N), and a change reloads only its instance (about one per 500 sites keeps changes under 2 s on a 10,000-site node)' },
  { key: 'ABRI_WEB_USER', default: 'www-data', description: 'user Apache runs as (owns the FPM sockets, traverses homes)' },
  { key: 'ABRI_EDGE_BIND', default: '0.0.0.0', description: 'address HAProxy binds on edge nodes' },
  { key: 'ABRI_EDGE_HTTP_PORT', default: '80', description: 'HTTP port of the edge' },
  { key: 'ABRI_FPM_POOLS_PER_MASTER', default: '250', description: 'pools per PHP-FPM master on web nodes: a hosting\'s pool goes to the master of its block of uids, and a change checks and reloads only that master' },
  { key: 'ABRI_PHP_FPM', default: '8.2=/usr/sbin/php-fpm8.2', description: 'PHP version → FPM binary, comma-separated (8.2=/usr/sbin/php-fpm8.2,8.3=…)' },
  { key: 'ABRI_APACHE_EXTRA', default: '', description: 'extra Apache directives for every web node, separated by " ;; "' },
  { key: 'ABRI_RECONCILE_SECONDS', default: '60', description: 'agents re-apply their state this often even without changes (repairs drift)' },
  { key: 'ABRI_LOGIN_MAX_FAILURES', default: '10', description: 'failed logins from one address for one account (3× that for all accounts from one address) before logins from there slow down (15 s, doubling up to 15 min); never a lock-out' },
  { key: 'ABRI_SECRET_KEY', default: '', description: 'key encrypting private keys at rest (64 hex digits); default: generated once into ABRI_DATA_DIR/secret.key' },
  { key: 'ABRI_PLATFORM_DOMAIN', default: '', description: 'platform domain (e.g. web4me.fr): its zone is served by Abri, sites may get <label>.<domain> names under a wildcard certificate' },
  { key: 'ABRI_RESERVED_LABELS', default: DEFAULT_RESERVED_LABELS, description: 'labels of the platform domain no site may take as its platform name (comma-separated, * matches any characters); the labels of the name servers, the edge host name and the manager\'s public URL under the platform domain are reserved too' },
  { key: 'ABRI_DNS_NAMESERVERS', default: '', description: 'name servers (NS) of every zone, comma-separated, each optionally with its addresses (ns1.example.net=192.0.2.53+2001:db8::53: published when it lies in a zone of the platform); default ns1.ABRI_PLATFORM_DOMAIN,ns2.… or ns1.abri.invalid' },
  { key: 'ABRI_DNS_HOSTMASTER', default: '', description: 'zone contact (SOA) as an email address; default hostmaster@<domain of the first name server>' },
  { key: 'ABRI_DNS_SECONDARIES', default: '', description: 'secondary name servers that get NOTIFY and may transfer zones (AXFR): IP or IP:port, comma-separated' },
  { key: 'ABRI_DNS_TTL', default: '3600', description: 'TTL (seconds) of new records and of the SOA/NS records' },
  { key: 'ABRI_DNS_EDGE_TTL', default: '300', description: 'TTL (seconds) of the A/AAAA records Abri keeps pointed at the edge (short: renumbering is quick)' },
  { key: 'ABRI_DNS_MX', default: '', description: 'MX records of new zones, e.g. "10 mx1.example.net,20 mx2.example.net" (editable by customers)' },
  { key: 'ABRI_DNS_SPF', default: '', description: 'SPF TXT record of new zones, e.g. "v=spf1 mx -all" (editable by customers)' },
  { key: 'ABRI_DNS_PRIMARY', default: '', description: 'where the manager asks the primary name server (IP or IP:port); default the first address of each DNS server, port 53' },
  { key: 'ABRI_DNS_RESOLVER', default: '', description: 'DNS servers (IP or IP:port, comma-separated) the manager asks when it checks names; default the system resolver' },
  { key: 'ABRI_EDGE_HOSTNAME', default: '', description: 'a host name of the edge, given as CNAME target to customers whose DNS is elsewhere' },
  { key: 'ABRI_ACME_DIRECTORY', default: 'https://acme-v02.api.letsencrypt.org/directory', description: 'ACME directory certificates are ordered from (Let\'s Encrypt, its staging, Pebble…); empty = order none' },
  { key: 'ABRI_ACME_EMAIL', default: '', description: 'contact email of the platform\'s ACME account' },
  { key: 'ABRI_ACME_CA_FILE', default: '', description: 'PEM file of an extra CA to trust when talking to the ACME directory (a test CA such as Pebble\'s)' },
  { key: 'ABRI_ACME_HTTP_PORT', default: '80', description: 'port the edge answers HTTP on, where Abri probes a name before ordering' },
  { key: 'ABRI_ACME_CONCURRENCY', default: '8', description: 'certificates ordered or renewed at the same time' },
  { key: 'ABRI_EDGE_HTTPS_PORT', default: '443', description: 'HTTPS port of the edge (certificates served from its crt-list)' },
  { key: 'ABRI_DNS_LISTEN', default: '0.0.0.0:53', description: 'address:port PowerDNS answers on, on DNS nodes (notifies to secondaries leave from this address)' },
  { key: 'ABRI_DNS_API_PORT', default: '8053', description: 'port of the PowerDNS HTTP API on 127.0.0.1, on DNS nodes' },
  { key: 'ABRI_DNS_BULK_ZONES', default: '100', description: 'on DNS nodes, when at least this many zones change at once (a renumbering), their A/AAAA/TXT records are written in one database transaction instead of one API call per zone; 0 = never' },
  { key: 'ABRI_PDNS_SERVER', default: '/usr/sbin/pdns_server', description: 'the PowerDNS Authoritative binary, on DNS nodes' },
  { key: 'ABRI_DATABASE_PORT', default: '3306', description: 'port of MariaDB on the database servers, shown to customers with the server\'s address (where PHP connects)' },
  { key: 'ABRI_MARIADB_SOCKET', default: '/run/mysqld/mysqld.sock', description: 'on database nodes: the unix socket of the local MariaDB, where the agent connects as its administrator' },
  { key: 'ABRI_MARIADB_USER', default: 'root', description: 'on database nodes: the MariaDB account the agent uses (authenticated by the socket: unix_socket, as the agent\'s own Unix user)' },
  { key: 'ABRI_DISK_MEASURE_SECONDS', default: '60', description: 'on web nodes: how often the agent measures the space each hosting\'s home uses (exact btrfs qgroup numbers, or an incremental walk elsewhere); 0 = at every apply' },
  { key: 'ABRI_DISK_MEASURE_FILES', default: '200000', description: 'on web nodes whose homes are not btrfs subvolumes: files examined per measure (the walk of the homes goes on where it stopped at the next measure, so every home is measured in turn)' },
  { key: 'ABRI_DATABASE_MEASURE_SECONDS', default: '300', description: 'on database nodes: the agent measures the size of each database (its directory under the datadir) at most this often; 0 = at every apply' },
  { key: 'ABRI_SFTP_PORT', default: '2222', description: 'port of the SFTP service (Abri\'s own sshd) on the web servers, shown to customers with the server\'s address; the machine\'s own sshd keeps port 22' },
  { key: 'ABRI_SFTP_BIND', default: '0.0.0.0', description: 'on web nodes: the address Abri\'s sshd listens on for SFTP users (with ABRI_SFTP_PORT)' },
  { key: 'ABRI_DBADMIN_URL', default: '', description: 'where customers open the web database admin (Adminer with Abri\'s sign-on, see README), on the platform\'s own name, e.g. https://panel.example.net/dbadmin/; empty = no "Open in Adminer"' },
  { key: 'ABRI_DBADMIN_KEY', default: '', description: 'the secret the database admin sends when it exchanges a ticket (at least 32 characters; the same value in its /etc/abri/dbadmin.php); empty = no exchange' },
  { key: 'ABRI_SSHD', default: '/usr/sbin/sshd', description: 'on web nodes: the OpenSSH server binary Abri runs for its SFTP users (its own config, host keys and pid file)' },
];
