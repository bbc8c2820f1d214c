import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './repo-root';
import { runShell, type ShellRun } from './shell';

/** The command that installs the Streamlit dashboard's pins into the project's virtual environment. */
export const STREAMLIT_INSTALL_COMMAND = 'bash scripts/install-streamlit.sh';
const REQUIREMENTS = 'dashboards/streamlit/requirements.txt';

/** The virtual environment scripts/install-streamlit.sh fills (STREAMLIT_VENV, relative to the repository). */
export function streamlitVenv(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(REPO_ROOT, env.STREAMLIT_VENV ?? '.venv-streamlit');
}

/**
 * The venv's python, once it is checked to hold every pin of the requirements (the install
 * script's own check, scripts/python-venv.sh). Throws, naming the install command, when it does
 * not: the Streamlit tests fail without it, never skip.
 */
export function streamlitPython(env: NodeJS.ProcessEnv = process.env): string {
  const venv = streamlitVenv(env);
  const run = spawnSync(
    'bash',
    [
      '-c',
      'source scripts/python-venv.sh && mapfile -t PINS < <(pins_of "$1") && venv_has_pins "$2" "${PINS[@]}"',
      '_',
      REQUIREMENTS,
      venv,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0)
    throw new Error(
      `${venv} does not hold the pins of ${REQUIREMENTS} (Streamlit, pytest…), which the Streamlit dashboard's ` +
        `AppTest tests need. Run \`${STREAMLIT_INSTALL_COMMAND}\` (needs python3 with venv and access to PyPI).`,
    );
  return resolve(venv, 'bin/python');
}

/** Runs the dashboard's AppTest tests (dashboards/streamlit/tests/) with the venv's python. */
export function runAppTests(python: string, env: Record<string, string>): Promise<ShellRun> {
  return runShell(
    [python, '-m', 'pytest', '-p', 'no:cacheprovider', '-q', 'dashboards/streamlit/tests'],
    { ...process.env, ...env },
    5 * 60_000,
  );
}
