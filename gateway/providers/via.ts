/** The header that names the gateway a request was sent by (see http/loop-guard.ts). */
export const VIA_HEADER = 'x-switchyard-via';
