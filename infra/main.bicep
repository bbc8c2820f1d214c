// ML API on Azure: one image, three roles (docs/architecture.md, "Runtime roles").
//
//   Container Apps environment (+ Log Analytics)
//     ├─ app  <prefix>-<env>-api      APP_ROLE=api, external ingress :3000, probes, HTTP scale rule
//     ├─ app  <prefix>-<env>-worker   APP_ROLE=worker, no ingress
//     └─ job  <prefix>-<env>-migrate  TypeORM migration:run, started by the pipeline before a rollout
//   Azure Database for PostgreSQL flexible server 15 (TLS required; DB_SSL=verify-full)
//   Azure Cache for Redis (TLS only, rediss://:6380)
//   Key Vault (RBAC): JWT_SECRET, DATABASE_URL, REDIS_URL[, ADMIN_PASSWORD] -> Container Apps
//     secrets by reference, read with the user-assigned managed identity
//   Azure Container Registry (or an existing, shared one), AcrPull for the same identity
//   optional: Azure ML workspace as MLflow tracking server (MLFLOW_TRACKING_URI)
//
// Deploy: see docs/azure.md. First run with deployApps=false (no image exists yet), push an image,
// then run again with deployApps=true and imageTag=<tag>.

targetScope = 'resourceGroup'

// ------------------------------------------------------------------------------------------ params
@description('Deployment environment; used in names and for production-only hardening.')
@allowed(['staging', 'production'])
param environmentName string = 'staging'

@description('Short prefix of every resource name (lowercase letters and digits).')
@minLength(2)
@maxLength(8)
param namePrefix string = 'mlapi'

param location string = resourceGroup().location

param tags object = {
  app: 'ml-api'
  environment: environmentName
}

@description('Create the Container Apps, the migration job and the Key Vault secret references. False on the very first run, before an image exists in the registry.')
param deployApps bool = true

@description('Image repository inside the registry.')
param imageRepository string = 'ml-api'

@description('Image tag to run (the pipeline uses Build.BuildId). The pipeline updates images afterwards with az containerapp update; re-running this template with an older tag rolls the apps back to it.')
param imageTag string = 'latest'

// Registry -----------------------------------------------------------------------------------------
@description('Create a registry in this resource group. False to use an existing registry (e.g. one shared by staging and production, so production runs the very image staging tested).')
param createRegistry bool = true

@description('Registry name; empty = generated. With createRegistry=false, the existing registry\'s name.')
param registryName string = ''

@description('Resource group of an existing registry (createRegistry=false).')
param registryResourceGroup string = resourceGroup().name

@allowed(['Basic', 'Standard', 'Premium'])
param registrySku string = 'Standard'

// PostgreSQL ----------------------------------------------------------------------------------------
param postgresAdminLogin string = 'mlapiadmin'

@secure()
@minLength(16)
@description('Administrator password of the PostgreSQL server (also stored in DATABASE_URL in Key Vault).')
param postgresAdminPassword string

@description('Compute SKU, e.g. Standard_B1ms (Burstable), Standard_D2ds_v5 (GeneralPurpose).')
param postgresSkuName string = 'Standard_B2s'

@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string = 'Burstable'

@minValue(32)
param postgresStorageGb int = 32

param postgresDatabaseName string = 'mlapi'

@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = environmentName == 'production' ? 14 : 7

@description('Zone-redundant high availability (GeneralPurpose or MemoryOptimized tier only).')
param postgresHighAvailability bool = false

// Redis ---------------------------------------------------------------------------------------------
@allowed(['Basic', 'Standard', 'Premium'])
param redisSkuName string = environmentName == 'production' ? 'Standard' : 'Basic'

@minValue(0)
@maxValue(6)
param redisCapacity int = 0

// App -----------------------------------------------------------------------------------------------
@secure()
@minLength(32)
@description('HS256 signing secret of the API (>= 32 random bytes), stored in Key Vault as jwt-secret.')
param jwtSecret string

@description('First admin, created by the api at start while no admin exists. Empty: create it later with the create-admin job.')
param adminEmail string = ''

@secure()
@description('Password of adminEmail (>= 12 characters), stored in Key Vault as admin-password.')
param adminPassword string = ''

@description('Prefix of every Redis key and channel (REDIS_PREFIX).')
param redisPrefix string = 'mlapi'

param logLevel string = 'info'

