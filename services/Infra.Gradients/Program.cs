using Infra.Gradients.Hosting;
using Infra.ServiceDefaults;

if (await HealthProbe.RunIfRequestedAsync(args) is { } probe) return probe;
var builder = WebApplication.CreateBuilder(args);
builder.AddGradientServices();
var app = builder.Build();
app.MapGradientServices();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so functional tests can host it.</summary>
public partial class Program;
