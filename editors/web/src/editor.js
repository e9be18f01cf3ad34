// The editor of `nhnprice serve`: CodeMirror 6 with a mode for nhp specs and inline diagnostics.
// Bundled by build.mjs into nhnprice/serve/static/editor.js; the page uses `window.NhnEditor`.
import {EditorState} from "@codemirror/state";
import {EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection}
  from "@codemirror/view";
import {StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput,
  indentUnit} from "@codemirror/language";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {lintGutter, setDiagnostics} from "@codemirror/lint";

// The words of grammar/nhnprice.lark by how they are coloured. The page may pass the server's own list (read from
// the grammar it parses with) to `create`; these are the words of the grammar this bundle was built with.
const WORDS = {
  keyword: ("adjust all among and by categories cost count date encoding entities entity equally expect fee file " +
    "from group groups half header id in into key last margin member members month name note numbering or " +
    "otherwise outside parameter pay pays per pool prices provenance reference register regulation rest rounding " +
    "row section sheet solve source split sum title to weight when year").split(" "),
  unit: ["mill", "mill.", "kr", "kroner", "NOK", "øre"],
  atom: "municipalities organisations official proxy synthetic population".split(" "),
};

// A mode for nhp: comments, strings, numbers, braces and the grammar's words; any other name is a name.
function language(words) {
  const kind = new Map();
  for (const [k, list] of Object.entries(words)) for (const w of list) kind.set(w, k);
  return StreamLanguage.define({
    name: "nhp",
    token(stream) {
      if (stream.eatSpace()) return null;
      if (stream.match("#")) { stream.skipToEnd(); return "comment"; }
      if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
      if (stream.match(/^[0-9](?:[0-9]| (?=[0-9]))*(?:[.,][0-9]+)?(?:\/[0-9]+)?/)) return "number";
      if (stream.match("%")) return "unit";
      if (stream.match(/^[{}]/)) return "brace";
      if (stream.match(/^[A-Za-z_æøåÆØÅ][A-Za-z0-9_æøåÆØÅ.-]*/)) {
        let word = stream.current();
        if (!kind.has(word) && word.endsWith(".")) { stream.backUp(1); word = word.slice(0, -1); }
        return kind.get(word) || "variableName";
      }
      stream.next();
      return null;
    },
    languageData: {commentTokens: {line: "#"}},
  });
}

const theme = EditorView.theme({
  "&": {height: "100%", fontSize: "14px"},
  ".cm-scroller": {fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"},
});

// Line and column (1-based, as in `--diagnostics json`) to an offset in the document.
function offset(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line || 1, 1), doc.lines));
  return Math.min(l.from + Math.max((column || 1) - 1, 0), l.to);
}

// A diagnostic of the server to one of CodeMirror: from its start to its end position, or to the end of the
// word it points at when it has none.
function toCodeMirror(doc, d) {
  const from = offset(doc, d.line, d.column);
  let to;
  if (d.end_line) to = offset(doc, d.end_line, d.end_col);
  else {
    const text = doc.lineAt(from);
    const rest = text.text.slice(from - text.from).match(/^[^\s{}]*/)[0];
    to = from + Math.max(rest.length, 0);
  }
  const message = d.message + (d.hint ? "\n" + d.hint : "");
  return {from, to: Math.max(to, from), severity: d.severity === "warning" ? "warning" : "error", message,
    source: d.code};
}

// `words`, optional: {keyword: [...], unit: [...], atom: [...]}, the words to colour (see WORDS)
export function create(parent, text, onChange, words) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), indentOnInput(),
        bracketMatching(), highlightActiveLine(), indentUnit.of("  "),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        language(words || WORDS), syntaxHighlighting(defaultHighlightStyle), lintGutter(), theme,
        EditorView.lineWrapping,
        EditorView.updateListener.of(update => { if (update.docChanged && onChange) onChange(); }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(value) {
      view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: value}});
    },
    // diagnostics of the spec itself (those whose file is the spec's), shown inline
    setDiagnostics(list) {
      const doc = view.state.doc;
      view.dispatch(setDiagnostics(view.state, list.filter(d => d.line).map(d => toCodeMirror(doc, d))));
    },
    goTo(line, column) {
      const at = offset(view.state.doc, line, column);
      view.dispatch({selection: {anchor: at}, scrollIntoView: true});
      view.focus();
    },
  };
}

window.NhnEditor = {create};