@description('Comma-separated allowed CORS origins (CORS_ORIGINS); empty disables CORS.')
param corsOrigins string = ''

@description('Quality gate minimum metrics (GATE_MIN_METRICS), e.g. roc_auc>=0.7.')
param gateMinMetrics string = ''

@description('CPU cores of one api replica (Consumption profile: 0.25 steps with memory = 2 x CPU in GiB, e.g. 0.5/1Gi, 1.0/2Gi, 2.0/4Gi).')
param apiCpu string = '1.0'
param apiMemory string = '2Gi'

param apiMinReplicas int = environmentName == 'production' ? 2 : 1
param apiMaxReplicas int = environmentName == 'production' ? 10 : 3

@description('Concurrent HTTP requests per api replica before Container Apps adds one.')
param apiConcurrentRequests int = 100

@description('CPU cores of one worker replica (training runs here: give it more).')
param workerCpu string = '2.0'
param workerMemory string = '4Gi'

@description('Worker replicas (fixed: queue consumers have no HTTP traffic to scale on).')
@minValue(1)
param workerReplicas int = 1

param dbPoolSize int = 10

// MLflow --------------------------------------------------------------------------------------------
@description('Create an Azure ML workspace and mirror runs and models to its MLflow endpoint.')
param deployMlWorkspace bool = false

@description('An existing MLflow tracking URI to use instead (http(s):// or azureml://). Ignored when deployMlWorkspace=true.')
param mlflowTrackingUri string = ''

// --------------------------------------------------------------------------------------------- names
var suffix = take(uniqueString(subscription().id, resourceGroup().id, namePrefix, environmentName), 6)
var baseName = '${namePrefix}-${environmentName}'
var acrName = !empty(registryName) ? registryName : take('cr${namePrefix}${environmentName}${suffix}', 50)
var kvName = take('kv-${namePrefix}-${take(environmentName, 4)}-${suffix}', 24)
var image = '${acrLoginServer}/${imageRepository}:${imageTag}'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// ----------------------------------------------------------------------------------- observability
resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${baseName}-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: environmentName == 'production' ? 90 : 30
  }
}

// --------------------------------------------------------------------------------- identity & ACR
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}-${suffix}'
  location: location
  tags: tags
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (createRegistry) {
  name: acrName
  location: location
  tags: tags
  sku: { name: registrySku }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

module acrPull 'modules/acr-pull.bicep' = {
  name: 'acr-pull-${suffix}'
  scope: resourceGroup(createRegistry ? resourceGroup().name : registryResourceGroup)
  params: {
    registryName: createRegistry ? registry.name : acrName
    principalId: identity.properties.principalId
  }
}

var acrLoginServer = acrPull.outputs.loginServer

// ------------------------------------------------------------------------------------- PostgreSQL
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: 'psql-${baseName}-${suffix}'
  location: location
  tags: tags
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '15'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: postgresStorageGb
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: postgresBackupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: postgresHighAvailability ? 'ZoneRedundant' : 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// TLS only (the default on flexible server; pinned here so nobody switches it off by accident).
resource pgRequireTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: postgres
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

// The first migration runs CREATE EXTENSION pgcrypto: flexible server allows only listed extensions.
// Server parameters are applied one at a time (parallel updates fail with ServerIsBusy).
resource pgExtensions 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: postgres
  name: 'azure.extensions'
  properties: {
    value: 'PGCRYPTO'
    source: 'user-override'
  }
  dependsOn: [pgRequireTls]
}

resource pgDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: postgresDatabaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [pgExtensions]
}

// Public endpoint reachable from Azure services only (Container Apps egress). For a private
// network, put the environment and the server in a VNet instead (docs/azure.md, hardening).
resource pgAllowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [pgDatabase]
}

// ------------------------------------------------------------------------------------------ Redis
resource redis 'Microsoft.Cache/redis@2024-03-01' = {
  name: 'redis-${baseName}-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: redisSkuName
      family: redisSkuName == 'Premium' ? 'P' : 'C'
      capacity: redisCapacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    redisVersion: '6'
    publicNetworkAccess: 'Enabled'
    redisConfiguration: {
      // Bull's queues must never be evicted.
      'maxmemory-policy': 'noeviction'
    }
  }
}

