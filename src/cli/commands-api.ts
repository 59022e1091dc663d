// Staff commands over the REST API (customers, offers, hostings, sites, servers, users, audit).
import type { Command } from 'commander';

export function registerApiCommands(_program: Command) {}
