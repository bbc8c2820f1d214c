// Optional Azure Machine Learning workspace used as the MLflow tracking server of the registry's
// mirror (MLFLOW_TRACKING_URI). The apps' managed identity gets "AzureML Data Scientist" on it.
param location string
param tags object
param namePrefix string
param uniqueSuffix string
param logAnalyticsWorkspaceId string

@description('Principal (object) id of the apps\' user-assigned managed identity.')
param principalId string

var azureMlDataScientistRoleId = 'f6c7c914-8db3-469d-8ca1-694a8f32e121'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('st${namePrefix}ml${uniqueSuffix}', 24)
  location: location
  tags: tags
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${namePrefix}-ml-${uniqueSuffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalyticsWorkspaceId
  }
}

// The workspace keeps its own credentials in its own vault, apart from the app's secrets.
resource mlVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv${namePrefix}ml${uniqueSuffix}', 24)
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-${namePrefix}-${uniqueSuffix}'
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  sku: { name: 'Basic', tier: 'Basic' }
  properties: {
    friendlyName: 'ML API experiment tracking'
    storageAccount: storage.id
    keyVault: mlVault.id
    applicationInsights: appInsights.id
    publicNetworkAccess: 'Enabled'
  }
}

resource dataScientist 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, principalId, azureMlDataScientistRoleId)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', azureMlDataScientistRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output workspaceName string = workspace.name
@description('azureml://<region>.api.azureml.ms/mlflow/v1.0/subscriptions/.../workspaces/<name>')
output mlflowTrackingUri string = workspace.properties.mlFlowTrackingUri
