<?php
/**
 * Abri's Roundcube plugin: a mailbox signs in to its own mail server. Abri renders the map of mail
 * domains to their servers into the config (abri_webmail_servers: domain => IMAPS and submission
 * addresses); at each login the address's domain picks the IMAP server, and every message sent
 * goes through that server's submission port with the same address and password. An address whose
 * domain no mail server of the platform receives is refused before anything is tried.
 */
class abri_webmail extends rcube_plugin
{
    public function init()
    {
        $this->add_hook('authenticate', [$this, 'authenticate']);
        $this->add_hook('smtp_connect', [$this, 'smtp_connect']);
    }

    /** The servers of an address's domain, or null. */
    private function servers_of($address)
    {
        $address = strtolower(trim((string) $address));
        $at = strrpos($address, '@');
        if ($at === false || $at === 0) {
            return null;
        }
        $map = rcmail::get_instance()->config->get('abri_webmail_servers', []);
        $domain = substr($address, $at + 1);
        return is_array($map) && isset($map[$domain]) && is_array($map[$domain]) ? $map[$domain] : null;
    }

    public function authenticate($args)
    {
        $servers = $this->servers_of($args['user']);
        if (!$servers) {
            $args['abort'] = true;
            $args['valid'] = false;
            $args['error'] = 'Sign in with the full address of a mailbox of this platform (like name@example.org).';
            return $args;
        }
        $args['host'] = $servers['imap'];
        return $args;
    }

    public function smtp_connect($args)
    {
        $user = rcmail::get_instance()->get_user_name();
        $servers = $this->servers_of($user);
        if ($servers) {
            $args['smtp_host'] = $servers['smtp'];
        }
        return $args;
    }
}
