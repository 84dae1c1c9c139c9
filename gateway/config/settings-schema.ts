/** The config's gateway-wide `settings`: local only, cache, usage log, kept responses, web origins, client keys, notices. */
import Type from 'typebox';
import { ORIGIN_PATTERN, WEBHOOK_REFERENCE_PATTERN } from './patterns';

export const SettingsSchema = Type.Object(
  {
    /** Route to local providers only (an Ollama, servers on this machine): every cloud deployment is skipped. */
    localOnly: Type.Optional(Type.Boolean()),
    cache: Type.Optional(
      Type.Object(
        {
          /** Serve repeated temperature-0 requests (and opted-in routes) from the cache. */
          enabled: Type.Optional(Type.Boolean()),
          ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 * 86_400 })),
          maxMiB: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    usage: Type.Optional(
      Type.Object(
        {
          retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          /** Store prompt and response bodies (off by default). */
          logBodies: Type.Optional(Type.Boolean()),
          bodyRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          /** The cloud price local answers are compared with ("would have cost"). */
          compareWith: Type.Optional(
            Type.Object(
              { label: Type.String({ minLength: 1, maxLength: 100 }), inputPerMTok: Type.Number({ minimum: 0 }), outputPerMTok: Type.Number({ minimum: 0 }) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    responses: Type.Optional(
      Type.Object(
        {
          /** How long Responses API answers are kept for `previous_response_id` (default 30 days). */
          retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Web origins that may call the model APIs from a browser or an app's web view (an Obsidian
     * plugin's `app://obsidian.md`, a web UI's `http://localhost:3000`, an extension's
     * `chrome-extension://ID`); `*` stands for any part of a host or port (`http://localhost:*`).
     * The dashboard and admin API answer only their own origin whatever this says.
     */
    allowedOrigins: Type.Optional(Type.Array(Type.String({ pattern: ORIGIN_PATTERN, maxLength: 200 }), { maxItems: 50, uniqueItems: true })),
    clientKeys: Type.Optional(
      Type.Object(
        {
          /** Refuse requests without a valid client key (always on when bound beyond loopback). */
          required: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    notices: Type.Optional(
      Type.Object(
        {
          /**
           * The chat webhook notices are posted to, as a reference (its URL is the channel's secret):
           * `env:NAME`, or `secret:#webhook`, the URL pasted in the desktop app's Settings and kept
           * encrypted. Without it, SWITCHYARD_WEBHOOK_URL where the gateway starts.
           */
          webhook: Type.Optional(Type.String({ pattern: WEBHOOK_REFERENCE_PATTERN })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
