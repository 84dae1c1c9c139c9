/**
 * How the admin plugin answers bodies that fail their schemas: every error at once, as field errors
 * in the words config validation uses, so the UI can mark each field.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/schema';
import { describeSchemaErrors, type ConfigIssue } from '../../config/schema-errors';
import { errorHandler } from '../../http/model-surface';
import { openAIError, validatedInput, validatedPart } from '../../http/wire-errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The config list whose item the route's body is: field errors then also carry their path in the whole config. */
    entity?: 'providers' | 'deployments' | 'routes' | 'budgets';
    /** The route's body is (a part of) the config: its errors are `invalid_config`, as config validation's are. */
    editsConfig?: boolean;
  }
}

const defaultHandler = errorHandler((wire) => ({ error: openAIError(wire) }));

/** Schema errors become field errors; everything else is the gateway's usual OpenAI-shaped error. */
export function adminErrorHandler(config: () => Config) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (!error.validation) return defaultHandler(error, request, reply);
    const input = validatedInput(error, request);
    const where = validatedPart(error);
    const prefix = (error.validationContext ?? 'body') === 'body' ? entityPrefix(config(), request) : '';
    const issues = describeSchemaErrors(error.validation as never, input).map((issue) => ({ path: [prefix, issue.path].filter(Boolean).join('.'), message: issue.message, field: issue.path || null }));
    const first = issues[0];
    const message = first ? `Invalid ${where}: ${first.field ?? where} ${first.message}` : `Invalid ${where}`;
    // A config route's body is config (its errors are the config's own); any other body, a query string or a path only asks.
    const code = (error.validationContext ?? 'body') === 'body' && request.routeOptions.config.editsConfig ? 'invalid_config' : 'invalid_request';
    return reply.code(400).send(fieldErrors(message, issues, code));
  };
}

/** The admin API's 400 body: the first problem as an OpenAI-style error, and every field's below it. */
export function fieldErrors(message: string, errors: (ConfigIssue & { field?: string | null })[], code = 'invalid_config') {
  return {
    // The whole body has no field, and a body that is no item of the config no path: no param, not "".
    error: { message, type: 'invalid_request_error', param: errors[0]?.field || errors[0]?.path || null, code },
    errors,
  };
}

/** `deployments[3]` for a body that edits (or adds) an item of that list. */
function entityPrefix(config: Config, request: FastifyRequest): string {
  const list = request.routeOptions.config.entity;
  if (!list) return '';
  const name = (request.params as { name?: string } | undefined)?.name ?? (request.body as { name?: unknown } | undefined)?.name;
  const items = config[list] ?? [];
  const index = items.findIndex((item) => item.name === name);
  return `${list}[${index >= 0 ? index : items.length}]`;
}
