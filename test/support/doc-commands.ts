import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root';

/** One command a reader of the docs is told to type, and where it is written. */
export interface DocCommand {
  /** `README.md:12` */
  where: string;
  text: string;
}

export interface FencedBlock {
  file: string;
  /** Line of the opening fence. */
  line: number;
  lang: string;
  body: string[];
}

/** README.md and every docs/*.md: the files a new user reads. */
export function docFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

/** Fenced code blocks (``` at any indentation, as inside list items) of a markdown file. */
export function fencedBlocks(file: string): FencedBlock[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const blocks: FencedBlock[] = [];
  let open: FencedBlock | undefined;
  lines.forEach((line, i) => {
    const fence = /^\s*```\s*([\w-]*)\s*$/.exec(line);
    if (open && fence && fence[1] === '') {
      blocks.push(open);
      open = undefined;
    } else if (open) open.body.push(line);
    else if (fence) open = { file, line: i + 1, lang: fence[1], body: [] };
  });
  return blocks;
}

/**
 * The commands of a shell block: one per logical line (backslash continuations joined, a `for`
 * loop through its `done`), comment-only and blank lines left out.
 */
export function blockCommands(block: FencedBlock): DocCommand[] {
  const commands: DocCommand[] = [];
  let current: { line: number; parts: string[] } | undefined;
  block.body.forEach((raw, i) => {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) return;
    current ??= { line: block.line + 1 + i, parts: [] };
    const continued = line.endsWith('\\');
    current.parts.push(continued ? line.slice(0, -1).trim() : line);
    const text = current.parts.join(' ');
    if (continued || (/^for\b/.test(text) && !/\bdone$/.test(text))) return;
    commands.push({ where: `${block.file}:${current.line}`, text });
    current = undefined;
  });
  return commands;
}

/**
 * The first column of the tables whose header starts with `command` (README, "Useful commands"):
 * each backticked command of a cell. `a` / `b` in one cell are two commands, and a short form
 * (`migration:show` after `npm run migration:run`) is the first one's program with it.
 */
export function tableCommands(file: string): DocCommand[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const commands: DocCommand[] = [];
  let inTable = false;
  lines.forEach((line, i) => {
    if (/^\|\s*command\s*\|/.test(line)) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable && !/^\|[-|\s]+\|$/.test(line)) {
      const cell = line.split('|')[1];
      const pieces = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      const program = /^(npm run) /.exec(pieces[0] ?? '')?.[1];
      for (const piece of pieces)
        commands.push({
          where: `${file}:${i + 1}`,
          text: program && !piece.startsWith(program) ? `${program} ${piece}` : piece,
        });
    }
  });
  return commands;
}

/** Every command of the docs: the bash/sh blocks and the command tables. */
export function docCommands(): DocCommand[] {
  return docFiles().flatMap((file) => [
    ...fencedBlocks(file)
      .filter((b) => b.lang === 'bash' || b.lang === 'sh')
      .flatMap(blockCommands),
    ...tableCommands(file),
  ]);
}

/**
 * The words bash makes of a command line (quotes removed, `$PWD` expanded), from bash itself
 * rather than a second shell parser. Only for the docs' own commands: `$(…)` in them would run.
 */
export function shellWords(commandLine: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = spawnSync('bash', ['-c', `printf '%s\\0' ${commandLine}`], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bash could not read ${commandLine}: ${out.stderr}`);
  return out.stdout.split('\0').slice(0, -1);
}
