using Infra.Aggregation.Hosting;

if (await Infra.ServiceDefaults.HealthProbe.RunIfRequestedAsync(args) is { } probe) return probe;
var builder = WebApplication.CreateBuilder(args);
builder.AddAggregationServices();
var app = builder.Build();
app.MapAggregationServices();
app.Run();
return 0;

/// <summary>Entry point; public so functional tests can host it.</summary>
public partial class Program;
