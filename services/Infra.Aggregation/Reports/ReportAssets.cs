namespace Infra.Aggregation.Reports;

/// <summary>The report's inline stylesheet and its one small script (token tooltip, prompt toggle): no external files.</summary>
internal static class ReportAssets
{
    public const string Css = """
        :root { --fg: #1d1d1f; --muted: #6b6b70; --line: #dcdce0; --bg: #fafafa; --card: #ffffff; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--fg); background: var(--bg); }
        header.page { padding: 20px 32px 12px; background: #20232a; color: #f5f5f7; }
        header.page h1 { margin: 0 0 4px; font-size: 22px; }
        header.page p { margin: 0; color: #c8c8cc; }
        nav { padding: 8px 32px; background: #2c3038; position: sticky; top: 0; z-index: 5; }
        nav a { color: #e8e8ea; margin-right: 16px; text-decoration: none; font-size: 13px; }
        nav a:hover { text-decoration: underline; }
        main { padding: 8px 32px 40px; max-width: 1400px; }
        section { scroll-margin-top: 44px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 20px 18px; margin: 18px 0; }
        h2 { margin: 4px 0 10px; font-size: 18px; }
        h3 { margin: 14px 0 6px; font-size: 15px; }
        p.note, p.empty { color: var(--muted); }
        p.empty { font-style: italic; }
        dl.run { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
        dl.run dt { color: var(--muted); }
        dl.run dd { margin: 0; overflow-wrap: anywhere; }
        table { border-collapse: collapse; margin: 6px 0 12px; font-size: 12.5px; }
        th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f2f2f4; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.pos { color: #b2182b; } td.neg { color: #2166ac; }
        code.tokentext { background: #f2f2f4; padding: 0 4px; border-radius: 3px; white-space: pre; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        figure.chart-figure { margin: 8px 0 12px; }
        svg.chart { max-width: 100%; height: auto; border: 1px solid #eeeeee; border-radius: 4px; }
        .side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 20px; }
        .ranking { min-width: 0; }
        .ranking table { width: 100%; }
        .legend { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 12px; margin: 4px 0 10px; }
        .legend .ramp { width: 220px; height: 12px; border: 1px solid #bbb; background: linear-gradient(to right, #2166ac, #92c5de, #ffffff, #f4a582, #b2182b); }
        article.example { scroll-margin-top: 44px; border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; overflow: hidden; }
        article.example header { background: #f4f4f6; padding: 6px 10px; display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
        .rank { font-weight: 700; }
        .badge { background: #e4e6eb; border-radius: 10px; padding: 0 8px; font-size: 12px; }
        .example-score.pos { color: #b2182b; font-weight: 600; } .example-score.neg { color: #2166ac; font-weight: 600; }
        .scale-note { color: var(--muted); font-size: 12px; margin-left: auto; }
        .tokens { padding: 10px 12px; font: 13px/1.9 "DejaVu Sans Mono", "Liberation Mono", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
        .tok { border-radius: 2px; cursor: default; }
        .tok:hover { outline: 1.5px solid #111; }
        .tok.prompt { opacity: 0.45; }
        .tok.nl::before { content: "\21b5"; color: #9a9aa0; font-size: 11px; }
        .tok.in-seq { border-bottom: 2px solid #c9c9cf; }
        .tok[data-seq-kind="exploration"] { border-bottom-color: #8172b3; }
        .tok[data-seq-kind="verification"] { border-bottom-color: #2a9d8f; }
        .tok[data-seq-kind="backtracking"] { border-bottom-color: #e76f51; }
        .seq-start { font: 10px/1 "DejaVu Sans", sans-serif; color: #555; background: #eef0f3; border-left: 3px solid #9a9aa0; border-radius: 2px; padding: 1px 4px; margin: 0 3px 0 2px; vertical-align: 2px; white-space: nowrap; }
        .seq-start[data-kind="exploration"] { border-left-color: #8172b3; }
        .seq-start[data-kind="verification"] { border-left-color: #2a9d8f; }
        .seq-start[data-kind="backtracking"] { border-left-color: #e76f51; }
        .seq-end { display: inline-block; width: 0; height: 1.1em; border-right: 1px dashed #9a9aa0; vertical-align: -2px; margin: 0 1px; }
        body.hide-prompts .tok.prompt { display: none; }
        td.seqtext { white-space: pre-wrap; font: 12px/1.4 "DejaVu Sans Mono", monospace; max-width: 760px; }
        #tok-tip { position: absolute; z-index: 10; background: #111; color: #fff; font-size: 12px; padding: 3px 7px; border-radius: 4px; pointer-events: none; white-space: nowrap; }
        #tok-tip[hidden] { display: none; }
        label.toggle { font-size: 13px; color: var(--muted); }
        """;

    public const string Script = """
        (function () {
          var tip = document.getElementById('tok-tip');
          document.addEventListener('mouseover', function (e) {
            var t = e.target && e.target.closest ? e.target.closest('.tok') : null;
            if (!t) { tip.hidden = true; return; }
            tip.textContent = 'score ' + t.getAttribute('data-score') + (t.classList.contains('prompt') ? ' (prompt)' : ' (response)');
            var r = t.getBoundingClientRect();
            tip.style.left = (r.left + window.scrollX) + 'px';
            tip.style.top = (r.bottom + window.scrollY + 4) + 'px';
            tip.hidden = false;
          });
          var boxes = document.querySelectorAll('input.hide-prompts');
          Array.prototype.forEach.call(boxes, function (box) {
            box.addEventListener('change', function () {
              document.body.classList.toggle('hide-prompts', box.checked);
              Array.prototype.forEach.call(boxes, function (b) { b.checked = box.checked; });
            });
          });
        })();
        """;
}
