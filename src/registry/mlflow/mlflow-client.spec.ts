import { loadConfig } from '../../config/app-config';
import { MlflowClient } from './mlflow-client';

describe('MlflowClient configuration', () => {
  it('turns an azureml:// tracking URI into its https REST base', () => {
    const client = new MlflowClient(loadConfig({ MLFLOW_TRACKING_URI: 'azureml://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/', MLFLOW_AUTH: 'none' }));
    expect(client.baseUrl).toBe('https://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w');
  });

  it('stops the start with a clear message when Azure auth is configured but @azure/identity is absent', () => {
    let installed = true;
    try {
      require.resolve('@azure/identity');
    } catch {
      installed = false;
    }
    const client = new MlflowClient(loadConfig({ MLFLOW_TRACKING_URI: 'https://mlflow.example.com', MLFLOW_AUTH: 'azure' }));
    if (installed) expect(() => client.onModuleInit()).not.toThrow();
    else expect(() => client.onModuleInit()).toThrow(/needs the @azure\/identity package/);
  });

  it('requires MLFLOW_TOKEN in token mode', () => {
    expect(() => loadConfig({ MLFLOW_TRACKING_URI: 'https://mlflow.example.com', MLFLOW_AUTH: 'token' })).toThrow(/MLFLOW_TOKEN: is required/);
    expect(() => loadConfig({ MLFLOW_TRACKING_URI: 'ftp://x' })).toThrow(/MLFLOW_TRACKING_URI/);
    expect(() => loadConfig({ GATE_MIN_METRICS: 'auc>' })).toThrow(/GATE_MIN_METRICS/);
  });

  it('does nothing without a tracking URI', () => {
    const client = new MlflowClient(loadConfig({}));
    expect(client.baseUrl).toBeUndefined();
    expect(() => client.onModuleInit()).not.toThrow();
  });
});
