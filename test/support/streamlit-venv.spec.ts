import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamlitPython } from './streamlit-venv';

describe('streamlitPython', () => {
  it('fails naming the install command when the virtual environment is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlit-venv-'));
    try {
      expect(() => streamlitPython({ STREAMLIT_VENV: join(dir, 'venv') })).toThrow(
        /venv does not hold the pins of dashboards\/streamlit\/requirements\.txt[^]*Run `bash scripts\/install-streamlit\.sh`/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
