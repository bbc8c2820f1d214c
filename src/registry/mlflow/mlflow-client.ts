import { DefaultAzureCredential } from '@azure/identity';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

/** An MLflow REST error (its `error_code`, e.g. RESOURCE_ALREADY_EXISTS, when the server sent one). */
export class MlflowError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

interface TokenSource {
  token(): Promise<string | undefined>;
}

/**
 * A thin client of MLflow's REST API (/api/2.0/mlflow/..., /api/2.0/mlflow-artifacts/...).
 * Authentication: bearer MLFLOW_TOKEN, or for Azure ML an Azure AD token from @azure/identity's
 * DefaultAzureCredential.
 */
@Injectable()
export class MlflowClient implements OnModuleInit {
  private readonly logger = new Logger(MlflowClient.name);
  readonly baseUrl: string | undefined;
  private auth: TokenSource = { token: async () => undefined };

  constructor(private readonly config: AppConfig) {
    const uri = config.env.MLFLOW_TRACKING_URI;
    // azureml://<region>.api.azureml.ms/mlflow/v1.0/... is served over https at the same path.
    this.baseUrl = uri?.replace(/^azureml:\/\//, 'https://').replace(/\/+$/, '');
  }

  onModuleInit(): void {
    const env = this.config.env;
    if (!this.baseUrl) return;
    const mode =
      env.MLFLOW_AUTH === 'auto'
        ? env.MLFLOW_TOKEN
          ? 'token'
          : env.MLFLOW_TRACKING_URI?.startsWith('azureml://')
            ? 'azure'
            : 'none'
        : env.MLFLOW_AUTH;
    if (mode === 'token') {
      const token = env.MLFLOW_TOKEN;
      this.auth = { token: async () => token };
    } else if (mode === 'azure') {
      this.auth = azureTokenSource(env.MLFLOW_AZURE_SCOPE);
    }
    this.logger.log({ mlflow: this.baseUrl, auth: mode }, 'mirroring to MLflow');
  }

  async get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const qs = new URLSearchParams(query).toString();
    return this.request<T>('GET', `/api/2.0/mlflow/${path}${qs ? `?${qs}` : ''}`);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', `/api/2.0/mlflow/${path}`, JSON.stringify(body), 'application/json');
  }

  async delete<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('DELETE', `/api/2.0/mlflow/${path}`, JSON.stringify(body), 'application/json');
  }

  /** Uploads through the tracking server's artifact proxy (`mlflow server --serve-artifacts`). */
  async putArtifact(artifactPath: string, data: Buffer, contentType: string): Promise<void> {
    const path = artifactPath.split('/').map(encodeURIComponent).join('/');
    await this.request('PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, data, contentType);
  }

  private async request<T>(method: string, path: string, body?: string | Buffer, contentType?: string): Promise<T> {
    if (!this.baseUrl) throw new Error('MLFLOW_TRACKING_URI is not set');
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    const token = await this.auth.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.config.env.MLFLOW_TIMEOUT_MS),
      });
    } catch (err) {
      throw new MlflowError(0, undefined, `MLflow ${method} ${path.split('?')[0]}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    if (!res.ok) {
      const e = parsed as { error_code?: string; message?: string };
      throw new MlflowError(
        res.status,
        e.error_code,
        `MLflow ${method} ${path.split('?')[0]} → ${res.status} ${e.error_code ?? ''} ${(e.message ?? text).slice(0, 300)}`.trim(),
      );
    }
    return parsed as T;
  }
}

/** An Azure AD token from DefaultAzureCredential (managed identity in Azure, az login on a laptop). */
function azureTokenSource(scope: string): TokenSource {
  const credential = new DefaultAzureCredential();
  let cached: { token: string; expiresOnTimestamp: number } | null = null;
  return {
    token: async () => {
      // Renew five minutes before expiry.
      if (!cached || cached.expiresOnTimestamp - Date.now() < 300_000) cached = await credential.getToken(scope);
      return cached?.token;
    },
  };
}
