/** Every top-level command, one module each. Add a line here when a command lands. */
import type { CommandModule } from 'yargs';
import { attestCommand } from './attest.js';
import { auditNamespaceCommand } from './audit-namespace.js';
import { bundleCommand } from './bundle.js';
import { clientCommand } from './client.js';
import { demoCommand } from './demo.js';
import { fleetCommand } from './fleet.js';
import { hsmCommand } from './hsm.js';
import { initCommand } from './init.js';
import { logCommand } from './log.js';
import { resumeCommand } from './resume.js';
import { runCommand } from './run.js';
import { scriptCommand } from './script.js';
import { transcriptCommand } from './transcript.js';
import { verifyCommand } from './verify.js';
import { witnessCommand } from './witness.js';
import { registerCeremonyStepKinds } from '../../runner/steps/ceremony/index.js';

// The ceremony step kinds reach HSMs, the witness and the evidence writer: the CLI registers them.
registerCeremonyStepKinds();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  hsmCommand,
  attestCommand,
  logCommand,
  bundleCommand,
  witnessCommand,
  auditNamespaceCommand,
  fleetCommand,
  clientCommand,
  initCommand,
  scriptCommand,
  runCommand,
  resumeCommand,
  transcriptCommand,
  verifyCommand,
  demoCommand,
];
