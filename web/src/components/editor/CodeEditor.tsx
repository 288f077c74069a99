// CodeMirror 6 editor for YAML/JSON with inline diagnostics (line/column from the server).
import { useEffect, useRef } from 'react';
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { syntaxHighlighting } from '@codemirror/language';
import { editorTheme, highlight } from './theme';

export interface LineDiagnostic {
  line?: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

interface Props {
  value: string;
  onChange: (v: string) => void;
  language: 'yaml' | 'json';
  diagnostics: LineDiagnostic[];
  label: string;
  /** Line to scroll to and select (changes trigger the jump). */
  jump?: { line: number; n: number } | null;
}

function toCm(state: EditorState, ds: LineDiagnostic[]): CmDiagnostic[] {
  return ds.map((d) => {
    const lineNo = Math.min(Math.max(d.line ?? 1, 1), state.doc.lines);
    const line = state.doc.line(lineNo);
    const from = Math.min(line.from + Math.max((d.column ?? 1) - 1, 0), line.to);
    return { from, to: Math.max(line.to, from), severity: d.severity, message: d.message };
  });
}

export default function CodeEditor({ value, onChange, language, diagnostics, label, jump }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const lang = useRef(new Compartment());
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          lang.current.of(language === 'yaml' ? yaml() : json()),
          lintGutter(),
          editorTheme,
          syntaxHighlighting(highlight),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // External value changes (form edits, format switch) replace the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: lang.current.reconfigure(language === 'yaml' ? yaml() : json()) });
  }, [language]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toCm(v.state, diagnostics)));
  }, [diagnostics, value]);

  useEffect(() => {
    const v = view.current;
    if (!v || !jump) return;
    const line = v.state.doc.line(Math.min(Math.max(jump.line, 1), v.state.doc.lines));
    v.dispatch({ selection: { anchor: line.from, head: line.to }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
    v.focus();
  }, [jump]);

  return <div className="editor" ref={host} data-testid="code-editor" />;
}
