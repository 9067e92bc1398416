using Infra.Aggregation.Reports;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace Infra.Aggregation.Tests.Reports;

/// <summary>
/// Opens the sample report in Debian's Chromium (headless, never a downloaded browser) and checks it
/// renders cleanly and its key parts are visible; saves a full-page screenshot as a test artefact.
/// </summary>
public sealed class ReportBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Sample_report_renders_in_chromium_without_errors_and_shows_charts_heat_maps_rankings_and_tooltips()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (the report's browser test drives Debian's Chromium)");
        var folder = RepositoryPaths.Artifacts("report");
        var files = HtmlReportWriter.Write(SampleReport.Build(), folder);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // CI runs as root, where Chromium refuses its sandbox.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
        var problems = new List<string>();
        var requests = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning)
                problems.Add($"console {e.Message.Type}: {e.Message.Text}");
        };
        page.PageError += (_, e) => problems.Add($"page error: {e.Message}");
        page.RequestFailed += (_, e) => problems.Add($"request failed: {e.Request.Url} {e.Request.FailureText}");
        page.Request += (_, e) => requests.Add(e.Request.Url);

        var response = await page.GoToAsync(new Uri(files.HtmlPath).AbsoluteUri, WaitUntilNavigation.Load);
        Assert.True(response.Ok, $"loading the report: {response.Status}");
        Assert.Empty(problems);
        Assert.Equal([new Uri(files.HtmlPath).AbsoluteUri], requests); // self-contained: nothing else is fetched

        Assert.Equal(9, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('section[data-section]').length"));
        foreach (var selector in new[]
        {
            "#report-title", "#summary dl.run", "#chart-domain-difficulty-math svg.chart", "#chart-domain-difficulty-code svg.chart",
            "#chart-cross-domain svg.chart", "#chart-behaviours svg.chart", "#table-tokens-math", "#table-tokens-code",
            "#ranking-math", "#ranking-code", "#top-example-1", "#bottom-example-1", "#table-top-sequences", "#chart-reweighting svg.chart",
        })
        {
            var element = await page.QuerySelectorAsync(selector);
            Assert.True(element is not null, $"{selector} is missing");
            Assert.True(await element.IsVisibleAsync(), $"{selector} is not visible");
        }
        // Math and code rankings sit side by side: same top, math left of code.
        var sideBySide = await page.EvaluateExpressionAsync<bool>(
            "(() => { const m = document.getElementById('ranking-math').getBoundingClientRect(), c = document.getElementById('ranking-code').getBoundingClientRect(); return Math.abs(m.top - c.top) < 2 && m.right <= c.left; })()");
        Assert.True(sideBySide, "the math and code rankings are not side by side");
        // Bars are drawn with a size in the browser, not just present in markup.
        Assert.True(await page.EvaluateExpressionAsync<bool>(
            "Array.from(document.querySelectorAll('#chart-domain-difficulty-math rect.bar')).every(r => r.getBBox().width > 0)"));

        var tokens = await page.QuerySelectorAllAsync("#top-example-1 .tok");
        Assert.True(tokens.Length > 20);
        var titled = await page.EvaluateExpressionAsync<bool>(
            "Array.from(document.querySelectorAll('.tok')).every(t => t.title.startsWith(t.dataset.score + ' ('))");
        Assert.True(titled, "a token's title does not start with its score");
        var coloured = await page.EvaluateExpressionAsync<int>(
            "new Set(Array.from(document.querySelectorAll('#top-example-1 .tok:not(.prompt)')).map(t => getComputedStyle(t).backgroundColor)).size");
        Assert.True(coloured > 5, $"only {coloured} distinct token colours");
        Assert.True(await page.EvaluateExpressionAsync<double>("parseFloat(getComputedStyle(document.querySelector('#top-example-1 .tok.prompt')).opacity)") < 1);

        // Hovering a response token shows its score in the tooltip.
        var handle = await page.QuerySelectorAsync("#top-example-1 .tok:not(.prompt)[data-i]");
        var score = await handle.EvaluateFunctionAsync<string>("t => t.dataset.score");
        await handle.HoverAsync();
        var tip = await page.QuerySelectorAsync("#tok-tip");
        Assert.True(await tip.IsVisibleAsync(), "the token tooltip did not appear on hover");
        Assert.Equal($"score {score} (response)", await tip.EvaluateFunctionAsync<string>("t => t.textContent"));

        // The prompt toggle hides prompt tokens.
        await page.ClickAsync("#hide-prompts");
        Assert.False(await (await page.QuerySelectorAsync("#top-example-1 .tok.prompt"))!.IsVisibleAsync());
        await page.ClickAsync("#hide-prompts");

        // Full page from the top (the sticky navigation bar stays at the top), plus close-ups of a heat-map and the rankings.
        await page.EvaluateExpressionAsync("window.scrollTo(0, 0)");
        await page.Mouse.MoveAsync(0, 0);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "report-screenshot.png");
        await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        await page.AddStyleTagAsync(new AddTagOptions { Content = "nav { position: static; }" }); // close-ups without the bar over them
        await (await page.QuerySelectorAsync("#top-example-1"))!.ScreenshotAsync(Path.Combine(folder, "top-example-1.png"));
        foreach (var section in await page.QuerySelectorAllAsync("section[data-section]"))
        {
            var id = await section.EvaluateFunctionAsync<string>("s => s.id");
            await section.ScreenshotAsync(Path.Combine(folder, $"section-{id}.png"));
        }
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        Assert.Empty(problems);
        output.WriteLine($"report: {files.HtmlPath}");
        output.WriteLine($"screenshot: {screenshot}");
    }
}
