// AcrPull for the apps' managed identity on a registry that may live in another resource group
// (one registry shared by staging and production, so the image promoted is the image tested).
targetScope = 'resourceGroup'

@description('Name of an existing Azure Container Registry in this resource group.')
param registryName string

@description('Principal (object) id of the user-assigned managed identity that pulls images.')
param principalId string

var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, principalId, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output loginServer string = registry.properties.loginServer
