import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANOMALY_COLUMNS, ANOMALY_STREAM, ANOMALY_TABLE, sentinelDocs, tableArmTemplate } from '../src/index.js';

const docs = new URL('../../../docs/sentinel/', import.meta.url);

describe('docs/sentinel', () => {
  it('holds exactly what the table definition generates (npm run docs -w @isoforest/publish rewrites it)', () => {
    for (const [name, text] of Object.entries(sentinelDocs()))
      expect(readFileSync(new URL(name, docs), 'utf8'), name).toBe(text);
  });

  it('declares the stream with the columns publish sends, and routes it to the table', () => {
    interface Resource {
      readonly type: string;
      readonly properties: {
        readonly streamDeclarations: Record<string, { readonly columns: unknown }>;
        readonly dataFlows: readonly { readonly outputStream: string }[];
        readonly schema: { readonly columns: readonly { readonly name: string }[] };
      };
    }
    const template = tableArmTemplate() as { resources: Resource[] };
    const dcr = template.resources.find((r) => r.type === 'Microsoft.Insights/dataCollectionRules')!;
    expect(dcr.properties.streamDeclarations[ANOMALY_STREAM].columns).toEqual(
      ANOMALY_COLUMNS.map(({ name, type }) => ({ name, type })),
    );
    expect(dcr.properties.dataFlows[0].outputStream).toBe(`Custom-${ANOMALY_TABLE}`);
    const table = template.resources.find((r) => r.type === 'Microsoft.OperationalInsights/workspaces/tables')!;
    expect(table.properties.schema.columns.map((c: { name: string }) => c.name)).toEqual(
      ANOMALY_COLUMNS.map((c) => c.name),
    );
  });

  it('raises one incident per flagged user-day with the account as its entity', () => {
    const rule = JSON.parse(readFileSync(new URL('analytics-rule.json', docs), 'utf8')).resources[0].properties;
    expect(rule.eventGroupingSettings.aggregationKind).toBe('AlertPerResult');
    expect(rule.entityMappings).toEqual([
      {
        entityType: 'Account',
        fieldMappings: [
          { identifier: 'Name', columnName: 'AccountName' },
          { identifier: 'NTDomain', columnName: 'AccountNTDomain' },
        ],
      },
    ]);
    expect(rule.query).toContain('summarize arg_max(TimeGenerated, *) by DstDomain, DstUser, UserDay');
  });
});