// -------------------------------------------------------------------------------------- Key Vault
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: kvName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: environmentName == 'production' ? 90 : 7
    // Purge protection cannot be switched off once on, so only production turns it on.
    enablePurgeProtection: environmentName == 'production' ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource secretJwt 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'jwt-secret'
  properties: { value: jwtSecret }
}

// No sslmode in the URL: TLS is configured by DB_SSL=verify-full and DB_SSL_CA_FILE.
resource secretDatabaseUrl 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: {
    value: 'postgresql://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${postgresDatabaseName}'
  }
}

resource secretRedisUrl 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-url'
  properties: {
    value: 'rediss://:${uriComponent(redis.listKeys().primaryKey)}@${redis.properties.hostName}:${redis.properties.sslPort}'
  }
}

resource secretAdminPassword 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(adminEmail)) {
  parent: vault
  name: 'admin-password'
  properties: { value: adminPassword }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ------------------------------------------------------------------------------ Azure ML (MLflow)
module ml 'modules/ml-workspace.bicep' = if (deployMlWorkspace) {
  name: 'ml-workspace-${suffix}'
  params: {
    location: location
    tags: tags
    namePrefix: namePrefix
    uniqueSuffix: suffix
    logAnalyticsWorkspaceId: logs.id
    principalId: identity.properties.principalId
  }
}

var effectiveMlflowUri = deployMlWorkspace ? ml!.outputs.mlflowTrackingUri : mlflowTrackingUri

// ----------------------------------------------------------------------------- Container Apps env
resource containerEnv 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-${baseName}-${suffix}'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

// Secrets are Key Vault references resolved with the user-assigned identity; the values never
// appear in the Container Apps configuration. Rotating a secret in Key Vault reaches new revisions.
var kvSecrets = concat(
  [
    { name: 'jwt-secret', keyVaultUrl: secretJwt.properties.secretUri, identity: identity.id }
    { name: 'database-url', keyVaultUrl: secretDatabaseUrl.properties.secretUri, identity: identity.id }
    { name: 'redis-url', keyVaultUrl: secretRedisUrl.properties.secretUri, identity: identity.id }
  ],
  empty(adminEmail) ? [] : [
    { name: 'admin-password', keyVaultUrl: secretAdminPassword!.properties.secretUri, identity: identity.id }
  ]
)

var registries = [
  {
    server: acrLoginServer
    identity: identity.id
  }
]

// Environment shared by every role. DB_SSL_CA_FILE is set in the image
// (/etc/ssl/certs/azure-postgres-ca.pem: DigiCert Global Root G2 + Microsoft RSA Root CA 2017 +
// DigiCert Global Root CA).
var commonEnv = concat(
  [
    { name: 'NODE_ENV', value: 'production' }
    { name: 'LOG_LEVEL', value: logLevel }
    { name: 'DATABASE_URL', secretRef: 'database-url' }
    { name: 'DB_SSL', value: 'verify-full' }
    { name: 'DB_POOL_SIZE', value: string(dbPoolSize) }
    { name: 'DB_MIGRATE_ON_START', value: 'false' }
    { name: 'REDIS_URL', secretRef: 'redis-url' }
    { name: 'REDIS_PREFIX', value: redisPrefix }
    { name: 'JWT_SECRET', secretRef: 'jwt-secret' }
    // DefaultAzureCredential picks the user-assigned identity by its client id (MLflow on Azure ML).
    { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  ],
  empty(effectiveMlflowUri) ? [] : [
    { name: 'MLFLOW_TRACKING_URI', value: effectiveMlflowUri }
  ],
  empty(gateMinMetrics) ? [] : [
    { name: 'GATE_MIN_METRICS', value: gateMinMetrics }
  ]
)

var adminEnv = empty(adminEmail) ? [] : [
  { name: 'ADMIN_EMAIL', value: adminEmail }
  { name: 'ADMIN_PASSWORD', secretRef: 'admin-password' }
]

var userIdentity = {
  type: 'UserAssigned'
  userAssignedIdentities: {
    '${identity.id}': {}
  }
}

resource api 'Microsoft.App/containerApps@2024-03-01' = if (deployApps) {
  name: '${baseName}-api'
  location: location
  tags: union(tags, { role: 'api' })
  identity: userIdentity
  properties: {
    environmentId: containerEnv.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 3000
        transport: 'auto'
        allowInsecure: false
      }
      secrets: kvSecrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'api'
          image: image
          env: concat(commonEnv, adminEnv, [
            { name: 'APP_ROLE', value: 'api' }
            // Requests reach the container through the environment's Envoy ingress only, one hop that
            // appends the client's address to X-Forwarded-For (docs/azure.md).
            { name: 'TRUST_PROXY', value: '1' }
          ], empty(corsOrigins) ? [] : [
            { name: 'CORS_ORIGINS', value: corsOrigins }
          ])
          resources: {
            cpu: json(apiCpu)
            memory: apiMemory
          }
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/health/live', port: 3000 }
              initialDelaySeconds: 5
              periodSeconds: 5
              timeoutSeconds: 3
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: { path: '/health/live', port: 3000 }
              periodSeconds: 10
              timeoutSeconds: 3
              failureThreshold: 3
            }
            {
              // Ready = PostgreSQL and Redis reachable and no pending migration: a revision whose
              // migrations did not run never takes traffic.
              type: 'Readiness'
              httpGet: { path: '/health/ready', port: 3000 }
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: apiMinReplicas
        maxReplicas: apiMaxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: string(apiConcurrentRequests)
              }
            }
          }
        ]
      }
    }
  }
  dependsOn: [vaultSecretsUser, pgAllowAzure]
}

