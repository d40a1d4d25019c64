/**
 * Addresses of a service: the browser URL of a public endpoint and the service's DNS name inside
 * Snowpark Container Services.
 *
 * - SHOW ENDPOINTS' `ingress_url` is a host name (`<hash>-<org>-<account>.snowflakecomputing.app`),
 *   or, while the public endpoint is being provisioned, a sentence ("Endpoints provisioning in
 *   progress…") that is not an address at all (reference §4.10).
 * - The DNS name is what SHOW/DESCRIBE SERVICE print in `dns_name`:
 *   `<service name as a DNS label>.<schema hash>.svc.spcs.internal`, the hash being what
 *   SYSTEM$GET_SERVICE_DNS_DOMAIN('<db>.<schema>') returns (reference §4.9, §4.11). It is read, not
 *   built, because the hash changes when the schema is re-created; `dnsNameFrom` builds it only from a
 *   domain Snowflake returned.
 *
 * Pure; no `vscode`, no Snowflake.
 */

/** `https://<host>` for an ingress host; `undefined` for a placeholder, an empty value or a private endpoint. */
export function endpointUrl(ingressUrl: string | undefined): string | undefined {
  const value = ingressUrl?.trim();
  if (!value) return undefined;
  if (/^https?:\/\/[^\s]+$/i.test(value)) return value;
  // A host name (optionally with a path): letters, digits, dashes and dots, no spaces.
  if (/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(\/[^\s]*)?$/.test(value)) return `https://${value}`;
  return undefined;
}

/** Whether SHOW ENDPOINTS' value is the provisioning placeholder rather than an address. */
export function isProvisioning(ingressUrl: string | undefined): boolean {
  return ingressUrl !== undefined && ingressUrl.trim() !== '' && endpointUrl(ingressUrl) === undefined;
}

/** A service name as a DNS label: lowercase, `_` → `-` (reference §4.5). */
export function dnsLabel(serviceName: string): string {
  return serviceName.toLowerCase().replace(/_/g, '-');
}

/** `<label>.<domain>` from SYSTEM$GET_SERVICE_DNS_DOMAIN's answer (`<hash>.svc.spcs.internal`). */
export function dnsNameFrom(serviceName: string, domain: string): string {
  return `${dnsLabel(serviceName)}.${domain.trim().replace(/^\.+/, '')}`;
}
