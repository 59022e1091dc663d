// Every API route of the manager, capability by capability.
import type { AnyRoute } from './platform/http/route.js';
import { authRoutes } from './accounts/routes-auth.js';
import { userRoutes } from './accounts/routes-users.js';
import { customerRoutes } from './accounts/routes-customers.js';
import { offerRoutes } from './offers/routes.js';
import { hostingRoutes } from './hosting/routes-hostings.js';
import { siteRoutes } from './hosting/routes-sites.js';
import { serverRoutes } from './servers/routes.js';
import { auditRoutes } from './audit/routes.js';
import { agentRoutes } from './agent/routes.js';

export const apiRoutes: AnyRoute[] = [
  ...authRoutes,
  ...userRoutes,
  ...customerRoutes,
  ...offerRoutes,
  ...hostingRoutes,
  ...siteRoutes,
  ...serverRoutes,
  ...auditRoutes,
];

/** The agent protocol (/agent/v1), authenticated by server tokens, kept out of the public OpenAPI. */
export const allRoutes: AnyRoute[] = [...apiRoutes, ...agentRoutes];
