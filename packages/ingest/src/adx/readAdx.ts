import type { Agent } from 'node:https';
import type { Client as KustoClient } from 'azure-kusto-data';
import { createCredential, type CredentialKind, type TokenCredential } from '../logAnalytics/credential.js';
import { resultRowsToUserDays } from '../remote/resultRows.js';
import { slicedUserDays, type SlicedQueryOptions, type SlicedSource } from '../remote/slicedQuery.js';

/** Options of the Azure Data Explorer source. */
export interface AdxOptions extends SlicedQueryOptions {
  /**
   * The cluster's URL, in whichever cloud it is: `https://NAME.REGION.kusto.windows.net` (public),
   * `https://NAME.REGION.kusto.usgovcloudapi.net` (US Government), `https://NAME.REGION.kusto.chinacloudapi.cn`
   * (China). The SDK reads the cluster's sign-in metadata from it.
   */
  cluster: string;
  /** The database holding the logon table. */
  database: string;
  /** A ready credential; else one of `credentialKind` is created from the `AZURE_*` variables. */
  credential?: TokenCredential;
  credentialKind?: CredentialKind;
  /** The HTTPS agent of the query requests, for a private certificate authority or a proxy. */
  httpsAgent?: Agent;
}

/** The shape of the SDK's failures (an axios error, or its `ThrottlingError` wrapping one), read without importing axios. */
interface AxiosLikeError {
  message?: string;
  code?: string;
  inner?: AxiosLikeError;
  response?: {
    status?: number;
    headers?: Record<string, unknown> & { get?: (name: string) => unknown };
    data?: unknown;
  };
}

/** The SDK's message for a result that came with errors in its completion frames: a partial result. */
export const ADX_PARTIAL_RESULT_PREFIX = 'Kusto request had errors';

/** An SDK failure in the shape the shared retry policy reads (`statusCode`, `code`, `Retry-After`). */
export function asHttpError(error: unknown): unknown {
  const e = error as AxiosLikeError;
  const axios = e?.inner ?? e;
  const status = axios?.response?.status;
  if (typeof status !== 'number') return error;
  const headers = axios.response?.headers;
  const detail = (axios.response?.data as { error?: { code?: string; message?: string } } | undefined)?.error;
  return {
    statusCode: status,
    code: axios.code,
    message: detail?.message ?? e.message,
    details: detail?.code === undefined ? undefined : [{ code: detail.code, message: detail.message }],
    response: { headers: { get: (name: string) => (headers?.get?.(name) ?? headers?.[name]) as string | undefined } },
  };
}

/**
 * Pulls user-days from an Azure Data Explorer database that holds Sentinel's or Defender's logon table (where
 * teams keep history to hunt at scale), through `azure-kusto-data` with the same `@azure/identity` credentials,
 * the same KQL and the same slicing, retries and partial-result handling as `readLogAnalytics`. The window
 * of each slice is in the query itself (ADX takes no timespan).
 *
 * @throws RangeError at once for an unknown `logonType` or table, or a negative number of days.
 */
export function readAdx(options: AdxOptions): SlicedSource {
  const credential = options.credential ?? createCredential(options.credentialKind);
  // The SDK (and axios under it) is loaded on the first query, so programs that never reach ADX do not pay for it.
  let client: Promise<KustoClient> | null = null;
  const connect = async (): Promise<KustoClient> => {
    const kusto = await import('azure-kusto-data');
    const created = new kusto.Client(
      kusto.KustoConnectionStringBuilder.withTokenCredential(options.cluster, credential),
    );
    if (options.httpsAgent !== undefined) created.axiosInstance.defaults.httpsAgent = options.httpsAgent;
    return created;
  };
  return slicedUserDays(
    `cluster ${options.cluster} database ${options.database}`,
    async (query, _slice, label) => {
      client ??= connect();
      let response;
      try {
        response = await (await client).execute(options.database, query);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith(ADX_PARTIAL_RESULT_PREFIX))
          return { partialError: error };
        throw asHttpError(error);
      }
      const table = response.primaryResults[0];
      if (table === undefined) return { rows: [] };
      return {
        rows: resultRowsToUserDays(
          table.columns.map((c) => c.name ?? ''),
          table._rows as unknown[][],
          label,
        ),
      };
    },
    options,
  );
}
