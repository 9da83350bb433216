/**
 * What a Sentinel admin deploys to receive `isoforest publish`: the custom table and the data collection rule
 * (ARM and Bicep), and an analytics rule that raises an incident per anomalous user-day. Built from
 * `ANOMALY_COLUMNS`, the one definition of the table; `npm run docs -w @isoforest/publish` writes them into
 * `docs/sentinel/`, and a test fails when the files there drift from this code.
 */
import { ANOMALY_COLUMNS, ANOMALY_STREAM, ANOMALY_TABLE, type AnomalyColumnType } from './anomalyTable.js';

/** The Log Analytics tables API spells one type differently from the data collection rule's stream declaration. */
const TABLE_TYPES: Record<AnomalyColumnType, string> = {
  datetime: 'dateTime',
  string: 'string',
  real: 'real',
  dynamic: 'dynamic',
};

/** The scheduled analytics rule's query: the latest row per flagged user-day, with the account as an entity. */
export function analyticsRuleKql(): string {
  return [
    ANOMALY_TABLE,
    '| where TimeGenerated > ago(1d)',
    '// a user-day published twice (a re-run) raises one incident',
    '| summarize arg_max(TimeGenerated, *) by DstDomain, DstUser, UserDay',
    '| extend TopFeature = tostring(TopContributions[0].feature), TopShap = todouble(TopContributions[0].shap)',
    '| extend AccountName = DstUser, AccountNTDomain = DstDomain',
    '| project TimeGenerated, UserDay, AccountNTDomain, AccountName, Score, DecisionFunction, TopFeature, TopShap, TopContributions, ModelId, RunId',
  ].join('\n');
}

/** ARM template: the custom table, a data collection endpoint, and the data collection rule that feeds the table. */
export function tableArmTemplate(): object {
  const stream = ANOMALY_COLUMNS.map((c) => ({ name: c.name, type: c.type }));
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: {
      workspaceName: { type: 'string', metadata: { description: 'The Log Analytics workspace of Microsoft Sentinel' } },
      location: { type: 'string', defaultValue: '[resourceGroup().location]' },
      retentionInDays: { type: 'int', defaultValue: 90 },
    },
    variables: { workspaceId: "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]" },
    resources: [
      {
        type: 'Microsoft.OperationalInsights/workspaces/tables',
        apiVersion: '2022-10-01',
        name: `[concat(parameters('workspaceName'), '/${ANOMALY_TABLE}')]`,
        properties: {
          retentionInDays: "[parameters('retentionInDays')]",
          schema: {
            name: ANOMALY_TABLE,
            columns: ANOMALY_COLUMNS.map((c) => ({
              name: c.name,
              type: TABLE_TYPES[c.type],
              description: c.description,
            })),
          },
        },
      },
      {
        type: 'Microsoft.Insights/dataCollectionEndpoints',
        apiVersion: '2022-06-01',
        name: 'isoforest-dce',
        location: "[parameters('location')]",
        properties: { networkAcls: { publicNetworkAccess: 'Enabled' } },
      },
      {
        type: 'Microsoft.Insights/dataCollectionRules',
        apiVersion: '2022-06-01',
        name: 'isoforest-dcr',
        location: "[parameters('location')]",
        dependsOn: [
          "[resourceId('Microsoft.Insights/dataCollectionEndpoints', 'isoforest-dce')]",
          `[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), '${ANOMALY_TABLE}')]`,
        ],
        properties: {
          dataCollectionEndpointId: "[resourceId('Microsoft.Insights/dataCollectionEndpoints', 'isoforest-dce')]",
          streamDeclarations: { [ANOMALY_STREAM]: { columns: stream } },
          destinations: { logAnalytics: [{ workspaceResourceId: "[variables('workspaceId')]", name: 'sentinel' }] },
          dataFlows: [
            {
              streams: [ANOMALY_STREAM],
              destinations: ['sentinel'],
              transformKql: 'source',
              outputStream: `Custom-${ANOMALY_TABLE}`,
            },
          ],
        },
      },
    ],
    outputs: {
      endpoint: {
        type: 'string',
        value:
          "[reference(resourceId('Microsoft.Insights/dataCollectionEndpoints', 'isoforest-dce')).logsIngestion.endpoint]",
      },
      ruleId: {
        type: 'string',
        value: "[reference(resourceId('Microsoft.Insights/dataCollectionRules', 'isoforest-dcr')).immutableId]",
      },
    },
  };
}

