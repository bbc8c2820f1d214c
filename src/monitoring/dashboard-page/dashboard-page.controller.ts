import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BrowserSessions, Public, isAllowed } from '../../auth';
import { DashboardAssets, DASHBOARD_ASSETS, isAssetName } from './dashboard-assets';
import { DASHBOARD_CSP, deniedPage, loginPage, missingAssetsPage, shellPage } from './dashboard-html';

/** Who may open the dashboard: the monitoring reads' roles (admins always). */
const DASHBOARD_RULE = { roles: ['scientist' as const] };
export const DASHBOARD_LOGIN = '/dashboard/login';

/**
 * The dashboard's page (README, "Dashboard"): HTML and its built assets. Public for the guard,
 * because a page answers a redirect or a page rather than a JSON 401/403; the data it shows comes
 * from the JSON endpoints, which the guard checks as for any client. Not in the API document.
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardPageController {
  private readonly assets = new DashboardAssets();

  constructor(private readonly sessions: BrowserSessions) {}

  @Public()
  @Get()
  async shell(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const principal = await this.sessions.principalOf(req);
    if (!principal) return void reply.header('cache-control', 'no-store').redirect(DASHBOARD_LOGIN, 302);
    if (principal.passwordChangeRequired)
      return html(
        reply,
        403,
        deniedPage('An admin reset your password: change it first (POST /auth/password), then sign in again.'),
      );
    if (!isAllowed(principal, DASHBOARD_RULE))
      return html(
        reply,
        403,
        deniedPage(`The role ${principal.role} cannot open the dashboard: it is for admins and scientists.`),
      );
    return html(reply, 200, shellPage());
  }

  @Public()
  @Get('login')
  login(@Res() reply: FastifyReply): void {
    html(reply, 200, loginPage());
  }

  @Public()
  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const body = isAssetName(file) ? this.assets.read(file) : null;
    if (!body) {
      void reply
        .status(404)
        .type('text/plain; charset=utf-8')
        .send(isAssetName(file) ? missingAssetsPage() : `No dashboard asset ${file}`);
      return;
    }
    void reply
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .type(DASHBOARD_ASSETS[file as keyof typeof DASHBOARD_ASSETS])
      .send(body);
  }
}

function html(reply: FastifyReply, status: number, body: string): void {
  void reply
    .status(status)
    .header('content-security-policy', DASHBOARD_CSP)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(body);
}
