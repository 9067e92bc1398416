using Infra.Scoring.Hosting;
using Infra.ServiceDefaults;

if (await HealthProbe.RunIfRequestedAsync(args) is { } probe) return probe;
var builder = WebApplication.CreateBuilder(args);
builder.AddScoringServices();
var app = builder.Build();
app.MapScoringServices();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so functional tests can host it.</summary>
public partial class Program;
