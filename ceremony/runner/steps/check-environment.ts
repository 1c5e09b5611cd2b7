/**
 * `check-environment`: records the clock (UTC), the time zone, the Node.js version and platform,
 * the tool's name and version, and the digest of the tool itself (../tool-digest.ts). With
 * `requireUtc: true` the ceremony stops unless the system time zone is UTC, as IANA's ceremonies
 * require of the ceremony laptop.
 */
import { UsageError } from '../../errors.js';
import type { StepKind } from '../step-kind.js';
import { toolDigest, toolVersion } from '../tool-digest.js';

const UTC_ZONES = [
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Universal',
  'Etc/Zulu',
  'Zulu',
  'GMT',
  'Etc/GMT',
  'Etc/GMT0',
  'GMT0',
];

/** True if the process's time zone is UTC. */
export function systemZoneIsUtc(): { utc: boolean; zone: string } {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { utc: UTC_ZONES.includes(zone), zone };
}

/** The `check-environment` step kind. */
export const checkEnvironment: StepKind = {
  kind: 'check-environment',
  summary: 'record the UTC clock, Node.js version, tool version and the digest of the tool itself',
  outputs: ['toolSha256', 'toolVersion', 'node', 'utc'],
  params: { requireUtc: 'stop unless the system time zone is UTC (true or false, default false)' },
  validate(step, i) {
    const v = step.with?.['requireUtc'];
    return v === undefined || typeof v === 'boolean'
      ? []
      : [
          {
            code: 'SCRIPT_WRONG_TYPE',
            path: ['steps', i, 'with', 'requireUtc'],
            message: `steps[${i}].with.requireUtc can only be true or false`,
          },
        ];
  },
  describe(step) {
    const lines = ['Record the time (UTC), the Node.js version and the digest of the tool.'];
    if (step.with?.['requireUtc'] === true) lines.push('Stop unless the system time zone is UTC.');
    return lines;
  },
  async run(ctx) {
    const now = ctx.now();
    const { utc, zone } = systemZoneIsUtc();
    if (ctx.step.with?.['requireUtc'] === true && !utc)
      throw new UsageError(
        'RUNNER_CLOCK_NOT_UTC',
        `the system time zone is ${zone}; set it to UTC (for example TZ=UTC) and start again`,
        {
          field: `steps.${ctx.step.id}.with.requireUtc`,
        },
      );
    const tool = toolVersion();
    const digest = toolDigest();
    const offset = now.getTimezoneOffset();
    ctx.record('environment', {
      clock: now.toISOString(),
      timeZone: zone,
      utcOffsetMinutes: offset === 0 ? 0 : -offset,
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      tool: { name: tool.name, version: tool.version },
      toolDigest: { tree: digest.tree, files: digest.files, sha256: digest.sha256 },
      unattended: ctx.flags.yes,
    });
    ctx.say(
      `Clock ${now.toISOString()} (time zone ${zone}); Node.js ${process.version}; ${tool.name} ${tool.version}.`,
    );
    return { toolSha256: digest.sha256, toolVersion: tool.version, node: process.version, utc };
  },
};
