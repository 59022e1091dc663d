// Whether an object the API lists is still being applied on its servers: its list is asked again
// until it is not (useList's pollWhile), as a site's page is while its site is pending.
export const pendingOnServer = (o: { provisioning?: { status: string } | null }) => o.provisioning?.status === 'pending';
