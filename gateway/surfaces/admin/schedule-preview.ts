/** The week grid and "blocked now, usable again at..." for time windows being edited in a form (nothing is saved). */
import type { FastifyInstance } from 'fastify';
import type Type from 'typebox';
import { validateConfig } from '../../config/validate';
import { weekSchedule } from '../../routing/schedule';
import { fieldErrors } from './validation';
import { SchedulePreviewSchema, ScheduleSchema } from './schemas';

export function schedulePreview(app: FastifyInstance, services: { defaultTimeZone: () => string; now: () => number }): void {
  app.post<{ Body: Type.Static<typeof SchedulePreviewSchema> }>('/schedule/preview', { schema: { body: SchedulePreviewSchema, response: { 200: ScheduleSchema } } }, async (request, reply) => {
    const zone = request.body.timeZone || services.defaultTimeZone();
    // Checked as a deployment's windows are, so the form's errors are the config's own.
    const probe = validateConfig({
      version: 1,
      providers: [{ name: 'p', kind: 'openai', baseUrl: 'http://127.0.0.1' }],
      deployments: [{ name: 'd', provider: 'p', model: 'm', timeZone: zone, timeWindows: request.body.timeWindows ?? [] }],
      routes: [],
    });
    if (!probe.ok) {
      const errors = probe.errors.map((e) => ({ ...e, field: e.path.replace(/^deployments\[0\]\./, '') }));
      return reply.code(400).send(fieldErrors(errors[0]?.message ?? 'invalid', errors));
    }
    return weekSchedule(probe.config.deployments[0]?.timeWindows, zone, services.now());
  });
}
