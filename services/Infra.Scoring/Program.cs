using Infra.Scoring.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddScoringServices();
var app = builder.Build();
app.MapScoringServices();
app.Run();

/// <summary>Entry point; public so functional tests can host it.</summary>
public partial class Program;
