<?php
// Rendered by Abri.
define('RCUBE_PLUGINS_DIR', '/usr/share/abri/webmail/plugins/');
