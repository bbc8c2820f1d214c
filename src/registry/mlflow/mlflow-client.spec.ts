import { loadConfig } from '../../config/app-config';
import { MlflowClient } from './mlflow-client';

describe('MlflowClient configuration', () => {
  it('turns an azureml:// tracking URI into its https REST base', () => {
    const client = new MlflowClient(
      loadConfig({
        MLFLOW_TRACKING_URI:
          'azureml://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/',
        MLFLOW_AUTH: 'none',
      }),
    );
    expect(client.baseUrl).toBe(
      'https://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w',
    );
  });

  it('takes Azure AD tokens from DefaultAzureCredential in azure mode, without asking for one at start', () => {
    const client = new MlflowClient(
      loadConfig({ MLFLOW_TRACKING_URI: 'azureml://westeurope.api.azureml.ms/mlflow/v1.0/x', MLFLOW_AUTH: 'auto' }),
    );
    expect(() => client.onModuleInit()).not.toThrow();
  });

  it('requires MLFLOW_TOKEN in token mode', () => {
    expect(() => loadConfig({ MLFLOW_TRACKING_URI: 'https://mlflow.example.com', MLFLOW_AUTH: 'token' })).toThrow(
      /MLFLOW_TOKEN: is required/,
    );
    expect(() => loadConfig({ MLFLOW_TRACKING_URI: 'ftp://x' })).toThrow(/MLFLOW_TRACKING_URI/);
    expect(() => loadConfig({ GATE_MIN_METRICS: 'auc>' })).toThrow(/GATE_MIN_METRICS/);
  });

  it('does nothing without a tracking URI', () => {
    const client = new MlflowClient(loadConfig({}));
    expect(client.baseUrl).toBeUndefined();
    expect(() => client.onModuleInit()).not.toThrow();
  });
});
