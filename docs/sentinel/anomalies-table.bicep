// The IsoforestAnomalies_CL table and the data collection rule that isoforest publish sends to.
// Generated from packages/publish/src/anomalyTable.ts: edit that, then npm run docs -w @isoforest/publish.
param workspaceName string
param location string = resourceGroup().location
param retentionInDays int = 90

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource table 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: 'IsoforestAnomalies_CL'
  properties: {
    retentionInDays: retentionInDays
    schema: {
      name: 'IsoforestAnomalies_CL'
      columns: [
        { name: 'TimeGenerated', type: 'dateTime' }
        { name: 'UserDay', type: 'dateTime' }
        { name: 'DstDomain', type: 'string' }
        { name: 'DstUser', type: 'string' }
        { name: 'FailedLogons_zscore', type: 'real' }
        { name: 'SuccessfulLogons_zscore', type: 'real' }
        { name: 'ComputersSuccessfulAccess_zscore', type: 'real' }
        { name: 'ComputerDomainsSuccessfulAccess', type: 'real' }
        { name: 'SrcIpSuccessfulAccess_zscore', type: 'real' }
        { name: 'SrcHostNameSuccessfulAccess', type: 'real' }
        { name: 'Score', type: 'real' }
        { name: 'DecisionFunction', type: 'real' }
        { name: 'TopContributions', type: 'dynamic' }
        { name: 'ExpectedValue', type: 'real' }
        { name: 'ModelId', type: 'string' }
        { name: 'RunId', type: 'string' }
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
      'Custom-IsoforestAnomalies': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' }
          { name: 'UserDay', type: 'datetime' }
          { name: 'DstDomain', type: 'string' }
          { name: 'DstUser', type: 'string' }
          { name: 'FailedLogons_zscore', type: 'real' }
          { name: 'SuccessfulLogons_zscore', type: 'real' }
          { name: 'ComputersSuccessfulAccess_zscore', type: 'real' }
          { name: 'ComputerDomainsSuccessfulAccess', type: 'real' }
          { name: 'SrcIpSuccessfulAccess_zscore', type: 'real' }
          { name: 'SrcHostNameSuccessfulAccess', type: 'real' }
          { name: 'Score', type: 'real' }
          { name: 'DecisionFunction', type: 'real' }
          { name: 'TopContributions', type: 'dynamic' }
          { name: 'ExpectedValue', type: 'real' }
          { name: 'ModelId', type: 'string' }
          { name: 'RunId', type: 'string' }
        ]
      }
    }
    destinations: { logAnalytics: [ { workspaceResourceId: workspace.id, name: 'sentinel' } ] }
    dataFlows: [ { streams: [ 'Custom-IsoforestAnomalies' ], destinations: [ 'sentinel' ], transformKql: 'source', outputStream: 'Custom-IsoforestAnomalies_CL' } ]
  }
}

output endpoint string = dce.properties.logsIngestion.endpoint
output ruleId string = dcr.properties.immutableId
