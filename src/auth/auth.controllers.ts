import { BrowserSessionController } from './browser-session/browser-session.controller';
import { ApiTokensController } from './controllers/api-tokens.controller';
import { AuthController } from './controllers/auth.controller';
import { UsersController } from './controllers/users.controller';

/** The auth module's HTTP face, mounted by the HTTP role. */
export const AUTH_CONTROLLERS = [AuthController, BrowserSessionController, UsersController, ApiTokensController];
