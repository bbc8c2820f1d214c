import type { ChildProcess } from 'node:child_process';
import { Logger, type LogLevel } from '@nestjs/common';
import { Writable } from 'node:stream';
import pino, { type DestinationStream } from 'pino';

/** pino's levels, most verbose first (the app's LOG_LEVEL values). */
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type PinoLevel = (typeof LEVELS)[number];

/** The same levels in Nest's words, for Nest's own logger. */
const NEST: Record<PinoLevel, LogLevel | undefined> = {
  trace: 'verbose',
  debug: 'debug',
  info: 'log',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  silent: undefined,
};

/** LOG_LEVEL when the developer set it for the test run (README, "Tests"), else undefined. */
export function askedLogLevel(): PinoLevel | undefined {
  const asked = process.env.LOG_LEVEL;
  if (asked === undefined || asked === '') return undefined;
  if (!(LEVELS as readonly string[]).includes(asked))
    throw new Error(`LOG_LEVEL=${asked} is not a log level: use one of ${LEVELS.join(', ')}`);
  return asked as PinoLevel;
}

/** What a test run prints from the app: warn and above unless the developer asks for more (or less). */
export function printedLogLevel(): PinoLevel {
  return askedLogLevel() ?? 'warn';
}

/** The more verbose of two levels. */
export function moreVerbose(a: PinoLevel, b: PinoLevel): PinoLevel {
  return LEVELS.indexOf(a) <= LEVELS.indexOf(b) ? a : b;
}

/**
 * Nest's default logger writes straight to the terminal wherever no app has installed the pino
 * one: migrations in global setup and in tests, services built by unit tests. At printedLogLevel.
 */
export function quietNestLogger(): void {
  const from = LEVELS.indexOf(printedLogLevel());
  Logger.overrideLogger(LEVELS.slice(from).flatMap((l) => NEST[l] ?? []));
}

/**
 * Where an in-process app writes its log lines: all into `capture` (tests read them); printed too,
 * on stderr, only at the level the developer asked for.
 */
export function testLogStream(capture: DestinationStream): DestinationStream {
  const asked = askedLogLevel();
  if (!asked || asked === 'silent') return capture;
  return pino.multistream([
    { level: 'trace', stream: capture },
    { level: asked, stream: process.stderr },
  ]);
}

/** A child process's output (captured by its helper) is printed too when the developer asked for logs. */
export function echoWhenAsked(child: ChildProcess): void {
  if (!askedLogLevel()) return;
  child.stdout?.on('data', (c: Buffer) => process.stderr.write(c));
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(c));
}

/** A log stream for an in-process app whose lines no test reads: printed only as testLogStream prints. */
export function unreadLogStream(): DestinationStream {
  return testLogStream(new Writable({ write: (_chunk, _encoding, done) => done() }));
}
