import { createRequire } from 'node:module';
import type * as AzureIdentity from '@azure/identity';
import type { LogsQueryClient } from '@azure/monitor-query-logs';
import { IngestError } from '../errors.js';

/**
 * Loads a module of the Azure SDK when a Sentinel source is opened, not when this package is: the SDK is most of
 * the CLI's start-up time, and only `sentinel` and `query` use it. Through `require` (the SDK ships CommonJS) so
 * that the functions that create clients stay synchronous.
 */
export const requireAzure = createRequire(import.meta.url) as <T>(id: string) => T;

/** The credential type the Log Analytics client takes (`@azure/core-auth`'s `TokenCredential`). */
export type TokenCredential = ConstructorParameters<typeof LogsQueryClient>[0];

/** How to sign in: the Azure default chain, an interactive device code, or a service principal secret. */
export type CredentialKind = 'default' | 'device-code' | 'client-secret';

/** Environment variables read for the `client-secret` and `device-code` credentials. */
export const AZURE_ENV = {
  tenantId: 'AZURE_TENANT_ID',
  clientId: 'AZURE_CLIENT_ID',
  clientSecret: 'AZURE_CLIENT_SECRET',
} as const;

/**
 * Creates the credential of `kind` from the standard `AZURE_*` variables. `default` is `DefaultAzureCredential`
 * (environment, managed identity, Azure CLI, ...); `device-code` prints its sign-in prompt through `prompt`
 * (stderr by default); `client-secret` needs all three variables and names the missing ones.
 */
export function createCredential(
  kind: CredentialKind = 'default',
  env: NodeJS.ProcessEnv = process.env,
  prompt: (message: string) => void = (m) => process.stderr.write(m + '\n'),
): TokenCredential {
  const { ClientSecretCredential, DefaultAzureCredential, DeviceCodeCredential } =
    requireAzure<typeof AzureIdentity>('@azure/identity');
  switch (kind) {
    case 'default':
      return new DefaultAzureCredential();
    case 'device-code':
      return new DeviceCodeCredential({
        tenantId: env[AZURE_ENV.tenantId],
        clientId: env[AZURE_ENV.clientId],
        userPromptCallback: (info) => prompt(info.message),
      });
    case 'client-secret': {
      const missing = Object.values(AZURE_ENV).filter((name) => !env[name]);
      if (missing.length > 0) {
        throw new IngestError('azure credential', null, null, `client-secret sign-in needs ${missing.join(', ')}`);
      }
      return new ClientSecretCredential(
        env[AZURE_ENV.tenantId]!,
        env[AZURE_ENV.clientId]!,
        env[AZURE_ENV.clientSecret]!,
      );
    }
  }
}
