import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth';
import { DashboardStream } from './dashboard-stream.service';
import { StreamTickets } from './stream-tickets';
import { TrafficTicker } from './traffic-ticker';

/**
 * The dashboard's live stream (HTTP role): tickets, the stream that relays the cluster events to
 * open pages, and this replica's traffic ticks. Its controllers are DASHBOARD_STREAM_CONTROLLERS.
 */
@Module({
  imports: [AuthModule],
  providers: [StreamTickets, DashboardStream, TrafficTicker],
  exports: [StreamTickets, DashboardStream, TrafficTicker],
})
export class DashboardStreamModule {}