resource worker 'Microsoft.App/containerApps@2024-03-01' = if (deployApps) {
  name: '${baseName}-worker'
  location: location
  tags: union(tags, { role: 'worker' })
  identity: userIdentity
  properties: {
    environmentId: containerEnv.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      secrets: kvSecrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          env: concat(commonEnv, [
            { name: 'APP_ROLE', value: 'worker' }
          ])
          resources: {
            cpu: json(workerCpu)
            memory: workerMemory
          }
        }
      ]
      scale: {
        minReplicas: workerReplicas
        maxReplicas: workerReplicas
      }
    }
  }
  dependsOn: [vaultSecretsUser, pgAllowAzure]
}

// Pre-deploy migration job: `az containerapp job start` from the pipeline, before api and worker
// get the new image.
resource migrateJob 'Microsoft.App/jobs@2024-03-01' = if (deployApps) {
  name: '${baseName}-migrate'
  location: location
  tags: union(tags, { role: 'migrate' })
  identity: userIdentity
  properties: {
    environmentId: containerEnv.id
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: 1800
      replicaRetryLimit: 0
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
      }
      secrets: kvSecrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'migrate'
          image: image
          command: ['node', 'node_modules/typeorm/cli.js', '-d', 'dist/src/database/data-source.js', 'migration:run']
          env: concat(commonEnv, [
            { name: 'APP_ROLE', value: 'worker' }
          ])
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
        }
      ]
    }
  }
  dependsOn: [vaultSecretsUser, pgAllowAzure]
}

// One-off operations in the same image and configuration (create-admin, import): start it with
// `az containerapp job start --name <this> --command ... --args ...` or change its command.
// Default command: create the first admin from ADMIN_EMAIL / ADMIN_PASSWORD (idempotent).
resource opsJob 'Microsoft.App/jobs@2024-03-01' = if (deployApps) {
  name: '${baseName}-ops'
  location: location
  tags: union(tags, { role: 'ops' })
  identity: userIdentity
  properties: {
    environmentId: containerEnv.id
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: 3600
      replicaRetryLimit: 0
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
      }
      secrets: kvSecrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'ops'
          image: image
          command: ['node', 'dist/scripts/create-admin.js']
          env: concat(commonEnv, adminEnv, [
            { name: 'APP_ROLE', value: 'worker' }
          ])
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
        }
      ]
    }
  }
  dependsOn: [vaultSecretsUser, pgAllowAzure]
}

// ----------------------------------------------------------------------------------------- outputs
output registryLoginServer string = acrLoginServer
output registryName string = acrName
output keyVaultName string = vault.name
output containerAppsEnvironmentName string = containerEnv.name
output apiAppName string = '${baseName}-api'
output workerAppName string = '${baseName}-worker'
output migrateJobName string = '${baseName}-migrate'
output opsJobName string = '${baseName}-ops'
output apiUrl string = deployApps ? 'https://${api!.properties.configuration.ingress.fqdn}' : ''
output postgresHost string = postgres.properties.fullyQualifiedDomainName
output redisHost string = redis.properties.hostName
output logAnalyticsWorkspaceName string = logs.name
output managedIdentityClientId string = identity.properties.clientId
output mlflowTrackingUri string = effectiveMlflowUri
