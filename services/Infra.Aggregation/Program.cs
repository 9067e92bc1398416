using Infra.Aggregation.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAggregationServices();
var app = builder.Build();
app.MapAggregationServices();
app.Run();

/// <summary>Entry point; public so functional tests can host it.</summary>
public partial class Program;
