<?php
// Abri's sign-on in front of Debian's Adminer (the web database admin). The customer's browser posts
// a ticket (single-use, a minute, bound to one database user) that Abri's manager issued; this
// script exchanges it server to server, with the service key of its config file, for the server,
// the user and that user's console password, keeps them in its PHP session (on this server, never in
// the browser nor in a URL) and signs Adminer in. From then on Adminer connects only to that server,
// as that user: its own login form is refused, and so is any other server, user or driver typed into
// its URLs. Config (0640, root:<the pool's user>): ABRI_DBADMIN_CONFIG or /etc/abri/dbadmin.php,
// returning ['manager' => 'https://…', 'key' => '…', 'cafile' => optional CA bundle].
declare(strict_types=1);

const ABRI_ADMINER = '/usr/share/adminer/adminer.php';

function abri_refuse(int $status, string $text): never {
    http_response_code($status);
    header('Content-Type: text/html; charset=utf-8');
    header('Cache-Control: no-store');
    echo '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Adminer · Abri</title><body><p id="abri-refused">'
        . htmlspecialchars($text) . '</p><p lang="fr">Ouvrez l’administration des bases depuis Abri (onglet Bases de données).</p></body></html>';
    exit;
}

/** The manager's answer to a ticket: ['host','port','user','password','databases'], or null when refused. */
function abri_exchange(array $config, string $ticket): ?array {
    $context = stream_context_create([
        'http' => [
            'method' => 'POST', 'timeout' => 10, 'ignore_errors' => true, 'follow_location' => 0,
            'header' => "Content-Type: application/json\r\nX-Abri-Dbadmin-Key: {$config['key']}\r\n",
            'content' => json_encode(['ticket' => $ticket]),
        ],
        'ssl' => array_filter(['verify_peer' => true, 'cafile' => $config['cafile'] ?? null]),
    ]);
    $body = @file_get_contents(rtrim($config['manager'], '/') . '/api/v1/dbadmin/exchange', false, $context);
    $status = isset($http_response_header[0]) && preg_match('~^HTTP/\S+ (\d{3})~', $http_response_header[0], $m) ? (int) $m[1] : 0;
    if ($status !== 200 || !is_string($body)) {
        if ($status !== 403) error_log("abri dbadmin: the manager answered the exchange with status $status");
        return null;
    }
    $answer = json_decode($body, true);
    foreach (['host', 'port', 'user', 'password'] as $k) if (!isset($answer[$k])) return null;
    return $answer;
}

$config = require (getenv('ABRI_DBADMIN_CONFIG') ?: '/etc/abri/dbadmin.php');

// Adminer's own session (it starts none when one is open), cookie on this path only, HTTPS-only where served so
$https = (($_SERVER['HTTPS'] ?? '') !== '' && $_SERVER['HTTPS'] !== 'off') || ($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https';
session_cache_limiter('');
session_name('adminer_sid');
session_set_cookie_params(['lifetime' => 0, 'path' => preg_replace('~\?.*~', '', $_SERVER['REQUEST_URI']), 'secure' => $https, 'httponly' => true, 'samesite' => 'Lax']);
session_start();

// only the MySQL/MariaDB driver ("server"): a URL naming another driver is refused before Adminer reads it
foreach (['sqlite', 'sqlite2', 'pgsql', 'oracle', 'mssql', 'mongo', 'elastic', 'firebird', 'simpledb', 'clickhouse'] as $driver) {
    if (isset($_GET[$driver])) abri_refuse(403, 'This database admin opens only the database server Abri gives.');
}
if (isset($_POST['auth'])) abri_refuse(403, 'Sign in from Abri: open the database admin from the Databases tab of your hosting.');

if (($_SERVER['REQUEST_METHOD'] ?? '') === 'POST' && isset($_POST['ticket'])) {
    $answer = is_string($_POST['ticket']) ? abri_exchange($config, $_POST['ticket']) : null;
    if (!$answer) abri_refuse(403, 'This link has expired or was already used: open the database admin again from Abri.');
    // a new session for this user alone: whatever the browser had before is forgotten
    $_SESSION = [];
    session_regenerate_id(true);
    $server = $answer['host'] . ':' . $answer['port'];
    $_SESSION['abri'] = ['server' => $server, 'user' => $answer['user'], 'password' => $answer['password'], 'databases' => $answer['databases'] ?? []];
    // Adminer signs in as if its form had been sent (it keeps the password in this session and redirects)
    $_GET = [];
    $_POST = ['auth' => ['driver' => 'server', 'server' => $server, 'username' => $answer['user'], 'password' => $answer['password'], 'db' => '']];
}

function adminer_object() {
    class AbriAdminer extends Adminer {
        function name() {
            return 'Adminer · Abri';
        }

        /** Always the server and user of the ticket, whatever the URL says. */
        function credentials() {
            $a = $_SESSION['abri'] ?? null;
            return $a ? [$a['server'], $a['user'], $a['password']] : ['127.0.0.1:0', '', ''];
        }

        /** Only the server, driver and user of the ticket sign in. */
        function login($login, $password) {
            $a = $_SESSION['abri'] ?? null;
            if ($a && DRIVER === 'server' && SERVER === $a['server'] && $login === $a['user']) return true;
            return 'Open the database admin from Abri (Databases tab, “Open in Adminer”).';
        }

        function loginForm() {
            echo '<p id="abri-login">Open the database admin from Abri: Databases tab of your hosting, “Open in Adminer” next to a database user.</p>';
        }

        /** No "permanent login" cookie. */
        function permanentLogin($create = false) {
            return '';
        }

        function databases($flush = true) {
            return $_SESSION['abri']['databases'] ?? [];
        }
    }
    return new AbriAdminer();
}

include ABRI_ADMINER;