/** The same resources as `tableArmTemplate`, in Bicep. */
export function tableBicep(): string {
  const columns = (type: (t: AnomalyColumnType) => string) =>
    ANOMALY_COLUMNS.map((c) => `      { name: '${c.name}', type: '${type(c.type)}' }`).join('\n');
  return `// The ${ANOMALY_TABLE} table and the data collection rule that isoforest publish sends to.
// Generated from packages/publish/src/anomalyTable.ts: edit that, then npm run docs -w @isoforest/publish.
param workspaceName string
param location string = resourceGroup().location
param retentionInDays int = 90

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource table 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: '${ANOMALY_TABLE}'
  properties: {
    retentionInDays: retentionInDays
    schema: {
      name: '${ANOMALY_TABLE}'
      columns: [
${columns((t) => TABLE_TYPES[t]).replace(/^ {6}/gm, '        ')}
      ]
    }
  }
}

resource dce 'Microsoft.Insights/dataCollectionEndpoints@2022-06-01' = {
  name: 'isoforest-dce'
  location: location
  properties: { networkAcls: { publicNetworkAccess: 'Enabled' } }
}

resource dcr 'Microsoft.Insights/dataCollectionRules@2022-06-01' = {
  name: 'isoforest-dcr'
  location: location
  dependsOn: [ table ]
  properties: {
    dataCollectionEndpointId: dce.id
    streamDeclarations: {
      '${ANOMALY_STREAM}': {
        columns: [
${columns((t) => t).replace(/^ {6}/gm, '          ')}
        ]
      }
    }
    destinations: { logAnalytics: [ { workspaceResourceId: workspace.id, name: 'sentinel' } ] }
    dataFlows: [ { streams: [ '${ANOMALY_STREAM}' ], destinations: [ 'sentinel' ], transformKql: 'source', outputStream: 'Custom-${ANOMALY_TABLE}' } ]
  }
}

output endpoint string = dce.properties.logsIngestion.endpoint
output ruleId string = dcr.properties.immutableId
`;
}

/** ARM template of the scheduled analytics rule: one incident per anomalous user-day, the account as its entity. */
export function analyticsRuleArmTemplate(): object {
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { workspaceName: { type: 'string' } },
    resources: [
      {
        type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules',
        apiVersion: '2023-02-01',
        name: "[concat(parameters('workspaceName'), '/Microsoft.SecurityInsights/isoforest-anomalous-logon-day')]",
        kind: 'Scheduled',
        properties: {
          displayName: 'Anomalous network logon day (isoforest)',
          description:
            'A user-day of Windows network logons that the isolation forest of isoforest hunt flagged as anomalous, ' +
            'with the features that made it stand out (SHAP values; negative pushes toward anomalous).',
          severity: 'Medium',
          enabled: true,
          query: analyticsRuleKql(),
          queryFrequency: 'PT1H',
          queryPeriod: 'P1D',
          triggerOperator: 'GreaterThan',
          triggerThreshold: 0,
          suppressionDuration: 'PT1H',
          suppressionEnabled: false,
          tactics: ['CredentialAccess', 'LateralMovement'],
          eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
          alertDetailsOverride: {
            alertDisplayNameFormat: 'Anomalous logons of {{AccountNTDomain}}\\{{AccountName}} on {{UserDay}}',
            alertDescriptionFormat:
              'Score {{Score}}; the strongest push toward anomalous: {{TopFeature}} ({{TopShap}})',
          },
          customDetails: { Score: 'Score', TopFeature: 'TopFeature', ModelId: 'ModelId', RunId: 'RunId' },
          entityMappings: [
            {
              entityType: 'Account',
              fieldMappings: [
                { identifier: 'Name', columnName: 'AccountName' },
                { identifier: 'NTDomain', columnName: 'AccountNTDomain' },
              ],
            },
          ],
          incidentConfiguration: {
            createIncident: true,
            groupingConfiguration: {
              enabled: false,
              reopenClosedIncident: false,
              lookbackDuration: 'P1D',
              matchingMethod: 'AllEntities',
            },
          },
        },
      },
    ],
  };
}

/** The files of `docs/sentinel/`, by name. */
export function sentinelDocs(): Record<string, string> {
  const json = (value: object) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'anomalies-table.json': json(tableArmTemplate()),
    'anomalies-table.bicep': tableBicep(),
    'analytics-rule.json': json(analyticsRuleArmTemplate()),
    'analytics-rule.kql': `${analyticsRuleKql()}\n`,
  };
}
